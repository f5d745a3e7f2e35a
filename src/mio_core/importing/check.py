"""Checking imported responses with the rules ``mio validate`` runs, in the workspace.

The import's responses take the place of the workspace's answers to the same instrument and
occasion (those are merged with them afterwards, row by row, by
:mod:`mio_core.importing.merge`), every registered rule runs over the result, and the
problems about the imported rows are kept, pointed back at the survey file's line and
column. So an answer is accepted or refused for the same reasons whether it was imported or
written by hand into a responses file.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..io.workspace import response_key
from ..model import Location, Origin, Workspace
from ..plugins.registry import Registry
from ..problems import Problem
from ..validate import check_workspace
from .table import ImportedRow, TableResponses

# The file name the imported rows are located in while the rules run: no workspace file can
# have it, so a problem located there is about the import and nothing else.
_IMPORT = "\x00import"


def check_rows(
    table: TableResponses,
    workspace: Workspace,
    registry: Registry,
    instrument: str,
    occasion: str,
) -> list[Problem]:
    """Return the problems every rule of ``registry`` finds in the imported rows of
    ``table``, located at their line and column in ``table.file``.

    The rows are checked as the workspace's answers to ``instrument`` on ``occasion``. A
    respondent in two rows is located at the first of them.
    """
    rows = table.rows
    if not rows:
        return []
    target = (instrument, occasion)
    locations = {
        key: location
        for key, location in (workspace.origin.locations if workspace.origin else {}).items()
        if not (key[0] == "response" and key[1].startswith(f"{instrument}|{occasion}|"))
    }
    by_key: dict[str, ImportedRow] = {}
    for row in rows:
        key = response_key(row.response)
        if key not in by_key:
            by_key[key] = row
            locations[("response", key)] = Location(file=_IMPORT, line=row.line)
    checked = attrs.evolve(
        workspace,
        responses=(
            *(r for r in workspace.responses if (r.instrument, r.occasion) != target),
            *(row.response for row in rows),
        ),
        origin=attrs.evolve(workspace.origin or Origin(root="."), locations=locations),
    )
    found = check_workspace(checked, registry)
    lines = {row.line: row for row in by_key.values()}
    return [_locate(p, table, lines) for p in found if p.file == _IMPORT]


def _locate(problem: Problem, table: TableResponses, lines: dict[int, ImportedRow]) -> Problem:
    """Return a rule's problem about an imported row, pointing at the survey file's cell."""
    row = lines.get(problem.line or 0)
    column = None
    path: Sequence[str | int] = ()
    if row is not None and problem.path:
        name = str(problem.path[0])
        column = row.columns.get(name)
        if column is not None:
            label = table.column_label(column, name)
            path = (label,) if label else ()
    return attrs.evolve(problem, file=table.file, column=column, path=tuple(path))
