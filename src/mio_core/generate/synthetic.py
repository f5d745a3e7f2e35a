"""Synthetic programmes: complete, valid, realistic workspaces for examples, tests and benchmarks.

Real Swedish municipality names and SCB codes; managers at different levels and sectors;
cohorts delivered by each county's regional intermediary; attendance with absences;
coaching dose that varies; projects that advance through the OPSI lifecycle at different
speeds; answers with item correlation, a modest pre/post improvement, missing answers and
non-response. The same seed always gives the same workspace. No real person's name: names
are random pairs of common Swedish first names and surnames.

With ``effects=EffectSpec(...)`` the innovation-leadership answers follow a declared model of
true effects instead (a gain per subscale, a dose slope per coaching hour, a municipality
ICC, drop-out that depends on the baseline, fade by follow-up), so that an analysis can be
shown to recover them; :func:`write_synthetic_workspace` then records the truth in
``truth.yaml`` next to the workspace's files.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from .. import data
from .. import model as m
from ..builtin.lifecycles import OPSI
from ..io import layout
from ..io.converter import structure
from ..io.yamlio import parse_yaml

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
#: The last term a generated cohort may start in: spring 2025 (its six-month follow-up is
#: answered in May 2026), so that every session and answer of a generated programme lies in
#: the past, whatever day it is generated or validated on (a held session in the future is a
#: warning). A county with more cohorts than fit runs more of them side by side.
LAST_TERM = (2025, True)


def _terms_available(start_year: int) -> int:
    """How many terms (spring, autumn) from spring of ``start_year`` to :data:`LAST_TERM`."""
    year, spring = LAST_TERM
    return max(1, 2 * (year - start_year) + (1 if spring else 2))


#: The OPSI lifecycle's stages, in order, from the built-in lifecycle itself.
OPSI_STAGES = tuple(stage.id for stage in OPSI.stages)


#: Subscales of mio-innovation-leadership: (id, number of items).
LEADERSHIP_SUBSCALES = (("conditions", 3), ("methods", 3), ("room", 3), ("context", 2))
#: The coaching dose the generator gives on average: sessions drawn from
#: (0, 2, 3, 4, 4, 5, 5, 5, 6), each 60, 75, 90 or 90 minutes: 34/9 × 78.75/60 hours.
MEAN_COACHING_HOURS = 34 / 9 * 78.75 / 60
#: The standard deviation of one item's answer around the respondent's latent level.
ITEM_NOISE = 0.55


def _gains(value: Mapping[str, float]) -> dict[str, float]:
    gains = {"conditions": 0.40, "methods": 0.50, "room": 0.35, "context": 0.45}
    unknown = set(value) - set(gains)
    if unknown:
        raise ValueError(
            f"gain: unknown subscale(s) {', '.join(sorted(unknown))} "
            f"(mio-innovation-leadership has {', '.join(gains)})"
        )
    gains.update({k: float(v) for k, v in value.items()})
    return gains


def _between(low: float, high: float) -> Any:
    def check(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
        if not low <= value <= high:
            raise ValueError(f"{attribute.name} must be between {low} and {high}, not {value}")

    return check


@attrs.frozen(kw_only=True)
class EffectSpec:
    """The true effects a synthetic programme is generated with (mio-innovation-leadership).

    Every effect is in **scale points** of the 1–5 answer scale (a subscale score is the mean
    of its items, so also in subscale points), on the respondent's latent level: an answer is
    that level plus item noise (sd :data:`ITEM_NOISE`), rounded and kept within 1–5.

    - ``gain``: the pre→post gain per subscale for a manager with the programme's average
      coaching dose (:data:`MEAN_COACHING_HOURS`); subscales not named keep their defaults
      (conditions 0.40, methods 0.50, room 0.35, context 0.45).
    - ``dose_slope``: scale points of gain added per coaching hour above that average (the
      same for every subscale; 0 means no dose effect).
    - ``gain_sd``: how much managers' gains vary around that (a person's random gain).
    - ``baseline_mean``, ``baseline_sd``: the latent level before the programme.
    - ``municipality_icc``: the share of the latent baseline variance between
      municipalities (a random intercept per municipality). The ICC of observed subscale
      scores is smaller, attenuated by the answers' noise; ``truth.yaml`` gives both.
    - ``dropout_rate``: the chance that a manager answers before but not after (nor at the
      follow-up), at an average baseline; ``dropout_odds_ratio``: the factor on the odds of
      leaving per baseline SD higher (below 1: low-baseline managers leave more often). Drop-out
      depends on the latent baseline, so it is missing at random given the baseline answers.
    - ``follow_up_retention``: the share of each manager's gain still there at the
      six-month follow-up (1: no fade); ``follow_up_nonresponse``: the chance that someone who
      answered after does not answer at follow-up (at random).

    The defaults are realistic and modest: a within-person effect of about d_z 0.6, about a
    tenth of the variance between municipalities, 12 % drop-out with low scorers leaving more.
    """

    gain: Mapping[str, float] = attrs.field(factory=dict, converter=_gains)
    dose_slope: float = 0.05
    gain_sd: float = attrs.field(default=0.30, validator=_between(0, 5))
    baseline_mean: float = attrs.field(default=3.0, validator=_between(1, 5))
    baseline_sd: float = attrs.field(default=0.6, validator=_between(0, 5))
    municipality_icc: float = attrs.field(default=0.10, validator=_between(0, 0.95))
    dropout_rate: float = attrs.field(default=0.12, validator=_between(0, 0.95))
    dropout_odds_ratio: float = attrs.field(default=0.6, validator=_between(0.01, 100))
    follow_up_retention: float = attrs.field(default=0.8, validator=_between(0, 2))
    follow_up_nonresponse: float = attrs.field(default=0.15, validator=_between(0, 0.95))

    @classmethod
    def from_mapping(cls, data: object, source: str = "the effects") -> EffectSpec:
        """Return the spec from a mapping as ``truth.yaml``'s ``effects`` (or a spec file) has it.

        Raises :class:`ValueError` naming ``source`` and every field that is wrong.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"{source}: expected a mapping of effect names to values")
        fields = {f.name for f in attrs.fields(cls)}
        problems = [f"{source}: unknown field {k!r}" for k in data if k not in fields]
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in fields:
                continue
            if key == "gain":
                if not isinstance(value, Mapping) or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
                ):
                    problems.append(f"{source}: gain must map subscales to numbers")
                    continue
                known = {subscale for subscale, _ in LEADERSHIP_SUBSCALES}
                problems += [
                    f"{source}: gain: unknown subscale {k!r} (known: {', '.join(sorted(known))})"
                    for k in value
                    if k not in known
                ]
            elif not isinstance(value, int | float) or isinstance(value, bool):
                problems.append(f"{source}: {key} must be a number, not {value!r}")
                continue
            values[key] = value
        if not problems:
            try:
                return cls(**values)
            except ValueError as exc:
                problems.append(f"{source}: {exc}")
        raise ValueError("; ".join(problems))

    def truth(self) -> dict[str, Any]:
        """Return the true values an analysis should recover, as ``truth.yaml`` records them."""
        latent = self.baseline_sd**2
        between = self.municipality_icc * latent
        subscales = {}
        for subscale, items in LEADERSHIP_SUBSCALES:
            # a subscale score is the mean of its items: item noise and rounding (≈ 1/12)
            noise = (ITEM_NOISE**2 + 1 / 12) / items
            subscales[subscale] = {
                "gain_post": self.gain[subscale],
                "change_post_to_follow_up": round(
                    (self.follow_up_retention - 1) * self.gain[subscale], 12
                ),
                "gain_follow_up": round(self.follow_up_retention * self.gain[subscale], 12),
                "observed_municipality_icc": round(between / (latent + noise), 4),
            }
        return {
            "instrument": "mio-innovation-leadership",
            "units": "scale points of the 1-5 answer scale (subscale means)",
            "effects": {
                "gain": dict(self.gain),
                **{
                    f.name: getattr(self, f.name)
                    for f in attrs.fields(EffectSpec)
                    if f.name != "gain"
                },
            },
            "reference_coaching_hours": round(MEAN_COACHING_HOURS, 6),
            "dose_slope_per_hour": self.dose_slope,
            "municipality_icc_latent": self.municipality_icc,
            "subscales": subscales,
        }


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
    effects: EffectSpec | None = None,
) -> m.Workspace:
    """Return a complete, valid synthetic workspace of the MIO concept.

    ``municipalities_count`` municipalities (from ``county``, an SCB county code, when given;
    else in SCB code order, all 290 at most), each with ``managers_per_municipality``
    managers, grouped into cohorts of about ``cohort_size`` per county. Deterministic for a
    ``seed``. With ``effects``, the innovation-leadership answers follow that
    :class:`EffectSpec` (drawn from a random stream of their own, also fixed by ``seed``).
    """
    for name, value, least in (
        ("municipalities_count", municipalities_count, 0),
        ("managers_per_municipality", managers_per_municipality, 0),
        ("cohort_size", cohort_size, 1),
    ):
        if value < least:  # a negative count sliced the pool from its end: 289 of 290
            raise ValueError(f"{name} must be {least} or more, not {value}")
    rng = random.Random(seed)
    truth: _Effects | None = None
    if effects is not None:
        truth = _Effects(effects, random.Random(f"mio-effects-{seed}"))
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
        chunks = list(_chunks(members_all, cohort_size))
        # four cohorts run side by side each term, spring (v) and autumn (h) — more in a
        # county too large to be through by the last term
        parallel = max(PARALLEL_COHORTS, -(-len(chunks) // _terms_available(start_year)))
        for cohort_index, members in enumerate(chunks):
            term = cohort_index // parallel
            year, spring = start_year + term // 2, term % 2 == 0
            number = cohort_index % parallel + 1
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
                    rng,
                    person,
                    cohort_id,
                    coach.id,
                    (start, end),
                    engagements,
                    projects,
                    responses,
                    truth,
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


class _Effects:
    """An :class:`EffectSpec` while a workspace is generated: its random stream and draws."""

    def __init__(self, spec: EffectSpec, rng: random.Random) -> None:
        self.spec, self.rng = spec, rng
        self.municipality: dict[str, float] = {}

    def municipality_effect(self, organisation: str) -> float:
        if organisation not in self.municipality:
            sd = math.sqrt(self.spec.municipality_icc) * self.spec.baseline_sd
            self.municipality[organisation] = self.rng.gauss(0.0, sd)
        return self.municipality[organisation]

    def responses(
        self, person: m.Participant, hours: float, dates: tuple[dt.date, dt.date, dt.date]
    ) -> Iterator[m.Response]:
        """Yield the person's innovation-leadership answers under the declared effects."""
        spec, rng = self.spec, self.rng
        within = math.sqrt(1 - spec.municipality_icc) * spec.baseline_sd
        own = rng.gauss(0.0, within)
        level = spec.baseline_mean + self.municipality_effect(person.organisation) + own
        personal_gain = rng.gauss(0.0, spec.gain_sd) + spec.dose_slope * (
            hours - MEAN_COACHING_HOURS
        )
        z = (level - spec.baseline_mean) / spec.baseline_sd if spec.baseline_sd else 0.0
        odds = spec.dropout_rate / (1 - spec.dropout_rate) * spec.dropout_odds_ratio**z
        leaves = rng.random() < odds / (1 + odds)
        skips_follow_up = rng.random() < spec.follow_up_nonresponse
        subscale_of = {"edi": "conditions", "meth": "methods", "room": "room", "ctx": "context"}
        for occasion, share, date in zip(
            ("pre", "post", "follow-up:6m"),
            (0.0, 1.0, spec.follow_up_retention),
            dates,
            strict=True,
        ):
            if occasion != "pre" and (leaves or (occasion != "post" and skips_follow_up)):
                continue
            answers: dict[str, float | None] = {
                item: _likert(
                    rng,
                    level
                    + share * (spec.gain[subscale_of[item.rstrip("0123456789")]] + personal_gain),
                    ITEM_NOISE,
                    item in REVERSED,
                )
                for item in LEADERSHIP_ITEMS
            }
            if rng.random() < 0.12:
                answers[rng.choice(LEADERSHIP_ITEMS)] = None
            yield m.Response(
                respondent=person.id,
                instrument="mio-innovation-leadership",
                occasion=occasion,
                date=date,
                answers=answers,
            )


def _person_records(
    rng: random.Random,
    person: m.Participant,
    cohort_id: str,
    coach_id: str,
    period: tuple[dt.date, dt.date],
    engagements: list[m.CoachingEngagement],
    projects: list[m.InnovationProject],
    responses: list[m.Response],
    effects: _Effects | None = None,
) -> None:
    start, end = period
    follow_up = end + dt.timedelta(days=182)
    ability, gain = rng.gauss(3.0, 0.7), rng.gauss(0.45, 0.35)
    for occasion, shift, date in (
        ("pre", 0.0, start),
        ("post", gain, end),
        ("follow-up:6m", gain * 0.8, follow_up),  # some of the gain fades
    ):
        if effects is not None:
            break  # the answers follow the declared effects instead, once the dose is known
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
    if effects is not None:
        hours = sum(session.minutes for session in sessions) / 60
        responses.extend(effects.responses(person, hours, (start, end, follow_up)))
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


#: The file next to a synthetic workspace's own files that records its true effects.
TRUTH_FILE = "truth.yaml"


def read_effects(path: str | os.PathLike[str] | None = None) -> EffectSpec:
    """Return the :class:`EffectSpec` in the YAML file ``path`` (the defaults when None).

    The file holds the spec's fields (``gain`` a mapping of subscales to scale points), or a
    ``truth.yaml`` (its ``effects``). Raises :class:`MioError` naming the file and every
    wrong field.
    """
    from ..io.yamlio import parse_yaml
    from ..problems import MioError

    if path is None:
        return EffectSpec()
    file = Path(path)
    data = parse_yaml(file.read_text("utf-8"), str(file))
    if isinstance(data, dict) and isinstance(data.get("effects"), dict):
        data = data["effects"]
    try:
        return EffectSpec.from_mapping(data, str(file))
    except ValueError as exc:
        raise MioError(str(exc)) from None


def read_truth(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the true effects recorded in the workspace folder ``path`` (:data:`TRUTH_FILE`).

    Raises :class:`MioError` when there is none.
    """
    from ..io.yamlio import parse_yaml
    from ..problems import MioError

    file = Path(path) / TRUTH_FILE
    if not file.is_file():
        raise MioError(f"{file} does not exist: this is not a programme generated with effects")
    data = parse_yaml(file.read_text("utf-8"), str(file))
    if not isinstance(data, dict):
        raise MioError(f"{file}: expected a mapping")
    return data


def write_synthetic_workspace(path: str | os.PathLike[str], **options: Any) -> str:
    """Generate a workspace (options as :func:`generate_workspace`) and save it at ``path``.

    Refuses (:class:`MioError`) when ``path`` exists and is not empty. Returns a one-line
    summary of what was made. With ``effects`` (an :class:`EffectSpec`), the true values are
    written to :data:`TRUTH_FILE` in ``path``: the spec and what an analysis should find.
    It is not part of the workspace (no rule reads it) and is never exported.
    """
    from ..io.workspace import save_workspace
    from ..problems import MioError
    from .template import refuse_unless_new_folder

    root = Path(path)
    refuse_unless_new_folder(root)
    try:
        workspace = generate_workspace(**options)
    except ValueError as exc:
        raise MioError(str(exc)) from None
    save_workspace(workspace, root, command="generate")
    for folder in ("cohorts", "coaching", "projects", "instruments", "responses"):
        (root / folder).mkdir(exist_ok=True)
    effects = options.get("effects")
    if effects is not None:
        from ..io.atomic import atomic_write
        from ..io.yamlio import dump_yaml

        truth = {"seed": options.get("seed", 2017), **effects.truth()}
        header = "# The true effects this synthetic programme was generated with (mio generate).\n"
        atomic_write(root / TRUTH_FILE, header + dump_yaml(truth))
    municipalities_made = sum(1 for o in workspace.organisations if o.kind == "municipality")
    return (
        f"{municipalities_made} municipalities, {len(workspace.participants)} managers in "
        f"{len(workspace.cohorts)} cohorts, {len(workspace.engagements)} coaching engagements, "
        f"{len(workspace.projects)} projects, {len(workspace.responses)} responses"
    )
