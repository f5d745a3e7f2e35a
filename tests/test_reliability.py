"""Nothing lost, nothing leaked: crash-safe writes, erasure, audit log, misbehaving plugins."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.model import Workspace
from mio_core.privacy import audit
from mio_core.testing import make_registry

from .conftest import snapshot

REGISTRY = make_registry(builtins=True)


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith((".tmp", ".old"))]


@pytest.fixture
def failing_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename fails, as if the machine died between writing and renaming."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)


def test_a_failed_save_leaves_every_file_as_it_was(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = m.load_workspace(workspace)
    changed = attrs.evolve(loaded, participants=loaded.participants[1:])
    before = snapshot(workspace)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        m.save_workspace(changed, workspace)
    assert snapshot(workspace) == before
    assert temporaries(workspace) == []


def test_a_failed_import_leaves_the_old_answers(
    workspace: Path, tmp_path: Path, failing_rename: None
) -> None:
    export = tmp_path / "survey.csv"
    export.write_text("respondent,ops1\np01,4\n", encoding="utf-8")
    before = snapshot(workspace)
    with pytest.raises(OSError):
        m.import_responses(
            workspace, export, "mio-utilisation", "follow-up:6m", REGISTRY, replace=True
        )
    assert snapshot(workspace) == before
    assert temporaries(workspace) == []


def test_a_failed_export_leaves_no_file(
    workspace: Path, tmp_path: Path, failing_rename: None
) -> None:
    source = m.prepare_source(m.load_workspace(workspace), REGISTRY, identified=True)
    out = tmp_path / "out"
    out.mkdir()
    for name in ("json", "csv"):
        with pytest.raises(OSError):
            m.run_export(REGISTRY.exporter(name), source, out / f"export-{name}")
    assert list(out.iterdir()) == []


def test_a_failed_erasure_erases_nothing(workspace: Path, failing_rename: None) -> None:
    before = snapshot(workspace)
    with pytest.raises(OSError):
        m.erase_participant(workspace, "p03")
    assert snapshot(workspace) == before


# -- erasure ---------------------------------------------------------------------------


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


def test_erasing_someone_who_is_not_a_participant_is_refused(workspace: Path) -> None:
    before = snapshot(workspace)
    for person, message in (("p99", "no participant 'p99'"), ("c1", "is a coach")):
        result = CliRunner().invoke(main, ["erase", str(workspace), person, "--yes"])
        assert result.exit_code == 1 and message in result.output
    assert snapshot(workspace) == before


# -- audit log -------------------------------------------------------------------------


def test_every_changing_command_appends_one_line_without_personal_data(
    workspace: Path, tmp_path: Path
) -> None:
    names = {p.name for p in m.load_workspace(workspace).participants}
    runner = CliRunner()
    new = tmp_path / "new"
    assert runner.invoke(main, ["init", str(new)]).exit_code == 0
    assert [e["command"] for e in audit.read(new)] == ["init"]
    survey = tmp_path / "survey.csv"
    survey.write_text("respondent,ops1\np01,4\np02,5\n", encoding="utf-8")
    commands = [
        [
            "import",
            str(workspace),
            str(survey),
            "--instrument",
            "mio-utilisation",
            "--occasion",
            "follow-up:6m",
            "--replace",
            "--yes",
        ],
        ["validate", str(workspace)],
        ["evaluate", str(workspace)],
        ["erase", str(workspace), "p05", "--yes"],
    ]
    for command in commands:
        assert runner.invoke(main, command).exit_code == 0
    entries = audit.read(workspace)
    assert [e["command"] for e in entries] == ["import", "erase"]
    assert entries[0]["counts"] == {
        "respondents": 2,
        "added": 0,
        "updated": 2,
        "unchanged": 0,
        "dropped": 18,
        "replaced": 1,
    }
    assert entries[0]["files"] == ["responses/mio-utilisation.follow-up.6m.csv"]
    text = (workspace / ".mio" / "audit.log").read_text(encoding="utf-8")
    assert "p05" not in text and "p01" not in text and not any(name in text for name in names)


# -- plugins cannot corrupt data ------------------------------------------------------------


def test_a_rule_cannot_change_the_workspace(workspace: Path) -> None:
    def vandal(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        yield from ()
        workspace.responses[0].answers["rel1"] = 1  # type: ignore[index]

    def vandal_too(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        yield from ()
        workspace.participants[0].name = "Someone else"  # type: ignore[misc]

    import types

    plugin = types.ModuleType("vandal")
    plugin.mio_register_rules = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [
            m.Rule(name="vandal", title="x", check=vandal),
            m.Rule(name="vandal-too", title="y", check=vandal_too),
        ]
    )
    plugin.mio_register_rules.__name__ = "mio_register_rules"
    registry = make_registry(plugin, builtins=True)
    before = snapshot(workspace)
    loaded = m.load_workspace(workspace)
    first = m.evaluate(loaded, registry)
    problems = m.validate_workspace(workspace, registry)
    assert sorted(p.code for p in problems) == ["rule-failed", "rule-failed"]
    assert "vandal" in problems[0].message
    assert m.evaluate(loaded, registry) == first
    assert snapshot(workspace) == before
