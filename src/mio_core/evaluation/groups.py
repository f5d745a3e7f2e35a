"""Group results: each measure per occasion, for everyone and by cohort and organisation."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from itertools import filterfalse

import attrs

from ..model import Instrument, Respondent, Response, Workspace, occasion_module, occasion_order
from .disclosure import Cell, Facet, audit, order_statistics_minimum
from .results import GroupResult, Score, Summary
from .scoring import item_bounds
from .stats import describe

ALL = "all"
BREAKDOWNS = ("cohort", "organisation")
NO_GROUP = "(none)"


def respondent_groups(workspace: Workspace) -> dict[str, dict[str, str]]:
    """Return, for each breakdown, the group of every respondent id.

    A participant belongs to the first cohort that lists them and to their organisation;
    a coach to the first cohort they coach and to their organisation; an organisation to
    itself.
    """
    cohort_of: dict[str, str] = {}
    for cohort in workspace.cohorts:
        for person in (*cohort.participants, *cohort.coaches):
            cohort_of.setdefault(person, cohort.id)
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    organisation_of.update({c.id: c.organisation for c in workspace.coaches})
    organisation_of.update({f.id: f.organisation for f in workspace.facilitators})
    organisation_of.update({o.id: o.id for o in workspace.organisations})
    return {"cohort": cohort_of, "organisation": organisation_of}


#: What a group result is of: instrument, occasion, module, measure, measure kind, group_by
#: and group (the fields of :class:`GroupResult` before its figures).
Head = tuple[str, str, str | None, str, str, str, str]


@attrs.frozen(kw_only=True)
class GroupCell:
    """A group result before disclosure control: what it is of (``head``), the values it
    summarises and the respondents they come from. The result itself is made once, when
    it is published."""

    head: Head
    values: tuple[float, ...]
    members: frozenset[Hashable]
    options: tuple[int, ...] = ()

    def cell(self, key: object) -> Cell:
        """Return the cell the auditor checks: one facet in the family of this variable."""
        # Cell(key=key, facets=(Facet(family=..., members=..., breakdown=...),), total=...)
        # with the slots set directly (see _CELL_SLOTS): one is made per group cell
        instrument, occasion, _, measure, kind, group_by, _ = self.head
        set_family, set_members, set_breakdown = _FACET_SLOTS
        set_key, set_facets, set_total = _CELL_SLOTS
        facet: Facet = object.__new__(Facet)
        set_family(facet, (instrument, kind, measure, occasion))
        set_members(facet, self.members)
        total = group_by == ALL
        set_breakdown(facet, None if total else group_by)
        made: Cell = object.__new__(Cell)
        set_key(made, key)
        set_facets(made, (facet,))
        set_total(made, total)
        return made

    def published(self, why: str | None, min_group_size: int) -> GroupResult:
        """Return the result as published: no figures at all when suppressed (``why``), and
        no order statistics or distribution below the order-statistics minimum."""
        if why is not None or not self.values:
            return self._with(None if why else Summary(n=0), why)
        shown = len(self.values) >= order_statistics_minimum(min_group_size)
        return self._with(describe(self.values, self.options, order_statistics=shown), None)

    def _with(self, summary: Summary | None, why: str | None) -> GroupResult:
        # GroupResult's slots set directly (see _GROUP_RESULT_SLOTS): one per published cell
        made: GroupResult = object.__new__(GroupResult)
        (
            set_instrument,
            set_occasion,
            set_module,
            set_measure,
            set_kind,
            set_group_by,
            set_group,
            set_summary,
            set_suppressed,
        ) = _GROUP_RESULT_SLOTS
        instrument, occasion, module, measure, kind, group_by, group = self.head
        set_instrument(made, instrument)
        set_occasion(made, occasion)
        set_module(made, module)
        set_measure(made, measure)
        set_kind(made, kind)
        set_group_by(made, group_by)
        set_group(made, group)
        set_summary(made, summary)
        set_suppressed(made, why)
        return made


#: Setters of :class:`GroupResult`'s slots in field order: a result made by these equals
#: one made by ``GroupResult(...)`` (no validators, converters or defaults that compute),
#: in about half the time — one is made per published cell (~105,000 at national size). A
#: test holds the fields to this list.
_GROUP_RESULT_SLOTS = tuple(
    getattr(GroupResult, field.name).__set__ for field in attrs.fields(GroupResult)
)


#: Setters of :class:`~.disclosure.Cell`'s and :class:`~.disclosure.Facet`'s slots in
#: field order: made by these, a group cell's audit cell equals one made by the classes
#: (no validators, converters or defaults that compute), in about half the time — one is
#: made per group cell (~105,000 at national size). A test holds the fields to these lists.
_CELL_SLOTS = tuple(getattr(Cell, field.name).__set__ for field in attrs.fields(Cell))
_FACET_SLOTS = tuple(getattr(Facet, field.name).__set__ for field in attrs.fields(Facet))


#: A getter of a group's values, in the order of its respondents, from a wave's values.
ValuesOf = Callable[[Mapping[str, float]], tuple[float, ...]]

#: A wave's respondents in order, split by breakdown and group: per group its breakdown,
#: group, respondents in order, their (shared) set and the getter of their values; the
#: first entry is everyone.
Partition = tuple[tuple[str, str, tuple[str, ...], frozenset[Hashable], ValuesOf], ...]


def _values_of(members: tuple[str, ...]) -> ValuesOf:
    """Return the getter of ``members``' values, ``tuple(map(values.__getitem__, members))``
    with the look-ups in C: made once per group of a partition and used by every measure
    that shares it (an itemgetter of one key returns the value, not a 1-tuple; of none it
    cannot be made)."""
    if len(members) > 1:
        return operator.itemgetter(*members)
    return lambda values: tuple(map(values.__getitem__, members))


def _partition(
    respondents: tuple[str, ...],
    groups_of: Mapping[str, tuple[str, str]],
    sets: dict[frozenset[Hashable], frozenset[Hashable]],
) -> Partition:
    """Return ``respondents`` (in order) everyone together, then by cohort and by
    organisation, each breakdown's groups in sorted order, each group's respondents in
    the order given."""

    def shared(members: frozenset[Hashable]) -> frozenset[Hashable]:
        return sets.setdefault(members, members)

    # both breakdowns in one pass over the respondents (BREAKDOWNS: cohort, organisation)
    by_cohort: dict[str, list[str]] = defaultdict(list)
    by_organisation: dict[str, list[str]] = defaultdict(list)
    for respondent in respondents:
        cohort, organisation = groups_of[respondent]
        by_cohort[cohort].append(respondent)
        by_organisation[organisation].append(respondent)
    parts = [(ALL, ALL, respondents, shared(frozenset(respondents)), _values_of(respondents))]
    for breakdown, by_group in zip(BREAKDOWNS, (by_cohort, by_organisation), strict=True):
        for group, members in sorted(by_group.items()):
            ordered = tuple(members)
            parts.append(
                (breakdown, group, ordered, shared(frozenset(ordered)), _values_of(ordered))
            )
    return tuple(parts)


def _narrowed(
    base: Partition,
    respondents: tuple[str, ...],
    sets: dict[frozenset[Hashable], frozenset[Hashable]],
) -> Partition | None:
    """Return the partition of ``respondents`` made from ``base``, the partition of a
    sequence they are a subsequence of (None when they are not): the same as
    :func:`_partition` makes, with each group no one left keeps as it is (its respondents
    and their shared set) and each group someone left is filtered (or dropped when empty).
    """
    everyone = base[0][2]
    missing = base[0][3].difference(respondents)
    if len(everyone) - len(missing) != len(respondents):  # someone not in the base
        return None
    if tuple(filterfalse(missing.__contains__, everyone)) != respondents:  # another order
        return None

    def shared(members: frozenset[Hashable]) -> frozenset[Hashable]:
        return sets.setdefault(members, members)

    parts = [(ALL, ALL, respondents, shared(frozenset(respondents)), _values_of(respondents))]
    for part in base[1:]:
        breakdown, group, members, members_set, _ = part
        if missing.isdisjoint(members_set):
            parts.append(part)
        else:
            kept = tuple(filterfalse(missing.__contains__, members))
            if kept:
                parts.append((breakdown, group, kept, shared(frozenset(kept)), _values_of(kept)))
    return tuple(parts)


class _Wave:
    """What the cells of one wave (an instrument on one occasion) share while they are
    made: each distinct sequence of respondents' split into groups (``partitions``), one
    frozenset of each group's respondents (``sets``, which the cells share, so the audit
    compares shared sets by identity), and the widest sequence met so far (``widest``).
    Kept until the wave's item cells are made, then let go."""

    __slots__ = ("partitions", "sets", "widest")

    def __init__(self) -> None:
        self.partitions: dict[tuple[str, ...], Partition] = {}
        self.sets: dict[frozenset[Hashable], frozenset[Hashable]] = {}
        self.widest: tuple[str, ...] | None = None


def _wave_cells(
    head: tuple[str, str, str, str],
    values: Mapping[str, float],
    groups_of: Mapping[str, tuple[str, str]],
    options: tuple[int, ...],
    wave: _Wave,
) -> list[GroupCell]:
    """Return one measure's group cells on one wave (none when it has no values);
    ``head`` is (instrument, occasion, measure, kind), ``groups_of`` gives a respondent's
    cohort and organisation (see :func:`_groups_of`).

    The items and subscales of an instrument mostly share their respondents on an
    occasion, in the same order: the wave keeps the split into groups of each distinct
    sequence of respondents, made once and reused. A sequence not met before is mostly the
    widest one of the wave less a few respondents (those without a valid answer): its
    partition is narrowed (see :func:`_narrowed`) rather than a new one made.
    """
    if not values:
        return []
    instrument, occasion, measure, kind = head
    module = occasion_module(occasion)
    respondents = tuple(values)
    partition = wave.partitions.get(respondents)
    if partition is None:
        base = wave.widest
        if base is not None:
            partition = _narrowed(wave.partitions[base], respondents, wave.sets)
        if partition is None:
            partition = _partition(respondents, groups_of, wave.sets)
            if base is None or len(respondents) > len(base):
                wave.widest = respondents
        wave.partitions[respondents] = partition
    return [
        GroupCell(
            head=(instrument, occasion, module, measure, kind, by, group),
            values=values_of(values),
            members=members_set,
            options=options,
        )
        for by, group, _, members_set, values_of in partition
    ]


class _GroupsOf(dict[str, tuple[str, str]]):
    """A respondent's (cohort, organisation), each looked up once, by subscript (no call
    per value)."""

    def __init__(self, groups: Mapping[str, Mapping[str, str]]) -> None:
        super().__init__()
        self.cohort_of, self.organisation_of = groups["cohort"], groups["organisation"]

    def __missing__(self, respondent: str) -> tuple[str, str]:
        found = self[respondent] = (
            self.cohort_of.get(respondent, NO_GROUP),
            self.organisation_of.get(respondent, NO_GROUP),
        )
        return found


def _groups_of(groups: Mapping[str, Mapping[str, str]]) -> Mapping[str, tuple[str, str]]:
    """Return a mapping giving a respondent's (cohort, organisation), each looked up once."""
    return _GroupsOf(groups)


def _item_values(
    instrument: Instrument,
    occasions: Sequence[str],
    responses: Mapping[str, list[Response]],
    bounds: Mapping[str, tuple[int, int]],
) -> dict[str, dict[str, dict[str, float]]]:
    """Return, per item and occasion, every respondent's valid answer to a scale item (in
    the order of the responses; a later response's answer replaces an earlier one's).

    Valid as in scoring: not None, not text and within the item's scale. The answers are
    read a response at a time, all scale items at once, and then turned column by column
    (item by item) into the item's values; an answer among the scale's whole values is
    valid without more ado (4.0 and True among them: 4.0 == 4, True == 1, and the value
    kept is the answer itself, as the rule keeps it), any other takes the rule.
    """
    by_item: dict[str, dict[str, dict[str, float]]] = {
        item.id: {occasion: {} for occasion in occasions} for item in instrument.items
    }
    scale_items = tuple(item_id for item_id in bounds if item_id in by_item)
    wholes = {
        item_id: frozenset(range(low, high + 1)) if high - low <= _WHOLE_SCALE_WIDTH else ()
        for item_id, (low, high) in bounds.items()
    }
    for occasion in occasions:
        answered = responses[occasion]
        if not answered or not scale_items:
            continue
        respondents = [response.respondent for response in answered]
        rows = [tuple(map(response.answers.get, scale_items)) for response in answered]
        for item_id, column in zip(scale_items, zip(*rows, strict=True), strict=True):
            low, high = bounds[item_id]
            whole = wholes[item_id]
            by_item[item_id][occasion] = {
                respondent: value
                for respondent, value in zip(respondents, column, strict=True)
                if value in whole
                or (value is not None and not isinstance(value, str) and low <= value <= high)
            }
    return by_item


#: The widest scale (max − min) whose whole values :func:`_item_values` holds as a set.
_WHOLE_SCALE_WIDTH = 1000


class GroupCells:
    """The group cells of every subscale and item, made a wave (an instrument on one
    occasion) at a time, before disclosure control.

    ``waves`` lists the waves in reading order (instrument, then occasion in time order);
    a wave's cells are its subscales' (in the instrument's order, each overall, by cohort
    and by organisation), then its items'. Cells are made a wave at a time so that
    :func:`mio_core.evaluate` can audit, publish and let go of them by parts rather than
    hold every value and respondent set until one audit (most of evaluation's memory at
    national size): an item's cells on an occasion are the only facets of their audit
    family, and an instrument's subscale cells share their families only with the paired
    changes of that instrument (see :func:`mio_core.evaluation.disclosure.audit`).

    ``scored``, when given, is what :func:`~.scoring.score_responses` collected of
    ``scores`` (its ``scored``): then they are not gone through again.
    """

    def __init__(
        self,
        workspace: Workspace,
        instruments: Mapping[str, Instrument],
        scores: Iterable[Score],
        scored: Mapping[tuple[str, str, str], Mapping[str, float]] | None = None,
    ) -> None:
        self._instruments = instruments
        self._groups_of = _groups_of(respondent_groups(workspace))
        modules = tuple(m.id for m in sorted(workspace.concept.modules, key=lambda m: m.order))
        # a copy of its own: each subscale's scores are let go once its cells are made
        values: dict[tuple[str, str, str], Mapping[str, float]] = {}
        if scored is None:
            gathered: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
            for score in scores:
                if score.value is not None:
                    key = (score.instrument, score.occasion, score.subscale)
                    gathered[key][score.respondent] = score.value
            values.update(gathered)
        else:
            values.update(scored)
        self._scored = values
        responses: dict[str, dict[str, list[Response]]] = defaultdict(lambda: defaultdict(list))
        for response in workspace.responses:
            if response.instrument in instruments:
                responses[response.instrument][response.occasion].append(response)
        self._responses = responses
        # occasion_order ends with the occasion itself, so two occasions never tie
        self.waves: tuple[tuple[str, str], ...] = tuple(
            (instrument_id, occasion)
            for instrument_id in sorted(responses)
            for occasion in sorted(
                responses[instrument_id], key=lambda o: occasion_order(o, modules)
            )
        )
        self._made: dict[tuple[str, str], _Wave] = {wave: _Wave() for wave in self.waves}

    def subscale_cells(self, instrument_id: str, occasion: str) -> list[GroupCell]:
        """Return one wave's subscale cells (each subscale in the instrument's order); call
        it before :meth:`item_cells` of the same wave, once."""
        cells: list[GroupCell] = []
        for subscale in self._instruments[instrument_id].subscales:
            cells += _wave_cells(
                (instrument_id, occasion, subscale.id, "subscale"),
                self._scored.pop((instrument_id, occasion, subscale.id), {}),
                self._groups_of,
                (),
                self._made[(instrument_id, occasion)],
            )
        return cells

    def item_cells(self, instrument_id: str, occasion: str) -> list[GroupCell]:
        """Return one wave's item cells (each scale item in the instrument's order); what
        the wave's cells shared is let go."""
        wave = self._made.pop((instrument_id, occasion))
        instrument = self._instruments[instrument_id]
        bounds = item_bounds(instrument)
        by_item = _item_values(instrument, (occasion,), self._responses[instrument_id], bounds)
        cells: list[GroupCell] = []
        for item in instrument.items:
            limits = bounds.get(item.id)
            if limits is None:  # text and choice items have no item statistics
                continue
            cells += _wave_cells(
                (instrument_id, occasion, item.id, "item"),
                by_item[item.id][occasion],
                self._groups_of,
                tuple(range(limits[0], limits[1] + 1)),
                wave,
            )
        return cells


def group_cells(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    scores: Iterable[Score],
    scored: Mapping[tuple[str, str, str], Mapping[str, float]] | None = None,
) -> list[GroupCell]:
    """Return every subscale's and item's group cells per occasion, overall and by group,
    in reading order, before disclosure control (see :func:`group_results`): each wave's
    (see :class:`GroupCells`) subscale cells, then its item cells."""
    made = GroupCells(workspace, instruments, scores, scored)
    return [
        cell
        for wave in made.waves
        for cell in (*made.subscale_cells(*wave), *made.item_cells(*wave))
    ]


def group_results(
    workspace: Workspace,
    instruments: Mapping[str, Instrument],
    scores: Iterable[Score],
) -> list[GroupResult]:
    """Return every subscale's and item's results per occasion, overall and by group.

    Disclosure control runs over these results alone (see :mod:`.disclosure`);
    :func:`mio_core.evaluate` runs it over every published figure at once.
    """
    minimum = workspace.manifest.privacy.min_group_size
    cells = group_cells(workspace, instruments, scores)
    hidden = audit([c.cell(i) for i, c in enumerate(cells)], minimum)
    return [c.published(hidden.get(i), minimum) for i, c in enumerate(cells)]


def expected_respondents(
    workspace: Workspace, instrument: Instrument, occasion: str
) -> dict[str, set[str]]:
    """Return, per cohort, who is expected to answer ``instrument`` on ``occasion``.

    Participants are expected before (pre) and after (post) the concept and at follow-ups,
    those who joined late from their first day and those who left until they left
    (:meth:`~mio_core.model.Cohort.occasion_members`); after a module only those who
    attended it. Coaches, facilitators and organisations are
    expected as the instrument's target says.
    """
    module = occasion_module(occasion)
    organisation_of = {p.id: p.organisation for p in workspace.participants}
    expected: dict[str, set[str]] = {}
    for cohort in workspace.cohorts:
        sessions = [s for s in cohort.held_sessions() if module is None or s.module == module]
        if module is not None and not sessions:
            continue
        target = Respondent(instrument.target)
        members = cohort.participants if module is not None else cohort.occasion_members(occasion)
        if target is Respondent.PARTICIPANT:
            if module is None:
                people = set(members)
            else:
                people = {p for s in sessions for p in s.attended} & set(cohort.participants)
        elif target is Respondent.COACH:
            people = set(cohort.coaches)
        elif target is Respondent.FACILITATOR:
            people = {f for s in sessions for f in s.facilitators}
        else:
            people = {organisation_of[p] for p in members if p in organisation_of}
        expected[cohort.id] = people
    return expected
