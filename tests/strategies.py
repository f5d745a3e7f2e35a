"""Hypothesis strategies that build valid model values, for property tests."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import strategies as st

from mio_core.io.cells import number_answer, parse_cell
from mio_core.model import (
    Coach,
    CoachingDesign,
    CoachingEngagement,
    CoachingGoal,
    CoachingSession,
    Cohort,
    Concept,
    EvaluationLevel,
    EvaluationPlan,
    Facilitator,
    Funding,
    Goal,
    GoalKind,
    InnovationProject,
    Instrument,
    Item,
    ItemKind,
    ManagerLevel,
    Manifest,
    Material,
    Module,
    ModuleSession,
    OpsiFacet,
    Option,
    Organisation,
    OrganisationKind,
    Outcome,
    OutcomeLevel,
    Participant,
    Partner,
    PartnerRole,
    PlannedInstrument,
    Privacy,
    Respondent,
    Response,
    ResponseScale,
    ScaleLabel,
    ScoreMethod,
    SessionMode,
    StageChange,
    Subscale,
    Translations,
    Workspace,
    answer_text,
)

slugs = st.from_regex(r"[a-z0-9](?:[a-z0-9_-]{0,10}[a-z0-9])?", fullmatch=True)
plain = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())
texts = st.one_of(plain, st.builds(lambda sv, en: Translations({"sv": sv, "en": en}), plain, plain))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
small = st.integers(min_value=1, max_value=500)


@st.composite
def date_ranges(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    start = draw(dates)
    return start, start + dt.timedelta(days=draw(st.integers(0, 800)))


modules = st.builds(
    Module,
    id=slugs,
    order=small,
    title=texts,
    hours=st.floats(min_value=0.5, max_value=40, allow_nan=False),
    objectives=st.lists(texts, max_size=2),
    themes=st.lists(texts, max_size=2),
    materials=st.lists(st.builds(Material, title=texts, author=st.none() | plain), max_size=1),
    methods=st.lists(texts, max_size=2),
)


@st.composite
def concepts(draw: st.DrawFn) -> Concept:
    funding = None
    if draw(st.booleans()):
        start, end = draw(date_ranges())
        funding = Funding(
            funder=draw(slugs),
            reference=draw(st.none() | plain),
            amount=draw(st.none() | st.integers(0, 10**7)),
            start=start,
            end=end,
        )
    return Concept(
        id=draw(slugs),
        title=draw(texts),
        version=draw(plain),
        purpose=draw(texts),
        target_group=draw(texts),
        goals=draw(
            st.lists(
                st.builds(
                    Goal,
                    id=slugs,
                    kind=st.sampled_from(GoalKind),
                    text=texts,
                    follow_up=st.none() | texts,
                ),
                max_size=3,
            )
        ),
        partners=draw(
            st.lists(
                st.builds(Partner, organisation=slugs, role=st.sampled_from(PartnerRole)),
                max_size=3,
            )
        ),
        funding=funding,
        modules=draw(st.lists(modules, max_size=4)),
        coaching=draw(
            st.none()
            | st.builds(
                CoachingDesign,
                approach=texts,
                principles=st.lists(texts, max_size=2),
                sessions_per_participant=st.integers(0, 10),
                session_minutes=small,
            )
        ),
        evaluation=EvaluationPlan(
            instruments=draw(
                st.lists(
                    st.builds(
                        PlannedInstrument,
                        instrument=slugs,
                        occasions=st.lists(
                            st.sampled_from(["pre", "post", "module:m1", "follow-up:6m"]),
                            min_size=1,
                            max_size=3,
                        ),
                        respondents=st.sampled_from(Respondent),
                    ),
                    max_size=2,
                )
            )
        ),
    )


organisations = st.builds(
    Organisation,
    id=slugs,
    name=plain,
    kind=st.sampled_from(OrganisationKind),
    municipality_code=st.none() | st.from_regex(r"[0-9]{4}", fullmatch=True),
    county_code=st.none() | st.from_regex(r"[0-9]{2}", fullmatch=True),
)
emails = st.none() | st.from_regex(r"[a-z]{1,8}\.[a-z]{1,8}@[a-z]{2,8}\.se", fullmatch=True)
participants = st.builds(
    Participant,
    id=slugs,
    name=plain,
    email=emails,
    organisation=slugs,
    unit=st.none() | plain,
    level=st.sampled_from(ManagerLevel),
    sector=st.none() | slugs,
)


@st.composite
def cohorts(draw: st.DrawFn) -> Cohort:
    start, end = draw(date_ranges())
    members = draw(st.lists(slugs, max_size=4))
    # some of them joined late or left early (any day: the model holds what the file says)
    joined = draw(st.dictionaries(st.sampled_from(members), dates, max_size=2)) if members else {}
    left = draw(st.dictionaries(st.sampled_from(members), dates, max_size=2)) if members else {}
    return Cohort(
        id=draw(slugs),
        concept=draw(slugs),
        title=draw(st.none() | texts),
        delivered_by=draw(slugs),
        start=start,
        end=end,
        participants=members,
        joined=joined,
        left=left,
        coaches=draw(st.lists(slugs, max_size=2)),
        sessions=draw(
            st.lists(
                st.builds(
                    ModuleSession,
                    module=slugs,
                    date=dates,
                    place=st.none() | plain,
                    facilitators=st.lists(slugs, max_size=2),
                    attended=st.lists(slugs, max_size=3),
                ),
                max_size=3,
            )
        ),
    )


gas = st.none() | st.integers(-2, 2)
engagements = st.builds(
    CoachingEngagement,
    id=slugs,
    participant=slugs,
    coach=slugs,
    cohort=slugs,
    manager_needs=st.none() | texts,
    organisation_needs=st.none() | texts,
    goals=st.lists(
        st.builds(
            CoachingGoal,
            id=slugs,
            text=texts,
            weight=st.floats(0.5, 5),
            baseline=gas,
            attainment=gas,
        ),
        max_size=2,
    ),
    sessions=st.lists(
        st.builds(
            CoachingSession,
            date=dates,
            minutes=small,
            mode=st.sampled_from(SessionMode),
            topics=st.lists(texts, max_size=2),
            actions=st.lists(texts, max_size=2),
        ),
        max_size=3,
    ),
)
projects = st.builds(
    InnovationProject,
    id=slugs,
    owner=slugs,
    cohort=st.none() | slugs,
    organisation=slugs,
    unit=st.none() | plain,
    title=texts,
    challenge=texts,
    idea=st.none() | texts,
    facet=st.sampled_from(OpsiFacet),
    stage=slugs,
    history=st.lists(
        st.builds(StageChange, stage=slugs, date=dates, note=st.none() | texts), max_size=3
    ),
    team_size=st.none() | st.integers(0, 50),
    outcomes=st.lists(
        st.builds(
            Outcome,
            description=texts,
            level=st.sampled_from(OutcomeLevel),
            date=st.none() | dates,
            evidence=st.none() | texts,
        ),
        max_size=2,
    ),
)


def _a_valid_option_code(code: str) -> bool:
    """Whether the model takes ``code`` as an option code (a slug like ``00`` or ``1e3``
    reads as a number written another way and is refused)."""
    try:
        Option(code=code, text="x")
    except ValueError:
        return False
    return True


#: Option codes: ids, whole numbers without leading zeros among them.
option_codes = slugs.filter(_a_valid_option_code) | st.integers(0, 99).map(str)

options = st.lists(
    st.builds(Option, code=option_codes, text=texts),
    min_size=1,
    max_size=4,
    unique_by=lambda option: option.code,
)


@st.composite
def other_items(draw: st.DrawFn) -> Item:
    """A text, choice or multi-choice item."""
    kind = draw(st.sampled_from([ItemKind.TEXT, ItemKind.CHOICE, ItemKind.MULTI_CHOICE]))
    chosen = draw(options) if kind is not ItemKind.TEXT else []
    return Item(id=draw(slugs), text=draw(texts), kind=kind, options=chosen)


#: Text answers as a responses file keeps them: not a number, no spaces around, not empty;
#: and not a number written another way (``00``, ``4,0``), which an answer to a scale item
#: or to an item the workspace does not define is read as (the items drawn here are such).
answer_texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
    | st.sampled_from(" ,;\n\"'="),
    min_size=1,
    max_size=30,
).filter(lambda text: parse_cell(text) == text and number_answer(text) == text)


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    low = draw(st.integers(-2, 2))
    high = low + draw(st.integers(1, 9))
    labels = draw(st.lists(st.integers(low, high), unique=True, max_size=3))
    scale = ResponseScale(
        id=draw(slugs),
        min=low,
        max=high,
        labels=[ScaleLabel(value=v, text=draw(texts)) for v in labels],
        missing=[ScaleLabel(value=high + 89, text=draw(texts))] if draw(st.booleans()) else [],
    )
    items = draw(
        st.lists(
            st.builds(Item, id=slugs, text=texts),
            min_size=1,
            max_size=4,
            unique_by=lambda i: i.id,
        )
    )
    ids = [item.id for item in items]
    others = draw(st.lists(other_items(), max_size=3, unique_by=lambda i: i.id))
    items += [item for item in others if item.id not in ids]
    chosen = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    subscale = Subscale(
        id=draw(slugs),
        title=draw(texts),
        items=chosen,
        reverse=draw(st.lists(st.sampled_from(chosen), unique=True)),
        method=draw(st.sampled_from(ScoreMethod)),
        min_answered=draw(st.floats(0.1, 1)),
    )
    return Instrument(
        id=draw(slugs),
        title=draw(texts),
        level=draw(st.sampled_from(EvaluationLevel)),
        occasions=draw(st.lists(st.sampled_from(["pre", "post", "module:*"]), unique=True)),
        scales=[scale],
        items=items,
        subscales=[subscale],
        source=draw(st.none() | texts),
        licence=draw(st.none() | plain),
    )


@st.composite
def response_files(draw: st.DrawFn) -> list[Response]:
    instrument = draw(slugs)
    occasion = draw(st.sampled_from(["pre", "post", "module:m1", "follow-up:12m"]))
    items = draw(
        st.lists(
            slugs.filter(lambda s: s not in ("respondent", "date")),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    values = (
        st.none()
        | st.integers(-5, 99)
        | st.floats(-10, 10, allow_nan=False).map(lambda f: round(f, 3))
        | answer_texts
    )
    with_date = draw(st.booleans())
    return [
        Response(
            respondent=respondent,
            instrument=instrument,
            occasion=occasion,
            date=draw(dates) if with_date else None,
            answers={item: draw(values) for item in items},
        )
        for respondent in draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    ]


@st.composite
def workspaces(draw: st.DrawFn) -> Workspace:
    own = draw(st.lists(instruments(), max_size=2, unique_by=lambda i: i.id))
    files = draw(
        st.lists(
            response_files(), max_size=3, unique_by=lambda rs: (rs[0].instrument, rs[0].occasion)
        )
    )
    return Workspace(
        manifest=Manifest(
            title=draw(texts),
            language=draw(st.sampled_from(["sv", "en"])),
            privacy=Privacy(min_group_size=draw(st.integers(1, 20))),
        ),
        concept=draw(concepts()),
        organisations=draw(st.lists(organisations, max_size=3)),
        participants=draw(st.lists(participants, max_size=3)),
        coaches=draw(
            st.lists(
                st.builds(Coach, id=slugs, name=plain, email=emails, organisation=slugs),
                max_size=2,
            )
        ),
        facilitators=draw(
            st.lists(st.builds(Facilitator, id=slugs, name=plain, organisation=slugs), max_size=2)
        ),
        cohorts=draw(st.lists(cohorts(), max_size=3, unique_by=lambda c: c.id)),
        engagements=draw(st.lists(engagements, max_size=3)),
        projects=draw(st.lists(projects, max_size=3)),
        instruments=own,
        responses=[as_read(response, own) for file in files for response in file],
    )


def as_read(response: Response, instruments: list[Instrument]) -> Response:
    """``response`` as a responses file gives it back: a text item's answer is text (a
    number written there reads as its text), when the workspace defines the instrument."""
    text_items = {
        item.id
        for instrument in instruments
        if instrument.id == response.instrument
        for item in instrument.items
        if item.kind is ItemKind.TEXT
    }
    answers = {
        item: answer_text(value) if item in text_items and value is not None else value
        for item, value in response.answers.items()
    }
    return attrs.evolve(response, answers=answers)


@st.composite
def workspaces_answering_their_instruments(draw: st.DrawFn) -> Workspace:
    """A generated workspace whose responses answer its own instruments' items (generated
    ids alone seldom meet), among them missing-value codes, text, and an item it lacks."""
    workspace = draw(workspaces())
    if not workspace.instruments:
        return workspace
    responses = []
    for response in workspace.responses:
        instrument = draw(st.sampled_from(workspace.instruments))
        codes = [label.value for scale in instrument.scales for label in scale.missing]
        values = st.none() | st.integers(-5, 99) | st.floats(-10, 10) | st.text(max_size=3)
        if codes:
            values |= st.sampled_from(codes)
        items = [item.id for item in instrument.items] + ["not-an-item"]
        answers = {item: draw(values) for item in draw(st.lists(st.sampled_from(items)))}
        responses.append(attrs.evolve(response, instrument=instrument.id, answers=answers))
    return attrs.evolve(workspace, responses=responses)
