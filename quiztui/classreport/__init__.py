"""The instructors' class report: many learners' progress exports merged into one report.

`quiztui class report` reads the files learners write with `quiztui progress export`, loads them
into DuckDB (`loading`), computes every figure in SQL kept in `sql/*.sql` (`queries`, `figures`)
and renders the result as self-contained HTML, Markdown, JSON or CSV (`render_*`). DuckDB and
matplotlib come with the optional extra `quiztui[class]` and are imported only when a report is
made, so the app's start and its plain install never pay for them.
"""

from __future__ import annotations

EXTRA_HINT = "pip install 'quiztui[class]'"
"""How to get what the class report needs (DuckDB, and matplotlib for the HTML plots)."""
