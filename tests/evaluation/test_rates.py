"""Attendance and response rates when someone leaves or joins late and the cohort does not
record the day (no ``left:`` or ``joined:``; with the days recorded, see
test_membership.py): they count as any other participant. Checked against counts made here
from the cohort's registers and the answers."""

from __future__ import annotations

import attrs

import mio_core as m
from mio_core.evaluation import EvaluationResult
from mio_core.model import Workspace
from tests.conftest import EXAMPLE

#: p03 leaves the first cohort after m2; p99 joins it late, at m4
LEAVER, JOINER = "p03", "p99"


def _everything_shown(workspace: Workspace) -> Workspace:
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=1)
    return attrs.evolve(workspace, manifest=attrs.evolve(workspace.manifest, privacy=privacy))


def _leaver_and_joiner() -> Workspace:
    workspace = _everything_shown(m.load_workspace(EXAMPLE))
    cohort = workspace.cohorts[0]
    sessions = []
    for session in cohort.sessions:
        attended = [p for p in session.attended if p != LEAVER or session.module in ("m1", "m2")]
        if session.module in ("m4", "m5"):
            attended.append(JOINER)
        sessions.append(attrs.evolve(session, attended=tuple(attended)))
    cohort = attrs.evolve(
        cohort, participants=(*cohort.participants, JOINER), sessions=tuple(sessions)
    )
    joiner = attrs.evolve(workspace.participants[0], id=JOINER, name="Late Joiner", email=None)
    # the leaver gave no answers after m2; the joiner answered the m5 evaluation only
    responses = [
        r
        for r in workspace.responses
        if r.respondent != LEAVER or r.occasion in ("pre", "module:m1", "module:m2")
    ]
    m5 = next(r for r in responses if r.occasion == "module:m5")
    responses.append(attrs.evolve(m5, respondent=JOINER))
    return attrs.evolve(
        workspace,
        participants=(*workspace.participants, joiner),
        cohorts=(cohort, *workspace.cohorts[1:]),
        responses=tuple(responses),
    )


def _counts(workspace: Workspace, module: str) -> tuple[int, int]:
    cohort = workspace.cohorts[0]
    registers = [set(s.attended) for s in cohort.sessions if s.module == module]
    return len(set(cohort.participants).intersection(*registers)), len(cohort.participants)


def _rate(result: EvaluationResult, instrument: str, occasion: str) -> tuple[int, int]:
    cohort = result.response_rates[0].cohort
    found = next(
        r
        for r in result.response_rates
        if (r.instrument, r.occasion, r.cohort) == (instrument, occasion, cohort)
    )
    assert found.expected is not None and found.answered is not None
    return found.answered, found.expected


def test_a_leaver_counts_as_absent_from_the_modules_after_leaving() -> None:
    workspace = _leaver_and_joiner()
    result = m.evaluate(workspace)
    for module in ("m3", "m4", "m5"):
        row = next(
            a
            for a in result.attendance
            if (a.module, a.cohort) == (module, workspace.cohorts[0].id)
        )
        assert (row.attended, row.participants) == _counts(workspace, module)
        assert LEAVER in workspace.cohorts[0].participants  # still expected


def test_a_leaver_counts_as_expected_and_unanswered_after_and_at_follow_up() -> None:
    workspace = _leaver_and_joiner()
    answered = {
        r.respondent
        for r in workspace.responses
        if (r.instrument, r.occasion) == ("mio-innovation-leadership", "post")
    }
    cohort = set(workspace.cohorts[0].participants)
    result = m.evaluate(workspace)
    assert _rate(result, "mio-innovation-leadership", "post") == (
        len(answered & cohort),
        len(cohort),
    )
    assert LEAVER not in answered


def test_a_late_joiner_counts_as_absent_from_the_modules_held_before() -> None:
    workspace = _leaver_and_joiner()
    result = m.evaluate(workspace)
    for module in ("m1", "m2", "m3"):
        row = next(
            a
            for a in result.attendance
            if (a.module, a.cohort) == (module, workspace.cohorts[0].id)
        )
        assert (row.attended, row.participants) == _counts(workspace, module)
        assert row.participants == 13


def test_a_late_joiner_is_expected_to_evaluate_only_the_modules_attended() -> None:
    workspace = _leaver_and_joiner()
    cohort = workspace.cohorts[0]
    result = m.evaluate(workspace)
    for module in ("m1", "m5"):
        came = {p for s in cohort.sessions if s.module == module for p in s.attended}
        expected = came & set(cohort.participants)
        answered = {
            r.respondent
            for r in workspace.responses
            if (r.instrument, r.occasion) == ("mio-module-evaluation", f"module:{module}")
        }
        assert (JOINER in expected) is (module == "m5")
        assert _rate(result, "mio-module-evaluation", f"module:{module}") == (
            len(expected & answered),
            len(expected),
        )
