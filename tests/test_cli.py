"""The mio command: exit codes, output formats, and that init never overwrites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mio_core.cli import main

from .helpers import snapshot


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_the_example_exits_zero(example: Path) -> None:
    code, output = run("validate", str(example))
    assert code == 0
    assert "valid" in output


def test_validate_prints_file_line_col_code_and_a_count(workspace: Path) -> None:
    path = workspace / "people.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  email:", "  emial:", 1), encoding="utf-8"
    )
    code, output = run("validate", str(workspace))
    assert code == 1
    first = output.splitlines()[0]
    assert first.startswith("people.yaml:")
    _, line, column, rest = first.split(":", 3)
    assert line.isdigit() and column.isdigit()
    assert rest.startswith(" unknown-key: participants[0].emial")
    assert output.splitlines()[-1] == "1 error, 0 warnings"


def test_validate_json(workspace: Path) -> None:
    path = workspace / "people.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  email:", "  emial:", 1), encoding="utf-8"
    )
    code, output = run("validate", str(workspace), "--format", "json")
    assert code == 1
    data = json.loads(output)
    assert data["valid"] is False and data["errors"] == 1
    assert data["problems"][0]["field"] == "participants[0].emial"


def test_a_bad_invocation_exits_two(tmp_path: Path) -> None:
    code, _ = run("validate", str(tmp_path / "missing"))
    assert code == 2
    code, _ = run("validate")
    assert code == 2


def test_init_creates_a_valid_workspace(tmp_path: Path) -> None:
    target = tmp_path / "new"
    code, output = run("init", str(target))
    assert code == 0, output
    assert (target / "concept.yaml").is_file()
    assert run("validate", str(target))[0] == 0


def test_init_refuses_to_overwrite(workspace: Path) -> None:
    before = snapshot(workspace)
    code, output = run("init", str(workspace))
    assert code == 1
    assert "not empty" in output
    assert snapshot(workspace) == before


def test_show_prints_the_overview(example: Path) -> None:
    code, output = run("show", str(example), "--language", "en")
    assert code == 0, output
    for heading in (
        "Cohorts",
        "Participants per organisation",
        "Attendance per module",
        "Coaching hours per participant",
        "Innovation projects per stage",
    ):
        assert heading in output
    assert "Linköpings kommun" in output
    assert "ostergotland-2018" in output


def test_show_on_a_broken_workspace_says_why_without_traceback(workspace: Path) -> None:
    (workspace / "concept.yaml").write_text("id: [", encoding="utf-8")
    code, output = run("show", str(workspace))
    assert code == 1
    assert "concept.yaml:" in output and "Traceback" not in output


BAD_INPUTS = {
    # name: (file, text to replace, replacement, expected code)
    "yaml syntax": ("organisations.yaml", "- id: liu", "- id: [liu", "yaml-syntax"),
    "wrong type": ("concept.yaml", "  hours: 7", "  hours: seven", "wrong-type"),
    "unknown key": ("people.yaml", "  unit:", "  unti:", "unknown-key"),
    "missing field": ("cohorts/ostergotland-2018.yaml", "concept: mio\n", "", "missing-field"),
    "impossible date": (
        "cohorts/ostergotland-2018.yaml",
        "start: 2018-01-15",
        "start: 2018-02-29",
        "invalid-date",
    ),
    "date range": (
        "cohorts/ostergotland-2018.yaml",
        "end: 2018-10-31",
        "end: 2017-10-31",
        "invalid-value",
    ),
    "duplicate id": ("people.yaml", "- id: p05", "- id: p04", "duplicate-id"),
    "dangling reference": (
        "coaching/ostergotland-2018.yaml",
        "coach: c2",
        "coach: c9",
        "unknown-reference",
    ),
    "module not in concept": (
        "cohorts/ostergotland-2018.yaml",
        "- module: m2",
        "- module: m7",
        "unknown-module",
    ),
    "owner not a participant": (
        "projects/ostergotland-2017.yaml",
        "owner: p01",
        "owner: f1",
        "unknown-reference",
    ),
    "unknown respondent": (
        "responses/mio-coaching.post.csv",
        "\np01,",
        "\np01x,",
        "unknown-respondent",
    ),
    "answer off the scale": ("responses/mio-coaching.post.csv", ",4,", ",8,", "off-scale"),
    "not a number": ("responses/mio-utilisation.follow-up.6m.csv", ",4,", ",four,", "not-a-number"),
    "date in a csv": (
        "responses/mio-utilisation.follow-up.6m.csv",
        ",2018-",
        ",20x8-",
        "invalid-date",
    ),
    "ragged row": (
        "responses/mio-innovation-leadership.post.csv",
        "\np01,",
        "\np01,1,",
        "csv-ragged",
    ),
    "missing file": ("people.yaml", None, None, "missing-file"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_one_names_file_and_line_and_touches_nothing(
    workspace: Path, name: str
) -> None:
    file, old, new, code = BAD_INPUTS[name]
    path = workspace / file
    if old is None:
        path.unlink()
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(workspace)
    exit_code, output = run("validate", str(workspace))
    assert exit_code == 1
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if f": {code}" in line]
    assert lines, output
    assert lines[0].startswith(f"{file}:")
    if old is not None:
        assert lines[0].split(":")[1].isdigit()  # a line number
    assert snapshot(workspace) == before


def test_evaluate_prints_results_per_evaluation_level(example: Path) -> None:
    code, output = run("evaluate", str(example), "--language", "en")
    assert code == 0, output
    for heading in (
        "== L1 reaction ==",
        "== L2 learning ==",
        "== L3 application ==",
        "Change (paired)",
        "Cronbach's alpha",
        "Response rates",
        "Goal Attainment Scaling",
    ):
        assert heading in output
    assert "Perceived relevance" in output


def test_evaluate_json_has_aggregates_only(example: Path) -> None:
    code, output = run("evaluate", str(example), "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert {
        "groups",
        "items",
        "reliability",
        "changes",
        "response_rates",
        "coaching",
        "projects_by_stage",
    } <= set(data)
    assert "scores" not in data
    people = (example / "people.yaml").read_text(encoding="utf-8")
    for line in people.splitlines():
        if line.strip().startswith(("name:", "email:", "- id: p")):
            value = line.split(":", 1)[1].strip()
            assert f'"{value}"' not in output, value
    hidden = [g for g in data["groups"] if g["suppressed"]]
    assert hidden and all(g["summary"] is None for g in hidden)


def test_evaluate_on_a_broken_workspace_exits_one(workspace: Path) -> None:
    (workspace / "concept.yaml").write_text("id: [", encoding="utf-8")
    code, output = run("evaluate", str(workspace))
    assert code == 1 and "concept.yaml:" in output and "Traceback" not in output


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate"],
        ["evaluate", "--format", "json"],
        ["show"],
        ["schedule"],
        ["export", "--format", "markdown", "--identified", "--out", "{out}"],
    ],
)
def test_a_language_nothing_is_written_in_is_refused_naming_those_there_are(
    example: Path, tmp_path: Path, command: list[str]
) -> None:
    # `--language se` (for sv) used to give everything in English without a word
    args = [part.replace("{out}", str(tmp_path / "summary.md")) for part in command]
    result = CliRunner().invoke(main, [args[0], str(example), *args[1:], "--language", "se"])
    assert result.exit_code == 2, result.output
    assert "'se'" in result.output and "en, sv" in result.output
    assert not (tmp_path / "summary.md").exists()


def test_a_language_of_the_manifest_is_accepted_though_mio_has_no_words_in_it(
    workspace: Path,
) -> None:
    manifest = workspace / "mio.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "- en\n" in text
    manifest.write_text(text.replace("- en\n", "- en\n- fi\n", 1), encoding="utf-8")
    code, output = run("show", str(workspace), "--language", "fi")
    assert code == 0, output


def test_a_problem_names_its_field_once(workspace: Path) -> None:
    # the rules' messages begin with the item ("rel1: 77 is not on the scale…"), and the
    # printed problem put the field before them again: "off-scale: rel1: rel1: 77 …"
    path = workspace / "responses" / "mio-coaching.post.csv"
    lines = path.read_text(encoding="utf-8").splitlines(True)
    header, first = lines[0].strip().split(","), lines[1].split(",")
    first[header.index("rel1")] = "77"
    path.write_text(lines[0] + ",".join(first) + "".join(lines[2:]), encoding="utf-8")
    code, output = run("validate", str(workspace))
    assert code == 1
    assert ": off-scale: rel1: 77 is not on the scale" in output.splitlines()[0]


def test_a_file_where_mio_keeps_its_folder_is_named_in_the_way(
    workspace: Path, tmp_path: Path
) -> None:
    (workspace / ".mio").write_text("the user's own file\n", encoding="utf-8")
    out = tmp_path / "export"
    result = CliRunner().invoke(
        main, ["export", str(workspace), "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert ".mio is a file where mio needs a folder" in result.output
    assert (workspace / ".mio").read_text(encoding="utf-8") == "the user's own file\n"
