"""Importing survey answers: check everything first, then write the responses file once.

An importer (built in: ``csv``; plugins add others) turns a survey tool's export into a
table of text cells. This module checks every cell against the workspace and the
instrument — unknown respondents and columns, values off the scale, duplicates, ragged
rows — and reports all problems at once, with row and column. Only a file without errors
is written, atomically, to ``responses/<instrument>.<occasion>.csv``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import attrs

from .audit import record
from .io import layout
from .io.atomic import atomic_open
from .io.responses import write_responses
from .io.workspace import load_workspace
from .io.yamlio import DEFAULT_LIMITS, Limits
from .model import Instrument, Respondent, Response, Workspace, is_occasion, occasion_module
from .plugins.interfaces import ImportedTable
from .plugins.registry import Registry
from .problems import MioError, Problem, Severity, WorkspaceError


@attrs.frozen(kw_only=True)
class ImportReport:
    """What an import wrote: the file, how many respondents, which items, any warnings."""

    file: str
    respondents: int
    items: tuple[str, ...]
    missing_items: tuple[str, ...]
    warnings: tuple[Problem, ...] = ()


def parse_cell(text: str) -> float | None:
    """Return the number in an imported cell; a decimal comma is allowed ("3,5").

    Empty is None; anything else that is not a number raises ValueError.
    """
    text = text.strip()
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return int(number) if number.is_integer() else number


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return dt.datetime.fromisoformat(text).date()


def _respondents(workspace: Workspace, instrument: Instrument) -> set[str]:
    target = Respondent(instrument.target)
    if target is Respondent.PARTICIPANT:
        return {p.id for p in workspace.participants}
    if target is Respondent.COACH:
        return {c.id for c in workspace.coaches}
    if target is Respondent.FACILITATOR:
        return {f.id for f in workspace.facilitators}
    return {o.id for o in workspace.organisations}


def check_table(
    table: ImportedTable,
    file: str,
    workspace: Workspace,
    instrument: Instrument,
    occasion: str,
    *,
    respondent_column: str = layout.RESPONDENT_COLUMN,
    date_column: str = layout.DATE_COLUMN,
    ignore_columns: Iterable[str] = (),
) -> tuple[list[Response], list[Problem]]:
    """Return the responses in ``table`` and every problem with them (row and column)."""
    problems: list[Problem] = []

    def problem(code: str, message: str, line: int, column: int | None = None) -> None:
        problems.append(Problem(file=file, code=code, message=message, line=line, column=column))

    header = [name.strip() for name in table.header]
    ignored = {name.strip() for name in ignore_columns}
    if respondent_column not in header:
        problem(
            "csv-header",
            f"no column {respondent_column!r} with the respondents' ids; name the column with "
            "--respondent-column",
            1,
        )
        return [], problems
    items = {item.id for item in instrument.items}
    columns: dict[int, str] = {}
    for index, name in enumerate(header):
        if name in (respondent_column, date_column) or name in ignored:
            continue
        if name not in items:
            problem(
                "unknown-item",
                f"the column {name!r} is not an item of {instrument.id} (its items: "
                f"{', '.join(sorted(items))}); leave it out with --ignore-column",
                1,
                index + 1,
            )
        elif name in columns.values():
            problem("csv-header", f"the column {name!r} appears twice", 1, index + 1)
        else:
            columns[index] = name
    respondent_index = header.index(respondent_column)
    date_index = header.index(date_column) if date_column in header else None
    known = _respondents(workspace, instrument)
    first_row: dict[str, int] = {}
    responses = []
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
        respondent = row[respondent_index].strip()
        if respondent not in known:
            problem(
                "unknown-respondent",
                f"{respondent!r} is not a {Respondent(instrument.target).value} in the workspace",
                line,
                respondent_index + 1,
            )
            ok = False
        elif respondent in first_row:
            problem(
                "duplicate-response",
                f"{respondent!r} answered already on line {first_row[respondent]}",
                line,
                respondent_index + 1,
            )
            ok = False
        else:
            first_row[respondent] = line
        date = None
        if date_index is not None and row[date_index].strip():
            try:
                date = _parse_date(row[date_index])
            except ValueError:
                problem("invalid-date", f"{row[date_index]!r} is not a date", line, date_index + 1)
                ok = False
        answers: dict[str, float | None] = {}
        for index, item_id in columns.items():
            cell = row[index]
            try:
                value = parse_cell(cell)
            except ValueError:
                problem("not-a-number", f"{item_id}: {cell!r} is not a number", line, index + 1)
                ok = False
                continue
            item = instrument.item(item_id)
            scale = instrument.scale_of(item) if item is not None else None
            if (
                value is not None
                and scale is not None
                and not scale.is_missing_code(value)
                and (value != int(value) or not scale.min <= value <= scale.max)
            ):
                codes = ", ".join(str(label.value) for label in scale.missing)
                extra = f" or a missing code ({codes})" if codes else ""
                problem(
                    "off-scale",
                    f"{item_id}: {cell.strip()} is not on the scale: a whole number from "
                    f"{scale.min} to {scale.max}{extra}",
                    line,
                    index + 1,
                )
                ok = False
                continue
            answers[item_id] = value
        if ok:
            ordered = {
                i.id: answers.get(i.id) for i in instrument.items if i.id in columns.values()
            }
            responses.append(
                Response(
                    respondent=respondent,
                    instrument=instrument.id,
                    occasion=occasion,
                    date=date,
                    answers=ordered,
                )
            )
    if not responses and not problems:
        problem("empty-file", "the file has a header but no answers", 2)
    return responses, problems


def import_responses(
    workspace_path: str | os.PathLike[str],
    file: str | os.PathLike[str],
    instrument: str,
    occasion: str,
    registry: Registry,
    *,
    importer: str = "csv",
    respondent_column: str = layout.RESPONDENT_COLUMN,
    date_column: str = layout.DATE_COLUMN,
    ignore_columns: Iterable[str] = (),
    replace: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> ImportReport:
    """Check the survey export ``file`` and write it as the workspace's answers to
    ``instrument`` on ``occasion``.

    Raises :class:`WorkspaceError` listing every problem (nothing is written), or
    :class:`MioError` when the responses file exists already and ``replace`` is False.
    """
    root = Path(workspace_path)
    workspace = load_workspace(root, limits)
    instruments = {**registry.instruments, **{i.id: i for i in workspace.instruments}}
    if instrument not in instruments:
        raise MioError(
            f"no instrument {instrument!r}; known: {', '.join(sorted(instruments)) or 'none'}"
        )
    chosen = instruments[instrument]
    if not is_occasion(occasion):
        raise MioError(
            f"{occasion!r} is not an occasion: use pre, post, module:<module-id> or "
            "follow-up:<months>m"
        )
    module = occasion_module(occasion)
    if module is not None and module not in {m.id for m in workspace.concept.modules}:
        raise MioError(f"the concept has no module {module!r}")
    if not chosen.allows(occasion):
        raise MioError(f"the instrument {instrument!r} is not made for the occasion {occasion!r}")
    target = root / layout.responses_file(instrument, occasion)
    replaced = target.exists()
    if replaced and not replace:
        raise MioError(
            f"{target} exists already; give --replace (replace=True) to replace it with this import"
        )
    source = Path(file)
    size = source.stat().st_size
    if size > limits.max_file_bytes:
        raise WorkspaceError(
            [
                Problem(
                    file=str(source),
                    code="file-too-large",
                    message=f"the file has {size:,} bytes; the limit is {limits.max_file_bytes:,}",
                )
            ]
        )
    table = registry.importer(importer).read(source.read_bytes(), source.name)
    if not isinstance(table, ImportedTable):
        raise MioError(
            f"the importer {importer!r} returned {type(table).__name__}, not an ImportedTable"
        )
    if len(table.rows) > limits.max_csv_rows:
        raise WorkspaceError(
            [
                Problem(
                    file=str(source),
                    code="too-many-rows",
                    message=f"more than {limits.max_csv_rows:,} rows",
                )
            ]
        )
    responses, problems = check_table(
        table,
        str(source),
        workspace,
        chosen,
        occasion,
        respondent_column=respondent_column,
        date_column=date_column,
        ignore_columns=ignore_columns,
    )
    problems = [*table.problems, *problems]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise WorkspaceError(errors, summary=f"nothing was imported from {source}")
    with atomic_open(target, "w", newline="") as stream:
        write_responses(responses, stream)
    record(
        root,
        "import",
        [layout.responses_file(instrument, occasion)],
        {"respondents": len(responses), "replaced": int(replaced)},
    )
    used = {item for response in responses for item in response.answers}
    return ImportReport(
        file=layout.responses_file(instrument, occasion),
        respondents=len(responses),
        items=tuple(i.id for i in chosen.items if i.id in used),
        missing_items=tuple(i.id for i in chosen.items if i.id not in used),
        warnings=tuple(p for p in problems if p.severity is Severity.WARNING),
    )
