"""Helpers of the mio-forms tests: workbooks built cell by cell as the tools write them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl


def workbook(
    rows: Iterable[Sequence[Any]], merged: Sequence[str] = (), title: str = "Sheet1"
) -> bytes:
    """Return the bytes of an .xlsx workbook whose first sheet holds ``rows`` (None is an
    empty cell) with the ``merged`` ranges (``"C1:E1"``) merged."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def csv_bytes(lines: Iterable[str], *, encoding: str = "utf-8", ending: str = "\n") -> bytes:
    """Return ``lines`` joined by ``ending`` (and ending with it) in ``encoding``."""
    return "".join(line + ending for line in lines).encode(encoding)
