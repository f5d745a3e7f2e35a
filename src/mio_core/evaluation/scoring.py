"""Scoring: answers become item values and subscale scores."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import cast

import attrs

from ..model import Instrument, Response, ScoreMethod, Subscale
from .results import Score


@functools.lru_cache(maxsize=256)
def item_bounds(instrument: Instrument) -> dict[str, tuple[int, int]]:
    """Return each item's scale bounds (min, max), looked up once per instrument."""
    bounds = {}
    for item in instrument.items:
        scale = instrument.scale_of(item)
        if scale is not None:
            bounds[item.id] = (scale.min, scale.max)
    return bounds


def reverse(instrument: Instrument, item_id: str, value: float) -> float:
    """Return ``value`` reverse-coded on its item's scale: min + max − value."""
    bounds = item_bounds(instrument).get(item_id)
    if bounds is None:
        return value
    return bounds[0] + bounds[1] - value


def exact_total(values: Sequence[float]) -> int | Fraction:
    """Return the exact sum of answer values: an int when they are whole numbers.

    A float answer counts at its exact binary value (4.0 is 4, 3.5 is 7/2).
    """
    total = sum(map(Fraction, values), Fraction(0))
    return total.numerator if total.denominator == 1 else total


def exact_score(total: int | Fraction, answered: int, items: int, method: ScoreMethod) -> Fraction:
    """Return a subscale score exactly: the mean of the answered items (× items for a sum)."""
    mean = Fraction(total, answered)
    return mean * items if method is ScoreMethod.SUM else mean


Plan = tuple[tuple[str, float, float, bool], ...]


@functools.lru_cache(maxsize=256)
def _plans(instrument: Instrument) -> dict[str, Plan]:
    # Per subscale, per item: its id, scale bounds and whether it is reverse-coded.
    bounds = item_bounds(instrument)
    return {
        subscale.id: tuple(
            (item, *bounds.get(item, (float("inf"), float("-inf"))), item in subscale.reverse)
            for item in subscale.items
        )
        for subscale in instrument.subscales
    }


def score(subscale: Subscale, values: list[float | None]) -> float | None:
    """Return the subscale score of item values, or None below the minimum share answered.

    The mean of the answered items; for ``method: sum`` that mean times the number of
    items (a prorated sum, so a missing item does not pull the sum down).
    """
    answered = [v for v in values if v is not None]
    if not values or len(answered) / len(values) < subscale.min_answered - 1e-9 or not answered:
        return None
    mean = sum(answered) / len(answered)
    return mean * len(values) if subscale.method is ScoreMethod.SUM else mean


def score_responses(
    responses: tuple[Response, ...],
    instruments: Mapping[str, Instrument],
    complete: dict[tuple[str, str, str], list[Sequence[float]]] | None = None,
    *,
    completed_by: dict[tuple[str, str, str], list[str]] | None = None,
    scored: dict[tuple[str, str, str], dict[str, float]] | None = None,
) -> Iterator[Score]:
    """Yield a score per response and subscale (responses to unknown instruments are skipped).

    The same rule as :func:`score`, inlined because it runs once per answer. With
    ``complete``, also collect there, per (instrument, occasion, subscale), the item values
    of every response that answered all of the subscale's items (for reliability), as a
    list or a tuple (never changed afterwards); with ``completed_by``, who gave each of
    those rows. With ``scored``, also collect there, per (instrument, occasion, subscale),
    each respondent's score (not None; a later response's replaces an earlier one's, in the
    place of the first) — what the evaluation's later steps would otherwise gather in a
    pass of their own over every score.
    """
    new = object.__new__
    (  # Score's fields set straight through its slots (see _SCORE_SLOTS)
        set_respondent,
        set_instrument,
        set_occasion,
        set_subscale,
        set_value,
        set_answered,
        set_items,
        set_total,
    ) = _SCORE_SLOTS
    # each instrument's plans, looked up by id once (hashing an Instrument is not cheap)
    known: dict[str, tuple[_SubscalePlan, ...] | None] = {}
    for response in responses:
        instrument_id = response.instrument
        if instrument_id in known:
            subscales = known[instrument_id]
        else:
            instrument = instruments.get(instrument_id)
            subscales = known[instrument_id] = (
                None if instrument is None else _subscale_plans(instrument)
            )
        if subscales is None:
            continue
        answers = response.answers
        respondent = response.respondent
        occasion = response.occasion
        for subscale_id, plan, items, share, is_sum, getter, whole, mirrors in subscales:
            # Fast path (see _fast): every item answered with a whole value of its scale
            # gives the same values, in the same order, as the item-by-item rule below.
            fast = False
            if getter is not None:
                try:
                    given = getter(answers)
                    fast = whole.issuperset(given)
                except (KeyError, TypeError):  # an item not answered; an unhashable answer
                    pass
            values: Sequence[float]
            if fast:  # the getter's new tuple, itself unless an item is reverse-coded
                values = cast("tuple[float, ...]", given)
                if mirrors:
                    flipped = list(values)
                    for at, mirror in mirrors:
                        flipped[at] = mirror - flipped[at]
                    values = flipped
            else:
                values = checked = []
                for item, low, high, reversed_ in plan:
                    value = answers.get(item)
                    # text in a scale item is a validation error; it is no answer to score
                    if value is not None and not isinstance(value, str) and low <= value <= high:
                        checked.append(low + high - value if reversed_ else value)
            answered = len(values)
            total: int | Fraction = sum(values)  # type: ignore[arg-type]
            if type(total) is not int:  # some answer is a float: add the exact values
                total = exact_total(values)
            value = None
            if answered and answered / items >= share:
                # int / int is correctly rounded; a Fraction is rounded by float()
                exact = total * items / answered if is_sum else total / answered
                value = exact if type(exact) is float else float(exact)
            if scored is not None and value is not None:
                key = (instrument_id, occasion, subscale_id)
                found = scored.get(key)
                if found is None:
                    found = scored[key] = {}
                found[respondent] = value
            if complete is not None and answered == items >= 2:
                key = (instrument_id, occasion, subscale_id)
                complete.setdefault(key, []).append(values)
                if completed_by is not None:
                    completed_by.setdefault(key, []).append(respondent)
            made = new(Score)
            set_respondent(made, respondent)
            set_instrument(made, instrument_id)
            set_occasion(made, occasion)
            set_subscale(made, subscale_id)
            set_value(made, value)
            set_answered(made, answered)
            set_items(made, items)
            set_total(made, total)
            yield made


#: Setters of :class:`Score`'s slots in field order: a Score made by these is equal to one
#: made by ``Score(...)`` (it has no validators, converters or defaults that compute), in
#: half the time — it is made once per response and subscale. A test holds the fields to
#: this list.
_SCORE_SLOTS = tuple(getattr(Score, field.name).__set__ for field in attrs.fields(Score))


#: A subscale's fast path: a getter of its items' answers as a tuple (KeyError when one is
#: missing), the whole values valid for every one of its items, and per reverse-coded item
#: its place and the min + max of its scale; a getter of None when there is none.
_Getter = Callable[[Mapping[str, object]], tuple[object, ...]]
_Fast = tuple[_Getter | None, frozenset[int], tuple[tuple[int, int], ...]]

#: Per subscale: its id, plan, number of items, least share answered, whether it is a sum
#: and its fast path.
_SubscalePlan = tuple[
    str, Plan, int, float, bool, _Getter | None, frozenset[int], tuple[tuple[int, int], ...]
]

#: The widest scale (max − min) whose whole values a fast path holds as a set.
_FAST_SCALE_WIDTH = 1000

_NO_FAST: _Fast = (None, frozenset(), ())


def _fast(plan: Plan) -> _Fast:
    """Return a subscale's fast path (:data:`_NO_FAST` when it cannot have one).

    The whole values that need no look at each item are those in every one of the
    subscale's items' scales. An answer among them is, as the item-by-item rule asks, not
    None, not text and within its item's bounds — whatever its type: 4.0 and True are
    among them too (4.0 == 4, True == 1 hash alike) and are then scored as the rule scores
    them (a float total is added exactly). Any other answer (3.5, 9, NaN, None, text) is
    not among them, and the subscale takes the item-by-item rule.
    """
    whole: set[int] | None = None
    for _, low, high, _ in plan:
        if not (isinstance(low, int) and isinstance(high, int)) or high - low > _FAST_SCALE_WIDTH:
            return _NO_FAST  # an item without a scale, or too wide a scale to hold as a set
        scale = set(range(low, high + 1))
        whole = scale if whole is None else whole & scale
    if whole is None:  # no items
        return _NO_FAST
    items = [item for item, *_ in plan]
    getter: _Getter = operator.itemgetter(*items)
    if len(items) == 1:  # itemgetter of one key returns the value, not a 1-tuple
        getter = _one(items[0])
    mirrors = tuple(
        (at, int(low + high)) for at, (_, low, high, reversed_) in enumerate(plan) if reversed_
    )
    return (getter, frozenset(whole), mirrors)


def _one(item: str) -> _Getter:
    def getter(answers: Mapping[str, object]) -> tuple[object, ...]:
        return (answers[item],)

    return getter


@functools.lru_cache(maxsize=256)
def _subscale_plans(instrument: Instrument) -> tuple[_SubscalePlan, ...]:
    plans = _plans(instrument)
    return tuple(
        (
            subscale.id,
            plans[subscale.id],
            len(subscale.items),
            subscale.min_answered - 1e-9,
            subscale.method is ScoreMethod.SUM,
            *_fast(plans[subscale.id]),
        )
        for subscale in instrument.subscales
    )
