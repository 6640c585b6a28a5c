"""quiztui: a terminal flashcard and quiz trainer with spaced repetition.

This module holds only the version, so that importing any part of quiztui stays cheap.
"""

__version__ = "0.1.0"
