"""Make the Anki fixtures with Anki itself (`pip install anki`), so they hold real Anki structures.

Run from the repository root: `.venv/bin/python tests/data/formats/make_anki_fixtures.py`. It builds
a collection with Anki's stock note types (Basic, Basic (and reversed card), Basic (optional
reversed card), Cloze, Image Occlusion is left out: it needs a real image), tags, HTML, a media
file and a subdeck, then exports it three ways: an .apkg in the current format (zstd-compressed
collection.anki21b), a legacy .apkg (collection.anki21, for Anki before 2.1.50) and Anki's
"Notes in Plain Text" export with every column and its header lines. The outputs are committed;
the tests only read them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

HERE = Path(__file__).parent


def build(col: Collection) -> int:
    """Fill the collection; returns the top deck's id."""
    cells = col.decks.id("Biology::Cells")
    genetics = col.decks.id("Biology::Genetics")
    basic = col.models.by_name("Basic")
    reversed_ = col.models.by_name("Basic (and reversed card)")
    optional = col.models.by_name("Basic (optional reversed card)")
    cloze = col.models.by_name("Cloze")

    def add(model: object, deck: int, tags: list[str], **fields: str) -> None:
        note = col.new_note(model)  # type: ignore[arg-type]
        for name, value in fields.items():
            note[name.replace("_", " ")] = value
        note.tags = tags
        col.add_note(note, deck)

    add(
        basic,
        cells,
        ["cells", "organelles"],
        Front="What is the <b>powerhouse</b> of the cell?",
        Back="The <i>mitochondrion</i><br>(plural: mitochondria)",
    )
    add(reversed_, cells, [], Front="Ribosome", Back="Makes proteins &amp; peptides")
    add(optional, genetics, ["dna"], Front="DNA", Back="Deoxyribonucleic acid", Add_Reverse="y")
    add(optional, genetics, [], Front="RNA", Back="Ribonucleic acid", Add_Reverse="")
    add(
        cloze,
        genetics,
        ["genetics"],
        Text="{{c1::Adenine}} pairs with {{c2::thymine::a pyrimidine}} in DNA.",
        Back_Extra="In RNA, uracil replaces thymine.",
    )
    image = col.media.write_data("cell.png", b"\x89PNG\r\n\x1a\n not really a picture")
    add(basic, cells, [], Front=f'Name this organelle: <img src="{image}">', Back="The nucleus")
    return col.decks.id_for_name("Biology") or 0


def main() -> None:
    """Write the three fixtures beside this script."""
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            top = build(col)
            for name, legacy in (("anki-biology.apkg", False), ("anki-biology-legacy.apkg", True)):
                col.export_anki_package(
                    out_path=str(HERE / name),
                    options=ExportAnkiPackageOptions(
                        with_scheduling=False,
                        with_deck_configs=False,
                        with_media=True,
                        legacy=legacy,
                    ),
                    limit=DeckIdLimit(top),
                )
            col.export_note_csv(
                out_path=str(HERE / "anki-notes-export.txt"),
                limit=DeckIdLimit(top),
                with_html=True,
                with_tags=True,
                with_deck=True,
                with_notetype=True,
                with_guid=True,
            )
        finally:
            col.close()


if __name__ == "__main__":
    main()
