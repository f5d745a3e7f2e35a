"""Built-in plugin: the generic importer of the wide CSV that survey tools export."""

from __future__ import annotations

import csv
import io

from ..plugins.interfaces import ImportedTable, Importer
from ..plugins.manager import hookimpl
from ..problems import Problem, Severity

DELIMITERS = (",", ";", "\t")


def _decode(data: bytes, file: str) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Swedish Windows machine is Windows-1252.
        warning = Problem(
            file=file,
            code="not-utf8",
            message="the file is not UTF-8; it was read as Windows-1252 (Excel's plain CSV) — "
            "check that å, ä and ö came through, or save it as 'CSV UTF-8'",
            severity=Severity.WARNING,
        )
        return data.decode("cp1252", errors="replace"), [warning]


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most fields, outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d])


def read_csv(data: bytes, file: str) -> ImportedTable:
    """Read a wide CSV: UTF-8 with or without BOM (else Windows-1252), comma, semicolon or
    tab as delimiter, any line ending; one header row, then one row per respondent."""
    text, problems = _decode(data, file)
    if b"\x00" in data[:8192]:
        return ImportedTable(
            header=(),
            rows=(),
            problems=[
                Problem(file=file, code="not-text", message="this is not a text file", line=1)
            ],
        )
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    rows: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        problems.append(
            Problem(
                file=file,
                code="csv-syntax",
                message=f"the CSV cannot be read: {exc}",
                line=reader.line_num,
            )
        )
    if not rows:
        problems.append(Problem(file=file, code="empty-file", message="the file is empty", line=1))
        return ImportedTable(header=(), rows=(), problems=problems)
    return ImportedTable(header=rows[0], rows=rows[1:], lines=lines[1:], problems=problems)


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
