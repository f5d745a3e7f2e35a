"""Imports that add: a second survey file for the same instrument and occasion adds its
respondents, keeps the rows already there byte for byte, and refuses changed answers
unless asked to update them."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.importing import ImportConflictError, ImportReport
from mio_core.model import Response
from mio_core.privacy import audit
from mio_core.testing import make_registry

from ..helpers import EXAMPLE, snapshot

INSTRUMENT, OCCASION = "mio-utilisation", "follow-up:6m"
TARGET = "responses/mio-utilisation.follow-up.6m.csv"
HEADER = "respondent,date,ops1,ops2,ops3,proj1,proj2,beyond1,beyond2"
COHORT_A = [
    "p01,2018-05-31,4,5,5,4,4,3,9",
    "p02,2018-05-31,4,5,4,3,3,4,9",
    "p03,2018-05-31,4,3,3,3,4,2,3",
]
COHORT_B = [
    "p13,2019-05-29,3,3,4,4,2,2,1",
    "p12,2019-05-29,5,4,4,,3,3,2",
]


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(builtins=True)


@pytest.fixture
def empty(workspace: Path) -> Path:
    """The example workspace without answers to the utilisation follow-up."""
    (workspace / TARGET).unlink()
    return workspace


def survey(folder: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(
    workspace: Path, file: Path, registry: m.Registry, **options: bool | str | None
) -> ImportReport:
    return m.import_responses(workspace, file, INSTRUMENT, OCCASION, registry, **options)  # type: ignore[arg-type]


def answers(text: str) -> dict[str, dict[str, str]]:
    """Return a responses file as {respondent: {column: cell}}, order and format aside."""
    return {row["respondent"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_second_cohort_is_added_after_the_first_cohorts_rows(
    empty: Path, tmp_path: Path, registry: m.Registry
) -> None:
    run(empty, survey(tmp_path, "a.csv", COHORT_A), registry)
    first = (empty / TARGET).read_bytes()
    report = run(empty, survey(tmp_path, "b.csv", COHORT_B), registry)
    after = (empty / TARGET).read_bytes()
    assert after.startswith(first)
    assert after[len(first) :].decode().splitlines() == COHORT_B
    assert (report.added, report.updated, report.unchanged, report.dropped) == (2, 0, 0, 0)
    assert report.written


def test_rows_already_there_keep_their_bytes_line_endings_and_column_order(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    # A file edited by hand: CRLF, quoted and padded cells, date last, a blank line, and no
    # line ending at the end.
    hand_made = (
        b"respondent,ops1,ops2,ops3,proj1,proj2,beyond1,beyond2,date\r\n"
        b'p01,"4",5,5,4,4,3,9,2018-05-31\r\n\r\n"p02", 3 ,4,4,3,3,4,9,2018-05-31'
    )
    (workspace / TARGET).write_bytes(hand_made)
    run(workspace, survey(tmp_path, "b.csv", COHORT_B), registry)
    after = (workspace / TARGET).read_bytes()
    assert after.startswith(hand_made + b"\r\n")
    assert after[len(hand_made) + 2 :] == (
        b"p13,3,3,4,4,2,2,1,2019-05-29\r\np12,5,4,4,,3,3,2,2019-05-29\r\n"
    )


def test_an_item_the_file_lacks_becomes_a_column_at_the_end(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    (workspace / TARGET).write_text("respondent,ops1\np01,4\n", encoding="utf-8")
    file = survey(tmp_path, "b.csv", ["p13,3,5"], "respondent,ops1,ops2")
    report = run(workspace, file, registry)
    assert (workspace / TARGET).read_text(encoding="utf-8") == (
        "respondent,ops1,ops2\np01,4,\np13,3,5\n"
    )
    assert report.added_columns == ("ops2",)
    assert m.validate_workspace(workspace, registry) == []


def test_a_respondent_with_other_answers_is_a_conflict_listing_the_cells(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    changed = [
        "p01,2018-05-31,4,5,5,4,4,3,9",  # the same as in the file
        "p02,2018-06-01,4,5,4,3,3,4,5",  # date and beyond2 differ
        "p13,2019-05-29,3,3,4,4,2,2,1",  # new
    ]
    before = snapshot(workspace)
    with pytest.raises(ImportConflictError) as caught:
        run(workspace, survey(tmp_path, "b.csv", changed), registry)
    [conflict] = caught.value.conflicts
    assert (conflict.respondent, conflict.line, conflict.existing_line) == ("p02", 3, 3)
    assert [(c.item, c.old, c.new) for c in conflict.cells] == [
        ("date", "2018-05-31", "2018-06-01"),
        ("beyond2", "9", "5"),
    ]
    assert "b.csv:3: conflict: p02 has other answers" in str(caught.value)
    assert snapshot(workspace) == before


def test_update_replaces_a_respondents_answers_where_they_stand(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    before = (workspace / TARGET).read_text(encoding="utf-8").splitlines()
    changed = ["p02,2018-06-01,4,5,4,3,3,4,5", "p13,2019-05-29,3,3,4,4,2,2,1"]
    report = run(workspace, survey(tmp_path, "b.csv", changed), registry, update=True)
    after = (workspace / TARGET).read_text(encoding="utf-8").splitlines()
    assert after == [*before[:2], changed[0], *before[3:], changed[1]]
    assert (report.added, report.updated, report.unchanged) == (1, 1, 0)
    assert report.conflicts[0].respondent == "p02"


def test_update_keeps_the_answers_to_items_the_import_does_not_have(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    run(workspace, survey(tmp_path, "b.csv", ["p02,1"], "respondent,ops1"), registry, update=True)
    rows = answers((workspace / TARGET).read_text(encoding="utf-8"))
    assert rows["p02"] == {**rows["p02"], "ops1": "1", "ops2": "5", "date": "2018-05-31"}


def test_the_same_file_again_changes_nothing(
    empty: Path, tmp_path: Path, registry: m.Registry
) -> None:
    file = survey(tmp_path, "a.csv", COHORT_A)
    run(empty, file, registry)
    before = snapshot(empty)
    report = run(empty, file, registry)
    assert (report.added, report.unchanged, report.written) == (0, 3, False)
    assert snapshot(empty) == before


def test_equal_numbers_written_differently_are_not_a_conflict(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    (workspace / TARGET).write_text("respondent,ops1\np01,4.0\n", encoding="utf-8")
    report = run(workspace, survey(tmp_path, "b.csv", ["p01;4,0"], "respondent;ops1"), registry)
    assert (report.unchanged, report.refused) == (1, 0)


def test_replace_counts_the_respondents_it_drops(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    report = run(
        workspace,
        survey(tmp_path, "b.csv", ["p01,2018-05-31,4,5,5,4,4,3,9", *COHORT_B]),
        registry,
        replace=True,
    )
    assert (report.added, report.unchanged, report.dropped, report.replaced) == (2, 1, 19, True)
    assert set(answers((workspace / TARGET).read_text(encoding="utf-8"))) == {"p01", "p13", "p12"}


def test_dry_run_reports_everything_and_writes_nothing(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    rows = ["p01,2018-05-31,4,5,5,4,4,3,9", "p02,2018-06-01,4,5,4,3,3,4,5", *COHORT_B]
    before = snapshot(workspace)
    report = run(workspace, survey(tmp_path, "b.csv", rows), registry, dry_run=True)
    assert (report.added, report.unchanged, report.refused, report.written) == (2, 1, 1, False)
    assert report.conflicts[0].respondent == "p02"
    assert snapshot(workspace) == before
    assert not (workspace / ".mio").exists()


def test_a_changed_file_is_refused_when_its_fingerprint_is_expected(
    workspace: Path, tmp_path: Path, registry: m.Registry
) -> None:
    file = survey(tmp_path, "b.csv", COHORT_B)
    preview = run(workspace, file, registry, replace=True, dry_run=True)
    with (workspace / TARGET).open("a", encoding="utf-8") as stream:
        stream.write("p05,2018-05-31,1,1,1,1,1,1,1\n")
    before = snapshot(workspace)
    with pytest.raises(m.ConcurrentEditError):
        run(workspace, file, registry, replace=True, expected_fingerprint=preview.fingerprint)
    assert snapshot(workspace) == before


def test_the_audit_log_counts_each_import(
    empty: Path, tmp_path: Path, registry: m.Registry
) -> None:
    run(empty, survey(tmp_path, "a.csv", COHORT_A), registry)
    run(empty, survey(tmp_path, "b.csv", [COHORT_A[0], *COHORT_B]), registry)
    counts = [e["counts"] for e in audit.read(empty) if e["command"] == "import"]
    assert counts[1] == {
        "respondents": 3,
        "added": 2,
        "updated": 0,
        "unchanged": 1,
        "dropped": 0,
        "replaced": 0,
    }


# -- the command ------------------------------------------------------------------------


def cli(workspace: Path, file: Path, *options: str, stdin: str | None = None) -> tuple[int, str]:
    args = ["import", str(workspace), str(file), "--instrument", INSTRUMENT]
    result = CliRunner().invoke(main, [*args, "--occasion", OCCASION, *options], input=stdin)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_the_command_prints_the_counts(workspace: Path, tmp_path: Path) -> None:
    code, output = cli(workspace, survey(tmp_path, "b.csv", [COHORT_A[0], *COHORT_B]))
    assert code == 0, output
    assert "2 added, 0 updated, 1 unchanged" in output


def test_the_command_lists_conflicts_and_exits_1(workspace: Path, tmp_path: Path) -> None:
    code, output = cli(workspace, survey(tmp_path, "b.csv", ["p02,2018-06-01,4,5,4,3,3,4,5"]))
    assert code == 1
    assert "p02 has other answers" in output and "beyond2 9 → 5" in output
    assert "--update" in output


def test_replace_asks_before_dropping_and_stops_on_no(workspace: Path, tmp_path: Path) -> None:
    before = snapshot(workspace)
    code, output = cli(workspace, survey(tmp_path, "b.csv", COHORT_B), "--replace", stdin="n\n")
    assert code == 1
    assert "20 respondents' answers" in output and "dropped" in output
    assert snapshot(workspace) == before


def test_replace_with_yes_does_not_ask(workspace: Path, tmp_path: Path) -> None:
    code, output = cli(workspace, survey(tmp_path, "b.csv", COHORT_B), "--replace", "--yes")
    assert code == 0, output
    assert "Replace" not in output and "20 dropped" in output


def test_the_command_dry_run_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    before = snapshot(workspace)
    code, output = cli(workspace, survey(tmp_path, "b.csv", COHORT_B), "--dry-run")
    assert code == 0, output
    assert "nothing was written" in output.lower() and "2 added" in output
    assert snapshot(workspace) == before


# -- the same answers, however the file is split ---------------------------------------

ALL_ROWS = [
    f"p{n:02d},2018-05-{n:02d},{n % 5 + 1},{n % 3 + 1},{n % 4 + 1},3,{'' if n % 7 else 2},1,9"
    for n in range(1, 21)
]


def parsed(workspace: Path) -> dict[str, Response]:
    return {r.respondent: r for r in m.load_workspace(workspace).responses}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.integers(0, 3), min_size=len(ALL_ROWS), max_size=len(ALL_ROWS)),
    order=st.permutations(range(4)),
)
def test_importing_the_parts_in_any_order_gives_the_same_responses_as_the_whole(
    registry: m.Registry, parts: list[int], order: list[int]
) -> None:
    # Row order in the file is the order of import (appending keeps earlier rows as they
    # are), so the parts give the same *rows* as the whole, not the same sequence: compared
    # as the multiset of lines (all parts have the same columns) and as parsed responses.
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        whole, pieces = folder / "whole", folder / "pieces"
        for target in (whole, pieces):
            # Only what an import reads, so that each example loads quickly.
            unused = shutil.ignore_patterns(".mio", "responses", "coaching", "projects")
            shutil.copytree(EXAMPLE, target, ignore=unused)
        run(whole, survey(folder, "all.csv", ALL_ROWS), registry)
        for part in order:
            rows = [row for row, chosen in zip(ALL_ROWS, parts, strict=True) if chosen == part]
            if rows:
                run(pieces, survey(folder, f"part{part}.csv", rows), registry)
        expected = (whole / TARGET).read_text(encoding="utf-8")
        got = (pieces / TARGET).read_text(encoding="utf-8")
        assert sorted(got.splitlines()) == sorted(expected.splitlines())
        assert parsed(pieces) == parsed(whole)
