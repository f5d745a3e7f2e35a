"""A file a merge left with conflict markers is named as such, with the line the conflict
starts on: a programme team keeps its workspace in git, and two coordinators who edit the
same lines get ``<<<<<<<``, ``=======`` and ``>>>>>>>`` in the file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.importing.mapping import read_tokens
from mio_core.io.yamlio import merge_conflict

RESPONSES = "responses/mio-module-evaluation.module.m1.csv"


def _conflict(ours: str, theirs: str, base: str | None = None) -> str:
    middle = f"||||||| base\n{base}" if base is not None else ""
    return f"<<<<<<< HEAD\n{ours}{middle}=======\n{theirs}>>>>>>> 4ef2f4e (import m1)\n"


def _rows_in_conflict(workspace: Path) -> int:
    """Leave two imports' rows in conflict at the end of a responses file; return the line
    of the first marker."""
    path = workspace / RESPONSES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    ours, theirs = lines[-2], lines[-1]
    path.write_text("".join(lines[:-2]) + _conflict(ours, theirs), encoding="utf-8", newline="")
    return len(lines) - 1


def test_conflict_markers_in_a_responses_file_are_named_with_the_line(workspace: Path) -> None:
    line = _rows_in_conflict(workspace)

    problems = m.validate_workspace(workspace)

    assert [(p.file, p.code, p.line) for p in problems] == [(RESPONSES, "merge-conflict", line)]
    assert "<<<<<<<" in problems[0].message


def test_conflict_markers_in_a_yaml_file_are_named_with_the_line(workspace: Path) -> None:
    path = workspace / "cohorts/ostergotland-2017.yaml"
    text = path.read_text(encoding="utf-8")
    place = "  place: Linköping, Campus Valla\n"
    start = text[: text.index(place)].count("\n") + 1
    path.write_text(
        text.replace(place, _conflict(place, "  place: Norrköping\n"), 1), encoding="utf-8"
    )

    problems = m.validate_workspace(workspace)

    assert [(p.file, p.code, p.line) for p in problems] == [
        ("cohorts/ostergotland-2017.yaml", "merge-conflict", start)
    ]


def test_a_diff3_conflict_with_the_base_version_is_named_too() -> None:
    text = "a: 1\n" + _conflict("b: 2\n", "b: 3\n", base="b: 1\n")

    problem = merge_conflict(text.encode(), "mio.yaml")

    assert problem is not None and (problem.code, problem.line) == ("merge-conflict", 2)


def test_every_conflict_in_a_file_is_listed_by_the_line_it_starts_on() -> None:
    text = "x\n" + _conflict("a\n", "b\n") + "y\n" + _conflict("c\r\n", "d\r\n")

    problem = merge_conflict(text.encode(), "people.yaml")

    assert problem is not None and problem.line == 2
    assert "2 unresolved merge conflicts, starting on lines 2, 8" in problem.message


def test_a_line_of_equals_signs_alone_is_no_conflict() -> None:
    text = "text: |\n  Heading\n  =======\n<<<<<<<< eight is not a marker\n"

    assert merge_conflict(text.encode(), "concept.yaml") is None


def test_the_cli_names_the_conflict_and_exits_non_zero(workspace: Path) -> None:
    line = _rows_in_conflict(workspace)

    result = CliRunner().invoke(main, ["validate", str(workspace)])

    assert result.exit_code == 1
    assert f"{RESPONSES}:{line}: merge-conflict: an unresolved merge conflict" in result.output
    assert "Traceback" not in result.output


def test_conflict_markers_in_the_token_list_are_named(tmp_path: Path) -> None:
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports/tokens.csv").write_text(
        "token,participant\n" + _conflict("t1,p01\n", "t1,p02\n"), encoding="utf-8"
    )

    tokens, problems = read_tokens(tmp_path)

    assert tokens == {}
    assert [(p.file, p.code, p.line) for p in problems] == [
        ("imports/tokens.csv", "merge-conflict", 2)
    ]
