"""The ``csv`` format: a folder of tidy tables and a codebook.

The CSV is safe to open in a spreadsheet unless the option ``exact`` is set: text that a
spreadsheet would run as a formula is neutralised (see
:func:`mio_core.textsafety.spreadsheet_text` and docs/exports.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from itertools import islice
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


#: What makes ``csv.writer`` quote a field (the delimiter, the quote, a line end); text
#: without any of these it writes as it is
_QUOTED = re.compile('[,"\r\n]')


def _field(text: str) -> str:
    """``text`` as ``csv.writer`` writes it between commas (quoted where it must be)."""
    if _QUOTED.search(text) is None:
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(("", text))
    return buffer.getvalue()[1:-1]


class _Fields(dict[Any, str]):
    """Each distinct cell as the text ``csv.writer`` would write for it, found once.

    Only cells of the types in ``_KEYED`` are looked up here: no two of those types have
    equal values (``1 == 1.0 == True`` would mix up an int, a float and a bool), so a
    cell's text depends on its value alone. Text is made spreadsheet-safe when ``safe``.
    """

    __slots__ = ("safe",)

    def __init__(self, safe: bool) -> None:
        super().__init__()
        self.safe = safe

    def __missing__(self, cell: Any) -> str:
        if cell is None:
            text = ""
        elif cell.__class__ is str:
            text = _field(spreadsheet_text(cell) if self.safe else cell)
        else:  # an int or a date: never quoted
            text = str(cell)
        self[cell] = text
        return text


_NONE = type(None)
_KEYED = frozenset({str, _NONE, int, dt.date})
#: a column of numbers, empty or not, such as a group's median (an int or a float)
_NUMBERS = frozenset({int, float, _NONE})
#: rows written at a time: a batch is turned into columns, each column into its csv text by
#: one pass in C (a look-up of each distinct cell, or ``repr`` of floats), and the batch
#: joined into lines; a batch this cannot do goes to ``csv.writer`` row by row
_BATCH = 2048


def _number_texts(column: tuple[Any, ...]) -> list[str]:
    # csv.writer writes str() of a number, which is repr() for ints and floats
    return ["" if cell is None else repr(cell) for cell in column]


def _column_texts(column: tuple[Any, ...], fields: _Fields) -> Iterable[str] | None:
    """The column's cells as csv text, or ``None`` if it holds a type not handled here."""
    kinds = set(map(type, column))
    if kinds <= _KEYED:
        return map(fields.__getitem__, column)
    if kinds == {float}:
        return map(float.__repr__, column)
    if kinds <= _NUMBERS:
        return _number_texts(column)
    return None


def _write_rows(stream: Any, rows: Iterable[Row], spreadsheet_safe: bool) -> None:
    """Write ``rows`` as ``csv.writer(stream, lineterminator="\\n").writerows`` would, text
    made safe when ``spreadsheet_safe``: the same characters, with little work per cell."""
    writer = csv.writer(stream, lineterminator="\n")
    fields = _Fields(spreadsheet_safe)
    rows = iter(rows)
    while batch := list(islice(rows, _BATCH)):
        widths = set(map(len, batch))
        texts = None
        if len(widths) == 1 and widths.pop() > 1:  # one empty cell alone is written ""
            columns = [_column_texts(column, fields) for column in zip(*batch, strict=True)]
            if None not in columns:
                texts = columns
        if texts is None:
            writer.writerows(_safe_rows(batch) if spreadsheet_safe else batch)
            continue
        stream.write("\n".join(map(",".join, zip(*texts, strict=True))))
        stream.write("\n")


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

    def typed(row: Row) -> Row:
        cells = list(row)
        for i in dates:
            if cells[i] is not None:
                cells[i] = cells[i].isoformat()
        for i in numbers:
            cells[i] = _number(cells[i])
        return tuple(cells)

    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerow(list(header))
        _write_rows(stream, map(typed, rows) if dates or numbers else rows, spreadsheet_safe)


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
