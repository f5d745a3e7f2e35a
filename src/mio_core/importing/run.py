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

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from ..io import layout
from ..io.atomic import atomic_open
from ..io.lock import workspace_lock
from ..io.workspace import load_workspace
from ..io.yamlio import DEFAULT_LIMITS, Limits
from ..model import ItemKind, Workspace, is_occasion, occasion_module
from ..plugins.interfaces import ImportedTable
from ..plugins.output import plugin_output
from ..plugins.registry import Registry
from ..privacy.audit import record
from ..problems import ConcurrentEditError, MioError, Problem, Severity, WorkspaceError
from .check import check_rows
from .mapping import (
    ImportMapping,
    OccasionColumn,
    RespondentMatch,
    apply_mapping,
    load_mapping,
    occasions_in,
    read_tokens,
)
from .merge import ImportConflict, Merge
from .table import TableMapping, read_table


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
    mapping: TableMapping | None = None,
    import_mapping: ImportMapping | None = None,
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

    The cells are read with the syntax of the workspace's own responses files
    (:mod:`mio_core.io.cells`) and the answers checked by the rules ``mio validate`` runs
    (:mod:`mio_core.importing.check`). ``respondent_column``, ``date_column`` and
    ``ignore_columns`` say which columns are which; ``mapping`` (a
    :class:`~mio_core.importing.table.TableMapping`) says it all at once, in their place.
    ``import_mapping`` (an :class:`~mio_core.importing.mapping.ImportMapping`, e.g. from
    :func:`~mio_core.importing.mapping.load_mapping`) says how a survey tool's export maps
    to the instrument instead — its importer, respondent matching, labels and dates — and
    only its rows for ``occasion`` are imported; see :func:`import_mapped` for all of its
    occasions at once.

    Raises :class:`WorkspaceError` listing every problem of the file (nothing is
    written), :class:`~mio_core.io.lock.WorkspaceLockedError` when another process keeps
    the workspace busy, and :class:`ConcurrentEditError` when ``expected_fingerprint`` is
    given and the responses file is no longer the one it was taken from.
    """
    if update and replace:
        raise MioError("give --update or --replace, not both (update=True or replace=True)")
    root = Path(workspace_path)
    source = Path(file)
    if mapping is None:
        mapping = TableMapping(
            respondent_column=respondent_column,
            date_column=date_column,
            ignore_columns=frozenset(ignore_columns),
        )
    workspace = load_workspace(root, limits, registry=registry)
    instruments = registry.instruments_for(workspace)
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
    if not workspace.concept.allows(chosen, occasion):
        raise MioError(f"the instrument {instrument!r} is not made for the occasion {occasion!r}")
    relative = layout.responses_file(instrument, occasion)
    target = root / relative
    mapped_problems: list[Problem] = []
    token_problems: list[Problem] = []
    if import_mapping is None:
        imported = _read_table(source, registry, importer, limits)
        table = read_table(imported, str(source), chosen, occasion, mapping)
    else:
        if import_mapping.instrument != instrument or occasion not in import_mapping.occasions():
            raise MioError(
                f"the mapping is for {import_mapping.instrument} on "
                f"{', '.join(import_mapping.occasions())}, not {instrument} on {occasion}"
            )
        imported = _read_table(source, registry, import_mapping.importer, limits)
        tokens: dict[str, str] = {}
        if import_mapping.respondent.match is RespondentMatch.TOKEN:
            tokens, found = read_tokens(root)
            token_problems.extend(found)
            mapped_problems.extend(found)
        mapped = apply_mapping(
            import_mapping, imported, str(source), chosen, occasion, workspace, tokens
        )
        mapped_problems.extend(mapped.problems)
        table = read_table(mapped.table, str(source), chosen, occasion, mapped.mapping)
    # Any row not complete came with an error, so nothing is written then.
    responses = [row.response for row in table.rows if row.complete]
    # A file the importer could not read (not text, not a workbook, broken CSV) gave no
    # header: what it says is the problem, and "no column 'respondent'" would only follow
    # from it.
    unreadable = not imported.header and any(
        p.severity is Severity.ERROR for p in imported.problems
    )

    def plan(workspace: Workspace) -> tuple[ImportReport, str | None, bytes | None]:
        problems = (
            [*imported.problems, *token_problems]
            if unreadable
            else [
                *imported.problems,
                *mapped_problems,
                # Rows the mapping refused are not there: "no answers" would say nothing more.
                *(p for p in table.problems if not (mapped_problems and p.code == "empty-file")),
                *check_rows(table, workspace, registry, instrument, occasion),
            ]
        )
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            # What the reader warned of about the file (its encoding, its headings) is often
            # why a mapped column was not found: it is told with those errors.
            told = [
                p
                for p in imported.problems
                if p.severity is Severity.WARNING
                and any(e.code == "mapping-column" for e in errors)
            ]
            raise WorkspaceError([*errors, *told], summary=f"nothing was imported from {source}")
        existing = _read_existing(target)
        fingerprint = None if existing is None else hashlib.sha256(existing).hexdigest()
        if expected_fingerprint is not None and (fingerprint or "") != expected_fingerprint:
            raise ConcurrentEditError([relative])
        lines: dict[str, int] = {}
        for row in table.rows:
            lines.setdefault(row.response.respondent, row.line)
        merge = Merge(
            responses,
            lines,
            with_date=table.has_date,
            update=update or replace,
            text_items=(item.id for item in chosen.items if item.kind is ItemKind.TEXT),
        )
        text = merge.replace(existing, relative) if replace else merge.add(existing, relative)
        used = set(table.items)
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
            report, text, existing = plan(load_workspace(root, limits, registry=registry))
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
    try:
        size = source.stat().st_size
        data = source.read_bytes() if size <= limits.max_file_bytes else b""
    except OSError as exc:
        # A path that is missing or a folder is the caller's mistake, named as one.
        raise WorkspaceError(
            [Problem(file=str(source), code="unreadable", message=f"cannot read: {exc.strerror}")],
            f"cannot read the file {source}",
        ) from None
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
    with plugin_output(registry.owner("importers", importer)):
        table = registry.importer(importer).read(data, str(source))
    if not isinstance(table, ImportedTable):
        raise MioError(
            f"the importer {importer!r} returned {type(table).__name__}, not an ImportedTable"
        )
    wrong = _not_text(table)
    if wrong:
        raise MioError(f"the importer {importer!r} returned a table with {wrong}")
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


def _not_text(table: ImportedTable) -> str | None:
    """What in an importer's table is not as :class:`ImportedTable` says (text cells,
    Problems), or None: a plugin's table is checked before anything reads it."""
    # typed as what a plugin may have put there, whatever the fields say
    columns: tuple[tuple[str, tuple[object, ...]], ...] = (
        ("header", table.header),
        ("keys", table.keys),
    )
    rows: tuple[tuple[object, ...], ...] = table.rows
    problems: tuple[object, ...] = table.problems
    for name, values in columns:
        for index, value in enumerate(values):
            if not isinstance(value, str):
                kind = type(value).__name__
                return f"a value of type {kind} in its {name} (column {index + 1}), not text"
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if not isinstance(cell, str):
                kind = type(cell).__name__
                return f"a cell of type {kind} in row {number}, column {index + 1}, not text"
    for problem in problems:
        if not isinstance(problem, Problem):
            return f"a value of type {type(problem).__name__} among its problems, not a Problem"
    return None


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


def import_mapped(
    workspace_path: str | os.PathLike[str],
    file: str | os.PathLike[str],
    mapping: ImportMapping | str,
    registry: Registry,
    *,
    update: bool = False,
    replace: bool = False,
    dry_run: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[ImportReport, ...]:
    """Import the survey export ``file`` as ``mapping`` says; return a report per occasion.

    ``mapping`` is an :class:`~mio_core.importing.mapping.ImportMapping` or the name of
    one in the workspace (``imports/<name>.yaml``). A mapping whose occasion comes from a
    column (REDCap's events, say) imports each of its occasions found in the file. Every
    occasion is checked before any is written: a problem in one writes none.
    """
    root = Path(workspace_path)
    if isinstance(mapping, str):
        mapping = load_mapping(root, mapping, limits)
    occasions = mapping.occasions()
    if isinstance(mapping.occasion, OccasionColumn):
        imported = _read_table(Path(file), registry, mapping.importer, limits)
        present = occasions_in(mapping, imported)
        occasions = tuple(o for o in occasions if o in present) or occasions[:1]

    def run(occasion: str, dry: bool) -> ImportReport:
        return import_responses(
            root,
            file,
            mapping.instrument,
            occasion,
            registry,
            import_mapping=mapping,
            update=update,
            replace=replace,
            dry_run=dry,
            limits=limits,
        )

    problems: list[Problem] = []
    planned: list[ImportReport] = []
    for occasion in occasions:
        try:
            planned.append(run(occasion, True))
        except WorkspaceError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        raise WorkspaceError(problems, summary=f"nothing was imported from {file}")
    if dry_run:
        return tuple(planned)
    return tuple(run(occasion, False) for occasion in occasions)
