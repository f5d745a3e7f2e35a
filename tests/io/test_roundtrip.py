"""Load -> save -> load loses nothing, for generated workspaces and for the example."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings

import mio_core as m
from mio_core.io import from_json, load_workspace, read_workspace, save_workspace, to_json
from mio_core.model import Workspace

from ..strategies import workspaces


def canonical(workspace: Workspace) -> Workspace:
    """The same workspace with every collection in a fixed order (files are read sorted)."""
    return attrs.evolve(
        workspace,
        cohorts=sorted(workspace.cohorts, key=lambda c: c.id),
        engagements=sorted(workspace.engagements, key=lambda e: (e.cohort, e.id)),
        projects=sorted(workspace.projects, key=lambda p: (p.cohort or "projects", p.id)),
        instruments=sorted(workspace.instruments, key=lambda i: i.id),
        responses=sorted(
            workspace.responses, key=lambda r: (r.instrument, r.occasion, r.respondent)
        ),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces())
def test_save_then_load_gives_the_same_workspace(workspace: Workspace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        save_workspace(workspace, folder)
        result = read_workspace(folder)
        assert result.problems == (), [p.format() for p in result.problems]
        assert result.workspace is not None
        assert canonical(result.workspace) == canonical(workspace)


@settings(max_examples=40, deadline=None)
@given(workspaces())
def test_json_round_trip(workspace: Workspace) -> None:
    assert from_json(to_json(workspace), Workspace) == workspace


def test_the_example_survives_load_save_load_unchanged(workspace: Path) -> None:
    first = load_workspace(workspace)
    written = save_workspace(first, workspace)
    assert written == []  # nothing changed, nothing rewritten
    assert load_workspace(workspace) == first


def test_saving_over_a_file_changed_on_disk_is_refused(workspace: Path) -> None:
    loaded = load_workspace(workspace)
    people = workspace / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8") + "\n# edited elsewhere\n", encoding="utf-8"
    )
    changed = attrs.evolve(loaded, participants=loaded.participants[1:])
    try:
        save_workspace(changed, workspace)
    except m.ConcurrentEditError as exc:
        assert exc.files == ["people.yaml"]
    else:
        raise AssertionError("the save should have been refused")
    assert people.read_text(encoding="utf-8").endswith("# edited elsewhere\n")
