"""What an evaluation gives: attrs values, nothing printed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs


@attrs.frozen(kw_only=True)
class Score:
    """One respondent's score on one subscale of one instrument on one occasion.

    ``value`` is None when fewer items were answered than the subscale's ``min_answered``.
    ``total`` is the exact sum of the answered item values (reverse-coded ones reversed): an
    int for whole-number answers, else a Fraction, so that the exact score is
    ``total / answered`` (times ``items`` for a ``method: sum`` subscale); ``value`` is that
    score rounded to a float.
    """

    respondent: str
    instrument: str
    occasion: str
    subscale: str
    value: float | None
    answered: int
    items: int
    total: int | Fraction | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Summary:
    """Descriptive statistics of a set of values; the figures are None when withheld.

    ``ci_low`` and ``ci_high`` are the 95 % confidence interval of the mean (Student's t
    with n − 1 degrees of freedom; None for one value or values that are all the same);
    ``distribution`` counts each answer option (items only).
    """

    n: int
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    min: float | None = None
    max: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    distribution: tuple[tuple[int, int], ...] = ()


@attrs.frozen(kw_only=True)
class GroupResult:
    """The results of one group for one measure (a subscale or an item) on one occasion.

    ``group_by`` is ``all``, ``cohort`` or ``organisation``; ``module`` is set for
    ``module:<id>`` occasions. A suppressed group keeps its name and why
    (``primary``: fewer than the minimum group size; ``secondary``: hidden so that no
    difference of published figures reveals a small group) but no figures: ``summary`` is
    None, its n included. Median, min, max and the distribution are withheld (None, empty)
    for groups smaller than twice the minimum group size.
    """

    instrument: str
    occasion: str
    module: str | None
    measure: str
    measure_kind: str  # "subscale" or "item"
    group_by: str
    group: str
    summary: Summary | None
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class ItemTotal:
    """An item's corrected item-total correlation and the alpha if it were left out."""

    item: str
    correlation: float | None
    alpha_if_deleted: float | None


@attrs.frozen(kw_only=True)
class Reliability:
    """Cronbach's alpha of a subscale on an occasion, from respondents who answered all items.

    ``alpha_ci_low`` and ``alpha_ci_high`` are its 95 % confidence interval by Feldt's (1965)
    F-distribution method.
    """

    instrument: str
    occasion: str
    subscale: str
    n: int | None  # None when suppressed
    items: int
    alpha: float | None
    alpha_ci_low: float | None = None
    alpha_ci_high: float | None = None
    item_total: tuple[ItemTotal, ...] = ()
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class Change:
    """Paired change on a subscale from one occasion to a later one (usually pre to post).

    Computed from the exact scores (see :attr:`Score.total`), so equal differences are ties.
    ``ci_low``/``ci_high``: the 95 % CI of the mean difference (Student's t). ``t``, ``df``
    and ``p_t``: the paired t test (two-sided). ``d_z`` is Cohen's d for paired data, the
    mean difference divided by the standard deviation of the differences, with an
    approximate 95 % CI (``d_z_ci_low``, ``d_z_ci_high``: d_z ± t·√(1/n + d_z²/(2n))).
    ``d_av`` is the mean difference divided by the average of the two occasions' standard
    deviations (Lakens 2013), comparable with between-group d; it has no CI here.
    ``wilcoxon_w`` and ``wilcoxon_p`` are the Wilcoxon signed-rank statistic (the smaller
    rank sum) and its two-sided p over the ``wilcoxon_n`` non-zero differences;
    ``wilcoxon_method`` says how p was found: ``exact`` or ``normal`` (tie-corrected, no
    continuity correction), as ``scipy.stats.wilcoxon`` with its defaults.
    """

    instrument: str
    subscale: str
    before: str
    after: str
    n_pairs: int | None  # None when suppressed
    mean_before: float | None = None
    mean_after: float | None = None
    mean_difference: float | None = None
    sd_difference: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    t: float | None = None
    df: int | None = None
    p_t: float | None = None
    d_z: float | None = None
    d_z_ci_low: float | None = None
    d_z_ci_high: float | None = None
    d_av: float | None = None
    wilcoxon_w: float | None = None
    wilcoxon_p: float | None = None
    wilcoxon_method: str | None = None
    wilcoxon_n: int | None = None
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class ResponseRate:
    """How many of those expected to answer an instrument on an occasion did, per cohort.

    A suppressed row (fewer expected than the minimum group size) has no counts at all.
    """

    instrument: str
    occasion: str
    cohort: str
    expected: int | None
    answered: int | None
    unexpected: int | None = 0
    suppressed: str | None = None

    @property
    def rate(self) -> float | None:
        """The share of those expected who answered, or None when nobody was expected."""
        if not self.expected or self.answered is None:
            return None
        return self.answered / self.expected


@attrs.frozen(kw_only=True)
class OptionCount:
    """How many of a group chose one option of a choice item, and their share of those who
    answered it; no count and no share when ``suppressed``."""

    option: str
    count: int | None = None
    share: float | None = None
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class ChoiceResult:
    """The answers of a group to a choice or multi-choice item on one occasion.

    ``n`` is how many answered the item (None when suppressed); ``counts`` has one entry per
    option, in the item's order, for groups of at least the order-statistics minimum (2k),
    else none. The shares of a multi-choice item (``multiple``) may add up to more than 1.
    """

    instrument: str
    occasion: str
    module: str | None
    item: str
    multiple: bool
    group_by: str
    group: str
    n: int | None
    counts: tuple[OptionCount, ...] = ()
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class Attendance:
    """How many of a cohort's participants came to a module (to every held session of it,
    when it was held as several; see :meth:`~mio_core.Cohort.module_attenders`)."""

    cohort: str
    module: str
    attended: int
    participants: int


@attrs.frozen(kw_only=True)
class ModuleAttendance:
    """Published attendance of a module: per cohort, or over every cohort (``cohort`` all).

    ``attended`` counts participants who attended the module (summed over cohorts for
    ``all``); a suppressed row has no counts at all.
    """

    module: str
    cohort: str
    attended: int | None
    participants: int | None
    suppressed: str | None = None

    @property
    def rate(self) -> float | None:
        """The share of the participants who came, or None when suppressed or nobody."""
        if not self.participants or self.attended is None:
            return None
        return self.attended / self.participants


@attrs.frozen(kw_only=True)
class CoachingDose:
    """One participant's coaching: sessions and hours."""

    participant: str
    cohort: str
    sessions: int
    hours: float


@attrs.frozen(kw_only=True)
class GoalAttainment:
    """Goal Attainment Scaling T-scores of one coaching engagement.

    T = 50 + 10·Σwᵢxᵢ / √((1−ρ)Σwᵢ² + ρ(Σwᵢ)²) with ρ = 0.3 over the goals that have a
    level; ``baseline`` from the baseline levels, ``attainment`` from the attained ones.
    """

    engagement: str
    participant: str
    cohort: str
    goals: int
    baseline: float | None
    attainment: float | None


@attrs.frozen(kw_only=True)
class Count:
    """A count of something in a category, e.g. projects at a stage."""

    category: str
    count: int


@attrs.frozen(kw_only=True)
class Participation:
    """Attendance, coaching dose, innovation projects and their outcomes."""

    attendance: tuple[Attendance, ...]
    coaching: tuple[CoachingDose, ...]
    goal_attainment: tuple[GoalAttainment, ...]
    projects_by_stage: tuple[Count, ...]
    projects_by_facet: tuple[Count, ...]
    outcomes_by_level: tuple[Count, ...]

    def attendance_by_module(self) -> dict[str, tuple[int, int]]:
        """Return, per module over all cohorts, (attended, participants)."""
        totals: dict[str, tuple[int, int]] = {}
        for row in self.attendance:
            attended, expected = totals.get(row.module, (0, 0))
            totals[row.module] = (attended + row.attended, expected + row.participants)
        return totals


@attrs.frozen(kw_only=True)
class GoalIndicator:
    """A concept goal's indicator, its value and its target, as published.

    ``value`` is None when suppressed (``suppressed`` says why: ``primary`` / ``secondary``)
    or when there is nothing to compute it from (``note`` says why). ``n`` is how many
    people the value rests on (None when suppressed). ``unit`` is the indicator's:
    ``share`` (0-1), ``number`` or ``count``.
    """

    goal: str
    indicator: str
    unit: str
    value: float | None
    target: float | None
    n: int | None
    suppressed: str | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the target; None without a value or a target."""
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


@attrs.frozen(kw_only=True)
class ParticipantHours:
    """Participant-hours of one organisation (``organisation`` ``all``: every one).

    ``module_hours`` sums, over held module sessions, the module's hours for each of the
    organisation's participants who attended (a module held as several sessions gives each
    an equal share of its hours); ``coaching_hours`` sums their coaching
    sessions' minutes / 60. A suppressed row (fewer participants than the minimum group
    size, or hidden so that no difference reveals one) has no figures.
    """

    organisation: str
    participants: int | None
    module_hours: float | None
    coaching_hours: float | None
    suppressed: str | None = None

    @property
    def total_hours(self) -> float | None:
        """Module hours plus coaching hours, or None when suppressed."""
        if self.module_hours is None or self.coaching_hours is None:
            return None
        return self.module_hours + self.coaching_hours


def _members(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _figures(values: Iterable[AnalysisFigure]) -> tuple[AnalysisFigure, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class AnalysisFigure:
    """One figure of a plugin's analysis: a label, a value and the respondents it rests on.

    ``members`` are the ids of the respondents (participants) whose answers the figure is
    computed from; mio_core audits them with the programme's minimum group size before
    anything is published. An empty ``members`` says the figure is model-level (an
    estimate over the whole programme, not a group's figure) and is published as given.
    After the audit ``value`` is None and ``suppressed`` says why (``primary`` /
    ``secondary``) where the figure would reveal a group smaller than the minimum.
    """

    label: str
    value: float | int | None
    members: frozenset[str] = attrs.field(default=frozenset(), converter=_members)
    suppressed: str | None = None


@attrs.frozen(kw_only=True)
class Analysis:
    """A plugin's result added to an evaluation (hook ``mio_evaluation_analyses``).

    ``name`` is unique across plugins (it keys ``EvaluationResult.analyses``); ``title`` and
    ``note`` are texts in the workspace's language; ``figures`` are audited together (one
    family: a figure whose respondents differ from another's by fewer than the minimum
    group size is hidden too). ``plugin`` is filled in by mio_core.
    """

    name: str
    title: str
    figures: tuple[AnalysisFigure, ...] = attrs.field(default=(), converter=_figures)
    note: str = ""
    plugin: str = ""


def _read_only(value: Mapping[str, Analysis]) -> Mapping[str, Analysis]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class EvaluationResult:
    """Everything :func:`mio_core.evaluate` finds in a workspace."""

    min_group_size: int
    scores: tuple[Score, ...]
    groups: tuple[GroupResult, ...]
    reliability: tuple[Reliability, ...]
    changes: tuple[Change, ...]
    response_rates: tuple[ResponseRate, ...]
    participation: Participation
    #: published attendance per module, over every cohort (cohort ``all``) and per cohort
    attendance: tuple[ModuleAttendance, ...] = ()
    #: coaching and Goal Attainment Scaling as group results: instrument ``coaching``
    #: (measures ``sessions`` and ``hours`` per participant, occasion ``programme``) and
    #: ``gas`` (T-scores per engagement, occasions ``baseline`` and ``follow-up``), overall
    #: and by cohort
    programme: tuple[GroupResult, ...] = ()
    #: counts per option of the choice and multi-choice items, overall and by group
    choices: tuple[ChoiceResult, ...] = ()
    #: results that plugins add (hook ``mio_evaluation_analyses``), audited, by name
    #: (read-only: a plugin given the result cannot add to it or change it in place)
    analyses: Mapping[str, Analysis] = attrs.field(factory=dict, converter=_read_only)
    #: plugins whose analysis hook failed or whose analysis was refused: (plugin, reason)
    plugin_failures: tuple[tuple[str, str], ...] = ()
    #: the concept's goals that name an indicator, with its value and target, in goal order
    goal_indicators: tuple[GoalIndicator, ...] = ()
    #: participant-hours per organisation (by id) and over all (``all``, first)
    participant_hours: tuple[ParticipantHours, ...] = ()
