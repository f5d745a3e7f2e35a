"""Built-in plugin: the generic importer of the wide CSV that survey tools export."""

from __future__ import annotations

from ..io.text import read_delimited
from ..plugins.interfaces import ImportedTable, Importer
from ..plugins.manager import hookimpl


def read_csv(data: bytes, file: str) -> ImportedTable:
    """Read a wide CSV: UTF-8 with or without BOM (else Windows-1252), comma, semicolon or
    tab as delimiter, any line ending; one header row, then one row per respondent."""
    text = read_delimited(data, file)
    if not text.rows:
        return ImportedTable(header=(), rows=(), problems=text.problems)
    header = text.rows[0]
    width = _used_width(text.rows)
    return ImportedTable(
        header=header[:width],
        # a cell past the header's end stays, so that its row is still reported ragged
        rows=[row[:width] + row[len(header) :] for row in text.rows[1:]],
        lines=text.lines[1:],
        problems=text.problems,
    )


def _used_width(rows: tuple[tuple[str, ...], ...]) -> int:
    """Return the header's width without its trailing columns that are empty in every row:
    Excel writes ``;;`` to the end of each line for columns that once held something, and
    such a column holds nothing to import or to lose."""
    width = len(rows[0])
    while width > 0 and all(len(row) < width or not row[width - 1].strip() for row in rows):
        width -= 1
    return width


CSV = Importer(
    name="csv",
    title="CSV from a survey tool (wide: one row per respondent)",
    read=read_csv,
    suffixes=(".csv", ".txt"),
    description="UTF-8 with or without BOM, comma, semicolon or tab, decimal comma allowed.",
)


@hookimpl
def mio_register_importers() -> list[Importer]:
    """The generic CSV importer."""
    return [CSV]
