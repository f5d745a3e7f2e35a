"""The example's published figures recomputed from its files alone: the responses read with
the csv module, the cohorts with PyYAML, the arithmetic in Fractions, the statistics module
and SciPy — no mio_core code between the files and the expected numbers (the instruments'
definitions, which are data, excepted). Every group is shown (minimum group size 1)."""

from __future__ import annotations

import csv
import functools
import math
import statistics
from collections import defaultdict
from fractions import Fraction

import attrs
import pytest
import yaml
from scipy import stats as scipy_stats

import mio_core as m
from mio_core.evaluation import EvaluationResult, Summary, all_instruments

from ..helpers import EXAMPLE

Answers = dict[tuple[str, str], dict[str, dict[str, str]]]


@functools.cache
def _evaluated() -> EvaluationResult:
    workspace = m.load_workspace(EXAMPLE)
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=1)
    workspace = attrs.evolve(workspace, manifest=attrs.evolve(workspace.manifest, privacy=privacy))
    return m.evaluate(workspace)


def _answers() -> Answers:
    """(instrument, occasion) -> respondent -> their row, from responses/*.csv."""
    found: Answers = {}
    for path in sorted((EXAMPLE / "responses").glob("*.csv")):
        instrument, occasion = path.stem.split(".", 1)
        kind, _, rest = occasion.partition(".")
        occasion = f"{kind}:{rest}" if rest else kind
        with path.open(encoding="utf-8", newline="") as stream:
            found[(instrument, occasion)] = {
                row["respondent"]: row for row in csv.DictReader(stream)
            }
    return found


def _cohorts() -> list[dict[str, object]]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted(EXAMPLE.glob("cohorts/*.yaml"))
    ]


def _summary(values: list[Fraction]) -> dict[str, object]:
    n = len(values)
    mean = sum(values, Fraction(0)) / n
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (n - 1)
    sd = math.sqrt(variance)
    low, high = scipy_stats.t.interval(0.95, n - 1, loc=float(mean), scale=sd / math.sqrt(n))
    return {
        "n": n,
        "mean": float(mean),
        "sd": sd,
        "median": float(statistics.median(values)),
        "min": float(min(values)),
        "max": float(max(values)),
        "ci_low": float(low),
        "ci_high": float(high),
    }


def _published(result: EvaluationResult, instrument: str, occasion: str, measure: str) -> Summary:
    [found] = [
        g
        for g in result.groups
        if (g.instrument, g.occasion, g.measure, g.group_by)
        == (instrument, occasion, measure, "all")
    ]
    assert found.summary is not None
    return found.summary


def _items() -> list[tuple[str, str, str]]:
    workspace = m.load_workspace(EXAMPLE)
    instruments = all_instruments(workspace, m.load_registry())
    return [
        (instrument, occasion, item.id)
        for (instrument, occasion) in _answers()
        for item in instruments[instrument].items
    ]


@pytest.mark.parametrize(("instrument", "occasion", "item"), _items())
def test_each_items_figures_are_those_of_its_answers(
    instrument: str, occasion: str, item: str
) -> None:
    # an answer on the scale 1-5 counts; empty cells and the missing code 9 do not
    values = [
        Fraction(row[item])
        for row in _answers()[(instrument, occasion)].values()
        if row.get(item) and 1 <= int(row[item]) <= 5
    ]
    summary = _published(_evaluated(), instrument, occasion, item)
    expected = _summary(values)
    # n, mean, median, min and max exactly; sd and the interval to 1e-14 (SciPy takes
    # the float 0.975 for its quantile, a few ulps from the exact one)
    for name in ("n", "mean", "median", "min", "max"):
        assert getattr(summary, name) == expected[name], name
    for name in ("sd", "ci_low", "ci_high"):
        assert getattr(summary, name) == pytest.approx(expected[name], rel=1e-14), name
    assert summary.distribution == tuple((option, values.count(option)) for option in range(1, 6))


def test_attendance_is_who_came_to_every_held_session_of_the_cohorts_participants() -> None:
    result = _evaluated()
    checked = 0
    for cohort in _cohorts():
        members = set(cohort["participants"])  # type: ignore[arg-type]
        registers: dict[str, list[set[str]]] = defaultdict(list)
        for session in cohort["sessions"]:  # type: ignore[attr-defined]
            if session.get("status", "held") == "held":
                registers[session["module"]].append(set(session.get("attended") or []))
        for module, held in registers.items():
            [row] = [a for a in result.attendance if (a.module, a.cohort) == (module, cohort["id"])]
            assert (row.attended, row.participants) == (
                len(members.intersection(*held)),
                len(members),
            )
            checked += 1
    assert checked == 10


def test_response_rates_are_who_answered_of_those_expected() -> None:
    result = _evaluated()
    answers = _answers()
    checked = 0
    for cohort in _cohorts():
        members = set(cohort["participants"])  # type: ignore[arg-type]
        came: dict[str, set[str]] = defaultdict(set)
        for session in cohort["sessions"]:  # type: ignore[attr-defined]
            if session.get("status", "held") == "held":
                came[f"module:{session['module']}"] |= set(session.get("attended") or [])
        for (instrument, occasion), rows in answers.items():
            expected = came[occasion] & members if occasion.startswith("module:") else members
            [row] = [
                r
                for r in result.response_rates
                if (r.instrument, r.occasion, r.cohort) == (instrument, occasion, cohort["id"])
            ]
            assert (row.expected, row.answered) == (len(expected), len(expected & set(rows)))
            checked += 1
    assert checked == 18
