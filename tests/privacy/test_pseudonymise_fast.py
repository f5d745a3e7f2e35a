"""pseudonymise, without_free_text and without_text_answers copy records without checking
them again (replace_unchecked): each must make what its plain rule, written with
attrs.evolve, makes."""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mio_core.model import CoachingEngagement, Instrument, ItemKind, Workspace
from mio_core.privacy.pseudonyms import (
    WITHHELD,
    Pseudonymiser,
    pseudonymise,
    without_free_text,
    without_text_answers,
)

from ..helpers import same_values
from ..strategies import workspaces, workspaces_answering_their_instruments


def pseudonymised_by_evolve(workspace: Workspace, pseudonym: Pseudonymiser) -> Workspace:
    """The rule of pseudonymise, every record made again through its checks by evolve."""
    kinds = (
        ("participant", workspace.participants),
        ("coach", workspace.coaches),
        ("facilitator", workspace.facilitators),
    )
    ids = {person.id: pseudonym(kind, person.id) for kind, people in kinds for person in people}

    def new(person_id: str) -> str:
        return ids.get(person_id, person_id)

    def engagement(e: CoachingEngagement) -> CoachingEngagement:
        return attrs.evolve(
            e,
            id=pseudonym("engagement", e.id),
            participant=new(e.participant),
            coach=new(e.coach),
            manager_needs=None,
            organisation_needs=None,
            goals=tuple(attrs.evolve(g, text=g.id) for g in e.goals),
            sessions=tuple(attrs.evolve(s, topics=(), actions=()) for s in e.sessions),
        )

    return attrs.evolve(
        workspace,
        participants=tuple(
            attrs.evolve(p, id=new(p.id), name=new(p.id), email=None, unit=None)
            for p in workspace.participants
        ),
        coaches=tuple(
            attrs.evolve(c, id=new(c.id), name=new(c.id), email=None) for c in workspace.coaches
        ),
        facilitators=tuple(
            attrs.evolve(f, id=new(f.id), name=new(f.id), email=None)
            for f in workspace.facilitators
        ),
        cohorts=tuple(
            attrs.evolve(
                c,
                participants=tuple(map(new, c.participants)),
                joined={new(person): day for person, day in c.joined.items()},
                left={new(person): day for person, day in c.left.items()},
                coaches=tuple(map(new, c.coaches)),
                sessions=tuple(
                    attrs.evolve(
                        s,
                        facilitators=tuple(map(new, s.facilitators)),
                        attended=tuple(map(new, s.attended)),
                    )
                    for s in c.sessions
                ),
            )
            for c in workspace.cohorts
        ),
        engagements=tuple(engagement(e) for e in workspace.engagements),
        projects=tuple(
            attrs.evolve(
                p,
                id=pseudonym("project", p.id),
                owner=None if p.owner is None else new(p.owner),
                unit=None,
            )
            for p in workspace.projects
        ),
        responses=tuple(attrs.evolve(r, respondent=new(r.respondent)) for r in workspace.responses),
        origin=None,
    )


@st.composite
def workspaces_of_people(draw: st.DrawFn) -> Workspace:
    """A generated workspace whose responses, cohorts, engagements and projects name its
    people (generated ids alone seldom meet), so that their pseudonyms are used."""
    workspace = draw(workspaces())
    people = [p.id for p in (*workspace.participants, *workspace.coaches)]
    if not people:
        return workspace
    someone = st.sampled_from(people)
    return attrs.evolve(
        workspace,
        responses=[attrs.evolve(r, respondent=draw(someone)) for r in workspace.responses],
        cohorts=[
            attrs.evolve(
                c,
                participants=draw(st.lists(someone, max_size=3)),
                # who joined late or left early: keyed by people, so that they are renamed
                joined=draw(st.dictionaries(someone, st.just(c.start), max_size=2)),
                left=draw(st.dictionaries(someone, st.just(c.end), max_size=2)),
            )
            for c in workspace.cohorts
        ],
        engagements=[
            attrs.evolve(e, participant=draw(someone), coach=draw(someone))
            for e in workspace.engagements
        ],
        projects=[attrs.evolve(p, owner=draw(st.none() | someone)) for p in workspace.projects],
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces_of_people(), st.binary(min_size=16, max_size=32))
def test_pseudonymise_makes_what_the_rule_by_evolve_makes(workspace: Workspace, key: bytes) -> None:
    pseudonym = Pseudonymiser(key)
    same_values(pseudonymise(workspace, pseudonym), pseudonymised_by_evolve(workspace, pseudonym))


def without_free_text_by_evolve(workspace: Workspace) -> Workspace:
    return attrs.evolve(
        workspace,
        participants=tuple(attrs.evolve(p, unit=None) for p in workspace.participants),
        projects=tuple(
            attrs.evolve(
                p,
                title=p.id,
                challenge=WITHHELD,
                idea=None,
                unit=None,
                history=tuple(attrs.evolve(h, note=None) for h in p.history),
                outcomes=tuple(
                    attrs.evolve(o, description=WITHHELD, evidence=None) for o in p.outcomes
                ),
            )
            for p in workspace.projects
        ),
    )


def without_text_answers_by_evolve(
    workspace: Workspace, instruments: list[Instrument]
) -> Workspace:
    text_items = {
        (i.id, item.id) for i in instruments for item in i.items if item.kind is ItemKind.TEXT
    }
    return attrs.evolve(
        workspace,
        responses=tuple(
            attrs.evolve(
                r,
                answers={k: v for k, v in r.answers.items() if (r.instrument, k) not in text_items},
            )
            for r in workspace.responses
        ),
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces())
def test_without_free_text_makes_what_the_rule_by_evolve_makes(workspace: Workspace) -> None:
    same_values(without_free_text(workspace), without_free_text_by_evolve(workspace))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces_answering_their_instruments())
def test_without_text_answers_makes_what_the_rule_by_evolve_makes(workspace: Workspace) -> None:
    instruments = {i.id: i for i in workspace.instruments}
    same_values(
        without_text_answers(workspace, instruments),
        without_text_answers_by_evolve(workspace, list(workspace.instruments)),
    )
