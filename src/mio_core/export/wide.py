"""The wide analysis table: one row per participant, for SPSS, Stata, R and a CSV.

Each row holds the participant's organisation, cohort, manager level and sector, attendance,
coaching dose, project stage, every subscale score per occasion, and the change scores
(post − pre, follow-up − pre), then the answers to choice items as labelled categories
(and to text items only when the source keeps free text). It is built from an
:class:`~mio_core.ExportSource`, so it is pseudonymised and leaves out participants
without research consent exactly as the other research exports do. Categorical columns
hold the category's id; each format encodes it (integer codes with value labels, R
factors, the id in a CSV). Names are valid variable names in SPSS (≤ 64 bytes) and Stata
(≤ 32 characters): letters, digits and ``_``, starting with a letter, unique without
regard to case.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import attrs

from ..evaluation.results import Score
from ..evaluation.scoring import exact_score
from ..model import (
    Cohort,
    Instrument,
    ItemKind,
    Respondent,
    ScoreMethod,
    answer_text,
    choice_codes,
    occasion_module,
    occasion_order,
    text_in,
)
from ..plugins.interfaces import ExportSource

__all__ = ["MAX_NAME", "WideColumn", "WideTable", "occasion_code", "wide_table"]

#: Stata's limit on a variable name; SPSS allows 64 bytes, so every name fits both.
MAX_NAME = 32

#: The kinds of column: text, whole numbers, numbers, and categories with labels.
KINDS = ("string", "integer", "number", "category")


@attrs.frozen(kw_only=True)
class WideColumn:
    """A column of the wide table: its variable name, kind, label and where it comes from.

    ``categories`` are (value, label) pairs in code order: a format that needs integer codes
    gives the first category 1, the next 2, and so on. ``ordered`` says the categories have
    an order (manager level, project stage). A score column names its ``instrument``,
    ``subscale`` and ``occasion``; a change column also its ``change_from`` (``pre``).
    ``short_label`` is the label without the instrument's title, for formats whose labels
    are short (Stata: 80 characters). A column of a choice or text item's answers names its
    ``instrument``, ``item`` and ``occasion``.
    """

    name: str
    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    label: str
    categories: tuple[tuple[str, str], ...] = ()
    ordered: bool = False
    instrument: str | None = None
    subscale: str | None = None
    occasion: str | None = None
    change_from: str | None = None
    short_label: str | None = None
    item: str | None = None

    def code(self, value: str | None) -> int | None:
        """Return the integer code (1, 2, ...) of a category value; None for no value."""
        if value is None:
            return None
        for index, (category, _) in enumerate(self.categories, start=1):
            if category == value:
                return index
        raise KeyError(f"{value!r} is not a category of {self.name}")


@attrs.frozen(kw_only=True)
class WideTable:
    """The wide table: its columns and one row (a tuple, in column order) per participant."""

    columns: tuple[WideColumn, ...]
    rows: tuple[tuple[Any, ...], ...]

    def column(self, name: str) -> WideColumn:
        """Return the column called ``name``; raises KeyError."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def values(self, name: str) -> list[Any]:
        """Return the values of the column called ``name``, in row order."""
        index = [c.name for c in self.columns].index(name)
        return [row[index] for row in self.rows]


@cache
def _municipality_names() -> dict[str, str]:
    text = resources.files("mio_core.data").joinpath("scb-municipalities.csv").read_text("utf-8")
    return {
        row["municipality_code"]: row["municipality_name"]
        for row in csv.DictReader(text.splitlines())
    }


def occasion_code(occasion: str) -> str:
    """Return an occasion as it appears in variable names: pre, post, m_<module>, fu<N>m."""
    module = occasion_module(occasion)
    if module is not None:
        return f"m_{module}"
    if occasion.startswith("follow-up:"):
        return "fu" + occasion.removeprefix("follow-up:")
    return occasion


def _ascii_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _abbreviation(instrument: str) -> str:
    return "".join(part[0] for part in re.split(r"[-_]", instrument) if part)


class _Names:
    """Hands out variable names that are valid and unique (case-insensitively)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, wanted: str) -> str:
        name = _ascii_name(wanted)
        if not name[:1].isalpha():
            name = "v" + name
        name = name[:MAX_NAME]
        candidate, number = name, 1
        while candidate.lower() in self.taken:
            number += 1
            tail = f"_{number}"
            candidate = name[: MAX_NAME - len(tail)] + tail
        self.taken.add(candidate.lower())
        return candidate


def _score_name(head: str, subscale: str, suffix: str) -> str:
    """``<head>_<subscale>_<suffix>``, the subscale cut so that the name fits."""
    room = MAX_NAME - len(head) - len(suffix) - 2
    return _ascii_name(f"{head}_{subscale[: max(room, 1)]}_{suffix}")


def _unique_labels(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Give categories that share a label their id too, so that every label is distinct."""
    seen: dict[str, int] = defaultdict(int)
    for _, label in pairs:
        seen[label] += 1
    return tuple(
        (value, f"{label} [{value}]" if seen[label] > 1 else label) for value, label in pairs
    )


#: The wide file's variable labels in each language (another language gets the English).
_LABELS = {
    "en": {
        "person": "a pseudonym unless the export is identified",
        "participant": "participant ({person})",
        "organisation": "organisation id",
        "organisation_name": "organisation name",
        "municipality_code": "SCB municipality code of the organisation",
        "municipality": "municipality (SCB name)",
        "cohort": "cohort (the first the participant belongs to)",
        "level": "manager level",
        "sector": "sector of operations",
        "modules_held": "modules held in the cohort (with a recorded session)",
        "modules_attended": "modules of the cohort the participant attended",
        "coaching_sessions": "coaching sessions",
        "coaching_hours": "coaching hours",
        "projects": "innovation projects the participant owns",
        "project_stage": "lifecycle stage of the participant's project (the furthest along)",
        "pre": "pre",
        "post": "post",
        "module": "module {module}",
        "follow-up": "follow-up after {months} months",
        "change": "{subscale}, change pre to {occasion}",
    },
    "sv": {
        "person": "en pseudonym om exporten inte är identifierad",
        "participant": "deltagare ({person})",
        "organisation": "organisationens id",
        "organisation_name": "organisationens namn",
        "municipality_code": "organisationens kommunkod (SCB)",
        "municipality": "kommun (SCB:s namn)",
        "cohort": "omgång (den första som deltagaren tillhör)",
        "level": "chefsnivå",
        "sector": "verksamhetsområde",
        "modules_held": "utbildningsdagar som genomförts i omgången (med registrerat tillfälle)",
        "modules_attended": "utbildningsdagar i omgången som deltagaren närvarade vid",
        "coaching_sessions": "coachningssamtal",
        "coaching_hours": "coachningstimmar",
        "projects": "innovationsprojekt som deltagaren äger",
        "project_stage": "fas för deltagarens innovationsprojekt (det som kommit längst)",
        "pre": "före",
        "post": "efter",
        "module": "utbildningsdag {module}",
        "follow-up": "uppföljning efter {months} månader",
        "change": "{subscale}, förändring från före till {occasion}",
    },
}


def _labels(language: str) -> dict[str, str]:
    return _LABELS.get(language, _LABELS["en"])


def _occasion_label(occasion: str, language: str = "en") -> str:
    words = _labels(language)
    module = occasion_module(occasion)
    if module is not None:
        return words["module"].format(module=module)
    if occasion.startswith("follow-up:"):
        months = occasion.removeprefix("follow-up:").removesuffix("m")
        return words["follow-up"].format(months=months)
    return words.get(occasion, occasion) if occasion in ("pre", "post") else occasion


def _exact(score: Score, method: ScoreMethod) -> Fraction | float | None:
    if score.total is not None and score.answered:
        return exact_score(score.total, score.answered, score.items, method)
    return score.value


def _measured(source: ExportSource) -> list[tuple[Instrument, list[str]]]:
    """The participants' instruments with subscales, each with its occasions in time order."""
    instruments = source.instruments()
    modules = tuple(m.id for m in sorted(source.workspace.concept.modules, key=lambda m: m.order))
    occasions: dict[str, set[str]] = defaultdict(set)
    for response in source.workspace.responses:
        occasions[response.instrument].add(response.occasion)
    measured = []
    for instrument_id in sorted(occasions):
        instrument = instruments.get(instrument_id)
        if instrument is None or instrument.target is not Respondent.PARTICIPANT:
            continue
        if not instrument.subscales:
            continue
        ordered = sorted(occasions[instrument_id], key=lambda o: occasion_order(o, modules))
        measured.append((instrument, ordered))
    return measured


def _fixed_columns(source: ExportSource, names: _Names) -> list[WideColumn]:
    workspace = source.workspace
    language = source.language
    concept = workspace.concept
    cohorts = sorted(workspace.cohorts, key=lambda c: (c.start, c.id))
    sectors = [(t.id, text_in(t.label, language)) for t in concept.terms("sectors")]
    known_sectors = {sector for sector, _ in sectors}
    sectors += [
        (s, s)
        for s in sorted({p.sector for p in workspace.participants if p.sector})
        if s not in known_sectors
    ]
    stages: list[tuple[str, str]] = []
    lifecycle = source.registry.lifecycles.get(workspace.concept.lifecycle)
    if lifecycle is not None:
        stages = [(s.id, text_in(s.title, language) or s.id) for s in lifecycle.stages]
    known = {stage for stage, _ in stages}
    stages += [(s, s) for s in sorted({p.stage for p in workspace.projects} - known)]
    words = _labels(language)
    C = WideColumn
    return [
        C(
            name=names("participant"),
            kind="string",
            label=words["participant"].format(person=words["person"]),
        ),
        C(name=names("organisation"), kind="string", label=words["organisation"]),
        C(name=names("organisation_name"), kind="string", label=words["organisation_name"]),
        C(
            name=names("municipality_code"),
            kind="string",
            label=words["municipality_code"],
        ),
        C(name=names("municipality"), kind="string", label=words["municipality"]),
        C(
            name=names("cohort"),
            kind="category",
            label=words["cohort"],
            categories=_unique_labels(
                [(c.id, text_in(c.title, language) or c.id) for c in cohorts]
            ),
        ),
        C(
            name=names("level"),
            kind="category",
            label=words["level"],
            categories=tuple(
                (t.id, text_in(t.label, language)) for t in concept.terms("manager_levels")
            ),
            ordered=True,
        ),
        C(
            name=names("sector"),
            kind="category",
            label=words["sector"],
            categories=tuple(sectors),
        ),
        C(
            name=names("modules_held"),
            kind="integer",
            label=words["modules_held"],
        ),
        C(
            name=names("modules_attended"),
            kind="integer",
            label=words["modules_attended"],
        ),
        C(name=names("coaching_sessions"), kind="integer", label=words["coaching_sessions"]),
        C(name=names("coaching_hours"), kind="number", label=words["coaching_hours"]),
        C(name=names("projects"), kind="integer", label=words["projects"]),
        C(
            name=names("project_stage"),
            kind="category",
            label=words["project_stage"],
            categories=_unique_labels(stages),
            ordered=True,
        ),
    ]


def _fixed_values(
    source: ExportSource, stage_order: Mapping[str, int]
) -> dict[str, tuple[Any, ...]]:
    workspace = source.workspace
    organisations = {o.id: o for o in workspace.organisations}
    names = _municipality_names()
    cohort_of: dict[str, Cohort] = {}
    for each in workspace.cohorts:
        for person in each.participants:
            cohort_of.setdefault(person, each)
    sessions: dict[str, int] = defaultdict(int)
    minutes: dict[str, int] = defaultdict(int)
    for engagement in workspace.engagements:
        sessions[engagement.participant] += len(engagement.sessions)
        minutes[engagement.participant] += sum(s.minutes for s in engagement.sessions)
    projects: dict[str, list[str]] = defaultdict(list)
    for project in workspace.projects:
        if project.owner is not None:
            projects[project.owner].append(project.stage)
    values = {}
    for p in workspace.participants:
        organisation = organisations.get(p.organisation)
        code = organisation.municipality_code if organisation else None
        cohort = cohort_of.get(p.id)
        held: int | None = None
        attended: int | None = None
        if cohort is not None:
            held = len({s.module for s in cohort.sessions})
            attended = sum(p.id in came for came in cohort.module_attenders().values())
        owned = projects.get(p.id, [])
        stage = max(owned, key=lambda s: stage_order[s]) if owned else None
        values[p.id] = (
            p.id,
            p.organisation,
            organisation.name if organisation else None,
            code,
            names.get(code) if code else None,
            cohort.id if cohort is not None else None,
            p.level,
            p.sector,
            held,
            attended,
            sessions.get(p.id, 0),
            minutes.get(p.id, 0) / 60,
            len(owned),
            stage,
        )
    return values


#: The categories of a multi-choice option's column.
_CHOSEN = {
    "en": (("no", "not chosen"), ("yes", "chosen")),
    "sv": (("no", "ej vald"), ("yes", "vald")),
}


def _item_columns(
    source: ExportSource, names: _Names, participants: set[str]
) -> list[tuple[WideColumn, dict[str, Any]]]:
    """The columns of the participants' choice items (a labelled category per choice item;
    one per option of a multi-choice item: chosen or not) and, only when the source keeps
    free text, of their text items; per occasion in time order. An answer the item does not
    take (an unknown option) is left empty."""
    instruments = source.instruments()
    modules = tuple(m.id for m in sorted(source.workspace.concept.modules, key=lambda m: m.order))
    answers: dict[tuple[str, str], dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for response in source.workspace.responses:
        if response.respondent in participants:
            answers[(response.instrument, response.occasion)][response.respondent] = (
                response.answers
            )
    chosen_labels = _CHOSEN.get(source.language, _CHOSEN["en"])
    found: list[tuple[WideColumn, dict[str, Any]]] = []
    for instrument_id in sorted({i for i, _ in answers}):
        instrument = instruments.get(instrument_id)
        if instrument is None or instrument.target is not Respondent.PARTICIPANT:
            continue
        items = [
            item
            for item in instrument.items
            if item.kind in (ItemKind.CHOICE, ItemKind.MULTI_CHOICE)
            or (item.kind is ItemKind.TEXT and source.with_text)
        ]
        if not items:
            continue
        title = text_in(instrument.title, source.language) or instrument.id
        head = instrument.id if len(instrument.id) <= 12 else _abbreviation(instrument.id)
        occasions = sorted(
            {o for i, o in answers if i == instrument_id},
            key=lambda o: occasion_order(o, modules),
        )
        for item in items:
            text = text_in(item.text, source.language) or item.id
            for occasion in occasions:
                given = {
                    person: values.get(item.id)
                    for person, values in answers[(instrument_id, occasion)].items()
                }
                where = f"({_occasion_label(occasion, source.language)})"
                suffix = occasion_code(occasion)
                common: dict[str, Any] = {
                    "instrument": instrument_id,
                    "item": item.id,
                    "occasion": occasion,
                }
                options = [
                    (o.code, text_in(o.text, source.language) or o.code) for o in item.options
                ]
                if item.kind is ItemKind.TEXT:
                    column = WideColumn(
                        name=names(_score_name(head, item.id, suffix)),
                        kind="string",
                        label=f"{title}: {text} {where}",
                        short_label=f"{text} {where}",
                        **common,
                    )
                    found.append((column, {p: answer_text(v) or None for p, v in given.items()}))
                elif item.kind is ItemKind.CHOICE:
                    column = WideColumn(
                        name=names(_score_name(head, item.id, suffix)),
                        kind="category",
                        label=f"{title}: {text} {where}",
                        short_label=f"{text} {where}",
                        categories=_unique_labels(options),
                        **common,
                    )
                    codes = {code for code, _ in options}
                    values = {}
                    for person, value in given.items():
                        picked = choice_codes(value)
                        if len(picked) == 1 and picked[0] in codes:
                            values[person] = picked[0]
                    found.append((column, values))
                else:
                    for code, label in options:
                        column = WideColumn(
                            name=names(_score_name(head, f"{item.id}_{code}", suffix)),
                            kind="category",
                            label=f"{title}: {text}: {label} {where}",
                            short_label=f"{text}: {label} {where}",
                            categories=chosen_labels,
                            **common,
                        )
                        values = {}
                        for person, value in given.items():
                            picked = choice_codes(value)
                            if picked and set(picked) <= {c for c, _ in options}:
                                values[person] = "yes" if code in picked else "no"
                        found.append((column, values))
    return found


def wide_table(source: ExportSource) -> WideTable:
    """Return the wide analysis table of ``source``: one row per participant, by id.

    A score column ``<instrument>_<subscale>_<occasion>`` holds the subscale score (empty
    when not scored); a change column ``<instrument>_<subscale>_chg_<occasion>`` holds the
    score on that occasion minus the score before (``pre``), computed from the exact scores.
    Names longer than Stata's 32 characters shorten the instrument to its initials (for all
    of that instrument's columns), then the subscale. ``source.evaluation`` must be set (see
    :func:`~mio_core.prepare_source`).
    """
    if source.evaluation is None:
        raise ValueError(
            "the wide table needs the evaluation; build the source with prepare_source"
        )
    names = _Names()
    columns = _fixed_columns(source, names)
    stage_column = columns[-1]
    stage_order = {value: i for i, (value, _) in enumerate(stage_column.categories)}
    fixed = _fixed_values(source, stage_order)
    participants = set(fixed)

    scores: dict[tuple[str, str, str], dict[str, Score]] = defaultdict(dict)
    for score in source.evaluation.scores:
        if score.respondent in participants and score.value is not None:
            scores[(score.instrument, score.subscale, score.occasion)][score.respondent] = score

    words = _labels(source.language)

    def occasion_label(occasion: str) -> str:
        return _occasion_label(occasion, source.language)

    def change_label(subscale: str, occasion: str) -> str:
        return words["change"].format(subscale=subscale, occasion=occasion_label(occasion))

    measures: list[tuple[WideColumn, Any]] = []
    for instrument, occasions in _measured(source):
        title = text_in(instrument.title, source.language) or instrument.id
        suffixes = [occasion_code(o) for o in occasions]
        later = [o for o in occasions if o == "post" or o.startswith("follow-up:")]
        changes = later if "pre" in occasions else []
        suffixes += [f"chg_{occasion_code(o)}" for o in changes]
        longest = max(
            len(_ascii_name(f"{instrument.id}_{s.id}_{x}"))
            for s in instrument.subscales
            for x in suffixes
        )
        head = instrument.id if longest <= MAX_NAME else _abbreviation(instrument.id)
        for subscale in instrument.subscales:
            subscale_title = text_in(subscale.title, source.language) or subscale.id
            for occasion in occasions:
                column = WideColumn(
                    name=names(_score_name(head, subscale.id, occasion_code(occasion))),
                    kind="number",
                    label=f"{title}: {subscale_title} ({occasion_label(occasion)})",
                    short_label=f"{subscale_title} ({occasion_label(occasion)})",
                    instrument=instrument.id,
                    subscale=subscale.id,
                    occasion=occasion,
                )
                found = scores.get((instrument.id, subscale.id, occasion), {})
                measures.append((column, {p: s.value for p, s in found.items()}))
            for occasion in changes:
                column = WideColumn(
                    name=names(_score_name(head, subscale.id, f"chg_{occasion_code(occasion)}")),
                    kind="number",
                    label=f"{title}: {change_label(subscale_title, occasion)}",
                    short_label=change_label(subscale_title, occasion),
                    instrument=instrument.id,
                    subscale=subscale.id,
                    occasion=occasion,
                    change_from="pre",
                )
                before = scores.get((instrument.id, subscale.id, "pre"), {})
                after = scores.get((instrument.id, subscale.id, occasion), {})
                differences = {}
                for person in before.keys() & after.keys():
                    first = _exact(before[person], subscale.method)
                    second = _exact(after[person], subscale.method)
                    if first is not None and second is not None:
                        differences[person] = float(second - first)
                measures.append((column, differences))

    measures += _item_columns(source, names, participants)

    rows = tuple(
        (*fixed[person], *(values.get(person) for _, values in measures))
        for person in sorted(fixed)
    )
    return WideTable(columns=(*columns, *(column for column, _ in measures)), rows=rows)
