"""Importing survey answers: check everything first, then add them to the responses file.

An importer (built in: ``csv``; plugins add others) turns a survey tool's export into a
table of text cells. This module checks every cell against the workspace and the
instrument — unknown respondents and columns, values off the scale, duplicates, ragged
rows — and reports all problems at once, with row and column. Only a file without errors
is written, atomically, to ``responses/<instrument>.<occasion>.csv``.

A second file for the same instrument and occasion (another cohort's survey) *adds* its
respondents: the rows already in the file keep their exact bytes and order, new rows are
appended. A respondent already in the file with other answers is a conflict — listed with
the cells that differ and refused, unless the caller asks to update them in place; the
same answers again are no change. Replacing the whole file is asked for explicitly and
counts the respondents it drops. The write happens under the workspace lock, on the
responses file as it is then (see :mod:`mio_core.io.lock`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from .audit import record
from .io import layout
from .io.atomic import atomic_open
from .io.lock import workspace_lock
from .io.responses import (
    RawResponses,
    format_cell,
    parse_number,
    render_row,
    split_rows,
    write_responses,
)
from .io.workspace import load_workspace
from .io.yamlio import DEFAULT_LIMITS, Limits
from .model import Instrument, Respondent, Response, Workspace, is_occasion, occasion_module
from .plugins.interfaces import ImportedTable
from .plugins.registry import Registry
from .problems import ConcurrentEditError, MioError, Problem, Severity, WorkspaceError


@attrs.frozen(kw_only=True)
class CellChange:
    """One answer an import changes: the item (or ``date``), the text in the file and the new."""

    item: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class ImportConflict:
    """A respondent of the import who has other answers in the responses file already.

    ``line`` is the respondent's line in the imported file, ``existing_line`` in the
    responses file; ``cells`` are the answers that differ.
    """

    respondent: str
    line: int
    existing_line: int
    cells: tuple[CellChange, ...]

    def describe(self) -> str:
        """Return the differing cells as ``item old → new``, separated by commas."""
        return ", ".join(
            f"{c.item} {c.old or '(empty)'} → {c.new or '(empty)'}" for c in self.cells
        )


@attrs.frozen(kw_only=True)
class ImportReport:
    """What an import did (or, in a dry run, would do) to the responses file.

    ``respondents`` is how many the imported file holds. Of those, ``added`` were new to
    the responses file, ``updated`` replaced other answers (``update=True`` or
    ``replace=True``) and ``unchanged`` were there with the same answers; ``refused`` had
    other answers and were not imported. ``dropped`` counts the respondents a replace
    removed. ``conflicts`` lists every respondent whose answers differed (updated or
    refused). ``fingerprint`` is the SHA-256 of the responses file the import was planned
    against (None if there was none): give it back as ``expected_fingerprint`` (``""`` for
    "no file") to refuse an import when the file changed in between, e.g. while a person
    was asked to confirm a replace.
    """

    file: str
    respondents: int
    items: tuple[str, ...]
    missing_items: tuple[str, ...]
    warnings: tuple[Problem, ...] = ()
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    dropped: int = 0
    conflicts: tuple[ImportConflict, ...] = ()
    added_columns: tuple[str, ...] = ()
    replaced: bool = False
    dry_run: bool = False
    written: bool = False
    fingerprint: str | None = None


class ImportConflictError(WorkspaceError):
    """Respondents of an import have other answers in the responses file already.

    ``conflicts`` lists each with the cells that differ; nothing was written.
    """

    def __init__(self, conflicts: Sequence[ImportConflict], source: str, target: str) -> None:
        self.conflicts = tuple(conflicts)
        count = len(self.conflicts)
        problems = [
            Problem(
                file=source,
                code="conflict",
                message=f"{c.respondent} has other answers in {target} (line {c.existing_line}):"
                f" {c.describe()}",
                line=c.line,
            )
            for c in self.conflicts
        ]
        super().__init__(
            problems,
            summary=f"nothing was imported from {source}: {count} respondent"
            f"{'s' * (count != 1)} already {'have' if count != 1 else 'has'} other answers "
            "in the workspace; give --update (update=True) to replace their answers",
        )


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
    update: bool = False,
    replace: bool = False,
    dry_run: bool = False,
    expected_fingerprint: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ImportReport:
    """Check the survey export ``file`` and add it to the workspace's answers to
    ``instrument`` on ``occasion``; return what was done.

    New respondents are appended to the responses file; the rows already there keep their
    exact text. A respondent already there with the same answers is left alone; with
    other answers it is a conflict: :class:`ImportConflictError` lists every one with the
    cells that differ and nothing is written, unless ``update`` is True (their answers
    are replaced where they stand). ``replace=True`` replaces the whole file instead (the
    report counts the respondents dropped). ``dry_run=True`` writes nothing and returns
    what would be done, conflicts included. Items of the import that the responses file
    has no column for are added as columns at its end (older rows get an empty cell).

    Raises :class:`WorkspaceError` listing every problem of the file (nothing is
    written), :class:`~mio_core.io.lock.WorkspaceLockedError` when another process keeps
    the workspace busy, and :class:`ConcurrentEditError` when ``expected_fingerprint`` is
    given and the responses file is no longer the one it was taken from.
    """
    if update and replace:
        raise MioError("give --update or --replace, not both (update=True or replace=True)")
    root = Path(workspace_path)
    source = Path(file)
    ignore_columns = tuple(ignore_columns)
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
    relative = layout.responses_file(instrument, occasion)
    target = root / relative
    table = _read_table(source, registry, importer, limits)

    def plan(workspace: Workspace) -> tuple[ImportReport, str | None, bytes | None]:
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
        existing = _read_existing(target)
        fingerprint = None if existing is None else hashlib.sha256(existing).hexdigest()
        if expected_fingerprint is not None and (fingerprint or "") != expected_fingerprint:
            raise ConcurrentEditError([relative])
        merge = _Merge(
            responses,
            _import_lines(table, respondent_column),
            with_date=date_column in {name.strip() for name in table.header},
            update=update or replace,
        )
        text = merge.replace(existing, relative) if replace else merge.add(existing, relative)
        used = {item for response in responses for item in response.answers}
        report = ImportReport(
            file=relative,
            respondents=len(responses),
            items=tuple(i.id for i in chosen.items if i.id in used),
            missing_items=tuple(i.id for i in chosen.items if i.id not in used),
            warnings=tuple(p for p in problems if p.severity is Severity.WARNING),
            added=merge.added,
            updated=merge.updated,
            unchanged=merge.unchanged,
            refused=merge.refused,
            dropped=merge.dropped,
            conflicts=tuple(merge.conflicts),
            added_columns=tuple(merge.added_columns),
            replaced=replace and existing is not None,
            dry_run=dry_run,
            fingerprint=fingerprint,
        )
        if report.refused and not dry_run:
            raise ImportConflictError(merge.conflicts, str(source), relative)
        return report, text, existing

    report, text, existing = plan(workspace)
    if dry_run or text is None:
        return report
    with workspace_lock(root, "import"):
        # Another writer may have changed the workspace since it was read above: plan again
        # on the files as they are now, so that its changes are kept (and an erased
        # respondent is not brought back).
        if _read_existing(target) != existing or _changed_on_disk(workspace, root):
            report, text, existing = plan(load_workspace(root, limits))
        if text is None:
            return report
        with atomic_open(target, "w", newline="") as stream:
            stream.write(text)
        record(
            root,
            "import",
            [relative],
            {
                "respondents": report.respondents,
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "dropped": report.dropped,
                "replaced": int(report.replaced),
            },
        )
    return attrs.evolve(report, written=True)


def _read_table(source: Path, registry: Registry, importer: str, limits: Limits) -> ImportedTable:
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
    return table


def _import_lines(table: ImportedTable, respondent_column: str) -> dict[str, int]:
    # check_table has made sure the column exists and that each respondent appears once.
    index = [name.strip() for name in table.header].index(respondent_column)
    lines = table.lines or tuple(range(2, len(table.rows) + 2))
    found: dict[str, int] = {}
    for row, line in zip(table.rows, lines, strict=True):
        if len(row) > index:
            found.setdefault(row[index].strip(), line)
    return found


def _read_existing(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def _changed_on_disk(workspace: Workspace, root: Path) -> bool:
    origin = workspace.origin
    if origin is None:
        return True
    for file, fingerprint in origin.fingerprints.items():
        data = _read_existing(root / file)
        if data is None or hashlib.sha256(data).hexdigest() != fingerprint:
            return True
    return False


class _Merge:
    """Merges an import's responses into the text of a responses file, counting as it goes."""

    def __init__(
        self,
        responses: list[Response],
        lines: dict[str, int],
        *,
        with_date: bool,
        update: bool,
    ) -> None:
        self.responses = responses
        self.lines = lines
        self.with_date = with_date
        self.update = update
        self.items = list(dict.fromkeys(i for r in responses for i in r.answers))
        self.added = self.updated = self.unchanged = self.refused = self.dropped = 0
        self.conflicts: list[ImportConflict] = []
        self.added_columns: list[str] = []

    def _new_cells(self, response: Response) -> dict[str, str]:
        cells = {layout.RESPONDENT_COLUMN: response.respondent}
        if self.with_date:
            cells[layout.DATE_COLUMN] = response.date.isoformat() if response.date else ""
        for item in self.items:
            cells[item] = format_cell(response.answers.get(item))
        return cells

    def _conflict(
        self, response: Response, old: dict[str, str], columns: Iterable[str], line: int
    ) -> ImportConflict | None:
        new = self._new_cells(response)
        changes = [
            CellChange(item=column, old=old.get(column, "").strip(), new=new.get(column, ""))
            for column in columns
            if column != layout.RESPONDENT_COLUMN
            and not _same(old.get(column, ""), new.get(column, ""), column)
        ]
        if not changes:
            return None
        return ImportConflict(
            respondent=response.respondent,
            line=self.lines.get(response.respondent, 0),
            existing_line=line,
            cells=tuple(changes),
        )

    def _count(self, conflict: ImportConflict | None) -> None:
        if conflict is None:
            self.unchanged += 1
            return
        self.conflicts.append(conflict)
        if self.update:
            self.updated += 1
        else:
            self.refused += 1

    def add(self, existing: bytes | None, file: str) -> str | None:
        """Return the responses file with the import added (None: nothing to change)."""
        raw = _split(existing, file)
        if raw is None:
            self.added = len(self.responses)
            return _fresh(self.responses)
        columns = list(raw.columns)
        wanted = [*([layout.DATE_COLUMN] if self.with_date else []), *self.items]
        self.added_columns = [column for column in wanted if column not in columns]
        columns += self.added_columns
        newline = raw.newline
        pieces = [raw.bom + _extend(raw.header.text, self.added_columns)]
        rows: dict[str, int] = {}
        for row in raw.rows:
            if any(cell.strip() for cell in row.cells):
                rows.setdefault(row.cells[0].strip(), len(pieces))
                pieces.append(_extend(row.text, [""] * len(self.added_columns)))
            else:
                pieces.append(row.text)
        by_piece = {index: raw.rows[index - 1] for index in rows.values()}
        changed = False
        for response in self.responses:
            index = rows.get(response.respondent)
            new = self._new_cells(response)
            if index is None:
                self.added += 1
                pieces.append(render_row([new.get(c, "") for c in columns], newline))
                changed = True
                continue
            row = by_piece[index]
            old = dict(zip(raw.columns, row.cells, strict=False))
            conflict = self._conflict(response, old, new, row.line)
            self._count(conflict)
            if conflict is not None and self.update:
                cells = {**old, **new}
                ending = row.text[len(row.text.rstrip("\r\n")) :]
                pieces[index] = render_row([cells.get(c, "") for c in columns], ending)
                changed = True
        if not changed:
            return None
        for index in range(len(pieces) - 1):
            if not pieces[index].endswith(("\n", "\r")):
                pieces[index] += newline
        return "".join(pieces)

    def replace(self, existing: bytes | None, file: str) -> str | None:
        """Return the import as the whole responses file (None: the file is that already)."""
        text = _fresh(self.responses)
        raw = _split(existing, file)
        if raw is None:
            self.added = len(self.responses)
            return text
        old_rows = {
            row.cells[0].strip(): row for row in raw.rows if any(c.strip() for c in row.cells)
        }
        columns = list(dict.fromkeys([*raw.columns, *self._new_cells(self.responses[0])]))
        for response in self.responses:
            row = old_rows.pop(response.respondent, None)
            if row is None:
                self.added += 1
                continue
            old = dict(zip(raw.columns, row.cells, strict=False))
            self._count(self._conflict(response, old, columns, row.line))
        self.dropped = len(old_rows)
        return None if existing == text.encode("utf-8") else text


def _split(existing: bytes | None, file: str) -> RawResponses | None:
    if existing is None:
        return None
    try:
        return split_rows(existing.decode("utf-8"))
    except (UnicodeDecodeError, csv.Error) as exc:
        # The workspace was loaded without errors, so this file changed under our feet.
        raise WorkspaceError(
            [Problem(file=file, code="unreadable", message=f"cannot read the file: {exc}")]
        ) from None


def _fresh(responses: list[Response]) -> str:
    buffer = io.StringIO()
    write_responses(responses, buffer)
    return buffer.getvalue()


def _extend(text: str, cells: Sequence[str]) -> str:
    """Return a row's text with ``cells`` (empty, or column names) added at its end, keeping
    the rest as it was."""
    if not cells:
        return text
    body = text.rstrip("\r\n")
    return f"{body},{','.join(cells)}{text[len(body) :]}"


def _same(old: str, new: str, column: str) -> bool:
    old = old.strip()
    if column == layout.DATE_COLUMN or old == new:
        return old == new
    try:
        return parse_number(old) == parse_number(new)
    except ValueError:
        return False
