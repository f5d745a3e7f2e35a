"""Hostile files give a problem quickly: never a traceback, a hang or code execution."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mio_core import validate_workspace
from mio_core.cli import main
from mio_core.problems import MAX_MESSAGE

from ..helpers import snapshot

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8)
)

HOSTILE = {
    "empty": (b"", "empty-file"),
    "binary": (bytes(range(256)) * 4, "not-text"),
    "latin-1": ("id: mio\ntitle: Utvärdering\n".encode("latin-1"), "not-utf8"),
    "deep": (b"[" * 20_000 + b"]" * 20_000, "too-deep"),
    "deep-block": ("".join("  " * i + "a:\n" for i in range(200)).encode(), "too-deep"),
    "alias-bomb": (BOMB.encode(), "too-many-aliases"),
    "python-tag": (b"id: !!python/object/apply:os.system ['touch pwned']\n", "unsafe-tag"),
    "python-name": (b"id: !!python/name:os.system\n", "unsafe-tag"),
    "two-documents": (b"id: mio\n---\nid: other\n", "many-documents"),
    "duplicate-key": (b"id: mio\nid: other\n", "duplicate-key"),
    "a-list": (b"- one\n- two\n", "wrong-type"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_concept_file_gives_a_located_problem(workspace: Path, name: str) -> None:
    content, code = HOSTILE[name]
    (workspace / "concept.yaml").write_bytes(content)
    problems = validate_workspace(workspace)
    matching = [p for p in problems if p.code == code]
    assert matching, [p.format() for p in problems]
    assert all(p.file == "concept.yaml" for p in matching)
    assert not (workspace / "pwned").exists()
    assert not Path("pwned").exists()


@pytest.mark.parametrize("name", ["deep", "alias-bomb", "python-tag", "binary"])
def test_cli_reports_hostile_file_without_traceback_and_touches_nothing(
    workspace: Path, name: str
) -> None:
    content, code = HOSTILE[name]
    (workspace / "people.yaml").write_bytes(content)
    before = snapshot(workspace)
    result = CliRunner().invoke(main, ["validate", str(workspace)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "people.yaml" in result.output and code in result.output
    assert snapshot(workspace) == before


def test_a_binary_responses_file_is_a_problem(workspace: Path) -> None:
    (workspace / "responses" / "mio-innovation-leadership.pre.csv").write_bytes(
        b"\xff\xfe\x00\x01" * 50
    )
    codes = {p.code for p in validate_workspace(workspace)}
    assert "not-text" in codes or "not-utf8" in codes


def test_an_oversized_csv_field_is_a_problem(workspace: Path) -> None:
    from mio_core.io import Limits, read_workspace

    path = workspace / "responses" / "mio-innovation-leadership.pre.csv"
    path.write_text(path.read_text(encoding="utf-8") + '"' + "x" * 5000 + '"\n', encoding="utf-8")
    result = read_workspace(workspace, Limits(max_csv_field_bytes=1000))
    assert any(
        p.code == "csv-syntax"
        and p.file.endswith(".pre.csv")
        and "a cell is longer than 1,000 characters" in p.message
        for p in result.problems
    )


def test_a_utf16_responses_file_is_asked_to_be_saved_as_utf8(workspace: Path) -> None:
    # Excel's "Unicode text" and some survey tools write UTF-16: text, not binary
    path = workspace / "responses" / "mio-innovation-leadership.pre.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problems = [p for p in validate_workspace(workspace) if p.file and p.file.endswith(".pre.csv")]
    assert [p.code for p in problems] == ["not-utf8"]
    assert "UTF-16" in problems[0].message and "save it as UTF-8" in problems[0].message


def test_a_responses_file_separated_by_semicolons_says_so(workspace: Path) -> None:
    path = workspace / "responses" / "mio-innovation-leadership.pre.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    problems = [p for p in validate_workspace(workspace) if p.file and p.file.endswith(".pre.csv")]
    assert [(p.code, p.line, p.column) for p in problems] == [("csv-header", 1, 1)]
    assert "separated by semicolons" in problems[0].message


def test_a_utf16_yaml_file_is_asked_to_be_saved_as_utf8_without_the_excel_hint(
    workspace: Path,
) -> None:
    path = workspace / "organisations.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problems = [p for p in validate_workspace(workspace) if p.file == "organisations.yaml"]
    assert [p.code for p in problems] == ["not-utf8"]
    assert "UTF-16" in problems[0].message and "Excel" not in problems[0].message


@pytest.mark.parametrize("cache", [False, True])
def test_a_file_given_as_the_workspace_is_named_a_file_not_a_missing_folder(
    tmp_path: Path, cache: bool
) -> None:
    file = tmp_path / "mio.yaml"
    file.write_text("schema: 1\n", encoding="utf-8")
    problems = validate_workspace(file, cache=cache)
    assert [(p.file, p.code, p.message) for p in problems] == [
        (str(file), "not-a-workspace", "a file, not a folder")
    ]


def test_a_huge_value_is_shown_cut_short_in_its_problem(workspace: Path) -> None:
    (workspace / "cohorts" / "huge.yaml").write_text("a" * 1_000_000, encoding="utf-8")
    (problem,) = validate_workspace(workspace)
    assert problem.file == "cohorts/huge.yaml" and problem.code == "wrong-type"
    assert len(problem.message) < 200 and "1,000,000 characters" in problem.message


def test_no_problem_message_is_longer_than_the_limit(workspace: Path) -> None:
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("id: p01\n", f"id: p01{'x' * 100_000}\n", 1), encoding="utf-8")
    problems = validate_workspace(workspace)
    assert any(p.file == "people.yaml" and p.code == "invalid-value" for p in problems)
    assert max(len(p.message) for p in problems) <= MAX_MESSAGE


def test_a_folder_where_a_workspace_file_belongs_is_named_a_folder(workspace: Path) -> None:
    (workspace / "concept.yaml").unlink()
    (workspace / "concept.yaml").mkdir()
    problems = [p for p in validate_workspace(workspace) if p.file == "concept.yaml"]
    assert [(p.code, "is a folder, not a file" in p.message) for p in problems] == [
        ("unreadable", True)
    ]


def test_a_dangling_symbolic_link_for_a_workspace_file_names_where_it_points(
    workspace: Path, tmp_path: Path
) -> None:
    (workspace / "people.yaml").unlink()
    (workspace / "people.yaml").symlink_to(tmp_path / "gone" / "people.yaml")
    problems = [p for p in validate_workspace(workspace) if p.file == "people.yaml"]
    assert len(problems) == 1 and str(tmp_path / "gone" / "people.yaml") in problems[0].message


def test_a_folder_named_like_a_responses_file_is_a_problem_not_skipped(workspace: Path) -> None:
    (workspace / "responses" / "mio-utilisation.pre.csv").mkdir()
    problems = validate_workspace(workspace)
    assert [(p.file, p.code) for p in problems] == [
        ("responses/mio-utilisation.pre.csv", "unreadable")
    ]


def test_a_responses_file_ending_in_upper_case_csv_is_a_problem_not_skipped(
    workspace: Path,
) -> None:
    responses = workspace / "responses"
    (responses / "mio-utilisation.follow-up.6m.csv").rename(
        responses / "mio-utilisation.follow-up.6m.CSV"
    )
    problems = validate_workspace(workspace)
    assert [(p.file, p.code) for p in problems] == [
        ("responses/mio-utilisation.follow-up.6m.CSV", "file-name")
    ]
    assert "rename it mio-utilisation.follow-up.6m.csv" in problems[0].message


def test_a_coaching_file_ending_in_yml_is_a_problem_not_skipped(workspace: Path) -> None:
    coaching = workspace / "coaching"
    (coaching / "ostergotland-2018.yaml").rename(coaching / "ostergotland-2018.yml")
    problems = validate_workspace(workspace)
    assert [(p.file, p.code) for p in problems] == [("coaching/ostergotland-2018.yml", "file-name")]


def test_an_id_with_an_invisible_character_names_it(workspace: Path) -> None:
    people = workspace / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("id: p03\n", "id: p03\u200b\n", 1), encoding="utf-8")
    (problem,) = [p for p in validate_workspace(workspace) if p.file == "people.yaml"]
    assert "U+200B ZERO WIDTH SPACE" in problem.message
