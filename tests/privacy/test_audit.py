"""The audit log: one line per changing command, with no personal data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.privacy import audit


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


def test_an_audit_log_that_cannot_be_written_says_the_command_was_done(workspace: Path) -> None:
    (workspace / ".mio" / "audit.log").mkdir(parents=True)
    with pytest.raises(m.MioError, match=r"the erase was done, but .* audit log"):
        m.erase_participant(workspace, "p01")
    assert "id: p01\n" not in (workspace / "people.yaml").read_text(encoding="utf-8")
