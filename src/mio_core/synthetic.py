"""Synthetic programmes: complete, valid, realistic workspaces for examples, tests and benchmarks.

Real Swedish municipality names and SCB codes; managers at different levels and sectors;
cohorts delivered by each county's regional intermediary; attendance with absences;
coaching dose that varies; projects that advance through the OPSI lifecycle at different
speeds; answers with item correlation, a modest pre/post improvement, missing answers and
non-response. The same seed always gives the same workspace. No real person's name: names
are random pairs of common Swedish first names and surnames.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from . import data
from . import model as m
from .builtin.lifecycles import OPSI
from .io import layout
from .io.converter import structure
from .io.yamlio import parse_yaml

T = m.Translations

FIRST_NAMES = (
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kristina",
    "Johanna",
    "Sofia",
    "Elin",
    "Ida",
    "Helena",
    "Camilla",
    "Linnea",
    "Malin",
    "Hanna",
    "Jenny",
    "Frida",
    "Ulrika",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Jonas",
    "Fredrik",
    "Henrik",
    "Magnus",
    "Daniel",
    "Peter",
    "Mattias",
    "Oskar",
    "Niklas",
    "Viktor",
    "Ahmed",
    "Fatima",
    "Amir",
    "Leila",
    "Yasmin",
    "Omar",
    "Dragana",
    "Milan",
    "Aino",
    "Juha",
)
SURNAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Håkansson",
    "Lundin",
    "Björk",
    "Bergman",
    "Holm",
    "Samuelsson",
    "Fransson",
    "Wikström",
    "Isaksson",
    "Nyström",
    "Holmberg",
    "Arvidsson",
    "Löfgren",
    "Söderberg",
    "Nyberg",
    "Hassan",
    "Ali",
    "Mohammed",
    "Yilmaz",
    "Kovačević",
    "Virtanen",
)
SECTORS = {
    "elder-care": ("Hemtjänst", "Äldreboende", "Korttidsboende", "Dagverksamhet"),
    "education": ("Förskola", "Grundskola", "Fritidshem", "Gymnasieskola"),
    "social-care": ("Gruppbostad", "Försörjningsstöd", "Boendestöd", "Familjeomsorg"),
    "culture-leisure": ("Bibliotek", "Fritidsgård", "Kulturskola", "Idrottsanläggningar"),
    "technical-services": ("Bygglov", "Gata och park", "VA-enheten", "Fastighetsförvaltning"),
    "administration": ("Kundcenter", "HR-enheten", "Ekonomienheten", "Upphandling"),
}
#: Roughly how municipal managers are spread over sectors (elder care and schools dominate).
SECTOR_WEIGHTS = (30, 28, 18, 8, 9, 7)
PLACES = ("Centrum", "Norra", "Södra", "Östra", "Västra", "Strand", "Berga", "Ekdal", "Solbacken")
CHALLENGES = (
    (
        T({"sv": "Digital biblioteksfilial", "en": "A digital library branch"}),
        T({"sv": "Korta öppettider på en filial.", "en": "Short opening hours at a branch."}),
    ),
    (
        T({"sv": "Välfärdsteknik i gruppbostad", "en": "Welfare technology in supported housing"}),
        T(
            {
                "sv": "Nattillsyn stör de boendes sömn.",
                "en": "Night checks disturb the residents' sleep.",
            }
        ),
    ),
    (
        T({"sv": "Snabbare bygglov", "en": "A faster building-permit process"}),
        T({"sv": "Lång handläggningstid.", "en": "Long handling times."}),
    ),
    (
        T({"sv": "Medarbetarnas idétavla", "en": "The employees' idea board"}),
        T({"sv": "Idéer försvinner i vardagen.", "en": "Ideas get lost in everyday work."}),
    ),
    (
        T({"sv": "Trygg hemgång", "en": "Safe return home"}),
        T({"sv": "Otrygghet efter sjukhusvistelse.", "en": "Insecurity after a hospital stay."}),
    ),
    (
        T({"sv": "Digitala föräldramöten", "en": "Digital parent meetings"}),
        T({"sv": "Få föräldrar kommer till mötena.", "en": "Few parents come to the meetings."}),
    ),
    (
        T({"sv": "Schemaläggning tillsammans", "en": "Scheduling together"}),
        T({"sv": "Många korta vikariat.", "en": "Many short-term substitutes."}),
    ),
    (
        T({"sv": "Klarspråk i beslut", "en": "Plain language in decisions"}),
        T({"sv": "Brev som medborgare inte förstår.", "en": "Letters citizens do not understand."}),
    ),
)
#: Outcomes a project records once it reaches a stage (an index into OPSI_STAGES).
OUTCOMES = (
    (
        3,
        "unit",
        T(
            {
                "sv": "Arbetssättet används i hela enheten",
                "en": "The new way of working is used across the unit",
            }
        ),
    ),
    (
        4,
        "citizens",
        T({"sv": "Brukarna märker skillnad", "en": "Service users notice a difference"}),
    ),
)
PARALLEL_COHORTS = 4
#: The OPSI lifecycle's stages, in order, from the built-in lifecycle itself.
OPSI_STAGES = tuple(stage.id for stage in OPSI.stages)


@attrs.frozen(kw_only=True)
class Municipality:
    """One of SCB's 290 municipalities."""

    code: str
    name: str
    short_name: str
    county_code: str


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Return Sweden's 290 municipalities from SCB's codes (CC0), in code order."""
    return tuple(
        Municipality(
            code=row["municipality_code"],
            name=row["municipality_name"],
            short_name=row["municipality_name_short"],
            county_code=row["county_code"],
        )
        for row in data.municipalities()
    )


@cache
def counties() -> dict[str, str]:
    """Return SCB's county codes with the counties' short names."""
    return {row["county_code"]: row["county_name_short"] for row in data.counties()}


def _slug(text: str) -> str:
    table = str.maketrans("åäöéüčć ", "aaoeucc-")
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c == "-").strip("-")


def _template() -> tuple[m.Manifest, m.Concept, tuple[m.Organisation, ...]]:
    def read(name: str) -> object:
        return parse_yaml(data.template_text(name), name)

    manifest = structure(read(layout.MANIFEST), m.Manifest)
    concept = structure(read(layout.CONCEPT), m.Concept)
    listed = read(layout.ORGANISATIONS)
    assert isinstance(listed, dict)
    organisations = tuple(structure(o, m.Organisation) for o in listed["organisations"])
    return manifest, concept, organisations


def _likert(rng: random.Random, mean: float, noise: float, reverse: bool = False) -> int:
    value = max(1, min(5, round(rng.gauss(mean, noise))))
    return 6 - value if reverse else value


def _chunks(items: list[m.Participant], size: int) -> Iterator[list[m.Participant]]:
    count = max(1, round(len(items) / size))
    for index in range(count):
        yield items[index * len(items) // count : (index + 1) * len(items) // count]


def generate_workspace(
    *,
    municipalities_count: int = 4,
    managers_per_municipality: int = 6,
    seed: int = 2017,
    county: str | None = None,
    cohort_size: int = 25,
    start_year: int = 2017,
) -> m.Workspace:
    """Return a complete, valid synthetic workspace of the MIO concept.

    ``municipalities_count`` municipalities (from ``county``, an SCB county code, when given;
    else in SCB code order, all 290 at most), each with ``managers_per_municipality``
    managers, grouped into cohorts of about ``cohort_size`` per county. Deterministic for a
    ``seed``.
    """
    rng = random.Random(seed)
    pool = [mu for mu in municipalities() if county is None or mu.county_code == county]
    if municipalities_count > len(pool):
        raise ValueError(f"there are only {len(pool)} municipalities to choose from")
    chosen = pool[:municipalities_count]
    manifest, concept, partners = _template()
    county_names = counties()
    modules = sorted(concept.modules, key=lambda mod: mod.order)

    organisations = list(partners)
    intermediaries: dict[str, str] = {}
    for county_code in sorted({mu.county_code for mu in chosen}):
        if county_code == "05":
            intermediaries[county_code] = "regionforbundet-ostergotland"
            continue
        org_id = f"region-{_slug(county_names[county_code])}"
        intermediaries[county_code] = org_id
        organisations.append(
            m.Organisation(
                id=org_id,
                name=f"Region {county_names[county_code]}, regional utveckling",
                kind="intermediary",
                county_code=county_code,
            )
        )
    participants: list[m.Participant] = []
    for mu in chosen:
        org_id = f"kommun-{mu.code}"
        organisations.append(
            m.Organisation(
                id=org_id,
                name=mu.name,
                kind="municipality",
                municipality_code=mu.code,
                county_code=mu.county_code,
            )
        )
        for index in range(managers_per_municipality):
            sector = rng.choices(tuple(SECTORS), SECTOR_WEIGHTS)[0]
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            level = rng.choices(("first-line", "middle", "senior"), (75, 18, 7))[0]
            participants.append(
                m.Participant(
                    id=f"m{mu.code}-{index + 1:03d}",
                    name=f"{first} {last}",
                    email=f"{_slug(first)}.{_slug(last)}{index + 1}@{_slug(mu.short_name)}.example",
                    organisation=org_id,
                    unit=f"{rng.choice(SECTORS[sector])} {rng.choice(PLACES)}",
                    level=level,
                    sector=sector,
                )
            )

    coaches: list[m.Coach] = []
    facilitators: list[m.Facilitator] = []
    cohorts: list[m.Cohort] = []
    engagements: list[m.CoachingEngagement] = []
    projects: list[m.InnovationProject] = []
    responses: list[m.Response] = []
    by_county: dict[str, list[m.Participant]] = {}
    code_of = {f"kommun-{mu.code}": mu.county_code for mu in chosen}
    for participant in participants:
        by_county.setdefault(code_of[participant.organisation], []).append(participant)

    for county_code, members_all in sorted(by_county.items()):
        deliverer = intermediaries[county_code]
        county_slug = _slug(county_names[county_code])
        facilitator_ids = []
        for number in (1, 2):
            facilitator = m.Facilitator(
                id=f"f-{county_slug}-{number}",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                organisation=deliverer,
            )
            facilitators.append(facilitator)
            facilitator_ids.append(facilitator.id)
        for cohort_index, members in enumerate(_chunks(members_all, cohort_size)):
            # up to four cohorts run side by side each term, spring (v) and autumn (h)
            term = cohort_index // PARALLEL_COHORTS
            year, spring = start_year + term // 2, term % 2 == 0
            number = cohort_index % PARALLEL_COHORTS + 1
            cohort_id = f"{county_slug}-{year}{'v' if spring else 'h'}-{number}"
            coach = m.Coach(
                id=f"c-{cohort_id}",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                organisation=deliverer,
            )
            coaches.append(coach)
            start = dt.date(year, 1 if spring else 8, 10)
            end = start + dt.timedelta(days=300)
            sessions = []
            day = start + dt.timedelta(days=7)
            member_ids = [p.id for p in members]
            for module in modules:
                attended = [p for p in member_ids if rng.random() > 0.1]
                sessions.append(
                    m.ModuleSession(
                        module=module.id,
                        date=day,
                        place=f"{county_names[county_code]}",
                        facilitators=tuple(facilitator_ids),
                        attended=tuple(attended),
                    )
                )
                for attendee in attended:
                    if rng.random() < 0.1:
                        continue  # non-response
                    base = rng.gauss(3.9 if module.order != 3 else 3.5, 0.75)
                    answers: dict[str, float | None] = {
                        item: _likert(rng, base, 0.45)
                        for item in ("rel1", "rel2", "use1", "use2", "intent1", "quality1")
                    }
                    if rng.random() < 0.08:
                        answers["use2"] = None
                    if rng.random() < 0.04:
                        answers["intent1"] = 9
                    responses.append(
                        m.Response(
                            respondent=attendee,
                            instrument="mio-module-evaluation",
                            occasion=f"module:{module.id}",
                            date=day,
                            answers=answers,
                        )
                    )
                day += dt.timedelta(days=rng.choice((35, 42, 49)))
            cohorts.append(
                m.Cohort(
                    id=cohort_id,
                    concept=concept.id,
                    title=T(
                        {
                            "sv": f"{county_names[county_code]} omgång {cohort_index + 1}",
                            "en": f"{county_names[county_code]} cohort {cohort_index + 1}",
                        }
                    ),
                    delivered_by=deliverer,
                    start=start,
                    end=end,
                    participants=tuple(member_ids),
                    coaches=(coach.id,),
                    sessions=tuple(sessions),
                )
            )
            for person in members:
                _person_records(
                    rng, person, cohort_id, coach.id, start, end, engagements, projects, responses
                )
    return m.Workspace(
        manifest=manifest,
        concept=concept,
        organisations=tuple(organisations),
        participants=tuple(participants),
        coaches=tuple(coaches),
        facilitators=tuple(facilitators),
        cohorts=tuple(cohorts),
        engagements=tuple(engagements),
        projects=tuple(projects),
        responses=tuple(responses),
    )


LEADERSHIP_ITEMS = (
    "edi1",
    "edi2",
    "edi3",
    "meth1",
    "meth2",
    "meth3",
    "room1",
    "room2",
    "room3",
    "ctx1",
    "ctx2",
)
REVERSED = frozenset({"edi3", "meth3", "room3"})


def _person_records(
    rng: random.Random,
    person: m.Participant,
    cohort_id: str,
    coach_id: str,
    start: dt.date,
    end: dt.date,
    engagements: list[m.CoachingEngagement],
    projects: list[m.InnovationProject],
    responses: list[m.Response],
) -> None:
    ability, gain = rng.gauss(3.0, 0.7), rng.gauss(0.45, 0.35)
    follow_up = end + dt.timedelta(days=182)
    for occasion, shift, date in (
        ("pre", 0.0, start),
        ("post", gain, end),
        ("follow-up:6m", gain * 0.8, follow_up),  # some of the gain fades
    ):
        if occasion != "pre" and rng.random() < (0.12 if occasion == "post" else 0.15):
            continue
        answers: dict[str, float | None] = {
            item: _likert(rng, ability + shift, 0.55, item in REVERSED) for item in LEADERSHIP_ITEMS
        }
        if rng.random() < 0.12:
            answers[rng.choice(LEADERSHIP_ITEMS)] = None
        responses.append(
            m.Response(
                respondent=person.id,
                instrument="mio-innovation-leadership",
                occasion=occasion,
                date=date,
                answers=answers,
            )
        )
    sessions = []
    day = start + dt.timedelta(days=20)
    for _ in range(rng.choice((0, 2, 3, 4, 4, 5, 5, 5, 6))):
        sessions.append(
            m.CoachingSession(
                date=day,
                minutes=rng.choice((60, 75, 90, 90)),
                mode=rng.choice(("on-site", "on-site", "video", "phone")),
            )
        )
        day += dt.timedelta(days=rng.choice((28, 35, 42)))
    goals = (
        m.CoachingGoal(
            id="g1",
            text=T(
                {
                    "sv": "Medarbetarna bidrar med egna idéer",
                    "en": "Employees contribute their own ideas",
                }
            ),
            weight=2,
            baseline=-1,
            attainment=rng.choice((-1, 0, 0, 1, 1, 2)),
        ),
        m.CoachingGoal(
            id="g2",
            text=T(
                {
                    "sv": "Projektet är prövat i liten skala",
                    "en": "The project has been tested on a small scale",
                }
            ),
            weight=1,
            baseline=-2,
            attainment=rng.choice((-2, -1, 0, 0, 1)),
        ),
    )
    engagements.append(
        m.CoachingEngagement(
            id=f"{person.id}-coaching",
            participant=person.id,
            coach=coach_id,
            cohort=cohort_id,
            goals=goals,
            sessions=tuple(sessions),
        )
    )
    bond, progress = rng.gauss(4.0, 0.6), rng.gauss(3.7, 0.7)
    for occasion, date, rate in (("post", end, 0.85), ("follow-up:6m", follow_up, 0.85)):
        if not sessions or rng.random() > rate:
            continue  # no coaching, or no answer
        answers = {
            item: _likert(rng, bond if item.startswith("rel") else progress, 0.5)
            for item in ("rel1", "rel2", "rel3", "prog1", "prog2", "prog3")
        }
        responses.append(
            m.Response(
                respondent=person.id,
                instrument="mio-coaching",
                occasion=occasion,
                date=date,
                answers=answers,
            )
        )
    title, challenge = rng.choice(CHALLENGES)
    reach = rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 6))
    history = []
    day = start + dt.timedelta(days=14)
    for stage in OPSI_STAGES[:reach]:
        history.append(m.StageChange(stage=stage, date=day))
        day += dt.timedelta(days=rng.randint(30, 90))
    outcomes = [
        m.Outcome(description=description, level=level, date=history[stage].date)
        for stage, level, description in OUTCOMES
        if reach > stage
    ]
    projects.append(
        m.InnovationProject(
            id=f"{person.id}-project",
            owner=person.id,
            cohort=cohort_id,
            organisation=person.organisation,
            unit=person.unit,
            title=title,
            challenge=challenge,
            facet=rng.choice(("enhancement", "enhancement", "mission", "adaptive", "anticipatory")),
            stage=OPSI_STAGES[reach - 1],
            history=tuple(history),
            team_size=rng.randint(3, 15),
            outcomes=tuple(outcomes),
        )
    )
    if rng.random() > 0.15:
        applied = rng.gauss(3.4, 0.7)
        answers = {
            item: _likert(rng, applied - (0.8 if item.startswith("beyond") else 0), 0.6)
            for item in ("ops1", "ops2", "ops3", "proj1", "proj2", "beyond1", "beyond2")
        }
        if rng.random() < 0.15:
            answers["beyond2"] = 9
        responses.append(
            m.Response(
                respondent=person.id,
                instrument="mio-utilisation",
                occasion="follow-up:6m",
                date=end + dt.timedelta(days=182),
                answers=answers,
            )
        )


def write_synthetic_workspace(path: str | os.PathLike[str], **options: Any) -> str:
    """Generate a workspace (options as :func:`generate_workspace`) and save it at ``path``.

    Refuses (:class:`MioError`) when ``path`` exists and is not empty. Returns a one-line
    summary of what was made.
    """
    from .io.workspace import save_workspace
    from .problems import MioError

    root = Path(path)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise MioError(f"{root} already exists and is not empty; nothing was written")
    try:
        workspace = generate_workspace(**options)
    except ValueError as exc:
        raise MioError(str(exc)) from None
    save_workspace(workspace, root, command="generate")
    for folder in ("cohorts", "coaching", "projects", "instruments", "responses"):
        (root / folder).mkdir(exist_ok=True)
    municipalities_made = sum(1 for o in workspace.organisations if o.kind == "municipality")
    return (
        f"{municipalities_made} municipalities, {len(workspace.participants)} managers in "
        f"{len(workspace.cohorts)} cohorts, {len(workspace.engagements)} coaching engagements, "
        f"{len(workspace.projects)} projects, {len(workspace.responses)} responses"
    )
