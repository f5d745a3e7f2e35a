"""The ``csv`` format: a folder of tidy tables and a codebook.

The CSV is safe to open in a spreadsheet unless the option ``exact`` is set: text that a
spreadsheet would run as a formula is neutralised (see
:func:`mio_core.textsafety.spreadsheet_text` and docs/exports.md).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from ...plugins.interfaces import ExportSource
from ...textsafety import spreadsheet_text
from ..tables import CODEBOOK_FIELDS, Row, codebook_rows, tables


@attrs.frozen
class CsvOptions:
    """Options of the csv and datapackage formats.

    ``exact``: write text exactly as it is in the workspace, for R, pandas and other
    programs. By default text is made safe to open in a spreadsheet: a value that starts
    like a formula (``=``, ``+``, ``-``, ``@``, tab, line end) gets a leading ``'``, and
    control characters are shown as ``\\uXXXX``. Numbers are numbers either way.
    """

    exact: bool = False


def _spreadsheet_safe(options: object) -> bool:
    return not (isinstance(options, CsvOptions) and options.exact)


def _number(value: Any) -> Any:
    if value.__class__ is float:
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if value.is_integer() else repr(value)
    return value


def _safe_rows(rows: Iterable[Row]) -> Iterator[Row]:
    """Yield each row with its text cells passed through ``spreadsheet_text``.

    A table repeats the same few texts (ids, codes, occasions) in every row, so each distinct
    text is made safe once per table and looked up after that.
    """
    safe: dict[str, str] = {}
    for row in rows:
        cells = list(row)
        for i, cell in enumerate(cells):
            if cell.__class__ is str:
                done = safe.get(cell)
                if done is None:
                    done = safe[cell] = spreadsheet_text(cell)
                cells[i] = done
        yield tuple(cells)


def write_table(
    path: Path,
    header: Iterable[str],
    rows: Iterable[Row],
    types: Iterable[str] = (),
    *,
    spreadsheet_safe: bool = False,
) -> None:
    """Write one CSV table (UTF-8, comma, header row; empty cells for missing values).

    ``types`` are the columns' types (as in the tables' fields): dates are written
    YYYY-MM-DD and whole numbers without a decimal point; everything else as it is.
    With ``spreadsheet_safe`` every text cell passes through
    :func:`~mio_core.textsafety.spreadsheet_text`; numbers are never changed.
    """
    kinds = list(types)
    dates = [i for i, kind in enumerate(kinds) if kind == "date"]
    numbers = [i for i, kind in enumerate(kinds) if kind in ("number", "integer")]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(list(header))
        if spreadsheet_safe:
            rows = _safe_rows(rows)
        if not dates and not numbers:
            writer.writerows(rows)
            return
        for row in rows:
            cells = list(row)
            for i in dates:
                if cells[i] is not None:
                    cells[i] = cells[i].isoformat()
            for i in numbers:
                cells[i] = _number(cells[i])
            writer.writerow(cells)


def write_csv_folder(source: ExportSource, folder: Path, options: object) -> None:
    """Write every tidy table as ``<table>.csv`` and the codebook as ``codebook.csv``.

    Text is made safe for spreadsheets unless ``options`` is ``CsvOptions(exact=True)``.
    """
    safe = _spreadsheet_safe(options)
    described = tables(source)
    for table in described:
        write_table(
            folder / f"{table.name}.csv",
            (f.name for f in table.fields),
            table.rows(source),
            spreadsheet_safe=safe,
        )
    write_table(
        folder / "codebook.csv",
        (f.name for f in CODEBOOK_FIELDS),
        codebook_rows(source, described),
        spreadsheet_safe=safe,
    )
