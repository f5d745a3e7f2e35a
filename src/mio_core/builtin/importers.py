"""Built-in plugin: the generic importer of the wide CSV that survey tools export."""

from __future__ import annotations

from ..importing.text import read_delimited
from ..plugins.interfaces import ImportedTable, Importer
from ..plugins.manager import hookimpl


def read_csv(data: bytes, file: str) -> ImportedTable:
    """Read a wide CSV: UTF-8 with or without BOM (else Windows-1252), comma, semicolon or
    tab as delimiter, any line ending; one header row, then one row per respondent."""
    return read_delimited(data, file)


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
