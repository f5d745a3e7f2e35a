"""The evaluation view: what every renderer lays out, built once from an evaluation.

:func:`build_view` turns an :class:`~.results.EvaluationResult` into an
:class:`EvaluationView` — ordered :class:`Section`\\ s of :class:`Table`\\ s and
:class:`Figure`\\ s, with labels in the requested language (titles, never ids; cohorts and
other groups in natural order of their titles) and the disclosure audit's suppression
already applied: a suppressed :class:`Cell` carries no value, only why it is hidden.
Numbers stay numbers; renderers write them with :mod:`mio_core.render.formats`.

Text (``mio evaluate``), Markdown (the ``markdown`` export), HTML (mio-report) and any
plugin's renderer only lay out a view; none of them computes or hides a figure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from typing import Any

import attrs

from ..model import EvaluationLevel, Instrument, Subscale, Workspace, occasion_order, text_in
from ..model.workspace import expect_workspace
from ..plugins.registry import Registry
from ..problems import InvocationError
from ..render.formats import format_value, prose_date
from .coaching import coaching_summary, has_coaching
from .disclosure import PRIMARY, order_statistics_minimum
from .groups import ALL
from .results import Analysis, Count, EvaluationResult, GroupResult, Reliability
from .words import require_language, words_for

__all__ = [
    "Cell",
    "Column",
    "EvaluationView",
    "Figure",
    "Row",
    "Section",
    "Series",
    "Table",
    "build_view",
    "natural_key",
]

#: the kinds of a column's values (see :func:`mio_core.render.formats.format_value`)
KINDS = ("text", "count", "number", "interval", "p", "share")
#: the kinds of a figure
FIGURE_KINDS = ("bars", "diverging-bars", "change")

Value = str | int | float | tuple[float | None, float | None] | None


@attrs.frozen(kw_only=True)
class Column:
    """A table column: its key, its label in the view's language, the kind of its values
    and, for numbers and intervals, how many decimals to show."""

    key: str
    label: str
    kind: str = attrs.field(default="text", validator=attrs.validators.in_(KINDS))
    digits: int = 2


@attrs.frozen(kw_only=True)
class Cell:
    """One value of a row, or — when ``suppressed`` says why (``primary``: fewer than the
    minimum group size; ``secondary``: hidden so that no difference reveals a small group)
    — no value at all."""

    value: Value = None
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class Row:
    """A table row: one cell per column, in the columns' order. ``part`` is the part of
    the programme the row's group belongs to — the county of a cohort (where most of its
    participants' organisations are; on a tie the deliverer's, else the lowest county code),
    when the cohorts come from more than one county — so that a renderer can group the
    detail by it."""

    cells: tuple[Cell, ...]
    part: str = ""

    @property
    def suppressed(self) -> str | None:
        """Why the row's figures are hidden, or None when every cell is shown."""
        return next((c.suppressed for c in self.cells if c.suppressed), None)


@attrs.frozen(kw_only=True)
class Table:
    """A captioned table of labelled columns and rows; ``note`` explains its measures."""

    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""

    def __attrs_post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"table {self.id}: a row has {len(row.cells)} cells, not {len(self.columns)}"
                )


@attrs.frozen(kw_only=True)
class Series:
    """One labelled row of a chart: its values (None where not shown), or no values and
    why they are suppressed."""

    label: str
    values: tuple[float | None, ...] = ()
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class Figure:
    """Chart data, for a renderer that draws (mio-report) or writes ``alt`` (text).

    ``kind`` ``bars``: one value per series (``value_kind`` ``share`` or ``count``);
    ``diverging-bars``: the count of each answer option per series, ``categories`` the
    options' labels (lowest first); ``change``: per series (mean before, mean after, low
    and high bound of the difference's 95 % CI), ``categories`` the labels of before and
    after. ``alt`` is the text alternative, its numbers in the view's language;
    ``sentence`` (headline charts) says in one sentence what the chart answers.
    """

    id: str
    kind: str = attrs.field(validator=attrs.validators.in_(FIGURE_KINDS))
    title: str
    series: tuple[Series, ...]
    categories: tuple[str, ...] = ()
    value_kind: str = "number"
    alt: str = ""
    sentence: str = ""


@attrs.frozen(kw_only=True)
class Section:
    """A part of the view: a heading, an intro, tables, figures and subsections, in that
    order. ``level`` is the evaluation level's code (``L1``…) where the section is one."""

    id: str
    title: str
    level: str | None = None
    intro: str = ""
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()
    subsections: tuple[Section, ...] = ()


@attrs.frozen(kw_only=True)
class EvaluationView:
    """The evaluation as every renderer shows it, in ``language``.

    ``suppressed_label`` is the word a renderer writes for a suppressed cell;
    ``min_group_size`` lets it add "(n < k)" for a primary suppression; ``total_label``
    is the group label of a table's total rows (a renderer may set the other groups apart).
    """

    language: str
    title: str
    concept: str
    min_group_size: int
    suppressed_label: str
    notes: tuple[str, ...]
    sections: tuple[Section, ...]
    #: the label of the total group (the row "all" of a table with a group column)
    total_label: str = "all"

    def to_dict(self) -> dict[str, Any]:
        """Return the view as plain JSON-ready values (tuples become lists)."""
        return attrs.asdict(self)

    def section(self, id: str) -> Section:
        """Return the section (at any depth) with ``id``; KeyError if there is none."""
        stack = list(self.sections)
        while stack:
            section = stack.pop(0)
            if section.id == id:
                return section
            stack.extend(section.subsections)
        raise KeyError(id)


#: Swedish alphabetical order (Svenska Akademiens ordlista): å, ä and ö are letters of their
#: own after z (æ sorts as ä, ø as ö, ü as y); other accented letters sort as the plain letter
#: (é as e). The three are written as private-use characters, which follow every letter.
_SWEDISH_LETTERS = {"å": "\ue000", "ä": "\ue001", "æ": "\ue001", "ö": "\ue002", "ø": "\ue002"}
_SWEDISH_LETTERS["ü"] = "y"


def _swedish(text: str) -> str:
    return "".join(
        _SWEDISH_LETTERS.get(char)
        or "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        for char in text
    )


def natural_key(text: str, language: str = "") -> tuple[tuple[int, int | str], ...]:
    """Return a sort key that puts "cohort 2" before "cohort 10" (case ignored); in Swedish
    (``language="sv"``) letters in Swedish order: "Åtvidaberg", "Ödeshög" after "Ydre"."""
    folded = text.casefold()
    if language == "sv":
        folded = _swedish(folded)
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", folded)
        if part
    )


class ReaderError(InvocationError, ValueError):
    """A reader's view (``build_view(..., organisation=, cohort=)``) of an organisation or
    cohort the workspace does not have, or of both: a :class:`~mio_core.MioError` the
    caller can show, and a ValueError as it was documented before."""


class _Labels:
    """Titles of the workspace's things in one language, never their ids (an id only where
    a thing has no title)."""

    def __init__(self, workspace: Workspace, language: str, registry: Registry | None) -> None:
        self.language = language
        self.words = words_for(language)
        concept = workspace.concept
        self.modules = {m.id: self.text(m.title) or m.id for m in concept.modules}
        self.module_order = tuple(m.id for m in sorted(concept.modules, key=lambda m: m.order))
        self.cohorts = {c.id: self.text(c.title) or c.id for c in workspace.cohorts}
        self.organisations = {o.id: o.name or o.id for o in workspace.organisations}
        lifecycle = registry.lifecycles.get(concept.lifecycle) if registry is not None else None
        self.stages = (
            {s.id: self.text(s.title) or s.id for s in lifecycle.stages} if lifecycle else {}
        )
        self.stage_order = tuple(s.id for s in lifecycle.stages) if lifecycle else ()
        self.parts = _counties(workspace)
        #: (``organisation`` or ``cohort``, id) of the one reader a report is for, or None
        self.reader: tuple[str, str] | None = None
        self.reader_cohorts: frozenset[str] = frozenset(c.id for c in workspace.cohorts)
        self.indicators = (
            {i.name: self.text(i.title) or i.name for i in registry.indicators.values()}
            if registry is not None
            else {}
        )

    def for_reader(self, workspace: Workspace, organisation: str, cohort: str) -> None:
        """Show the groups of one organisation (its cohorts too) or one cohort, besides
        the programme's totals; raise ValueError naming the known ids for an unknown one."""
        if organisation and cohort:
            raise ReaderError("a report is for one organisation or one cohort, not both")
        if organisation:
            if organisation not in self.organisations:
                known = ", ".join(sorted(self.organisations))
                raise ReaderError(f"no organisation {organisation!r} (the workspace has: {known})")
            members = {p.id for p in workspace.participants if p.organisation == organisation}
            self.reader = ("organisation", organisation)
            self.reader_cohorts = frozenset(
                c.id for c in workspace.cohorts if members & set(c.participants)
            )
        elif cohort:
            if cohort not in self.cohorts:
                known = ", ".join(sorted(self.cohorts))
                raise ReaderError(f"no cohort {cohort!r} (the workspace has: {known})")
            self.reader = ("cohort", cohort)
            self.reader_cohorts = frozenset({cohort})

    def shows(self, group_by: str, group: str) -> bool:
        """Whether a group result is in the view: the total, and the cohorts — or, in a
        reader's view, the total and the reader's own group."""
        if group_by == ALL:
            return True
        if self.reader is None:
            return group_by == "cohort"
        return (group_by, group) == self.reader

    def text(self, value: Any) -> str:
        return text_in(value, self.language)

    def word(self, key: str) -> str:
        return self.words.get(key, key)

    def occasion(self, occasion: str) -> str:
        if occasion in ("pre", "post"):
            return self.words[occasion]
        if occasion.startswith("module:"):
            module = occasion.split(":", 1)[1]
            return self.modules.get(module, module)
        if occasion.startswith("follow-up:"):
            months = occasion.split(":", 1)[1].removesuffix("m")
            return self.words["follow-up"].format(months=months)
        return occasion

    def group(self, group_by: str, group: str) -> str:
        if group_by == ALL:
            return self.words["all"]
        if group_by == "cohort":
            return self.cohorts.get(group, group)
        if group_by == "organisation":
            return self.organisations.get(group, group)
        return group


def _counties(workspace: Workspace) -> dict[str, str]:
    """The county of each cohort (the one most of its participants' organisations are in,
    else its deliverer's), by name; empty unless the cohorts come from two counties or more.
    Counties tied for the most participants give the deliverer's when it is one of them,
    else the lowest county code: never the order the participants are listed in."""
    from collections import Counter

    from ..data import counties

    names = {row["county_code"]: row["county_name"] for row in counties()}
    county_of = {o.id: o.county_code for o in workspace.organisations if o.county_code}
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    parts = {}
    for cohort in workspace.cohorts:
        codes = Counter(
            county_of[organisation_of[p]]
            for p in cohort.participants
            if organisation_of.get(p) in county_of
        )
        deliverer = county_of.get(cohort.delivered_by)
        code = deliverer
        if codes:
            most = max(codes.values())
            tied = sorted(c for c, n in codes.items() if n == most)
            code = deliverer if deliverer in tied else tied[0]
        if code:
            parts[cohort.id] = names.get(code, code)
    return parts if len(set(parts.values())) > 1 else {}


def _cells(values: Sequence[Value], suppressed: str | None, labels: int) -> tuple[Cell, ...]:
    """The first ``labels`` cells always shown; the figures hidden when ``suppressed``."""
    return tuple(
        Cell(value=v) if i < labels or not suppressed else Cell(suppressed=suppressed)
        for i, v in enumerate(values)
    )


def _alt(title: str, parts: Sequence[str]) -> str:
    return f"{title}: " + "; ".join(parts) + "." if parts else title


def _bars(
    id: str,
    title: str,
    rows: Sequence[tuple[str, float | None, str | None]],
    kind: str,
    lang: str,
    hidden: str,
) -> Figure:
    series = tuple(
        Series(label=label, values=() if why else (value,), suppressed=why)
        for label, value, why in rows
    )
    digits = 2 if kind == "number" else 0
    parts = [
        f"{s.label} {hidden if s.suppressed else format_value(s.values[0], kind, lang, digits)}"
        for s in series
    ]
    return Figure(
        id=id, kind="bars", title=title, series=series, value_kind=kind, alt=_alt(title, parts)
    )


def _participation(result: EvaluationResult, workspace: Workspace, lab: _Labels) -> Section:
    w = lab.word
    cohorts = sorted(
        (c for c in workspace.cohorts if c.id in lab.reader_cohorts),
        key=lambda c: natural_key(lab.cohorts[c.id], lab.language),
    )
    cohort_table = Table(
        id="cohorts",
        caption=w("cohorts"),
        columns=(
            Column(key="cohort", label=w("cohort")),
            Column(key="delivered_by", label=w("delivered_by")),
            Column(key="start", label=w("start")),
            Column(key="end", label=w("end")),
            Column(key="participants", label=w("participants"), kind="count"),
        ),
        rows=tuple(
            Row(
                cells=_cells(
                    [
                        lab.cohorts[c.id],
                        lab.organisations.get(c.delivered_by, c.delivered_by),
                        c.start.isoformat(),
                        c.end.isoformat(),
                        len(c.participants),
                    ],
                    None,
                    5,
                ),
                part=lab.parts.get(c.id, ""),
            )
            for c in cohorts
        ),
    )
    order = {m: i for i, m in enumerate(lab.module_order)}
    attendance = sorted(
        (a for a in result.attendance if a.cohort == ALL or a.cohort in lab.reader_cohorts),
        key=lambda a: (
            order.get(a.module, len(order)),
            a.module,
            a.cohort != ALL,
            natural_key(lab.cohorts.get(a.cohort, a.cohort), lab.language),
        ),
    )
    attendance_table = Table(
        id="attendance",
        caption=w("attendance"),
        columns=(
            Column(key="module", label=w("module")),
            Column(key="cohort", label=w("cohort")),
            Column(key="attended", label=w("attended"), kind="count"),
            Column(key="expected", label=w("expected"), kind="count"),
            Column(key="rate", label=w("rate"), kind="share"),
        ),
        rows=tuple(
            Row(
                cells=_cells(
                    [
                        lab.modules.get(a.module, a.module),
                        w("all") if a.cohort == ALL else lab.cohorts.get(a.cohort, a.cohort),
                        a.attended,
                        a.participants,
                        a.rate,
                    ],
                    a.suppressed or (None if a.attended is not None else PRIMARY),
                    2,
                ),
                part=lab.parts.get(a.cohort, ""),
            )
            for a in attendance
        ),
    )
    overall = [a for a in attendance if a.cohort == ALL]
    figures = (
        (
            _bars(
                "attendance-chart",
                w("attendance"),
                [(lab.modules.get(a.module, a.module), a.rate, a.suppressed) for a in overall],
                "share",
                lab.language,
                w("suppressed"),
            ),
        )
        if any(a.rate is not None for a in overall)
        else ()
    )
    hours = _participant_hours(result, lab, has_coaching(workspace))
    return Section(
        id="participation",
        title=w("participation"),
        tables=(cohort_table, attendance_table, *((hours,) if hours else ())),
        figures=figures,
    )


def _goals(result: EvaluationResult, workspace: Workspace, lab: _Labels) -> Section | None:
    """The concept's goals that name an indicator: value against target, one table per
    unit (a column's values share one kind); None when no goal names one."""
    if not result.goal_indicators:
        return None
    w = lab.word
    goals = {g.id: g for g in workspace.concept.goals}
    units = list(dict.fromkeys(g.unit for g in result.goal_indicators))
    tables = []
    for unit in units:
        kind = unit if unit in KINDS else "number"
        rows = []
        for g in result.goal_indicators:
            if g.unit != unit:
                continue
            goal = goals.get(g.goal)
            met = None if g.met is None else w("yes") if g.met else w("no")
            rows.append(
                Row(
                    cells=(
                        Cell(value=lab.text(goal.text) if goal else g.goal),
                        Cell(value=w(f"{goal.kind.value}_goal") if goal else ""),
                        Cell(value=lab.indicators.get(g.indicator, g.indicator)),
                        Cell(value=g.target),
                        *_cells([g.value, g.n, met], g.suppressed, 0),
                    )
                )
            )
        tables.append(
            Table(
                id="goal-indicators" if unit == units[0] else f"goal-indicators-{unit}",
                caption=w("goals") if len(units) == 1 else w(f"goals_{unit}"),
                note=w("goals_note"),
                columns=(
                    Column(key="goal", label=w("goal")),
                    Column(key="kind", label=w("goal_kind")),
                    Column(key="indicator", label=w("indicator")),
                    Column(key="target", label=w("target"), kind=kind),
                    Column(key="value", label=w("value"), kind=kind),
                    Column(key="n", label=w("n"), kind="count"),
                    Column(key="met", label=w("met")),
                ),
                rows=tuple(rows),
            )
        )
    return Section(id="goals", title=w("goals"), tables=tuple(tables))


def _participant_hours(result: EvaluationResult, lab: _Labels, coached: bool) -> Table | None:
    """Participant-hours per organisation, all first, then by name; without the coaching
    hours column (always 0) for a programme without coaching (``coached`` False)."""
    if not result.participant_hours:
        return None
    w = lab.word
    rows = sorted(
        result.participant_hours,
        key=lambda h: (
            h.organisation != ALL,
            natural_key(lab.organisations.get(h.organisation, h.organisation), lab.language),
        ),
    )
    columns = (
        Column(key="organisation", label=w("organisation_col")),
        Column(key="participants", label=w("participants"), kind="count"),
        Column(key="module_hours", label=w("module_hours"), kind="number", digits=2),
        Column(key="coaching_hours", label=w("coaching_hours"), kind="number", digits=2),
        Column(key="total_hours", label=w("total_hours"), kind="number", digits=2),
    )
    kept = [c.key != "coaching_hours" or coached for c in columns]
    return Table(
        id="participant-hours",
        caption=w("participant_hours"),
        note=w("participant_hours_note" if coached else "participant_hours_note_training"),
        columns=tuple(compress(columns, kept)),
        rows=tuple(
            Row(
                cells=_cells(
                    list(
                        compress(
                            [
                                w("all")
                                if h.organisation == ALL
                                else lab.organisations.get(h.organisation, h.organisation),
                                h.participants,
                                h.module_hours,
                                h.coaching_hours,
                                h.total_hours,
                            ],
                            kept,
                        )
                    ),
                    h.suppressed,
                    1,
                )
            )
            for h in rows
        ),
    )


def _group_sort_key(lab: _Labels, measures: Sequence[str]) -> Any:
    order = {m: i for i, m in enumerate(measures)}

    def key(g: GroupResult) -> Any:
        return (
            occasion_order(g.occasion, lab.module_order),
            order.get(g.measure, len(order)),
            g.group_by != ALL,
            natural_key(lab.group(g.group_by, g.group), lab.language),
        )

    return key


def _relevance_subscale(instrument: Instrument) -> Subscale | None:
    """The subscale whose answers per module the diverging bars show: ``relevance`` (MIO's
    perceived relevance) if the instrument has one, else its first."""
    return next(
        (s for s in instrument.subscales if s.id == "relevance"),
        instrument.subscales[0] if instrument.subscales else None,
    )


def _relevance_figure(
    result: EvaluationResult, instrument: Instrument, lab: _Labels
) -> Figure | None:
    """Diverging bars of the first subscale's answers (``relevance`` if there is one) per
    module, from the published item distributions, reverse-coded items reversed (as the
    score takes them: a 2 on "the day was a waste of time" counts as a 6 of 7); None when
    not answered per module."""
    subscale = _relevance_subscale(instrument)
    if subscale is None:
        return None
    item = instrument.item(subscale.items[0])
    scale = instrument.scale_of(item) if item is not None else None
    if scale is None:
        return None
    options = list(range(scale.min, scale.max + 1))
    series = []
    for module in lab.module_order:
        groups = [
            g
            for g in result.groups
            if g.instrument == instrument.id
            and g.module == module
            and g.group_by == ALL
            and g.measure_kind == "item"
            and g.measure in subscale.items
        ]
        if not groups:
            continue
        hidden = next((g.suppressed or PRIMARY for g in groups if g.summary is None), None)
        if hidden is None and any(not g.summary or not g.summary.distribution for g in groups):
            hidden = PRIMARY  # distributions are withheld for groups below twice the minimum
        if hidden:
            series.append(Series(label=lab.modules[module], suppressed=hidden))
            continue
        counts = [0] * len(options)
        for g in groups:
            assert g.summary is not None
            reverse = g.measure in subscale.reverse
            for value, count in g.summary.distribution:
                if value in options:
                    value = scale.min + scale.max - value if reverse else value
                    counts[options.index(value)] += count
        series.append(Series(label=lab.modules[module], values=tuple(float(c) for c in counts)))
    if not series:
        return None
    categories = tuple(lab.text(scale.label(v)) or str(v) for v in options)
    title = f"{lab.text(subscale.title) or subscale.id}: {lab.word('relevance').lower()}"
    parts = [
        f"{s.label} "
        + (
            lab.word("suppressed")
            if s.suppressed
            else ", ".join(
                f"{c} {format_value(int(v or 0), 'count')}"
                for c, v in zip(categories, s.values, strict=True)
            )
        )
        for s in series
    ]
    return Figure(
        id=f"relevance-{instrument.id}",
        kind="diverging-bars",
        title=title,
        series=tuple(series),
        categories=categories,
        value_kind="count",
        alt=_alt(title, parts),
    )


def _instrument_section(result: EvaluationResult, instrument: Instrument, lab: _Labels) -> Section:
    w, lang = lab.word, lab.language
    subscales = {s.id: lab.text(s.title) or s.id for s in instrument.subscales}
    measures = [s.id for s in instrument.subscales]
    groups = sorted(
        (
            g
            for g in result.groups
            if g.instrument == instrument.id
            and g.measure_kind == "subscale"
            and lab.shows(g.group_by, g.group)
        ),
        key=_group_sort_key(lab, measures),
    )
    results = Table(
        id=f"results-{instrument.id}",
        caption=w("results"),
        columns=(
            Column(key="occasion", label=w("occasion")),
            Column(key="subscale", label=w("subscale")),
            Column(key="group", label=w("group")),
            Column(key="n", label=w("n"), kind="count"),
            Column(key="mean", label=w("mean"), kind="number"),
            Column(key="sd", label=w("sd"), kind="number"),
            Column(key="ci", label=w("ci"), kind="interval"),
        ),
        rows=tuple(
            Row(
                cells=_cells(
                    [
                        lab.occasion(g.occasion),
                        subscales.get(g.measure, g.measure),
                        lab.group(g.group_by, g.group),
                        *(
                            (
                                g.summary.n,
                                g.summary.mean,
                                g.summary.sd,
                                (g.summary.ci_low, g.summary.ci_high)
                                if g.summary.ci_low is not None
                                else None,
                            )
                            if g.summary is not None
                            else (None, None, None, None)
                        ),
                    ],
                    g.suppressed or (PRIMARY if g.summary is None else None),
                    3,
                ),
                part=lab.parts.get(g.group, "") if g.group_by == "cohort" else "",
            )
            for g in groups
        ),
    )
    tables = [results]
    figures: list[Figure] = []
    relevance = (
        _relevance_figure(result, instrument, lab)
        if any(g.module for g in result.groups if g.instrument == instrument.id)
        else None
    )
    if relevance is not None:
        figures.append(relevance)
    changes = sorted(
        (c for c in result.changes if c.instrument == instrument.id),
        key=lambda c: (
            occasion_order(c.after, lab.module_order),
            measures.index(c.subscale) if c.subscale in measures else len(measures),
        ),
    )
    if changes:
        tables.append(
            Table(
                id=f"change-{instrument.id}",
                caption=w("change"),
                note=w("change_note"),
                columns=(
                    Column(key="subscale", label=w("subscale")),
                    Column(key="from", label=w("from")),
                    Column(key="to", label=w("to")),
                    Column(key="pairs", label=w("pairs"), kind="count"),
                    Column(key="before", label=w("before"), kind="number"),
                    Column(key="after", label=w("after"), kind="number"),
                    Column(key="difference", label=w("difference"), kind="number"),
                    Column(key="ci", label=w("ci"), kind="interval"),
                    Column(key="t", label=w("t"), kind="number"),
                    Column(key="p_t", label=w("p_t"), kind="p"),
                    Column(key="d_z", label=w("d_z"), kind="number"),
                    Column(key="d_z_ci", label=w("d_z_ci"), kind="interval"),
                    Column(key="d_av", label=w("d_av"), kind="number"),
                    Column(key="wilcoxon_w", label=w("wilcoxon_w"), kind="number", digits=1),
                    Column(key="wilcoxon_p", label=w("wilcoxon_p"), kind="p"),
                    Column(key="method", label=w("method")),
                ),
                rows=tuple(
                    Row(
                        cells=_cells(
                            [
                                subscales.get(c.subscale, c.subscale),
                                lab.occasion(c.before),
                                lab.occasion(c.after),
                                c.n_pairs,
                                c.mean_before,
                                c.mean_after,
                                c.mean_difference,
                                (c.ci_low, c.ci_high) if c.ci_low is not None else None,
                                c.t,
                                c.p_t,
                                c.d_z,
                                (c.d_z_ci_low, c.d_z_ci_high) if c.d_z_ci_low is not None else None,
                                c.d_av,
                                c.wilcoxon_w,
                                c.wilcoxon_p,
                                c.wilcoxon_method,
                            ],
                            c.suppressed,
                            3,
                        )
                    )
                    for c in changes
                ),
            )
        )
        shown = [
            c
            for c in changes
            if not c.suppressed and c.mean_before is not None and c.mean_after is not None
        ]
        if shown:
            title = f"{w('change')}: {lab.text(instrument.title)}"
            series = tuple(
                Series(
                    label=f"{subscales.get(c.subscale, c.subscale)} ({lab.occasion(c.after)})",
                    values=(c.mean_before, c.mean_after, c.ci_low, c.ci_high),
                )
                for c in shown
            )
            parts = [
                f"{s.label} {format_value(s.values[0], 'number', lang)} → "
                f"{format_value(s.values[1], 'number', lang)} "
                f"({w('ci')} {format_value((s.values[2], s.values[3]), 'interval', lang)})"
                for s in series
            ]
            figures.append(
                Figure(
                    id=f"change-chart-{instrument.id}",
                    kind="change",
                    title=title,
                    series=series,
                    categories=(w("before"), w("after")),
                    alt=_alt(title, parts),
                )
            )
    return Section(
        id=f"instrument-{instrument.id}",
        title=lab.text(instrument.title) or instrument.id,
        level=instrument.level.code,
        intro=lab.text(instrument.description),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _levels(
    result: EvaluationResult, instruments: Mapping[str, Instrument], lab: _Labels
) -> list[Section]:
    used = {g.instrument for g in result.groups if g.instrument in instruments}
    sections = []
    for level in EvaluationLevel:
        at_level = sorted(
            (instruments[i] for i in used if instruments[i].level is level),
            key=lambda i: natural_key(lab.text(i.title) or i.id, lab.language),
        )
        if at_level:
            sections.append(
                Section(
                    id=f"level-{level.code.lower()}",
                    title=lab.word(level.code),
                    level=level.code,
                    subsections=tuple(_instrument_section(result, i, lab) for i in at_level),
                )
            )
    return sections


def _coaching(result: EvaluationResult, lab: _Labels) -> Section:
    w = lab.word
    summary = coaching_summary(result)
    dose = Table(
        id="coaching-dose",
        caption=w("coaching_dose"),
        columns=(
            Column(key="participants", label=w("coached"), kind="count"),
            Column(key="sessions_mean", label=w("sessions_mean"), kind="number", digits=1),
            Column(key="hours_mean", label=w("hours_mean"), kind="number", digits=1),
            Column(key="hours_median", label=w("hours_median"), kind="number", digits=1),
            Column(key="without_coaching", label=w("without_coaching"), kind="count"),
        ),
        rows=(
            Row(
                cells=_cells(
                    [
                        summary.participants,
                        summary.sessions_mean,
                        summary.hours_mean,
                        summary.hours_median,
                        summary.without_coaching,
                    ],
                    summary.coaching_suppressed,
                    0,
                )
            ),
        ),
    )
    gas = Table(
        id="coaching-gas",
        caption=w("gas"),
        note=w("gas_note"),
        columns=(
            Column(key="engagements", label=w("engagements"), kind="count"),
            Column(key="baseline", label=w("baseline"), kind="number", digits=1),
            Column(key="attained", label=w("attained"), kind="number", digits=1),
        ),
        rows=(
            Row(
                cells=_cells(
                    [
                        summary.gas_engagements,
                        summary.gas_baseline_mean,
                        summary.gas_attainment_mean,
                    ],
                    summary.gas_suppressed,
                    0,
                )
            ),
        ),
    )
    return Section(id="coaching", title=w("coaching"), tables=(dose, gas))


def _reliability(
    result: EvaluationResult, instruments: Mapping[str, Instrument], lab: _Labels
) -> Section:
    w = lab.word

    def order(r: Reliability) -> Any:
        instrument = instruments.get(r.instrument)
        title = lab.text(instrument.title) if instrument else r.instrument
        subscales = [s.id for s in instrument.subscales] if instrument else []
        position = subscales.index(r.subscale) if r.subscale in subscales else len(subscales)
        return (
            natural_key(title, lab.language),
            r.instrument,
            occasion_order(r.occasion, lab.module_order),
            position,
        )

    rows = []
    for r in sorted(result.reliability, key=order):
        instrument = instruments.get(r.instrument)
        subscales = (
            {s.id: lab.text(s.title) or s.id for s in instrument.subscales} if instrument else {}
        )
        rows.append(
            Row(
                cells=_cells(
                    [
                        lab.text(instrument.title) if instrument else r.instrument,
                        lab.occasion(r.occasion),
                        subscales.get(r.subscale, r.subscale),
                        r.items,
                        r.n,
                        r.alpha,
                        (r.alpha_ci_low, r.alpha_ci_high) if r.alpha_ci_low is not None else None,
                    ],
                    r.suppressed,
                    4,
                )
            )
        )
    table = Table(
        id="reliability",
        caption=w("reliability"),
        columns=(
            Column(key="instrument", label=w("instrument")),
            Column(key="occasion", label=w("occasion")),
            Column(key="subscale", label=w("subscale")),
            Column(key="items", label=w("items"), kind="count"),
            Column(key="n", label=w("n"), kind="count"),
            Column(key="alpha", label=w("alpha"), kind="number"),
            Column(key="alpha_ci", label=w("alpha_ci"), kind="interval"),
        ),
        rows=tuple(rows),
    )
    return Section(id="reliability", title=w("reliability"), tables=(table,))


def _response_rates(
    result: EvaluationResult, instruments: Mapping[str, Instrument], lab: _Labels
) -> Section:
    w = lab.word
    # planned order of (instrument, occasion) kept; cohorts by title within each
    position: dict[tuple[str, str], int] = {}
    for r in result.response_rates:
        position.setdefault((r.instrument, r.occasion), len(position))
    rates = sorted(
        (r for r in result.response_rates if r.cohort in lab.reader_cohorts),
        key=lambda r: (
            position[(r.instrument, r.occasion)],
            natural_key(lab.cohorts.get(r.cohort, r.cohort), lab.language),
        ),
    )
    table = Table(
        id="response-rates",
        caption=w("response_rates"),
        columns=(
            Column(key="instrument", label=w("instrument")),
            Column(key="occasion", label=w("occasion")),
            Column(key="cohort", label=w("cohort")),
            Column(key="expected", label=w("expected"), kind="count"),
            Column(key="answered", label=w("answered"), kind="count"),
            Column(key="rate", label=w("rate"), kind="share"),
        ),
        rows=tuple(
            Row(
                cells=_cells(
                    [
                        lab.text(instruments[r.instrument].title)
                        if r.instrument in instruments
                        else r.instrument,
                        lab.occasion(r.occasion),
                        lab.cohorts.get(r.cohort, r.cohort),
                        r.expected,
                        r.answered,
                        r.rate,
                    ],
                    r.suppressed or (PRIMARY if r.expected is None or r.answered is None else None),
                    3,
                ),
                part=lab.parts.get(r.cohort, ""),
            )
            for r in rates
        ),
    )
    return Section(id="response-rates", title=w("response_rates"), tables=(table,))


def _projects(result: EvaluationResult, workspace: Workspace, lab: _Labels) -> Section:
    w = lab.word
    participation = result.participation

    def stage(category: str) -> str:
        return lab.stages.get(category, category)

    parts: tuple[tuple[str, str, str, tuple[Count, ...], Callable[[str], str]], ...] = (
        ("stage", "count", "by_stage", participation.projects_by_stage, stage),
        ("facet", "count", "by_facet", participation.projects_by_facet, lab.word),
        ("outcome_level", "outcomes", "by_outcome", participation.outcomes_by_level, lab.word),
    )
    tables, figures = [], []
    for key, counted, caption, counts, label in parts:
        tables.append(
            Table(
                id=f"projects-{key.replace('_', '-')}",
                caption=w(caption),
                columns=(
                    Column(key=key, label=w(key)),
                    Column(key="count", label=w(counted), kind="count"),
                ),
                rows=tuple(
                    Row(cells=(Cell(value=label(c.category)), Cell(value=c.count))) for c in counts
                ),
            )
        )
        if any(c.count for c in counts):
            figures.append(
                _bars(
                    f"projects-{key.replace('_', '-')}-chart",
                    w(caption),
                    [(label(c.category), float(c.count), None) for c in counts],
                    "count",
                    lab.language,
                    w("suppressed"),
                )
            )
    return Section(id="projects", title=w("projects"), tables=tuple(tables), figures=tuple(figures))


def _figures(sections: Sequence[Section]) -> list[Figure]:
    found: list[Figure] = []
    for section in sections:
        found += [*section.figures, *_figures(section.subsections)]
    return found


def _headline(
    result: EvaluationResult,
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    lab: _Labels,
    sections: Sequence[Section],
) -> Section:
    """The four headline answers, each a chart with one sentence: perceived relevance per
    module, change in capability (with its effect size), utilisation at follow-up and
    innovation projects by stage — all from figures the detail sections publish. A chart
    with nothing to show says "nothing recorded yet", unless the concept's evaluation plan
    has nothing that could fill it (another concept's plan without an application-level
    instrument at a follow-up has no utilisation chart)."""
    w, lang = lab.word, lab.language
    hidden = w("suppressed")
    cohorts = [c for c in workspace.cohorts if c.id in lab.reader_cohorts]
    people = {p for c in cohorts for p in c.participants}
    taking_part = {p.organisation for p in workspace.participants if p.id in people}
    kinds = {o.kind for o in workspace.organisations if o.id in taking_part}
    # A programme of municipalities says so; another concept's organisations are organisations.
    where = "municipalities" if kinds <= {"municipality"} else "organisations"
    # "in one cohort" and "from one municipality", not "in 1 cohorts", "from 1 municipalities"
    where += "_one" if len(taking_part) == 1 else "_n"
    took_part = "took_part_one" if len(cohorts) == 1 else "took_part"
    starts = [c.start for c in cohorts]
    ends = [c.end for c in cohorts]
    intro = (
        w(took_part).format(
            participants=len(people),
            where=w(where).format(n=len(taking_part)),
            cohorts=len(cohorts),
            start=prose_date(min(starts), lab.language),
            end=prose_date(max(ends), lab.language),
        )
        if cohorts
        else ""
    )
    figures: list[Figure] = []
    everything = _figures(sections)
    # 1. perceived relevance per module (the reaction level's diverging bars)
    relevance = next((f for f in everything if f.id.startswith("relevance-")), None)
    if relevance is None:
        if _planned(workspace, instruments, lambda o: o.startswith("module:")):
            figures.append(_missing("headline-relevance", w("headline_relevance"), lab))
    else:
        shown = [s for s in relevance.series if not s.suppressed]
        k = len(relevance.categories)
        high = [sum(v or 0.0 for v in s.values[k // 2 + k % 2 :]) for s in shown]
        totals = [sum(v or 0.0 for v in s.values) for s in shown]
        shares = [(s.label, h / t) for s, h, t in zip(shown, high, totals, strict=True) if t]
        # MIO's perceived relevance by its name; another concept's subscale (its "benefit",
        # say) by its own title, not called relevance
        source = instruments.get(relevance.id.removeprefix("relevance-"))
        subscale = _relevance_subscale(source) if source is not None else None
        named = subscale is not None and subscale.id != "relevance"
        name = (lab.text(subscale.title) or subscale.id) if subscale is not None else ""
        sentence = (
            w("sentence_answers_of" if named else "sentence_relevance").format(
                share=format_value(sum(high) / sum(totals), "share", lang),
                low=_tied(shares, min(x[1] for x in shares), w),
                low_share=format_value(min(x[1] for x in shares), "share", lang),
                subscale=name,
            )
            if shares
            else w("sentence_hidden")
        )
        title = w("headline_answers_of").format(subscale=name) if named else w("headline_relevance")
        figures.append(
            attrs.evolve(relevance, id="headline-relevance", title=title, sentence=sentence)
        )
    # 2. change in capability: the learning level's paired change before → after
    learning = sorted(
        (
            c
            for c in result.changes
            if instruments.get(c.instrument) is not None
            and instruments[c.instrument].level.code == "L2"
        ),
        key=lambda c: (c.instrument, occasion_order(c.after, lab.module_order)),
    )
    if learning:
        first = learning[0]
        instrument = instruments[first.instrument]
        subscales = {s.id: lab.text(s.title) or s.id for s in instrument.subscales}
        changes = [
            c for c in learning if (c.instrument, c.after) == (first.instrument, first.after)
        ]
        series = tuple(
            Series(label=subscales.get(c.subscale, c.subscale), suppressed=c.suppressed or PRIMARY)
            if c.suppressed or c.mean_before is None or c.mean_after is None
            else Series(
                label=subscales.get(c.subscale, c.subscale),
                values=(c.mean_before, c.mean_after, c.ci_low, c.ci_high),
            )
            for c in changes
        )
        shown_changes = [c for c in changes if not c.suppressed and c.mean_difference is not None]
        if shown_changes:
            largest = max(abs(c.mean_difference or 0.0) for c in shown_changes)
            # every subscale whose change is as large (a tie, or +d and −d) is named
            bigs = [c for c in shown_changes if abs(c.mean_difference or 0.0) == largest]
            big = bigs[0]
            if len(bigs) == 1:
                sentence = w("sentence_change").format(
                    subscale=subscales.get(big.subscale, big.subscale),
                    difference=format_value(big.mean_difference, "number", lang),
                    d_z=format_value(big.d_z, "number", lang),
                    pairs=big.n_pairs,
                )
            else:
                parts = [
                    w("change_part").format(
                        subscale=subscales.get(c.subscale, c.subscale),
                        d_z=format_value(c.d_z, "number", lang),
                        pairs=c.n_pairs,
                    )
                    for c in bigs
                ]
                sentence = w("sentence_change_tied").format(
                    difference=_listed(
                        list(
                            dict.fromkeys(
                                format_value(c.mean_difference, "number", lang) for c in bigs
                            )
                        ),
                        w,
                    ),
                    parts=_listed(parts, w),
                )
        else:
            sentence = w("sentence_change_hidden").format(n=result.min_group_size)
        title = w("headline_change")
        parts = [
            f"{s.label} "
            + (
                hidden
                if s.suppressed
                else f"{format_value(s.values[0], 'number', lang)} → "
                f"{format_value(s.values[1], 'number', lang)}"
            )
            for s in series
        ]
        figures.append(
            Figure(
                id="headline-change",
                kind="change",
                title=title,
                series=series,
                categories=(w("before"), w("after")),
                alt=_alt(title, parts),
                sentence=sentence,
            )
        )
    elif _planned(
        workspace, instruments, lambda o: o != "pre" and not o.startswith("module:"), "L2"
    ):
        figures.append(_missing("headline-change", w("headline_change"), lab))
    # 3. utilisation at the last follow-up (application-level instruments' subscale means)
    follow_ups = [
        g
        for g in result.groups
        if g.group_by == ALL
        and g.measure_kind == "subscale"
        and g.occasion.startswith("follow-up:")
        and g.instrument in instruments
        and instruments[g.instrument].level.code == "L3"
    ]
    if follow_ups:
        last = max(follow_ups, key=lambda g: (occasion_order(g.occasion), g.instrument))
        instrument = instruments[last.instrument]
        subscales = {s.id: lab.text(s.title) or s.id for s in instrument.subscales}
        order = [s.id for s in instrument.subscales]
        groups = sorted(
            (
                g
                for g in follow_ups
                if (g.instrument, g.occasion) == (last.instrument, last.occasion)
            ),
            key=lambda g: order.index(g.measure) if g.measure in order else len(order),
        )
        rows = [
            (
                subscales.get(g.measure, g.measure),
                g.summary.mean if g.summary is not None else None,
                g.suppressed or (PRIMARY if g.summary is None or g.summary.mean is None else None),
            )
            for g in groups
        ]
        title = f"{w('headline_utilisation')} ({lab.occasion(last.occasion)})"
        figure = _bars("headline-utilisation", title, rows, "number", lang, hidden)
        shown_rows = [(label, value) for label, value, why in rows if not why and value is not None]
        highest = max((r[1] for r in shown_rows), default=None)
        lowest = min((r[1] for r in shown_rows), default=None)
        if highest is None or lowest is None:
            sentence = w("sentence_hidden")
        elif highest == lowest:  # every subscale alike: none is highest or lowest
            sentence = w("sentence_utilisation_even").format(
                occasion=lab.occasion(last.occasion),
                all=_listed([label for label, _ in shown_rows], w),
                mean=format_value(highest, "number", lang),
            )
        else:  # every subscale tied at the top (or the bottom) is named
            sentence = w("sentence_utilisation").format(
                occasion=lab.occasion(last.occasion),
                high=_tied(shown_rows, highest, w),
                high_mean=format_value(highest, "number", lang),
                low=_tied(shown_rows, lowest, w),
                low_mean=format_value(lowest, "number", lang),
            )
        figures.append(attrs.evolve(figure, sentence=sentence))
    elif _planned(workspace, instruments, lambda o: o.startswith("follow-up:"), "L3"):
        figures.append(_missing("headline-utilisation", w("headline_utilisation"), lab))
    # 4. innovation projects by stage
    counts = result.participation.projects_by_stage
    total = sum(c.count for c in counts)
    if total:
        figure = _bars(
            "headline-projects",
            w("by_stage"),
            [(lab.stages.get(c.category, c.category), float(c.count), None) for c in counts],
            "count",
            lang,
            hidden,
        )
        most = max(c.count for c in counts)
        tied = [lab.stages.get(c.category, c.category) for c in counts if c.count == most]
        sentence = w("sentence_projects" if len(tied) == 1 else "sentence_projects_tied").format(
            total=total, stage=_listed(tied, w), n=most
        )
        figures.append(attrs.evolve(figure, sentence=sentence))
    else:
        figures.append(_missing("headline-projects", w("by_stage"), lab))
    return Section(id="headline", title=w("headline"), intro=intro, figures=tuple(figures))


def _listed(names: Sequence[str], w: Callable[[str], str]) -> str:
    """Return names in running text: ``A``, ``A and B``, ``A, B and C`` (``och`` in Swedish)."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {w('and')} {names[-1]}"


def _tied(rows: Sequence[tuple[str, float]], value: float, w: Callable[[str], str]) -> str:
    """Return the labels of every row whose value is ``value`` (all tied at an extreme), listed."""
    return _listed([label for label, v in rows if v == value], w)


def _planned(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    occasion: Callable[[str], bool],
    level: str | None = None,
) -> bool:
    """Whether the concept's evaluation plan answers an instrument (of ``level``, an L-code)
    on an occasion ``occasion`` accepts: a headline chart the plan cannot fill is left out
    rather than shown as "nothing recorded yet"."""
    for planned in workspace.concept.evaluation.instruments:
        instrument = instruments.get(planned.instrument)
        if instrument is None or (level is not None and instrument.level.code != level):
            continue
        if any(occasion(o) for o in planned.occasions):
            return True
    return False


def _missing(id: str, title: str, lab: _Labels) -> Figure:
    """A headline chart with nothing to show yet: an empty bar chart that says so."""
    return Figure(
        id=id,
        kind="bars",
        title=title,
        series=(),
        value_kind="count",
        alt=f"{title}: {lab.word('nothing_yet')}",
        sentence=lab.word("nothing_yet"),
    )


def _choices(
    result: EvaluationResult, instruments: Mapping[str, Instrument], lab: _Labels
) -> Section | None:
    """Counts per option of the choice items: a row per group and option (one row for a
    group too small to count options, or suppressed)."""
    if not result.choices:
        return None
    w = lab.word
    rows = []
    for r in result.choices:
        instrument = instruments.get(r.instrument)
        item = instrument.item(r.item) if instrument else None
        head = [
            lab.text(instrument.title) if instrument else r.instrument,
            lab.occasion(r.occasion),
            lab.text(item.text) if item else r.item,
            lab.group(r.group_by, r.group),
        ]
        if r.suppressed or not r.counts:
            rows.append(Row(cells=_cells([*head, r.n, None, None, None], r.suppressed, 4)))
            continue
        for count in r.counts:
            option = item.option(count.option) if item else None
            label = (lab.text(option.text) if option else "") or count.option
            rows.append(
                Row(
                    cells=(
                        *_cells([*head, r.n, label], None, 6),
                        *_cells([count.count, count.share], count.suppressed, 0),
                    )
                )
            )
    minimum = order_statistics_minimum(result.min_group_size)
    table = Table(
        id="choices",
        caption=w("choices"),
        columns=(
            Column(key="instrument", label=w("instrument")),
            Column(key="occasion", label=w("occasion")),
            Column(key="item", label=w("choice_item")),
            Column(key="group", label=w("group")),
            Column(key="n", label=w("n"), kind="count"),
            Column(key="option", label=w("option")),
            Column(key="count", label=w("chosen"), kind="count"),
            Column(key="share", label=w("chosen_share"), kind="share"),
        ),
        rows=tuple(rows),
        note=w("choices_note").format(n=minimum),
    )
    return Section(id="choices", title=w("choices"), tables=(table,))


def build_view(
    result: EvaluationResult,
    workspace: Workspace,
    registry: Registry | Mapping[str, Instrument],
    language: str = "",
    *,
    extra_sections: Sequence[Section] = (),
    organisation: str = "",
    cohort: str = "",
) -> EvaluationView:
    """Return the view of ``result`` in ``language`` (default: the workspace's language).

    ``registry`` gives the instruments (the workspace's own and the plugins') and the
    lifecycle whose stage titles label the projects; a mapping of instruments by id may be
    given instead (stages are then labelled by id). The plugins' analyses
    (``result.analyses``) are a section each after the built-in sections; ``extra_sections``
    (a plugin's own) follow, in their order; with a registry, the sections of its plugins'
    ``mio_report_sections`` hook come last. A plugin left out (it raised, or returned a
    section whose id the view has) is named in ``notes``.

    The view's own words exist in English and Swedish (another language gets English);
    the workspace's texts are taken in ``language``, else English, else their first
    language (:func:`~mio_core.model.text_in`). A language in which nothing is written
    (neither those words nor any of the workspace's texts, see
    :func:`~mio_core.evaluation.words.languages`) raises :class:`~mio_core.MioError`.

    ``organisation`` or ``cohort`` (an id) makes the view of one reader: the programme's
    totals beside that organisation's (or cohort's) own groups, and only its cohorts'
    participation and response rates. Every figure it shows is one the full evaluation
    publishes, after the one disclosure audit over all groups, so comparing the two
    reveals no small group. The first section, ``headline``, holds the four headline
    charts (those the concept's evaluation plan can fill). An unknown id raises
    ValueError naming the known ones (a :class:`~mio_core.MioError` too, so the message
    can be shown as it is).
    """
    expect_workspace(workspace, "build_view")
    require_language(workspace, language)
    language = language or workspace.manifest.language
    if isinstance(registry, Registry):
        from . import all_instruments

        instruments: Mapping[str, Instrument] = all_instruments(workspace, registry)
        lab = _Labels(workspace, language, registry)
    else:
        instruments = registry
        lab = _Labels(workspace, language, None)
    lab.for_reader(workspace, organisation, cohort)
    goals = _goals(result, workspace, lab)
    sections = [
        *((goals,) if goals else ()),
        _participation(result, workspace, lab),
        *_levels(result, instruments, lab),
        *((_coaching(result, lab),) if has_coaching(workspace) else ()),
        _projects(result, workspace, lab),
        _reliability(result, instruments, lab),
        _response_rates(result, instruments, lab),
        *filter(None, [_choices(result, instruments, lab)]),
        *(_analysis(analysis, lab) for analysis in result.analyses.values()),
        *extra_sections,
    ]
    sections.insert(0, _headline(result, workspace, instruments, lab, sections))
    ids = [s.id for s in sections]
    clashes = sorted({i for i in ids if ids.count(i) > 1})
    if clashes:
        raise ValueError(f"two sections of the evaluation view have the id {', '.join(clashes)}")
    reader_note: tuple[str, ...] = ()
    if lab.reader is not None:
        by, id = lab.reader
        name = lab.organisations[id] if by == "organisation" else lab.cohorts[id]
        reader_note = (lab.word("reader_note").format(reader=name),)
    view = EvaluationView(
        language=language,
        title=lab.text(workspace.manifest.title),
        concept=lab.text(workspace.concept.title),
        min_group_size=result.min_group_size,
        suppressed_label=lab.word("suppressed"),
        total_label=lab.word("all"),
        notes=(*reader_note, lab.word("suppression_note").format(n=result.min_group_size)),
        sections=tuple(sections),
    )
    failures = list(result.plugin_failures)
    if isinstance(registry, Registry):
        view = _plugin_sections(view, result, workspace, registry, failures)
    if failures:
        left_out = tuple(
            lab.word("plugin_left_out").format(plugin=plugin, reason=reason)
            for plugin, reason in failures
        )
        view = attrs.evolve(view, notes=(*view.notes, *left_out))
    return view


def _analysis(analysis: Analysis, lab: _Labels) -> Section:
    """A plugin's analysis as a section: one row per figure, audited."""
    columns = (
        Column(key="figure", label=lab.word("figure")),
        Column(key="value", label=lab.word("value"), kind="number"),
    )
    rows = tuple(
        Row(cells=(Cell(value=f.label), Cell(value=f.value, suppressed=f.suppressed)))
        for f in analysis.figures
    )
    table = Table(
        id=f"analysis-{analysis.name}",
        caption=analysis.title,
        columns=columns,
        rows=rows,
        note=analysis.note,
    )
    return Section(id=f"analysis-{analysis.name}", title=analysis.title, tables=(table,))


def _plugin_sections(
    view: EvaluationView,
    result: EvaluationResult,
    workspace: Workspace,
    registry: Registry,
    failures: list[tuple[str, str]],
) -> EvaluationView:
    """Append the sections of the plugins' ``mio_report_sections``, refusing clashes."""
    hook = "mio_report_sections"
    context = {"view": view, "result": result, "workspace": workspace, "language": view.language}
    sections = list(view.sections)
    for plugin, returned in registry.call_each(hook, failures, **context):
        if not isinstance(returned, list | tuple) or not all(
            isinstance(s, Section) for s in returned
        ):
            registry.refuse(failures, plugin, f"{hook} must return a list of Section values")
            continue
        ids = {s.id for s in sections}
        for section in returned:
            if section.id in ids:
                registry.refuse(
                    failures, plugin, f"its section {section.id!r} has an id the view has already"
                )
                continue
            ids.add(section.id)
            sections.append(section)
    return attrs.evolve(view, sections=tuple(sections))
