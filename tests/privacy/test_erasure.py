"""Erasure (GDPR Art. 17): a participant and everything that identifies them leave the workspace."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.testing import make_registry

from ..helpers import snapshot

REGISTRY = make_registry(builtins=True)


def test_erasure_removes_every_trace_and_leaves_a_valid_workspace(workspace: Path) -> None:
    person = next(p for p in m.load_workspace(workspace).participants if p.id == "p03")
    report = m.erase_participant(workspace, "p03")
    assert report.counts == {
        "participants": 1,
        "attendance_registers": 4,
        "coaching_engagements": 1,
        "projects_anonymised": 1,
        "responses": 7,
    }
    assert any("removed the participant p03" in line for line in report.changes)
    for path in workspace.rglob("*"):
        if path.is_file() and ".mio" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert person.name not in text and str(person.email) not in text, path
            assert "p03" not in text, path
    assert m.validate_workspace(workspace, REGISTRY) == []
    erased = m.load_workspace(workspace)
    assert len(erased.participants) == 23
    assert sum(1 for p in erased.projects if p.owner is None) == 1
    m.evaluate(erased, REGISTRY)  # still evaluates


def test_mio_erase_prints_each_change(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["erase", str(workspace), "p14", "--yes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "people.yaml: removed the participant p14"
    assert any(line.startswith("responses/") and "removed 1 response" in line for line in lines)
    assert lines[-1].startswith("Erased p14:")


def test_declining_the_erasure_says_nothing_was_erased(workspace: Path) -> None:
    before = snapshot(workspace)
    result = CliRunner().invoke(main, ["erase", str(workspace), "p14"], input="n\n")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Nothing was erased; p14 is still in {workspace}."
    assert snapshot(workspace) == before


def test_erasing_someone_who_is_not_a_participant_is_refused(workspace: Path) -> None:
    before = snapshot(workspace)
    for person, message in (("p99", "no participant 'p99'"), ("c1", "is a coach")):
        result = CliRunner().invoke(main, ["erase", str(workspace), person, "--yes"])
        assert result.exit_code == 1 and message in result.output
    assert snapshot(workspace) == before
