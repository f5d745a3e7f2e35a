"""The tidy tables of a research export, each described well enough for a codebook.

One table per kind of record, in long format (one row per answer, score, session...), with
typed fields, a primary key and foreign keys. The ``csv`` and ``datapackage`` formats write
them; plugins (a spreadsheet, say) can use :func:`tables` too. Rows are generated, not
collected, so a national-scale export streams.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..evaluation.results import EvaluationResult
from ..model import (
    Cohort,
    Instrument,
    ItemKind,
    Respondent,
    ResponseScale,
    ScoreMethod,
    Subscale,
    Workspace,
    answer_text,
    occasion_module,
    text_in,
)
from ..plugins.interfaces import ExportSource

Row = tuple[Any, ...]


@attrs.frozen(kw_only=True)
class Field:
    """A column: name, type (string, integer, number, date), meaning, and value labels."""

    name: str
    #: ``string``, ``integer``, ``number`` or ``date`` (Frictionless Table Schema types)
    type: str
    description: str
    #: value labels as (value, label) pairs, e.g. ((1, "Strongly disagree"), ...)
    categories: tuple[tuple[Any, str], ...] = ()


@attrs.frozen(kw_only=True)
class Table:
    """A table of the export: its fields, keys and a function that yields its rows."""

    name: str
    description: str
    fields: tuple[Field, ...]
    #: a function, not the rows: ``rows(source)`` yields one tuple per row, in field order
    rows: Callable[[ExportSource], Iterable[Row]]
    primary_key: tuple[str, ...] = ()
    #: (field, other table, its field) for each reference to another table
    foreign_keys: tuple[tuple[str, str, str], ...] = ()


def _enum(values: Iterable[Any]) -> tuple[tuple[Any, str], ...]:
    return tuple((str(v), str(v)) for v in values)


def _evaluation(source: ExportSource) -> EvaluationResult:
    if source.evaluation is None:
        raise ValueError("this export needs the evaluation; build the source with prepare_source")
    return source.evaluation


def _participants(source: ExportSource) -> Iterator[Row]:
    workspace = source.workspace
    codes = {o.id: o.municipality_code for o in workspace.organisations}
    cohort_of: dict[str, Cohort] = {}
    for cohort in workspace.cohorts:
        for person in cohort.participants:
            cohort_of.setdefault(person, cohort)
    for p in workspace.participants:
        identity = (p.name, p.email, p.unit) if source.identified else ()
        first = cohort_of.get(p.id)
        yield (
            p.id,
            *identity,
            p.organisation,
            codes.get(p.organisation),
            p.level,
            p.sector,
            None if first is None else first.id,
            None if first is None else first.joined.get(p.id),
            None if first is None else first.left.get(p.id),
            *_extensions(source, p.extensions),
        )


def _organisations(source: ExportSource) -> Iterator[Row]:
    for o in source.workspace.organisations:
        yield (
            o.id,
            o.name,
            o.kind,
            o.municipality_code,
            o.county_code,
            *_extensions(source, o.extensions),
        )


def _answers(source: ExportSource) -> Iterator[Row]:
    # per instrument, its scale items' missing-value codes: a scale item's answer is a
    # number (a text or choice item's, or one to an item the instrument does not have, is
    # text); an instrument not known has every answer taken as a number, none missing
    scale_items: dict[str, dict[str, frozenset[float]]] = {}
    for instrument in source.instruments().values():
        by_item: dict[str, frozenset[float]] = {}
        for question in instrument.items:
            if question.kind is ItemKind.SCALE:
                scale = instrument.scale_of(question)
                by_item[question.id] = (
                    frozenset(label.value for label in scale.missing) if scale else frozenset()
                )
        scale_items[instrument.id] = by_item
    nothing: frozenset[float] = frozenset()
    for r in source.workspace.responses:
        codes = scale_items.get(r.instrument)
        head = (r.respondent, r.instrument, r.occasion, occasion_module(r.occasion), r.date)
        for item, value in r.answers.items():
            missing = nothing if codes is None else codes.get(item)
            if missing is not None and not isinstance(value, str):
                yield (*head, item, value, 1 if value in missing else 0, None)
            else:  # a text or choice item's answer is text (a number written as text)
                yield (*head, item, None, 0, answer_text(value) or None)


def _scores(source: ExportSource) -> Iterator[Row]:
    for s in _evaluation(source).scores:
        yield (s.respondent, s.instrument, s.occasion, s.subscale, s.value, s.answered, s.items)


def _groups(source: ExportSource) -> Iterator[Row]:
    for g in _evaluation(source).groups:
        s = g.summary
        figures = (
            (s.n, s.mean, s.sd, s.median, s.min, s.max, s.ci_low, s.ci_high) if s else (None,) * 8
        )
        yield (
            g.instrument,
            g.occasion,
            g.module,
            g.measure,
            g.measure_kind,
            g.group_by,
            g.group,
            *figures,
            g.suppressed,
        )


def _distributions(source: ExportSource) -> Iterator[Row]:
    instruments = source.instruments()
    # An item's scale and labels, found once per item and value: every group repeats them.
    scales: dict[tuple[str, str], tuple[ResponseScale | None, dict[Any, str]]] = {}
    for g in _evaluation(source).groups:
        if g.measure_kind != "item" or g.summary is None:
            continue
        found = scales.get((g.instrument, g.measure))
        if found is None:
            instrument = instruments[g.instrument]
            item = instrument.item(g.measure)
            scale = instrument.scale_of(item) if item is not None else None
            found = scales[g.instrument, g.measure] = (scale, {})
        scale, labels = found
        for value, count in g.summary.distribution:
            label = labels.get(value)
            if label is None:
                label = labels[value] = (
                    text_in(scale.label(value), source.language) if scale else ""
                )
            yield (g.instrument, g.occasion, g.measure, g.group_by, g.group, value, label, count)


def _reliability(source: ExportSource) -> Iterator[Row]:
    for r in _evaluation(source).reliability:
        yield (
            r.instrument,
            r.occasion,
            r.subscale,
            None if r.suppressed else r.n,
            r.items,
            r.alpha,
            r.alpha_ci_low,
            r.alpha_ci_high,
            r.suppressed,
        )


def _item_total(source: ExportSource) -> Iterator[Row]:
    for r in _evaluation(source).reliability:
        for it in r.item_total:
            yield (
                r.instrument,
                r.occasion,
                r.subscale,
                it.item,
                it.correlation,
                it.alpha_if_deleted,
            )


def _changes(source: ExportSource) -> Iterator[Row]:
    for c in _evaluation(source).changes:
        yield (
            c.instrument,
            c.subscale,
            c.before,
            c.after,
            None if c.suppressed else c.n_pairs,
            c.mean_before,
            c.mean_after,
            c.mean_difference,
            c.sd_difference,
            c.ci_low,
            c.ci_high,
            c.t,
            c.df,
            c.p_t,
            c.d_z,
            c.d_z_ci_low,
            c.d_z_ci_high,
            c.d_av,
            c.wilcoxon_w,
            c.wilcoxon_p,
            c.wilcoxon_method,
            c.wilcoxon_n,
            c.suppressed,
        )


def _response_rates(source: ExportSource) -> Iterator[Row]:
    for r in _evaluation(source).response_rates:
        yield (r.instrument, r.occasion, r.cohort, r.expected, r.answered, r.unexpected, r.rate)


def _attendance(source: ExportSource) -> Iterator[Row]:
    for cohort in source.workspace.cohorts:
        for session in cohort.held_sessions():  # a planned session has no register yet
            came = set(session.attended)
            for participant in cohort.participants:
                yield (
                    cohort.id,
                    session.module,
                    session.date,
                    participant,
                    int(participant in came),
                )


def _goal_indicators(source: ExportSource) -> Iterator[Row]:
    kinds = {g.id: g.kind.value for g in source.workspace.concept.goals}
    for g in _evaluation(source).goal_indicators:
        met = None if g.met is None else int(g.met)
        yield (
            g.goal,
            kinds.get(g.goal),
            g.indicator,
            g.unit,
            g.target,
            g.value,
            g.n,
            met,
            g.suppressed,
        )


def _participant_hours(source: ExportSource) -> Iterator[Row]:
    for h in _evaluation(source).participant_hours:
        yield (
            h.organisation,
            h.participants,
            h.module_hours,
            h.coaching_hours,
            h.total_hours,
            h.suppressed,
        )


def _coaching_sessions(source: ExportSource) -> Iterator[Row]:
    for e in source.workspace.engagements:
        for s in e.sessions:
            yield (e.id, e.participant, e.coach, e.cohort, s.date, s.minutes, s.mode.value)


def _goal_attainment(source: ExportSource) -> Iterator[Row]:
    for g in _evaluation(source).participation.goal_attainment:
        yield (g.engagement, g.participant, g.cohort, g.goals, g.baseline, g.attainment)


def _has_text(source: ExportSource) -> bool:
    return source.identified or source.with_text


def _extensions(source: ExportSource, extensions: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The ``extensions`` cell (JSON text, keys sorted) where the table has the column."""
    if not _has_text(source):
        return ()
    if not extensions:
        return (None,)
    return (json.dumps(dict(extensions), sort_keys=True, ensure_ascii=False, default=str),)


def _projects(source: ExportSource) -> Iterator[Row]:
    with_text = _has_text(source)
    for p in source.workspace.projects:
        since = p.history[-1].date if p.history else None
        title = (text_in(p.title, source.language),) if with_text else ()
        yield (
            p.id,
            p.owner,
            p.cohort,
            p.organisation,
            *title,
            p.facet.value,
            p.stage,
            since,
            p.team_size,
            len(p.outcomes),
            *_extensions(source, p.extensions),
        )


def _outcomes(source: ExportSource) -> Iterator[Row]:
    for p in source.workspace.projects:
        for index, o in enumerate(p.outcomes, start=1):
            yield (p.id, index, o.level.value, o.date)


def _respondents_are_participants(workspace: Workspace, source: ExportSource) -> bool:
    instruments = source.instruments()
    return all(
        instruments[r].target is Respondent.PARTICIPANT
        for r in {resp.instrument for resp in workspace.responses}
        if r in instruments
    )


def tables(source: ExportSource) -> tuple[Table, ...]:
    """Return the tables of a research export of ``source``, in a sensible reading order;
    descriptions and value labels in ``source.language`` (Swedish or English)."""
    from .swedish import in_language

    return in_language(_tables(source), source.language)


def _tables(source: ExportSource) -> tuple[Table, ...]:
    F = Field
    identity = (
        (
            F(name="name", type="string", description="name (identified export only)"),
            F(name="email", type="string", description="email (identified export only)"),
            F(name="unit", type="string", description="the participant's unit"),
        )
        if source.identified
        else ()
    )
    concept = source.workspace.concept
    levels = tuple(
        (t.id, text_in(t.label, source.language)) for t in concept.terms("manager_levels")
    )
    kinds = tuple(
        (t.id, text_in(t.label, source.language)) for t in concept.terms("organisation_kinds")
    )
    respondent_fk = (
        (("respondent", "participants", "participant"),)
        if _respondents_are_participants(source.workspace, source)
        else ()
    )
    person = "a pseudonym unless the export is identified"
    # Free text names people and units: only in identified exports or when asked for.
    title = (
        (F(name="title", type="string", description="the project's title"),)
        if _has_text(source)
        else ()
    )
    # A plugin's fields may hold anything, personal data included: as free text.
    extensions = (
        (
            F(
                name="extensions",
                type="string",
                description="the plugins' extensions: fields, as JSON text (empty if none)",
            ),
        )
        if _has_text(source)
        else ()
    )
    group_figures = (
        F(name="n", type="integer", description="respondents with a value"),
        F(name="mean", type="number", description="mean"),
        F(name="sd", type="number", description="standard deviation (n - 1)"),
        F(name="median", type="number", description="median"),
        F(name="min", type="number", description="smallest value"),
        F(name="max", type="number", description="largest value"),
        F(
            name="ci_low",
            type="number",
            description="95 % confidence interval of the mean, lower (Student's t)",
        ),
        F(name="ci_high", type="number", description="95 % confidence interval of the mean, upper"),
    )
    suppressed = F(
        name="suppressed",
        type="string",
        description="empty when shown; primary: fewer respondents than the minimum group size; "
        "secondary: hidden so that no small group can be worked out by subtraction",
        categories=(
            ("primary", "fewer than the minimum group size"),
            ("secondary", "hidden to protect another group"),
        ),
    )
    return (
        Table(
            name="organisations",
            description="Organisations",
            primary_key=("organisation",),
            rows=_organisations,
            fields=(
                F(name="organisation", type="string", description="organisation id"),
                F(name="name", type="string", description="name"),
                F(
                    name="kind",
                    type="string",
                    description="kind of organisation",
                    categories=kinds,
                ),
                F(name="municipality_code", type="string", description="SCB municipality code"),
                F(name="county_code", type="string", description="SCB county code"),
                *extensions,
            ),
        ),
        Table(
            name="participants",
            description="Participants (managers)",
            primary_key=("participant",),
            rows=_participants,
            foreign_keys=(("organisation", "organisations", "organisation"),),
            fields=(
                F(name="participant", type="string", description=f"participant id ({person})"),
                *identity,
                F(name="organisation", type="string", description="organisation id"),
                F(
                    name="municipality_code",
                    type="string",
                    description="SCB municipality code of the organisation",
                ),
                F(name="level", type="string", description="manager level", categories=levels),
                F(name="sector", type="string", description="sector of operations"),
                F(
                    name="cohort",
                    type="string",
                    description="the first cohort the participant belongs to",
                ),
                F(
                    name="joined",
                    type="date",
                    description="the day the participant joined that cohort, when after its "
                    "start (empty: from the start)",
                ),
                F(
                    name="left",
                    type="date",
                    description="the day the participant left that cohort, when before its "
                    "end (empty: stayed to the end)",
                ),
                *extensions,
            ),
        ),
        Table(
            name="answers",
            description="Answers, one row per respondent, occasion and item",
            primary_key=("respondent", "instrument", "occasion", "item"),
            rows=_answers,
            foreign_keys=respondent_fk,
            fields=(
                F(name="respondent", type="string", description=f"who answered ({person})"),
                F(name="instrument", type="string", description="instrument id"),
                F(
                    name="occasion",
                    type="string",
                    description="pre, post, module:<id> or follow-up:<n>m",
                ),
                F(name="module", type="string", description="the module of a module:<id> occasion"),
                F(name="date", type="date", description="date answered"),
                F(
                    name="item",
                    type="string",
                    description="item id; see the codebook for its text and value labels",
                ),
                F(
                    name="value",
                    type="number",
                    description="the answer as given; empty when unanswered",
                ),
                F(
                    name="missing_code",
                    type="integer",
                    description="1 when the value is a 'don't know' / missing code",
                    categories=((0, "an answer on the scale or empty"), (1, "a missing code")),
                ),
                F(
                    name="text",
                    type="string",
                    description="the answer to a text item, or the option codes chosen in a "
                    "choice or multi-choice item (separated by ';'); text answers only in "
                    "identified exports or with --with-text",
                ),
            ),
        ),
        Table(
            name="scores",
            description="Subscale scores per respondent and occasion",
            primary_key=("respondent", "instrument", "occasion", "subscale"),
            rows=_scores,
            foreign_keys=respondent_fk,
            fields=(
                F(name="respondent", type="string", description=f"who answered ({person})"),
                F(name="instrument", type="string", description="instrument id"),
                F(name="occasion", type="string", description="occasion"),
                F(name="subscale", type="string", description="subscale id"),
                F(
                    name="score",
                    type="number",
                    description="mean of answered items (reverse-coded where stated); a prorated sum for sum subscales; empty below the minimum share answered",
                ),
                F(name="answered", type="integer", description="items answered"),
                F(name="items", type="integer", description="items in the subscale"),
            ),
        ),
        Table(
            name="group_results",
            description="Results per group (small groups suppressed)",
            primary_key=("instrument", "occasion", "measure", "group_by", "group"),
            rows=_groups,
            fields=(
                F(name="instrument", type="string", description="instrument id"),
                F(name="occasion", type="string", description="occasion"),
                F(name="module", type="string", description="module of a module:<id> occasion"),
                F(name="measure", type="string", description="subscale or item id"),
                F(
                    name="measure_kind",
                    type="string",
                    description="subscale or item",
                    categories=_enum(["subscale", "item"]),
                ),
                F(
                    name="group_by",
                    type="string",
                    description="all, cohort or organisation",
                    categories=_enum(["all", "cohort", "organisation"]),
                ),
                F(name="group", type="string", description="the group's id (all for everyone)"),
                *group_figures,
                suppressed,
            ),
        ),
        Table(
            name="distributions",
            description="How many chose each answer option, per item and group (shown groups only)",
            primary_key=("instrument", "occasion", "item", "group_by", "group", "value"),
            rows=_distributions,
            fields=(
                F(name="instrument", type="string", description="instrument id"),
                F(name="occasion", type="string", description="occasion"),
                F(name="item", type="string", description="item id"),
                F(name="group_by", type="string", description="all, cohort or organisation"),
                F(name="group", type="string", description="the group's id"),
                F(name="value", type="integer", description="answer option"),
                F(name="label", type="string", description="the option's label"),
                F(name="count", type="integer", description="respondents who chose it"),
            ),
        ),
        Table(
            name="reliability",
            description="Cronbach's alpha per subscale and occasion",
            primary_key=("instrument", "occasion", "subscale"),
            rows=_reliability,
            fields=(
                F(name="instrument", type="string", description="instrument id"),
                F(name="occasion", type="string", description="occasion"),
                F(name="subscale", type="string", description="subscale id"),
                F(name="n", type="integer", description="respondents who answered every item"),
                F(name="items", type="integer", description="items in the subscale"),
                F(name="alpha", type="number", description="Cronbach's alpha"),
                F(
                    name="alpha_ci_low",
                    type="number",
                    description="95 % CI of alpha, lower (Feldt 1965, F distribution)",
                ),
                F(
                    name="alpha_ci_high",
                    type="number",
                    description="95 % CI of alpha, upper (Feldt 1965, F distribution)",
                ),
                suppressed,
            ),
        ),
        Table(
            name="item_total",
            description="Corrected item-total correlations",
            primary_key=("instrument", "occasion", "subscale", "item"),
            rows=_item_total,
            fields=(
                F(name="instrument", type="string", description="instrument id"),
                F(name="occasion", type="string", description="occasion"),
                F(name="subscale", type="string", description="subscale id"),
                F(name="item", type="string", description="item id"),
                F(
                    name="correlation",
                    type="number",
                    description="correlation of the item with the sum of the other items",
                ),
                F(name="alpha_if_deleted", type="number", description="alpha without this item"),
            ),
        ),
        Table(
            name="changes",
            description="Paired change between occasions",
            primary_key=("instrument", "subscale", "before", "after"),
            rows=_changes,
            fields=(
                F(name="instrument", type="string", description="instrument id"),
                F(name="subscale", type="string", description="subscale id"),
                F(name="before", type="string", description="earlier occasion"),
                F(name="after", type="string", description="later occasion"),
                F(name="n_pairs", type="integer", description="respondents with both scores"),
                F(name="mean_before", type="number", description="mean score before"),
                F(name="mean_after", type="number", description="mean score after"),
                F(name="mean_difference", type="number", description="mean of after - before"),
                F(name="sd_difference", type="number", description="sd of the differences"),
                F(
                    name="ci_low",
                    type="number",
                    description="95 % CI of the mean difference, lower",
                ),
                F(
                    name="ci_high",
                    type="number",
                    description="95 % CI of the mean difference, upper",
                ),
                F(
                    name="t",
                    type="number",
                    description="paired t statistic: mean difference / (sd / sqrt(n_pairs))",
                ),
                F(name="df", type="integer", description="degrees of freedom of t: n_pairs - 1"),
                F(name="p_t", type="number", description="two-sided p of the paired t test"),
                F(
                    name="d_z",
                    type="number",
                    description="Cohen's d_z: mean difference / sd of differences",
                ),
                F(
                    name="d_z_ci_low",
                    type="number",
                    description="approximate 95 % CI of d_z, lower: "
                    "d_z - t(0.975, n - 1) * sqrt(1/n + d_z^2/(2n))",
                ),
                F(
                    name="d_z_ci_high",
                    type="number",
                    description="approximate 95 % CI of d_z, upper",
                ),
                F(
                    name="d_av",
                    type="number",
                    description="Cohen's d_av (Lakens 2013): mean difference / "
                    "mean of the sd before and the sd after",
                ),
                F(
                    name="wilcoxon_w",
                    type="number",
                    description="Wilcoxon signed-rank statistic W: the smaller rank sum",
                ),
                F(
                    name="wilcoxon_p",
                    type="number",
                    description="two-sided p of the Wilcoxon signed-rank test",
                ),
                F(
                    name="wilcoxon_method",
                    type="string",
                    description="how wilcoxon_p was found: exact, or normal (approximation "
                    "with the tie correction, no continuity correction)",
                ),
                F(
                    name="wilcoxon_n",
                    type="integer",
                    description="non-zero differences ranked by the Wilcoxon test",
                ),
                suppressed,
            ),
        ),
        Table(
            name="response_rates",
            description="Who was expected to answer, and who did",
            primary_key=("instrument", "occasion", "cohort"),
            rows=_response_rates,
            fields=(
                F(name="instrument", type="string", description="instrument id"),
                F(name="occasion", type="string", description="occasion"),
                F(name="cohort", type="string", description="cohort id"),
                F(name="expected", type="integer", description="expected respondents"),
                F(name="answered", type="integer", description="expected respondents who answered"),
                F(
                    name="unexpected",
                    type="integer",
                    description="answers from cohort members not expected",
                ),
                F(name="rate", type="number", description="answered / expected"),
            ),
        ),
        Table(
            name="attendance",
            description="Attendance register: one row per held session and participant",
            primary_key=("cohort", "module", "date", "participant"),
            rows=_attendance,
            foreign_keys=(("participant", "participants", "participant"),),
            fields=(
                F(name="cohort", type="string", description="cohort id"),
                F(name="module", type="string", description="module id"),
                F(name="date", type="date", description="date of the session"),
                F(name="participant", type="string", description=f"participant ({person})"),
                F(
                    name="present",
                    type="integer",
                    description="1 present, 0 absent",
                    categories=((0, "absent"), (1, "present")),
                ),
            ),
        ),
        Table(
            name="participant_hours",
            description="Participant-hours per organisation (co-financing figures): hours of "
            "held module sessions attended plus coaching hours; organisation 'all' is every "
            "organisation; a suppressed row has no figures",
            primary_key=("organisation",),
            rows=_participant_hours,
            fields=(
                F(
                    name="organisation",
                    type="string",
                    description="organisation id, or 'all' for every organisation",
                ),
                F(
                    name="participants",
                    type="integer",
                    description="the organisation's participants in any cohort",
                ),
                F(
                    name="module_hours",
                    type="number",
                    description="sum over held module sessions of the module's hours per "
                    "participant of the organisation who attended",
                ),
                F(
                    name="coaching_hours",
                    type="number",
                    description="sum of the participants' coaching session minutes / 60",
                ),
                F(
                    name="total_hours",
                    type="number",
                    description="module_hours + coaching_hours",
                ),
                F(
                    name="suppressed",
                    type="string",
                    description="why the row has no figures: primary (fewer than the minimum "
                    "group size) or secondary (a difference would reveal a small group)",
                    categories=_enum(["primary", "secondary"]),
                ),
            ),
        ),
        Table(
            name="coaching_sessions",
            description="Coaching sessions",
            rows=_coaching_sessions,
            foreign_keys=(("participant", "participants", "participant"),),
            fields=(
                F(name="engagement", type="string", description="coaching engagement id"),
                F(name="participant", type="string", description=f"participant ({person})"),
                F(name="coach", type="string", description=f"coach ({person})"),
                F(name="cohort", type="string", description="cohort id"),
                F(name="date", type="date", description="date of the session"),
                F(name="minutes", type="integer", description="length in minutes"),
                F(
                    name="mode",
                    type="string",
                    description="on-site, video or phone",
                    categories=_enum(["on-site", "video", "phone"]),
                ),
            ),
        ),
        Table(
            name="goal_attainment",
            description="Goal Attainment Scaling T-scores per coaching engagement",
            primary_key=("engagement",),
            rows=_goal_attainment,
            foreign_keys=(("participant", "participants", "participant"),),
            fields=(
                F(name="engagement", type="string", description="coaching engagement id"),
                F(name="participant", type="string", description=f"participant ({person})"),
                F(name="cohort", type="string", description="cohort id"),
                F(name="goals", type="integer", description="goals in the engagement"),
                F(
                    name="baseline_t",
                    type="number",
                    description="GAS T-score of the baseline levels",
                ),
                F(
                    name="attainment_t",
                    type="number",
                    description="GAS T-score of the attained levels (50 = as expected)",
                ),
            ),
        ),
        Table(
            name="goal_indicators",
            description="The concept's goals that name an indicator: its value against the "
            "goal's target; a suppressed row has no value",
            primary_key=("goal",),
            rows=_goal_indicators,
            fields=(
                F(name="goal", type="string", description="goal id (concept.yaml)"),
                F(
                    name="kind",
                    type="string",
                    description="result goal or effect goal",
                    categories=_enum(["result", "effect"]),
                ),
                F(name="indicator", type="string", description="indicator name"),
                F(
                    name="unit",
                    type="string",
                    description="the value's unit: share (0-1), number or count",
                    categories=_enum(["share", "number", "count"]),
                ),
                F(name="target", type="number", description="the goal's target"),
                F(name="value", type="number", description="the indicator's value"),
                F(name="n", type="integer", description="people the value rests on"),
                F(
                    name="met",
                    type="integer",
                    description="1 the value reaches the target, 0 not; empty without both",
                    categories=((0, "not met"), (1, "met")),
                ),
                F(
                    name="suppressed",
                    type="string",
                    description="why there is no value: primary or secondary suppression",
                    categories=_enum(["primary", "secondary"]),
                ),
            ),
        ),
        Table(
            name="projects",
            description="Innovation projects",
            primary_key=("project",),
            rows=_projects,
            foreign_keys=(
                ("owner", "participants", "participant"),
                ("organisation", "organisations", "organisation"),
            ),
            fields=(
                F(name="project", type="string", description="project id"),
                F(
                    name="owner",
                    type="string",
                    description=f"the participant who owns it ({person})",
                ),
                F(name="cohort", type="string", description="cohort id"),
                F(name="organisation", type="string", description="organisation id"),
                *title,
                F(
                    name="facet",
                    type="string",
                    description="OECD-OPSI facet",
                    categories=_enum(["enhancement", "mission", "adaptive", "anticipatory"]),
                ),
                F(name="stage", type="string", description="current lifecycle stage"),
                F(name="stage_since", type="date", description="date the current stage began"),
                F(name="team_size", type="integer", description="people in the project team"),
                F(name="outcomes", type="integer", description="outcomes recorded"),
                *extensions,
            ),
        ),
        Table(
            name="outcomes",
            description="Outcomes of the innovation projects",
            primary_key=("project", "outcome"),
            rows=_outcomes,
            foreign_keys=(("project", "projects", "project"),),
            fields=(
                F(name="project", type="string", description="project id"),
                F(
                    name="outcome",
                    type="integer",
                    description="number of the outcome within the project",
                ),
                F(
                    name="level",
                    type="string",
                    description="how far it reaches",
                    categories=_enum(["individual", "unit", "organisation", "citizens"]),
                ),
                F(name="date", type="date", description="date"),
            ),
        ),
    )


CODEBOOK_FIELDS = (
    Field(name="table", type="string", description="the table (file) the variable is in"),
    Field(
        name="variable",
        type="string",
        description="column; instrument/item for answers, instrument/subscale for scores",
    ),
    Field(name="type", type="string", description="string, integer, number or date"),
    Field(name="description", type="string", description="what it means"),
    Field(
        name="value",
        type="string",
        description="a value with a label (empty on the variable's own row)",
    ),
    Field(name="label", type="string", description="the value's label"),
)


def subscale_rule(instrument: Instrument, subscale: Subscale, language: str = "en") -> str:
    """How a subscale's score is made from the answers, in words (Swedish for ``"sv"``):
    which items, which of them reverse-coded, and how many must be answered (as
    ``evaluation.scoring`` does)."""
    items = len(subscale.items)
    needed = next(k for k in range(1, items + 1) if k / items >= subscale.min_answered)
    listed = ", ".join(subscale.items)
    sv = language == "sv"
    if subscale.method is ScoreMethod.MEAN:
        made = "medelvärdet" if sv else "mean"
    else:
        made = (
            f"medelvärdet × {items} (en uppräknad summa)"
            if sv
            else f"mean × {items} (a prorated sum)"
        )
    if sv:
        rule = f"{made} av frågorna {listed} besvarade på sin skala"
    else:
        rule = f"{made} of the items {listed} answered on their scale"
    value = "värde" if sv else "value"
    for item_id in subscale.reverse:
        item = instrument.item(item_id)
        scale = None if item is None else instrument.scale_of(item)
        mirror = "" if scale is None else f" = {_number(scale.min + scale.max)} − {value}"
        reversed_ = "omvänt kodad" if sv else "reverse-coded"
        rule += f"; {item_id} {reversed_} (min + max − {value}{mirror})"
    if sv:
        return f"{rule}; räknas när minst {needed} av dess {items} frågor är besvarade, annars tomt"
    return f"{rule}; scored when at least {needed} of its {items} items are answered, else empty"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def codebook_rows(source: ExportSource, described: Iterable[Table]) -> Iterator[Row]:
    """Yield the codebook: every variable of every table, its value labels, and each item's
    text and answer labels."""
    for table in described:
        for field in table.fields:
            yield (table.name, field.name, field.type, field.description, "", "")
            for value, label in field.categories:
                yield (table.name, field.name, field.type, "", value, label)
    instruments = source.instruments()
    used = sorted({r.instrument for r in source.workspace.responses})
    for instrument_id in used:
        instrument = instruments.get(instrument_id)
        if instrument is None:
            continue
        for item in instrument.items:
            variable = f"{instrument.id}/{item.id}"
            kind = "number" if item.kind is ItemKind.SCALE else "string"
            yield ("answers", variable, kind, text_in(item.text, source.language), "", "")
            for option in item.options:
                yield (
                    "answers",
                    variable,
                    kind,
                    "",
                    option.code,
                    text_in(option.text, source.language),
                )
            scale = instrument.scale_of(item)
            if scale is None:
                continue
            for scale_label in (*scale.labels, *scale.missing):
                yield (
                    "answers",
                    variable,
                    "number",
                    "",
                    scale_label.value,
                    text_in(scale_label.text, source.language),
                )
        for subscale in instrument.subscales:
            variable = f"{instrument.id}/{subscale.id}"
            rule = subscale_rule(instrument, subscale, source.language)
            yield ("scores", variable, "number", rule, "", "")
