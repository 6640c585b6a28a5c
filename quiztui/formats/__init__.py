"""Other formats in and out of quiztui: GIFT, Aiken, Anki text and packages, QTI, Markdown.

One module per format, each reading into a `DeckDraft` (`common`) or writing from a `Deck`; what
they share (the import report, ids, HTML reduced to Markdown, the YAML writer) lives beside them.
Nothing here imports Textual, and the heavy libraries (genanki, zstandard) are imported only by the
function that needs them, with a message naming the extra to install when they are missing.
"""
