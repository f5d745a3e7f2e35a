"""Each kind of bad input gives a located problem with a stable code, and nothing else."""

from __future__ import annotations

from pathlib import Path

from mio_core import validate_workspace
from mio_core.problems import Problem


def problems_with(folder: Path, code: str) -> list[Problem]:
    return [p for p in validate_workspace(folder) if p.code == code]


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_the_example_workspace_is_valid(example: Path) -> None:
    assert validate_workspace(example) == []


def test_yaml_syntax_error_names_file_and_line(workspace: Path) -> None:
    replace(workspace / "organisations.yaml", "- id: liu", "- id: [liu")
    [problem] = problems_with(workspace, "yaml-syntax")
    assert problem.file == "organisations.yaml"
    assert problem.line == 3


def test_a_misspelt_key_is_an_error_with_a_suggestion(workspace: Path) -> None:
    replace(workspace / "people.yaml", "  email:", "  emial:")
    [problem] = problems_with(workspace, "unknown-key")
    assert problem.file == "people.yaml"
    assert problem.path == ("participants", 0, "emial")
    assert "did you mean 'email'" in problem.message
    assert problem.line is not None
    line = (workspace / "people.yaml").read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert "emial" in line


def test_wrong_type_is_reported_at_the_field(workspace: Path) -> None:
    replace(workspace / "concept.yaml", "  hours: 7", "  hours: all day")
    [problem] = problems_with(workspace, "wrong-type")
    assert problem.path == ("modules", 0, "hours")
    assert "expected a number" in problem.message


def test_missing_required_field(workspace: Path) -> None:
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "delivered_by: liu\n", "")
    [problem] = problems_with(workspace, "missing-field")
    assert problem.file == "cohorts/ostergotland-2017.yaml"
    assert problem.path == ("delivered_by",)
    assert problem.line == 1


def test_impossible_date(workspace: Path) -> None:
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "end: 2017-11-30", "end: 2017-11-31")
    [problem] = problems_with(workspace, "invalid-date")
    assert problem.path == ("end",)
    assert problem.line == 5


def test_a_date_range_that_ends_before_it_starts(workspace: Path) -> None:
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "end: 2017-11-30", "end: 2016-11-30")
    [problem] = [p for p in validate_workspace(workspace) if p.path == ("end",)]
    assert problem.code == "invalid-value"
    assert "before start" in problem.message


def test_all_problems_are_listed_at_once(workspace: Path) -> None:
    replace(workspace / "people.yaml", "  email:", "  emial:")
    replace(workspace / "concept.yaml", "  hours: 7", "  hours: all day")
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "end: 2017-11-30", "end: 2017-11-31")
    codes = {p.code for p in validate_workspace(workspace)}
    assert {"unknown-key", "wrong-type", "invalid-date"} <= codes


def test_duplicate_ids(workspace: Path) -> None:
    replace(workspace / "people.yaml", "- id: p02", "- id: p01")
    problems = problems_with(workspace, "duplicate-id")
    assert any(p.file == "people.yaml" and "'p01'" in p.message for p in problems)


def test_engagement_for_a_participant_who_does_not_exist(workspace: Path) -> None:
    replace(
        workspace / "coaching" / "ostergotland-2017.yaml", "participant: p03", "participant: p99"
    )
    problems = [p for p in problems_with(workspace, "unknown-reference") if "p99" in p.message]
    assert len(problems) == 1
    assert problems[0].file == "coaching/ostergotland-2017.yaml"
    assert problems[0].path[-1] == "participant"


def test_attendance_for_a_module_not_in_the_concept(workspace: Path) -> None:
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "- module: m3", "- module: m9")
    [problem] = problems_with(workspace, "unknown-module")
    assert problem.path == ("sessions", 2, "module")


def test_an_attendee_outside_the_cohort_is_told_how_to_fix_the_register(
    workspace: Path,
) -> None:
    replace(workspace / "cohorts" / "ostergotland-2017.yaml", "- p01\n", "", count=1)
    [problem] = [
        p
        for p in problems_with(workspace, "not-in-cohort")
        if p.path == ("sessions", 0, "attended", 0)
    ]
    assert "add them to the cohort's participants" in problem.message
    assert "remove them from this register" in problem.message


def test_project_owner_who_is_not_a_participant(workspace: Path) -> None:
    replace(workspace / "projects" / "ostergotland-2018.yaml", "owner: p13", "owner: c1")
    problems = [p for p in problems_with(workspace, "unknown-reference") if p.path[-1] == "owner"]
    assert [p.file for p in problems] == ["projects/ostergotland-2018.yaml"]


def test_a_stage_outside_the_lifecycle(workspace: Path) -> None:
    text = (workspace / "projects" / "ostergotland-2017.yaml").read_text(encoding="utf-8")
    stage = text.split("  stage: ", 1)[1].split("\n", 1)[0]
    replace(
        workspace / "projects" / "ostergotland-2017.yaml",
        f"  stage: {stage}\n",
        "  stage: launch\n",
    )
    codes = {p.code for p in validate_workspace(workspace)}
    assert "unknown-stage" in codes


def test_municipality_code_must_be_a_real_scb_code(workspace: Path) -> None:
    replace(
        workspace / "organisations.yaml", "municipality_code: '0562'", "municipality_code: '0599'"
    )
    [problem] = problems_with(workspace, "unknown-code")
    assert problem.path[-1] == "municipality_code"


def test_an_unquoted_code_that_yaml_reads_as_octal_is_caught(workspace: Path) -> None:
    replace(
        workspace / "organisations.yaml", "municipality_code: '0562'", "municipality_code: 0114"
    )
    [problem] = problems_with(workspace, "wrong-type")
    assert "quotes" in problem.message


def test_answers_off_the_scale_and_not_numbers(workspace: Path) -> None:
    path = workspace / "responses" / "mio-module-evaluation.module.m1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2], cells[3] = "7", "many"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate_workspace(workspace)
    [not_number] = [p for p in problems if p.code == "not-a-number"]
    assert (not_number.file, not_number.line, not_number.column) == (
        "responses/mio-module-evaluation.module.m1.csv",
        2,
        4,
    )


def test_answer_off_the_scale_is_located_by_row_and_column(workspace: Path) -> None:
    path = workspace / "responses" / "mio-module-evaluation.module.m1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[2] = "6"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems_with(workspace, "off-scale")
    assert (problem.line, problem.column) == (4, 3)


def test_unknown_respondents_items_duplicates_and_ragged_rows(workspace: Path) -> None:
    path = workspace / "responses" / "mio-innovation-leadership.pre.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0] + ",extra"
    rows = [row + "," for row in lines[1:]]
    rows.append(rows[0])  # the same respondent twice
    rows.append("p98" + rows[1][3:])  # nobody called p98
    rows.append("p01,2017-02-01,1,2")  # too few fields
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    codes = {p.code for p in validate_workspace(workspace)}
    assert {"unknown-item", "duplicate-response", "unknown-respondent", "csv-ragged"} <= codes


def test_a_broken_entity_does_not_cause_knock_on_reference_errors(workspace: Path) -> None:
    replace(workspace / "people.yaml", "  level: first-line", "  level: Chief Manager", count=1)
    problems = validate_workspace(workspace)
    assert [p.code for p in problems] == ["invalid-value"]


def test_a_text_answer_with_a_bidi_override_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    from mio_core.testing import copy_workspace

    root = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"
    folder = copy_workspace(root, tmp_path / "ws")
    answers = folder / "responses" / "ltn-team-climate.post.csv"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(
        text.replace("Measure falls every week", "Measure \u202efalls every week"), "utf-8"
    )
    [found] = [p for p in validate_workspace(folder) if p.code == "control-character"]
    assert found.file == "responses/ltn-team-climate.post.csv"
    assert found.line == 2 and found.severity == "warning"
    assert "U+202E" in found.message
