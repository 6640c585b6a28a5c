"""Decks: the model, the YAML loader and validator, the JSON Schema, and export.

Nothing here imports Textual; scripts and other front ends use it directly.
"""
