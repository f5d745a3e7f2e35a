"""Built-in plugin: the generic importer of the wide CSV that survey tools export."""

from __future__ import annotations

from ..importing.csvtext import read_csv_rows
from ..plugins.interfaces import ImportedTable, Importer
from ..plugins.manager import hookimpl
from ..problems import Problem


def read_csv(data: bytes, file: str) -> ImportedTable:
    """Read a wide CSV: UTF-8 with or without BOM (else Windows-1252), comma, semicolon or
    tab as delimiter, any line ending; one header row, then one row per respondent."""
    read = read_csv_rows(data, file)
    problems = list(read.problems)
    if any(p.code == "not-text" for p in problems):
        return ImportedTable(header=(), rows=(), problems=problems)
    if not read.rows:
        problems.append(Problem(file=file, code="empty-file", message="the file is empty", line=1))
        return ImportedTable(header=(), rows=(), problems=problems)
    return ImportedTable(
        header=read.rows[0], rows=read.rows[1:], lines=read.lines[1:], problems=problems
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
