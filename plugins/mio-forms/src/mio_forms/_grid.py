"""A survey export as a grid of text cells, from CSV or xlsx, and the checks every reader
makes before it hands a table to mio_core.

A tool's reader says which of the grid's rows are header rows and what each column's
header and key are; :func:`finish` does the rest the same way for every tool: rows that do
not fit the header (ragged), duplicate headers, control characters, merged data cells —
each a located problem — and empty rows at the end.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import PurePath

import attrs

from mio_core import ImportedTable, Problem, Severity
from mio_core.importing import column_letter
from mio_core.io import read_delimited
from mio_core.textsafety import has_control_characters, show_controls

#: The first bytes of an old binary Excel workbook (.xls, an OLE2 compound file).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The first bytes of a zip archive, which an .xlsx workbook is.
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
#: What a survey tool's zip download may hold as the export itself.
EXPORT_SUFFIXES = (".csv", ".tsv", *SPREADSHEET_SUFFIXES)


@attrs.frozen(kw_only=True)
class Grid:
    """Every row of a file as text cells, each row's line (a spreadsheet's row number),
    the merged cell ranges of a sheet (min_col, min_row, max_col, max_row) and the
    problems of reading it."""

    file: str
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    spreadsheet: bool
    problems: tuple[Problem, ...] = ()
    merged: tuple[tuple[int, int, int, int], ...] = ()

    def failed(self) -> bool:
        """Return whether reading stopped with an error (the rows may be incomplete)."""
        return any(p.severity is Severity.ERROR for p in self.problems)


def error(file: str, code: str, message: str, line: int | None = None) -> Problem:
    """Return an error about ``file`` (at ``line`` when given)."""
    return Problem(file=file, code=code, message=message, line=line)


def load_grid(data: bytes, file: str, sheet: str | None = None) -> Grid:
    """Return the grid of a CSV or xlsx export, chosen by its content, not its name.

    An old binary .xls workbook and a file named .xlsx that is not one are refused with a
    problem that says what to do.
    """
    if data.startswith(OLE2_MAGIC):
        message = (
            "this is an old binary Excel workbook (.xls), which is not read: open it in "
            "Excel and save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
        )
        return Grid(
            file=file,
            rows=(),
            lines=(),
            spreadsheet=True,
            problems=(error(file, "xls-not-supported", message),),
        )
    if data.startswith(ZIP_MAGIC):
        from mio_core.io import read_sheet

        unpacked = _unpacked(data, file)
        if isinstance(unpacked, Problem):
            return Grid(file=file, rows=(), lines=(), spreadsheet=True, problems=(unpacked,))
        if unpacked is not None:
            return load_grid(unpacked, file, sheet)

        read = read_sheet(data, file, sheet)
        return Grid(
            file=file,
            rows=read.rows,
            lines=read.lines,
            spreadsheet=True,
            problems=read.problems,
            merged=read.merged,
        )
    if PurePath(file).suffix.lower() in SPREADSHEET_SUFFIXES:
        message = "the file is named as an Excel workbook but is not one (not a zip archive)"
        return Grid(
            file=file,
            rows=(),
            lines=(),
            spreadsheet=True,
            problems=(error(file, "not-xlsx", message),),
        )
    delimited = read_delimited(data, file).without_empty_trailing_columns()
    return Grid(
        file=file,
        rows=delimited.rows,
        lines=delimited.lines,
        spreadsheet=False,
        problems=delimited.problems,
    )


def _unpacked(data: bytes, file: str) -> bytes | Problem | None:
    """Return the one export inside a zip archive that is no workbook (Google Forms'
    *Download responses*, Qualtrics' and SurveyMonkey's exports are downloaded so), a
    problem when it holds none or several, or None for a workbook (or damaged bytes, which
    the workbook reader reports)."""
    from mio_core.io import MAX_UNZIPPED_BYTES

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # zipfile raises many kinds on damaged bytes
        return None
    if any(info.filename == "[Content_Types].xml" for info in members):
        return None
    exports = [
        info
        for info in members
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and PurePath(info.filename).suffix.lower() in EXPORT_SUFFIXES
    ]
    if len(exports) != 1:
        names = ", ".join(repr(_member_name(info)) for info in exports[:5]) or "none"
        return error(
            file,
            "zip-archive",
            f"this is a zip archive, not an export; the exports in it: {names}. Unpack it and "
            "import the file with the responses (a CSV, or an .xlsx workbook)",
        )
    if exports[0].file_size > MAX_UNZIPPED_BYTES:
        return error(
            file,
            "file-too-large",
            f"{_member_name(exports[0])!r} unzips to {exports[0].file_size:,} bytes; the limit is "
            f"{MAX_UNZIPPED_BYTES:,}",
        )
    try:
        return archive.read(exports[0])
    except Exception as exc:
        return error(file, "not-zip", f"{_member_name(exports[0])!r} cannot be unzipped: {exc}")


def _member_name(info: zipfile.ZipInfo) -> str:
    # A zip made without the UTF-8 flag has its names read as cp437; most tools wrote UTF-8.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _empty(row: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _one_line_end(text: str) -> str:
    # A line break inside a cell is \n in a workbook but \r\n in a CSV written on Windows.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def column_name(grid: Grid, header: Sequence[str], column: int) -> str:
    """Return how a person finds the 1-based ``column``: its header text, and its letter
    in a spreadsheet."""
    text = header[column - 1] if 0 < column <= len(header) else ""
    if grid.spreadsheet:
        return (
            f"{text} (column {column_letter(column)})"
            if text
            else f"column {column_letter(column)}"
        )
    return text or f"column {column}"


def header_rows(grid: Grid, count: int) -> list[list[str]]:
    """Return the first ``count`` rows of ``grid`` as the header rows, merged cells filled
    in with their value (a question spanning its columns) and short rows padded."""
    width = max((len(row) for row in grid.rows[:count]), default=0)
    rows = [
        [_one_line_end(c) for c in row] + [""] * (width - len(row)) for row in grid.rows[:count]
    ]
    for min_col, min_row, max_col, max_row in grid.merged:
        for index, line in enumerate(grid.lines[:count]):
            if min_row <= line <= max_row:
                top = grid.lines.index(min_row) if min_row in grid.lines else index
                value = grid.rows[top][min_col - 1] if min_col - 1 < len(grid.rows[top]) else ""
                for col in range(min_col, min(max_col, width) + 1):
                    rows[index][col - 1] = value
    return rows


def finish(
    grid: Grid,
    *,
    header: Sequence[str],
    keys: Sequence[str] = (),
    body_start: int,
    keys_are_own: bool = False,
    problems: Sequence[Problem] = (),
) -> ImportedTable:
    """Return the table of ``grid``'s rows from index ``body_start`` under ``header``.

    A row with more non-empty cells or fewer cells than the header is an error and is left
    out (``ragged-row``); empty cells past the header's end are dropped. A header shared by
    two columns is a warning unless ``keys_are_own`` and the keys tell them apart. Control
    characters in any text are shown as ``\\uXXXX`` and each is a warning.
    """
    found = [*grid.problems, *problems]
    file = grid.file
    width = len(header)
    shown_header = list(header)
    header_line = grid.lines[body_start - 1] if 0 < body_start <= len(grid.lines) else 1

    def located(code: str, message: str, line: int, column: int, severity: Severity) -> Problem:
        return Problem(
            file=file,
            code=code,
            message=message,
            line=line,
            column=column,
            path=(column_name(grid, shown_header, column),),
            severity=severity,
        )

    def visible(text: str, line: int, column: int, what: str) -> str:
        if not has_control_characters(text):
            return text
        found.append(
            located(
                "control-character",
                f"the {what} holds a control or text-direction character, shown as \\uXXXX",
                line,
                column,
                Severity.WARNING,
            )
        )
        return show_controls(text)

    shown_header = [
        visible(_one_line_end(text), header_line, index + 1, "header")
        for index, text in enumerate(header)
    ]
    shown_keys = [
        visible(key, header_line, index + 1, "column id") for index, key in enumerate(keys)
    ]
    for column, message in _duplicates(shown_header, shown_keys if keys_are_own else []):
        found.append(located("duplicate-header", message, header_line, column, Severity.WARNING))

    body = list(zip(grid.rows[body_start:], grid.lines[body_start:], strict=True))
    while body and _empty(body[-1][0]):
        body.pop()
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    spans = _merged_body_ranges(grid, body_start)
    for row, line in body:
        cells = [_one_line_end(cell) for cell in row]
        if _empty(cells):
            rows.append(("",) * width)
            lines.append(line)
            continue
        if grid.spreadsheet and len(cells) < width:
            cells += [""] * (width - len(cells))
        while len(cells) > width and not cells[-1].strip():
            cells.pop()
        if len(cells) != width:
            found.append(
                Problem(
                    file=file,
                    code="ragged-row",
                    message=f"the row has {len(cells)} fields but the header has {width}; "
                    "it is left out — is a delimiter inside a cell not quoted?",
                    line=line,
                )
            )
            continue
        for column in spans.get(line, ()):
            found.append(
                located(
                    "merged-cells",
                    "the cell is merged with its neighbours: only the first of them holds "
                    "the value, the others are read as empty",
                    line,
                    column,
                    Severity.WARNING,
                )
            )
        rows.append(tuple(visible(cell, line, i + 1, "cell") for i, cell in enumerate(cells)))
        lines.append(line)
    if not grid.failed() and not grid.rows:
        found.append(error(file, "empty-file", "the file is empty", 1))
    return ImportedTable(
        header=shown_header, keys=shown_keys, rows=rows, lines=lines, problems=found
    )


def _merged_body_ranges(grid: Grid, body_start: int) -> dict[int, list[int]]:
    first = grid.lines[body_start] if body_start < len(grid.lines) else None
    spans: dict[int, list[int]] = {}
    if first is None:
        return spans
    for min_col, min_row, _max_col, max_row in grid.merged:
        if max_row >= first:
            spans.setdefault(max(min_row, first), []).append(min_col)
    return spans


def _duplicates(header: Sequence[str], keys: Sequence[str]) -> list[tuple[int, str]]:
    """Return (1-based column, message) for each header text an earlier column has, unless
    ``keys`` are all different (then they tell the columns apart)."""
    if keys and len(set(keys)) == len(keys):
        return []
    seen: dict[str, int] = {}
    found: list[tuple[int, str]] = []
    for index, name in enumerate(header):
        text = name.strip()
        if text in seen:
            found.append(
                (
                    index + 1,
                    f"the header {text!r} is also column {seen[text]}'s: a mapping by header "
                    "text cannot tell them apart; rename one in the survey tool or ignore both",
                )
            )
        elif text:
            seen[text] = index + 1
    return found
