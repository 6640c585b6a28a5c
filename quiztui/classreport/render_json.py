"""The class report as JSON: the document itself (docs/class-report.md documents every field)."""

from __future__ import annotations

import json
from typing import Any


def render_json(document: dict[str, Any]) -> str:
    """The document as indented JSON text, non-ASCII kept as is."""
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
