"""From a table of text cells to ``Response`` values: the mapping step of every import.

An importer gives an :class:`~mio_core.ImportedTable` (header text, rows of text cells, the
line of each row). A :class:`TableMapping` says which column holds the respondent, which the
date, which columns are which items and which to leave out; :func:`read_table` applies it,
reading every cell with the one cell syntax of :mod:`mio_core.io.cells` (the same a
responses file is read with). Each response keeps where it came from — its line and the
column of each answer — so that the validation rules' problems can be pointed back at the
survey file (see :mod:`mio_core.importing.check`).

What is checked here is only what needs the table: the header (the respondent column is
there, every column is an item or left out, none twice), the shape of each row and the
syntax of each cell (a scale item's cell is a number; a text or choice item's cell is
text, checked against the item by the rules). Whether a respondent exists, an answer is on
its scale or among the item's options, or a respondent answered twice are the validation
rules' to say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePath

import attrs

from ..io import layout
from ..io.cells import (
    CellError,
    item_answer,
    parse_answer,
    parse_cell,
    parse_date,
    parse_respondent,
)
from ..model import Answer, Instrument, ItemKind, Response
from ..plugins.interfaces import ImportedTable
from ..problems import Problem

#: File suffixes of spreadsheets: their problems name the column by its letter too.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(value.strip() for value in values)


def _items(values: Mapping[str, str]) -> Mapping[str, str]:
    return {header.strip(): item for header, item in values.items()}


@attrs.frozen(kw_only=True)
class TableMapping:
    """Which columns of an imported table are the respondent, the date and the items.

    ``items`` maps a column's header text to the item it answers; a column it does not name
    is the item its header names (the workspace's own responses files work so).
    ``ignore_columns`` are left out. Header text is compared without surrounding spaces.

    ``columns``, when given, names the columns by their 1-based position instead (position
    → ``respondent``, ``date`` or an item id) and every other column is left out: so two
    columns with the same header text can be told apart (an applied
    :class:`~mio_core.importing.mapping.ImportMapping` gives this).
    """

    respondent_column: str = layout.RESPONDENT_COLUMN
    date_column: str = layout.DATE_COLUMN
    items: Mapping[str, str] = attrs.field(factory=dict, converter=_items)
    ignore_columns: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    columns: Mapping[int, str] | None = None


@attrs.frozen(kw_only=True)
class ImportedRow:
    """One respondent's answers read from a table, with where each came from.

    ``line`` is the row's line in the file; ``columns`` gives the (1-based) column of the
    respondent (key ``respondent``), of the date (``date``) and of each item's answer.
    A row with a cell that could not be read is not ``complete``: its response leaves that
    cell out, so that the rules can still find the problems of its other cells.
    """

    response: Response
    line: int
    columns: Mapping[str, int]
    complete: bool = True


def column_letter(column: int) -> str:
    """Return a spreadsheet's name for the 1-based ``column``: 1 is A, 27 is AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@attrs.frozen(kw_only=True)
class TableResponses:
    """What :func:`read_table` found: the responses, the problems, and the header."""

    file: str
    header: tuple[str, ...]
    rows: tuple[ImportedRow, ...]
    problems: tuple[Problem, ...]
    #: the items the table has a column for, in the instrument's order
    items: tuple[str, ...]
    has_date: bool
    #: header text → item, for the columns read as items
    item_columns: Mapping[str, str] = attrs.field(factory=dict)

    def column_label(self, column: int, name: str) -> str | None:
        """Return how a person finds ``column`` in the file; see :func:`column_label`."""
        return column_label(self.file, self.header, column, name)


def column_label(file: str, header: tuple[str, ...], column: int, name: str) -> str | None:
    """Return how a person finds the 1-based ``column`` of ``file`` when ``name`` (the item or
    field a problem is about) does not say it already: its header text, and for a
    spreadsheet the column's letter. None in a CSV whose header is ``name``."""
    text = header[column - 1] if 0 < column <= len(header) else ""
    if PurePath(file).suffix.lower() in SPREADSHEET_SUFFIXES:
        return f"{text} (column {column_letter(column)})" if text else column_letter(column)
    return text if text and text != name else None


def read_table(
    table: ImportedTable,
    file: str,
    instrument: Instrument,
    occasion: str,
    mapping: TableMapping | None = None,
) -> TableResponses:
    """Return the responses to ``instrument`` on ``occasion`` in ``table``, and its problems.

    Every problem is listed with its line and column. A row whose respondent cannot be
    read, or that has more or fewer cells than the header, is left out; a row with another
    cell that cannot be read is kept, marked not ``complete``, without that cell.
    """
    mapping = mapping or TableMapping()
    problems: list[Problem] = []

    header = tuple(name.strip() for name in table.header)

    def problem(
        code: str, message: str, line: int, column: int | None = None, name: str = ""
    ) -> None:
        label = column_label(file, header, column, name) if column is not None else None
        path = (label,) if label else ()
        problems.append(
            Problem(file=file, code=code, message=message, line=line, column=column, path=path)
        )

    known = {item.id for item in instrument.items}
    columns: dict[int, str] = {}
    if mapping.columns is not None:
        by_role = {role: column - 1 for column, role in mapping.columns.items()}
        if layout.RESPONDENT_COLUMN not in by_role:
            # The mapping's own problems say why there is no respondent column.
            return TableResponses(
                file=file, header=header, rows=(), problems=(), items=(), has_date=False
            )
        respondent_index = by_role[layout.RESPONDENT_COLUMN]
        date_index = by_role.get(layout.DATE_COLUMN)
        columns = {
            column - 1: role
            for column, role in sorted(mapping.columns.items())
            if role in known and role not in (layout.RESPONDENT_COLUMN, layout.DATE_COLUMN)
        }
    else:
        if mapping.respondent_column not in header:
            problem(
                "csv-header",
                f"no column {mapping.respondent_column!r} with the respondents' ids; name the "
                "column with --respondent-column",
                1,
            )
            return TableResponses(
                file=file,
                header=header,
                rows=(),
                problems=tuple(problems),
                items=(),
                has_date=False,
            )
        for index, name in enumerate(header):
            if name in (mapping.respondent_column, mapping.date_column):
                continue
            if name in mapping.ignore_columns:
                continue
            item = mapping.items.get(name, name)
            if item not in known:
                problem(
                    "unknown-item",
                    f"the column {name!r} is not an item of {instrument.id} (its items: "
                    f"{', '.join(sorted(known))}); leave it out with --ignore-column",
                    1,
                    index + 1,
                    name,
                )
            elif item in columns.values():
                problem("csv-header", f"the column {name!r} appears twice", 1, index + 1, name)
            else:
                columns[index] = item
        respondent_index = header.index(mapping.respondent_column)
        date_index = header.index(mapping.date_column) if mapping.date_column in header else None
    order = [item.id for item in instrument.items if item.id in columns.values()]
    places = {"respondent": respondent_index + 1}
    if date_index is not None:
        places["date"] = date_index + 1
    places.update({item: index + 1 for index, item in columns.items()})
    scale_items = {item.id for item in instrument.items if item.kind is ItemKind.SCALE}
    kinds = {item.id: item.kind for item in instrument.items}
    rows: list[ImportedRow] = []
    lines = table.lines or tuple(range(2, len(table.rows) + 2))
    for row, line in zip(table.rows, lines, strict=True):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problem(
                "csv-ragged",
                f"the row has {len(row)} fields but the header has {len(header)}",
                line,
            )
            continue
        ok = True
        date = None
        answers: dict[str, Answer] = {}
        try:
            respondent: str | None = parse_respondent(row[respondent_index])
        except CellError as error:
            problem(error.code, error.message, line, respondent_index + 1, "respondent")
            respondent = None
        if date_index is not None:
            try:
                date = parse_date(row[date_index])
            except CellError as error:
                problem(error.code, error.message, line, date_index + 1, "date")
                ok = False
        for index, item in columns.items():
            try:
                if item in scale_items:
                    answers[item] = parse_answer(row[index], item)
                else:  # text or choice: as a responses file's cell reads for the item
                    answers[item] = item_answer(parse_cell(row[index]), kinds[item])
            except CellError as error:
                problem(error.code, error.message, line, index + 1, item)
                ok = False
        if respondent is not None:
            response = Response(
                respondent=respondent,
                instrument=instrument.id,
                occasion=occasion,
                date=date,
                answers={item: answers[item] for item in order if item in answers},
            )
            rows.append(ImportedRow(response=response, line=line, columns=places, complete=ok))
    if not rows and not problems:
        problem("empty-file", "the file has a header but no answers", 2)
    return TableResponses(
        file=file,
        header=header,
        rows=tuple(rows),
        problems=tuple(problems),
        items=tuple(order),
        has_date=date_index is not None,
        item_columns={header[index]: item for index, item in columns.items()},
    )
