"""Who joined a cohort late or left it early (``joined:`` / ``left:``) is expected at the
module days and surveys of their time in the cohort only; the expectations here are counted
by hand from the example's registers, not by the code under test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.model import Cohort
from mio_core.testing import make_registry

REGISTRY = make_registry(builtins=True)
COHORT = "ostergotland-2017"
FILE = Path("cohorts") / f"{COHORT}.yaml"
# ostergotland-2017: p01-p12, start 2017-02-01, end 2017-11-30; module days m1 2017-02-08,
# m2 03-22, m3 05-03, m4 06-14, m5 07-26. p02 came to m2, m4 and m5; p11 to m2, m3, m4, m5.


def _with_membership(workspace: Path, block: str) -> None:
    path = workspace / FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("coaches:\n", block + "coaches:\n", 1), encoding="utf-8")


def _evaluate(workspace: Path, *, cache: bool = False) -> dict[str, object]:
    command = ["evaluate", str(workspace), "--format", "json"]
    result = CliRunner().invoke(main, command, env={"MIO_NO_CACHE": "" if cache else "1"})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _attendance(evaluation: dict[str, object]) -> dict[str, tuple[int, int]]:
    rows = evaluation["attendance"]
    assert isinstance(rows, list)
    return {r["module"]: (r["attended"], r["participants"]) for r in rows if r["cohort"] == COHORT}


def _rate(evaluation: dict[str, object], instrument: str, occasion: str) -> tuple[int, int, int]:
    rows = evaluation["response_rates"]
    assert isinstance(rows, list)
    (row,) = [
        r
        for r in rows
        if (r["instrument"], r["occasion"], r["cohort"]) == (instrument, occasion, COHORT)
    ]
    return row["expected"], row["answered"], row["unexpected"]


def test_a_participant_who_left_is_not_expected_at_the_module_days_after(workspace: Path) -> None:
    before = _attendance(_evaluate(workspace))
    _with_membership(workspace, "left:\n  p11: 2017-08-01\n")  # after m5: no change
    assert _attendance(_evaluate(workspace)) == before
    _with_membership(workspace, "")
    (workspace / FILE).write_text(
        (workspace / FILE)
        .read_text(encoding="utf-8")
        .replace("left:\n  p11: 2017-08-01\n", "left:\n  p01: 2017-05-01\n"),
        encoding="utf-8",
    )
    # p01 attended m1 and m2 (before leaving on 05-01); m3, m4, m5 expect 11, not 12
    after = _attendance(_evaluate(workspace))
    assert after["m1"] == before["m1"] and after["m2"] == before["m2"]
    for module in ("m3", "m4", "m5"):
        assert after[module] == (before[module][0], 11)


def test_a_late_joiner_is_not_expected_at_the_module_days_before(workspace: Path) -> None:
    before = _attendance(_evaluate(workspace))
    _with_membership(workspace, "joined:\n  p02: 2017-03-01\n")  # missed m1 only
    after = _attendance(_evaluate(workspace))
    assert after["m1"] == (before["m1"][0], 11)
    assert {k: v for k, v in after.items() if k != "m1"} == {
        k: v for k, v in before.items() if k != "m1"
    }


def test_a_leaver_is_not_expected_after_the_programme_and_their_answer_is_unexpected(
    workspace: Path,
) -> None:
    instrument = "mio-innovation-leadership"
    expected, answered, unexpected = _rate(_evaluate(workspace), instrument, "post")
    assert unexpected == 0
    _with_membership(workspace, "left:\n  p11: 2017-08-01\n")
    # p11 answered post in the example: now outside the expected, counted as unexpected
    assert _rate(_evaluate(workspace), instrument, "post") == (expected - 1, answered - 1, 1)


def test_a_late_joiner_is_not_expected_before_the_programme(workspace: Path) -> None:
    instrument = "mio-innovation-leadership"
    expected, answered, _ = _rate(_evaluate(workspace), instrument, "pre")
    _with_membership(workspace, "joined:\n  p02: 2017-03-01\n")
    assert _rate(_evaluate(workspace), instrument, "pre") == (expected - 1, answered - 1, 1)
    # and is expected after it, like everyone who stayed
    assert _rate(_evaluate(workspace), instrument, "post")[0] == 12


def test_membership_is_counted_from_the_day_joined_until_the_day_before_leaving() -> None:
    cohort = Cohort(
        id="c",
        concept="mio",
        delivered_by="liu",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 6, 30),
        participants=("a", "b", "c"),
        joined={"b": dt.date(2025, 3, 1)},
        left={"c": dt.date(2025, 4, 1)},
    )
    assert cohort.members_on(dt.date(2025, 2, 28)) == ("a", "c")
    assert cohort.members_on(dt.date(2025, 3, 1)) == ("a", "b", "c")
    assert cohort.members_on(dt.date(2025, 3, 31)) == ("a", "b", "c")
    assert cohort.members_on(dt.date(2025, 4, 1)) == ("a", "b")
    assert cohort.occasion_members("pre") == ("a", "c")
    assert cohort.occasion_members("post") == ("a", "b")
    assert cohort.occasion_members("follow-up:6m") == ("a", "b")
    assert not cohort.member_on("stranger", dt.date(2025, 3, 1))


@pytest.mark.parametrize(
    ("block", "code", "line", "words"),
    [
        # the block goes in at line 22 (before `coaches:`), moving what follows down two
        # lines: p02 in m2's register was line 48, p11 in m5's line 106
        ("joined:\n  p02: 2017-04-01\n", "not-in-cohort", 50, "joined on 2017-04-01"),
        ("left:\n  p11: 2017-07-01\n", "not-in-cohort", 108, "left on 2017-07-01"),
        ("left:\n  p99: 2017-07-01\n", "not-in-cohort", 23, "not among the cohort"),
        ("left:\n  p11: 2018-01-01\n", "date-outside", 23, "outside the cohort's dates"),
        (
            "joined:\n  p11: 2017-09-01\nleft:\n  p11: 2017-08-01\n",
            "date-order",
            25,
            "not after they joined",
        ),
    ],
)
def test_membership_dates_that_do_not_fit_are_named_with_their_line(
    workspace: Path, block: str, code: str, line: int, words: str
) -> None:
    _with_membership(workspace, block)
    problems = [p for p in m.validate_workspace(workspace, REGISTRY) if p.code == code]
    assert len(problems) == 1, problems
    (problem,) = problems
    assert (problem.file, problem.line) == (FILE.as_posix(), line)
    assert words in problem.message


def test_an_erasure_removes_the_person_from_joined_and_left(workspace: Path) -> None:
    _with_membership(workspace, "joined:\n  p02: 2017-03-01\nleft:\n  p11: 2017-08-01\n")
    m.erase_participant(workspace, "p11")
    text = (workspace / FILE).read_text(encoding="utf-8")
    assert "p11" not in text and "p02: 2017-03-01" in text
    assert m.validate_workspace(workspace, REGISTRY) == []


def test_a_pseudonymised_export_keeps_the_dates_under_the_pseudonyms(
    workspace: Path, tmp_path: Path
) -> None:
    _with_membership(workspace, "joined:\n  p02: 2017-03-01\n")
    out = tmp_path / "csv"
    result = CliRunner().invoke(
        main, ["export", str(workspace), "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = (out / "participants.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    joined = [r.split(",") for r in rows[1:] if r.split(",")[header.index("joined")]]
    assert len(joined) == 1 and joined[0][header.index("joined")] == "2017-03-01"
    assert joined[0][0] != "p02"
    assert "p02" not in "\n".join(rows)


def test_an_access_report_gives_the_days_the_person_joined_or_left(workspace: Path) -> None:
    _with_membership(workspace, "left:\n  p11: 2017-08-01\n")
    report = m.access_report(m.load_workspace(workspace), "p11")
    (cohort,) = [c for c in report["cohorts"] if c["cohort"] == COHORT]
    assert cohort["left"] == dt.date(2017, 8, 1) and "joined" not in cohort


def test_the_dates_read_through_the_cache_give_the_same_evaluation(workspace: Path) -> None:
    _with_membership(workspace, "joined:\n  p02: 2017-03-01\nleft:\n  p11: 2017-08-01\n")
    uncached = _evaluate(workspace)
    assert _evaluate(workspace, cache=True) == uncached  # cold: the cache is written
    assert (workspace / ".mio" / "cache").is_dir()
    assert _evaluate(workspace, cache=True) == uncached  # warm: read from it
    assert _rate(uncached, "mio-innovation-leadership", "post")[0] == 11
