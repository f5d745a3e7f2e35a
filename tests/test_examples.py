"""Every example script runs, and what it produced is checked."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import mio_core as m
from mio_core.testing import copy_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(script: str, *args: str | Path, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_define_concept(tmp_path: Path) -> None:
    output = run("define_concept.py", tmp_path / "kinda", cwd=tmp_path)
    assert "wrote" in output and "concept.yaml" in output
    workspace = m.load_workspace(tmp_path / "kinda")
    assert workspace.concept.id == "skolledare-innovation"
    assert [o.municipality_code for o in workspace.organisations] == ["0513"]
    assert m.validate_workspace(tmp_path / "kinda") == []


def test_overview(tmp_path: Path) -> None:
    output = run("overview.py", cwd=tmp_path)
    assert output.startswith("The MIO development concept")
    assert "5 modules, 35 hours" in output and "24 managers" in output
    assert "Linköpings kommun: 5" in output
    assert "delivered by Region Östergötland, regional utveckling" in output


def test_import_evaluate_export(tmp_path: Path) -> None:
    workspace = tmp_path / "mio"
    copy_workspace(EXAMPLES / "mio", workspace)
    survey = tmp_path / "enkät.csv"
    people = [p.id for p in m.load_workspace(workspace).participants][:12]
    rows = ["respondent;Tidsstämpel;ops1;ops2;ops3;proj1;proj2;beyond1;beyond2"]
    rows += [
        f"{pid};2018-05-0{1 + i % 9} 10:00;4;3,0;4;{1 + i % 5};3;2;9"
        for i, pid in enumerate(people)
    ]
    survey.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode())
    output = run("import_evaluate_export.py", workspace, survey, tmp_path / "out", cwd=tmp_path)
    assert "imported 12 respondents" in output
    assert "utilisation, operations: 3.67" in output
    package = tmp_path / "out" / "package"
    answers = list(csv.DictReader((package / "answers.csv").open(encoding="utf-8")))
    assert sum(1 for a in answers if a["instrument"] == "mio-utilisation") == 12 * 7
    assert (tmp_path / "out" / "summary.md").read_text(encoding="utf-8").startswith("# The MIO")


def example_copy(tmp_path: Path) -> Path:
    """A copy of the MIO example: the scripts export, and an export appends to the
    workspace's audit log, which must not land in the repository."""
    workspace = tmp_path / "mio"
    copy_workspace(EXAMPLES / "mio", workspace)
    return workspace


def test_custom_plugin(tmp_path: Path) -> None:
    output = run(
        "custom_plugin.py", example_copy(tmp_path), tmp_path / "sessions.txt", cwd=tmp_path
    )
    assert "manager-wellbeing" in output
    lines = (tmp_path / "sessions.txt").read_text().splitlines()
    assert lines[0].startswith("m1\t2 sessions\t")
    assert len(lines) == 5


def test_county_programme(tmp_path: Path) -> None:
    output = run("county_programme.py", tmp_path, cwd=tmp_path)
    assert "13 municipalities, 520 managers" in output
    report = (tmp_path / "rapport.md").read_text(encoding="utf-8")
    assert "## L2 lärande" in report and "Cronbach" in report  # the report is in Swedish
    html = tmp_path / "rapport.html"
    if "html" in m.load_registry().exporters:
        assert "Upplevd relevans: svar per utbildningsdag" in html.read_text(encoding="utf-8")
    assert m.validate_workspace(tmp_path / "ostergotland") == []


@pytest.mark.parametrize(
    "script",
    ["custom_plugin.py", "define_concept.py", "import_evaluate_export.py", "county_programme.py"],
)
def test_a_script_without_its_arguments_prints_its_usage(script: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usage:") and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_script_refused_by_mio_says_why_without_a_traceback(tmp_path: Path) -> None:
    workspace = example_copy(tmp_path)
    run("custom_plugin.py", workspace, tmp_path / "sessions.txt", cwd=tmp_path)
    again = subprocess.run(
        [sys.executable, str(EXAMPLES / "custom_plugin.py"), workspace, "sessions.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert again.returncode == 1
    assert again.stderr.startswith("error: ") and "already exists" in again.stderr
    assert "Traceback" not in again.stderr
