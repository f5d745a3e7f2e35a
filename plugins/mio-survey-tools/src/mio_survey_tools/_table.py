"""The shape every reader shares: a file's cells as rows of text, checked and located.

A survey tool's export is a CSV (decoded and split by :func:`mio_core.io.read_delimited`,
as the built-in importer does) or an xlsx workbook (its first sheet, read by
:func:`mio_core.io.xlsx.read_sheet`). What is wrong with the file itself — a row with more
or fewer cells than the header, two columns with the same key, bytes that are no text —
becomes a located problem; the readers never raise on a broken file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

import attrs

from mio_core import Problem, Severity
from mio_core.io import read_delimited, read_sheet

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


@attrs.frozen(kw_only=True)
class Grid:
    """A file's rows of text cells, each with the line (or spreadsheet row) it is on."""

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    problems: tuple[Problem, ...] = ()


def is_workbook(data: bytes, file: str) -> bool:
    """True when ``data`` is an xlsx workbook (by its name or its zip signature)."""
    return PurePath(file).suffix.lower() in XLSX_SUFFIXES or data.startswith(ZIP_MAGIC)


def read_grid(data: bytes, file: str, delimiter: str | None = None) -> Grid:
    """Return the rows of a CSV or xlsx export, header row included."""
    if is_workbook(data, file):
        return _read_workbook(data, file)
    text = read_delimited(data, file, delimiter).without_empty_trailing_columns()
    problems = list(text.problems)
    if text.rows and any(p.code == "not-utf8" for p in problems):
        problems += _undecodable(text.rows, text.lines, file)
    return Grid(rows=text.rows, lines=text.lines, problems=tuple(problems))


def _undecodable(rows: Sequence[Sequence[str]], lines: Sequence[int], file: str) -> list[Problem]:
    """Cells with a byte that is neither UTF-8 nor Windows-1252 (read as U+FFFD); the first
    row is the header."""
    header = rows[0]
    found = []
    for row, line in zip(rows, lines, strict=True):
        for index, cell in enumerate(row):
            if "\ufffd" in cell:
                name = header[index] if index < len(header) else ""
                found.append(
                    Problem(
                        file=file,
                        code="undecodable",
                        message="the cell has bytes that are neither UTF-8 nor Windows-1252; "
                        "export the file again as UTF-8",
                        line=line,
                        column=index + 1,
                        path=(name,) if name and row is not header else (),
                    )
                )
    return found


def _read_workbook(data: bytes, file: str) -> Grid:
    """The first sheet's rows (:func:`mio_core.io.xlsx.read_sheet`), down to its last row
    with a value, each as wide as the header (a spreadsheet row shorter than the header
    only lacks empty cells at its end)."""
    sheet = read_sheet(data, file)
    if sheet.problems:
        return Grid(rows=(), lines=(), problems=sheet.problems)
    rows = [_used(row) for row in sheet.rows]
    lines = list(sheet.lines)
    while rows and not rows[-1]:
        rows.pop()
        lines.pop()
    if rows:
        width = len(rows[0])
        rows = [row + ("",) * (width - len(row)) if len(row) < width else row for row in rows]
    return Grid(rows=tuple(rows), lines=tuple(lines))


def _used(row: tuple[str, ...]) -> tuple[str, ...]:
    cells = list(row)
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


@attrs.frozen(kw_only=True)
class Body:
    """The rows under the header that have the header's shape, and the problems of the rest."""

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    problems: tuple[Problem, ...]


def body(
    header: Sequence[str], rows: Sequence[Sequence[str]], lines: Sequence[int], file: str
) -> Body:
    """Return the rows with as many cells as ``header``; blank rows are left out and a row
    of another length is a located problem (and left out)."""
    kept: list[tuple[str, ...]] = []
    kept_lines: list[int] = []
    problems: list[Problem] = []
    for row, line in zip(rows, lines, strict=True):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    file=file,
                    code="csv-ragged",
                    message=f"the row has {len(row)} cells but the header has {len(header)}",
                    line=line,
                )
            )
            continue
        kept.append(tuple(row))
        kept_lines.append(line)
    return Body(rows=tuple(kept), lines=tuple(kept_lines), problems=tuple(problems))


def duplicates(names: Sequence[str], file: str, what: str, severity: Severity) -> list[Problem]:
    """A problem for each column whose name in ``names`` an earlier column has already."""
    seen: dict[str, int] = {}
    problems = []
    for index, name in enumerate(names):
        if not name:
            continue
        if name in seen:
            problems.append(
                Problem(
                    file=file,
                    code="duplicate-column",
                    message=f"the {what} {name!r} is also column {seen[name] + 1}; "
                    "a column must be told apart by its name",
                    line=1,
                    column=index + 1,
                    severity=severity,
                )
            )
        else:
            seen[name] = index
    return problems


def problem(file: str, code: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    """A problem about the file as a whole (on its header line)."""
    return Problem(file=file, code=code, message=message, line=1, severity=severity)
