"""KoboToolbox and ODK Central: a form's submissions export (CSV or xlsx), and the XLSForm's
choice lists.

KoboToolbox's export (formpack) writes every field quoted, ``;`` between them by default,
and its headers as the XLSForm's names with their group path (``group_name/question``, the
separator can be changed) or as labels; answers are choice *names* (``likely``) or labels;
a select-multiple question is one column of space-separated names plus one 1/0 column per
choice (``q/option``) — or, as the export's "Export Select Many questions as" setting says,
only the single column or only the 1/0 columns. The reader writes the answer of a
select-multiple question as mio's multi-choice cell, the names separated by ``;``
(``bus;bike``): in the single column when the 1/0 columns show which column that is, and
in a column ``q`` it adds from the 1/0 columns when there are only those. Its own columns
are ``_id``, ``_uuid``, ``_submission_time``,
``_index``, ``_validation_status``, ``_notes``, ``_status``, ``_submitted_by``, ``_tags``,
``__version__``, and the form's ``start``, ``end``, ``today``, ``deviceid``, ``username``.
When tags are included (HXL), a row of ``#tags`` follows the header: it is left out. ODK
Central's ``submissions.csv`` is comma separated, with ``SubmissionDate`` first and
``meta-instanceID``, ``KEY``, ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits`` and
``FormVersion``; its group paths are joined by ``-``.

Neither tool knows who answered unless the form asked: ``_uuid``, ``_id``, ``KEY`` and
``meta-instanceID`` name the *submission*. Without a respondent column (see
:data:`RESPONDENT_NAMES`) the reader warns, naming the columns it looked for.
"""

from __future__ import annotations

import io
import re

from mio_core import ImportedTable, MioError, Severity
from mio_core.io import cell_text

from ._table import body, duplicates, problem, read_grid

#: Question names (the last part of a column's path, any case) that identify the respondent.
RESPONDENT_NAMES = (
    "respondent",
    "respondent_id",
    "participant",
    "participant_id",
    "token",
    "email",
    "e-mail",
    "e_mail",
)
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?:/[A-Za-z_][A-Za-z0-9_.\-]*)*")
_CENTRAL = {"SubmissionDate", "KEY"}


def _last_name(column: str, central: bool) -> str:
    return column.rsplit("/", 1)[-1].rsplit("-", 1)[-1] if central else column.rsplit("/", 1)[-1]


_BOX = frozenset(("", "0", "1"))


def _select_multiples(
    header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The select-multiple answers as ``;``-separated names: a column ``q`` with 1/0
    columns ``q/option`` beside it has its space-separated names joined by ``;``; 1/0
    columns ``q/option`` (two or more, every cell 1, 0 or empty) without a column ``q``
    give a column ``q`` added at the end, with the names whose cell is 1."""
    boxes: dict[str, list[tuple[int, str]]] = {}
    for index, name in enumerate(header):
        question, slash, option = name.rpartition("/")
        if slash and question and option:
            boxes.setdefault(question, []).append((index, option))
    single = {header.index(q) for q in boxes if q in header}
    added = [
        q
        for q, columns in boxes.items()
        if q not in header
        and len(columns) > 1
        and all(row[i].strip() in _BOX for row in rows for i, _ in columns if i < len(row))
    ]
    if not single and not added:
        return header, rows
    changed = []
    for row in rows:
        cells = [
            ";".join(cell.split()) if index in single else cell for index, cell in enumerate(row)
        ]
        cells += [
            ";".join(o for i, o in boxes[q] if i < len(row) and row[i].strip() == "1")
            for q in added
        ]
        changed.append(tuple(cells))
    return (*header, *added), tuple(changed)


def read_kobo(data: bytes, file: str) -> ImportedTable:
    """Read a KoboToolbox or ODK Central submissions export into a table of text cells.

    ``keys`` are the column paths when the headers are XML names (KoboToolbox's
    ``group/question``, ODK Central's ``group-question``); with label headers there are
    none, and a warning says so. A warning also says when no column names the respondent.
    """
    grid = read_grid(data, file)
    if not grid.rows:
        return ImportedTable(header=(), rows=(), problems=grid.problems)
    header = tuple(h.strip() for h in grid.rows[0])
    rows, lines = grid.rows[1:], grid.lines[1:]
    while rows and any(rows[0]) and all(not c.strip() or c.startswith("#") for c in rows[0]):
        rows, lines = rows[1:], lines[1:]  # formpack's HXL tag row(s)
    shaped = body(header, rows, lines, file)
    problems = [*grid.problems, *shaped.problems]
    central = set(header) >= _CENTRAL
    named = all(_PATH.fullmatch(h) for h in header)
    if named:
        problems += duplicates(header, file, "column", Severity.ERROR)
    else:
        problems.append(
            problem(
                file,
                "no-question-names",
                "the headers are question labels, so the columns have no XLSForm names; map "
                "them by their label, or export again with 'XML values and headers'",
                Severity.WARNING,
            )
        )
        problems += duplicates(header, file, "header", Severity.WARNING)
    if not any(_last_name(h, central).lower() in RESPONDENT_NAMES for h in header):
        problems.append(
            problem(
                file,
                "no-respondent-column",
                "no column says who answered (looked for a question named "
                f"{', '.join(RESPONDENT_NAMES)}); "
                f"{'KEY and meta-instanceID' if central else '_uuid and _id'} name the "
                "submission, not the person — the mapping needs a token or e-mail column, "
                "or a form that asks for it",
                Severity.WARNING,
            )
        )
    rows_out = shaped.rows
    if named:
        header, rows_out = _select_multiples(header, shaped.rows)
    return ImportedTable(
        header=header,
        keys=header if named else (),
        rows=rows_out,
        lines=shaped.lines,
        problems=problems,
    )


def choice_lists(xlsform: bytes, file: str) -> dict[str, list[tuple[str, str]]]:
    """Return {list name: [(choice name, label), …]} from an XLSForm's ``choices`` sheet, in
    the form's order (a choice's position there is its only number). The label is the
    ``label`` column, else the first ``label::…`` one. Raises :class:`MioError` naming the
    file when it is no XLSForm."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(xlsform), read_only=True, data_only=True)
    # Any failure of openpyxl here means the same: this is no workbook it can read.
    except Exception as error:
        raise MioError(f"{file}: not an Excel workbook ({type(error).__name__})") from None
    try:
        if "choices" not in workbook.sheetnames:
            raise MioError(f"{file}: the XLSForm has no 'choices' sheet")
        values = [
            [cell_text(v).strip() for v in row]
            for row in workbook["choices"].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    if not values:
        return {}
    names = [h.lower() for h in values[0]]
    if "list_name" not in names or "name" not in names:
        raise MioError(f"{file}: the 'choices' sheet has no list_name and name columns")
    labels = [i for i, h in enumerate(names) if h == "label"] or [
        i for i, h in enumerate(names) if h.startswith("label::")
    ]
    lists: dict[str, list[tuple[str, str]]] = {}
    for row in values[1:]:
        row += [""] * (len(names) - len(row))
        list_name, name = row[names.index("list_name")], row[names.index("name")]
        if list_name and name:
            label = row[labels[0]] if labels else ""
            lists.setdefault(list_name, []).append((name, label))
    return lists
