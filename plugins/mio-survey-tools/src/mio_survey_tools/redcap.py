"""REDCap: a records export (CSV or xlsx), raw or with labels.

A raw export ("CSV / Microsoft Excel (raw data)") has the field names as headers — the
record id first (``record_id`` unless renamed), then in longitudinal projects
``redcap_event_name``, with repeating instruments ``redcap_repeat_instrument`` and
``redcap_repeat_instance``, with data access groups ``redcap_data_access_group``, survey
``redcap_survey_identifier`` and ``<form>_timestamp``, then the fields, a checkbox as one
column per choice (``field___1``, ``field___2``: 1 checked, 0 not; the reader adds a column
``field`` with the checked codes separated by ``;``, the answer of a multi-choice item),
and each form's status
``<form>_complete`` (0 incomplete, 1 unverified, 2 complete). The answers are choice codes
(missing-data codes such as 999 or 777 among them: the mapping marks them missing). A labels
export has the field labels as headers (HTML stripped, a checkbox as
``Label (choice=Apple)``) and the choice labels as answers; REDCap's field names are then
not in the file, so the table has no keys.

A longitudinal export repeats a record once per event, and on an event where a form is not
collected all its fields are empty: that is no missing answer. So a row whose every data
cell (all but the record id, the ``redcap_*`` columns, timestamps, form statuses, and
unchecked checkboxes) is empty is left out, unless ``keep_empty_rows``; ``events`` keeps
only the rows of the named events.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from mio_core import ImportedTable, Problem, Severity

from ._table import body, duplicates, problem, read_grid

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
#: The columns REDCap adds to the fields, raw and as their labels.
SYSTEM_COLUMNS = {
    "redcap_event_name": "Event Name",
    "redcap_repeat_instrument": "Repeat Instrument",
    "redcap_repeat_instance": "Repeat Instance",
    "redcap_data_access_group": "Data Access Group",
    "redcap_survey_identifier": "Survey Identifier",
}
_UNCHECKED = {"0", "Unchecked"}


def _is_data(name: str, raw: bool) -> bool:
    if raw:
        return not (
            name in SYSTEM_COLUMNS or name.endswith("_complete") or name.endswith("_timestamp")
        )
    return name not in SYSTEM_COLUMNS.values() and name not in ("Complete?", "Survey Timestamp")


def _is_checkbox(name: str, raw: bool) -> bool:
    return "___" in name if raw else bool(re.search(r"\(choice=.*\)$", name))


def _with_checkbox_answers(
    header: tuple[str, ...], kept: list[tuple[tuple[str, ...], int]]
) -> tuple[tuple[str, ...], list[tuple[tuple[str, ...], int]]]:
    """Add, for each checkbox field of a raw export, a column ``field`` with the codes of
    the checked choices separated by ``;`` (the cell a multi-choice item takes; empty when
    none is checked). The ``field___code`` columns stay."""
    boxes: dict[str, list[tuple[int, str]]] = {}
    for index, name in enumerate(header):
        field, sep, code = name.partition("___")
        if sep and field and code:
            boxes.setdefault(field, []).append((index, code))
    added = [field for field in boxes if field not in header]
    if not added:
        return header, kept
    rows = [
        (
            (
                *row,
                *(
                    ";".join(
                        code
                        for index, code in boxes[field]
                        if index < len(row) and row[index].strip() not in ("", *_UNCHECKED)
                    )
                    for field in added
                ),
            ),
            line,
        )
        for row, line in kept
    ]
    return (*header, *added), rows


def read_redcap(
    data: bytes,
    file: str,
    *,
    events: Collection[str] | None = None,
    fields: Collection[str] | None = None,
    keep_empty_rows: bool = False,
) -> ImportedTable:
    """Read a REDCap records export (raw or labels; CSV or xlsx) into a table of text cells.

    ``keys`` are the field names of a raw export (none for a labels export, with a warning
    saying so). Rows with no data on their event are left out unless ``keep_empty_rows``;
    ``events`` (names as the file writes them, e.g. ``baseline_arm_1`` or, in a labels
    export, ``Baseline (Arm 1: Intervention)``) keeps only those events' rows. ``fields``
    (the columns the mapping reads, by header) narrows "no data" to those columns: a row
    where all of them are empty is left out, whatever other forms it has data for.
    """
    grid = read_grid(data, file)
    if not grid.rows:
        return ImportedTable(header=(), rows=(), problems=grid.problems)
    header = tuple(h.strip() for h in grid.rows[0])
    # A raw export's headers are all field names; a column without one (inserted in a
    # spreadsheet) does not make it a labels export.
    raw = any(header) and all(_FIELD_NAME.fullmatch(h) for h in header if h)
    rows = body(header, grid.rows[1:], grid.lines[1:], file)
    problems: list[Problem] = [*grid.problems, *rows.problems]
    if raw:
        problems += duplicates(header, file, "field", Severity.ERROR)
    else:
        problems.append(
            problem(
                file,
                "no-field-names",
                "the headers are REDCap's field labels, so the columns have no field names; "
                "map them by their label, or export again as 'raw data' to map by field name",
                Severity.WARNING,
            )
        )
        problems += duplicates(header, file, "header", Severity.WARNING)
    kept = list(zip(rows.rows, rows.lines, strict=True))
    if events is not None:
        event_column = "redcap_event_name" if raw else SYSTEM_COLUMNS["redcap_event_name"]
        if event_column not in header:
            problems.append(
                problem(
                    file,
                    "no-events",
                    f"events were asked for, but the file has no {event_column!r} column "
                    "(it is not a longitudinal export)",
                )
            )
        else:
            where = header.index(event_column)
            present = {row[where] for row, _ in kept}
            problems += [
                problem(
                    file,
                    "unknown-event",
                    f"no row of the event {event!r}; the file's events: "
                    f"{', '.join(sorted(present)) or 'none'}",
                    Severity.WARNING,
                )
                for event in events
                if event not in present
            ]
            kept = [(row, line) for row, line in kept if row[where] in events]
    if fields is not None:
        unknown = sorted(set(fields) - set(header))
        if unknown:
            problems.append(
                problem(file, "unknown-field", f"no column {', '.join(map(repr, unknown))}")
            )
    if not keep_empty_rows:
        data_columns = [
            (index, _is_checkbox(name, raw))
            for index, name in enumerate(header)
            if index > 0 and (name in fields if fields is not None else _is_data(name, raw))
        ]
        kept = [
            (row, line)
            for row, line in kept
            if any(
                row[index].strip() and not (checkbox and row[index].strip() in _UNCHECKED)
                for index, checkbox in data_columns
            )
        ]
    if raw:
        header, kept = _with_checkbox_answers(header, kept)
    return ImportedTable(
        header=header,
        keys=header if raw else (),
        rows=[row for row, _ in kept],
        lines=[line for _, line in kept],
        problems=problems,
    )
