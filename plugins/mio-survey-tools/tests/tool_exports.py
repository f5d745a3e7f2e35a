"""Writing files the way the survey tools write them, and a scratch workspace to import into."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from mio_core.testing import copy_workspace

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
TARGET = "responses/mio-utilisation.follow-up.6m.csv"
ITEMS = ("ops1", "ops2", "ops3", "proj1", "proj2", "beyond1", "beyond2")


def workspace(tmp_path: Path) -> Path:
    """A scratch copy of the example workspace."""
    return copy_workspace(EXAMPLE, tmp_path / "mio")


def quoted_csv(rows: Sequence[Sequence[str]], sep: str = ",", end: str = "\r\n") -> str:
    """Every field quoted, quotes doubled (LimeSurvey's and KoboToolbox's CSV writers)."""
    return "".join(
        sep.join('"' + cell.replace('"', '""') + '"' for cell in row) + end for row in rows
    )


def workbook(rows: Sequence[Sequence[object]], title: str = "Sheet1") -> bytes:
    """An xlsx workbook with ``rows`` on its first sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
