"""Built-in plugin: the generic importer of the wide CSV that survey tools export."""

from __future__ import annotations

from ..io.text import read_delimited
from ..plugins.interfaces import ImportedTable, Importer
from ..plugins.manager import hookimpl


def read_csv(data: bytes, file: str) -> ImportedTable:
    """Read a wide CSV: UTF-8 with or without BOM (else Windows-1252), comma, semicolon or
    tab as delimiter, any line ending; one header row, then one row per respondent."""
    text = read_delimited(data, file).without_empty_trailing_columns()
    if not text.rows:
        return ImportedTable(header=(), rows=(), problems=text.problems)
    return ImportedTable(
        header=text.rows[0],
        rows=list(text.rows[1:]),
        lines=text.lines[1:],
        problems=text.problems,
    )


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
