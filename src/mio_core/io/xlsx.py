"""Reading one sheet of an .xlsx workbook into rows of text cells, as Excel shows them:
the one xlsx reader every importer plugin uses.

openpyxl (the ``xlsx`` extra) is imported only when a sheet is read, never at
``import mio_core``. It reads the sheet in read-only mode (streaming, for large exports),
with the values formulas last computed (``data_only``); with defusedxml installed (also in
the extra) it refuses XML entity attacks. A workbook that would unzip to more than
:data:`MAX_UNZIPPED_BYTES` is refused before it is opened.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from typing import Any

import attrs

from ..problems import Problem

#: A workbook's parts may unzip to at most this many bytes (a "zip bomb" guard).
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
#: A ``<mergeCell ref="B1:D1"/>`` element of a sheet's XML (any namespace prefix).
_MERGE_CELL = re.compile(
    rb"<(?:[A-Za-z0-9_]+:)?mergeCell\s[^>]*?\bref="
    rb'"([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"'
)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]')


def number_text(value: float) -> str:
    """Return a number as Excel's General format shows it: 4.0 is ``4``, 0.1 + 0.2 is
    ``0.3`` (15 significant digits, no float noise)."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _shows_time(number_format: str) -> bool:
    plain = _QUOTED.sub("", number_format or "").lower()
    return "h" in plain or "s" in plain or "am/pm" in plain


def cell_text(value: Any, number_format: str = "General") -> str:
    """Return a cell's value as text: dates and times in ISO form (a date-time to the
    second, a date alone when its format shows no time), numbers without float noise,
    booleans as ``TRUE``/``FALSE``, text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        # Excel keeps times as fractions of a day: 10:03:12 may come back as 10:03:11.999999.
        rounded = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if rounded.time() == dt.time(0) and not _shows_time(number_format):
            return rounded.date().isoformat()
        return rounded.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, float):
        return number_text(value)
    return str(value)


@attrs.frozen(kw_only=True)
class Sheet:
    """A sheet's rows of text cells (as wide as its widest used row), each row's number,
    its merged ranges (min_col, min_row, max_col, max_row) and the problems of reading it
    (``not-xlsx``, ``file-too-large``, ``xlsx-unreadable``, ``no-sheet``)."""

    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[int, ...] = ()
    merged: tuple[tuple[int, int, int, int], ...] = ()
    problems: tuple[Problem, ...] = ()


def read_sheet(data: bytes, file: str, sheet: str | None = None) -> Sheet:
    """Return the sheet called ``sheet`` of the workbook ``data`` (the first sheet when
    None) as text; every failure to read it is a problem naming ``file``, never an
    exception."""

    def refused(code: str, message: str) -> Sheet:
        return Sheet(problems=(Problem(file=file, code=code, message=message),))

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unzipped = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # zipfile raises many kinds on damaged bytes
        return refused(
            "not-xlsx", f"the workbook is damaged or truncated (not a whole zip archive: {exc})"
        )
    if unzipped > MAX_UNZIPPED_BYTES:
        return refused(
            "file-too-large",
            f"the workbook unzips to {unzipped:,} bytes; the limit is {MAX_UNZIPPED_BYTES:,}",
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        return refused(
            "xlsx-unreadable", f"the workbook cannot be read: {type(exc).__name__}: {exc}"
        )
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            return refused(
                "no-sheet", f"the workbook has no sheet {sheet!r}; its sheets: {', '.join(names)}"
            )
        chosen = (
            workbook[sheet]
            if sheet is not None
            else workbook.worksheets[0]
            if workbook.worksheets
            else None
        )
        if chosen is None or not hasattr(chosen, "iter_rows"):
            return refused("no-sheet", "the workbook has no worksheet with cells")
        chosen.reset_dimensions()  # some tools write a wrong dimension; read every row
        rows: list[tuple[str, ...]] = []
        lines: list[int] = []
        for number, row in enumerate(chosen.iter_rows(min_row=1, min_col=1), start=1):
            rows.append(
                tuple(cell_text(c.value, getattr(c, "number_format", "General")) for c in row)
            )
            lines.append(number)
        merged = _merged_ranges(archive, getattr(chosen, "_worksheet_path", None))
    except Exception as exc:
        return refused("xlsx-unreadable", f"the sheet cannot be read: {type(exc).__name__}: {exc}")
    finally:
        workbook.close()
    # Formatted but empty cells to the right of the data are not columns.
    width = max((_used_width(row) for row in rows), default=0)
    padded = tuple(row[:width] + ("",) * (width - len(row)) for row in rows)
    return Sheet(rows=padded, lines=tuple(lines), merged=merged)


def _used_width(row: tuple[str, ...]) -> int:
    """Return how many cells of ``row`` there are up to its last non-empty one."""
    for index in range(len(row), 0, -1):
        if row[index - 1]:
            return index
    return 0


def _merged_ranges(
    archive: zipfile.ZipFile, path: str | None
) -> tuple[tuple[int, int, int, int], ...]:
    """Return the sheet's merged ranges (min_col, min_row, max_col, max_row).

    Read-only openpyxl does not read them; parsing the whole sheet as XML again would
    double the time, so its bytes are scanned for the ``<mergeCell ref="B1:D1"/>``
    elements (which hold nothing but the reference), a chunk at a time.
    """
    if not path:
        return ()
    from openpyxl.utils.cell import range_boundaries

    refs: list[bytes] = []
    tail = b""
    with archive.open(path.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            found = list(_MERGE_CELL.finditer(text))
            refs.extend(match[1] for match in found)
            # keep the end that may hold the start of a tag cut by the chunk
            start = found[-1].end() if found else 0
            tail = text[max(start, len(text) - 256) :]
    ranges: list[tuple[int, int, int, int]] = []
    for ref in refs:
        left, top, right, bottom = range_boundaries(ref.decode("ascii"))
        if left is not None and top is not None and right is not None and bottom is not None:
            ranges.append((left, top, right, bottom))
    return tuple(ranges)
