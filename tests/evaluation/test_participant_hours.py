"""Participant-hours per organisation: held module hours attended plus coaching hours."""

from __future__ import annotations

import datetime as dt

import attrs

import mio_core as m
from mio_core.evaluation import ParticipantHours
from mio_core.model import CoachingEngagement, Cohort, Workspace
from mio_core.model.coaching import CoachingSession
from mio_core.model.cohort import ModuleSession
from tests.conftest import EXAMPLE


def hand_case(min_group_size: int = 2) -> Workspace:
    """One cohort of five Linköping (L) and five Norrköping (N) managers, worked out by hand.

    m1 (7.5 h) held: all of L, N0-N2        → L 37.5 h,  N 22.5 h
    m2 (6.25 h) held: L0, all of N, and x   → L 6.25 h,  N 31.25 h (x is no participant)
    m3 planned, m4 cancelled                → nothing
    coaching: L0 50 + 40 min = 1.5 h; N1 20 min + N2 25 min = 3/4 h
    """
    workspace = m.load_workspace(EXAMPLE)
    by_org = {
        o: sorted(p.id for p in workspace.participants if p.organisation == o)
        for o in ("linkoping", "norrkoping")
    }
    L, N = by_org["linkoping"], by_org["norrkoping"]
    assert len(L) == len(N) == 5
    modules = tuple(
        attrs.evolve(mod, hours={"m1": 7.5, "m2": 6.25}.get(mod.id, mod.hours))
        for mod in workspace.concept.modules
    )
    day = dt.date(2018, 2, 1)
    cohort = Cohort(
        id="hand",
        concept=workspace.concept.id,
        delivered_by="liu",
        start=day,
        end=dt.date(2018, 12, 1),
        participants=(*L, *N),
        sessions=(
            ModuleSession(module="m1", date=day, attended=(*L, *N[:3])),
            ModuleSession(module="m2", date=day, attended=(L[0], *N, "x")),
            ModuleSession(module="m3", date=day, status="planned"),
            ModuleSession(module="m4", date=day, status="cancelled"),
        ),
    )

    def engagement(person: str, *minutes: int) -> CoachingEngagement:
        sessions = tuple(CoachingSession(date=day, minutes=n) for n in minutes)
        return CoachingEngagement(
            id=f"{person}-c", participant=person, coach="c1", cohort="hand", sessions=sessions
        )

    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=min_group_size)
    return attrs.evolve(
        workspace,
        manifest=attrs.evolve(workspace.manifest, privacy=privacy),
        concept=attrs.evolve(workspace.concept, modules=modules),
        cohorts=(cohort,),
        engagements=(engagement(L[0], 50, 40), engagement(N[1], 20), engagement(N[2], 25)),
        projects=(),
    )


def test_participant_hours_match_the_hand_computed_case() -> None:
    assert m.evaluate(hand_case()).participant_hours == (
        ParticipantHours(
            organisation="all", participants=10, module_hours=97.5, coaching_hours=2.25
        ),
        ParticipantHours(
            organisation="linkoping", participants=5, module_hours=43.75, coaching_hours=1.5
        ),
        ParticipantHours(
            organisation="norrkoping", participants=5, module_hours=53.75, coaching_hours=0.75
        ),
    )


def test_total_hours_are_module_plus_coaching_hours() -> None:
    totals = {h.organisation: h.total_hours for h in m.evaluate(hand_case()).participant_hours}
    assert totals == {"all": 99.75, "linkoping": 45.25, "norrkoping": 54.5}


def test_an_organisation_below_the_minimum_has_no_hours_and_neither_does_its_complement() -> None:
    hours = {h.organisation: h for h in m.evaluate(hand_case(min_group_size=6)).participant_hours}
    assert hours["linkoping"].suppressed == "primary"
    assert hours["linkoping"].module_hours is None and hours["linkoping"].participants is None
    # the total shows; Norrköping is suppressed too (total minus it would reveal Linköping)
    assert hours["all"].total_hours == 99.75
    assert hours["norrkoping"].suppressed == "primary"


def test_participant_hours_appear_in_the_participation_section() -> None:
    workspace = hand_case()
    registry = m.load_registry()
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    table = next(t for t in view.section("participation").tables if t.id == "participant-hours")
    assert [[c.value for c in row.cells] for row in table.rows] == [
        ["all", 10, 97.5, 2.25, 99.75],
        ["Linköpings kommun", 5, 43.75, 1.5, 45.25],
        ["Norrköpings kommun", 5, 53.75, 0.75, 54.5],
    ]


def test_the_tidy_export_has_the_participant_hours_table() -> None:
    from mio_core.export.tables import tables

    source = m.prepare_source(hand_case(), m.load_registry(), identified=True)
    table = next(t for t in tables(source) if t.name == "participant_hours")
    assert [f.name for f in table.fields] == [
        "organisation",
        "participants",
        "module_hours",
        "coaching_hours",
        "total_hours",
        "suppressed",
    ]
    assert list(table.rows(source)) == [
        ("all", 10, 97.5, 2.25, 99.75, None),
        ("linkoping", 5, 43.75, 1.5, 45.25, None),
        ("norrkoping", 5, 53.75, 0.75, 54.5, None),
    ]


def test_a_module_held_as_two_half_days_gives_its_hours_once() -> None:
    """m2 (6.25 h) held as two half-days instead of one day: L0 came to both (6.25 h), N0
    and N1 to one each (3.125 h), so Norrköping has 6.25 h of m2, not 6.25 h per session."""
    workspace = hand_case()
    cohort = workspace.cohorts[0]
    L0, N0, N1 = cohort.participants[0], cohort.participants[5], cohort.participants[6]
    day, next_day = dt.date(2018, 2, 1), dt.date(2018, 2, 2)
    sessions = (
        cohort.sessions[0],
        ModuleSession(module="m2", date=day, attended=(L0, N0)),
        ModuleSession(module="m2", date=next_day, attended=(L0, N1)),
    )
    workspace = attrs.evolve(workspace, cohorts=(attrs.evolve(cohort, sessions=sessions),))
    hours = {h.organisation: h.module_hours for h in m.evaluate(workspace).participant_hours}
    # m1 as in the hand case: L 37.5 h, N 22.5 h
    assert hours == {"all": 37.5 + 22.5 + 12.5, "linkoping": 43.75, "norrkoping": 22.5 + 6.25}


def test_an_organisation_inside_a_cohort_does_not_give_the_rests_coaching_hours() -> None:
    """Ten of a cohort's twelve managers are the whole of Norrköping: the cohort's coaching
    dose (n x mean hours) minus Norrköping's coaching hours would be the other two's."""
    workspace = m.load_workspace(EXAMPLE)
    cohort = next(c for c in workspace.cohorts if c.id == "ostergotland-2018")
    inside = set(cohort.participants[:10])
    participants = tuple(
        attrs.evolve(
            p,
            organisation="norrkoping"
            if p.id in inside
            else ("linkoping" if p.organisation == "norrkoping" else p.organisation),
        )
        for p in workspace.participants
    )
    result = m.evaluate(attrs.evolve(workspace, participants=participants))
    dose = next(
        g
        for g in result.programme
        if (g.instrument, g.measure, g.group) == ("coaching", "hours", cohort.id)
    )
    hours = next(h for h in result.participant_hours if h.organisation == "norrkoping")
    assert hours.participants is None or hours.participants == 10  # the organisation is 10
    shown = dose.summary is not None and hours.coaching_hours is not None
    assert not shown, "12 managers' hours minus 10 managers' hours gives 2 managers' hours"
