"""Scoring: answers become item values and subscale scores."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from ..model import Instrument, Response, ScoreMethod, Subscale
from .results import Score


@functools.lru_cache(maxsize=256)
def _bounds(instrument: Instrument) -> dict[str, tuple[int, int]]:
    # An item's scale bounds, looked up once per instrument rather than once per answer.
    bounds = {}
    for item in instrument.items:
        scale = instrument.scale_of(item)
        if scale is not None:
            bounds[item.id] = (scale.min, scale.max)
    return bounds


def item_value(instrument: Instrument, item_id: str, value: float | None) -> float | None:
    """Return an answer as a value on its scale, or None (empty, a missing code, off scale).

    Missing codes lie outside the scale by definition, so the bounds settle both.
    """
    if value is None:
        return None
    bounds = _bounds(instrument).get(item_id)
    if bounds is None or not bounds[0] <= value <= bounds[1]:
        return None
    return value


def reverse(instrument: Instrument, item_id: str, value: float) -> float:
    """Return ``value`` reverse-coded on its item's scale: min + max − value."""
    bounds = _bounds(instrument).get(item_id)
    if bounds is None:
        return value
    return bounds[0] + bounds[1] - value


def subscale_values(
    instrument: Instrument, subscale: Subscale, response: Response
) -> list[float | None]:
    """Return the subscale's item values for one response, reverse-coded where it says so."""
    values: list[float | None] = []
    for item_id in subscale.items:
        value = item_value(instrument, item_id, response.answers.get(item_id))
        if value is not None and item_id in subscale.reverse:
            value = reverse(instrument, item_id, value)
        values.append(value)
    return values


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
    responses: tuple[Response, ...], instruments: Mapping[str, Instrument]
) -> Iterator[Score]:
    """Yield a score per response and subscale (responses to unknown instruments are skipped)."""
    for response in responses:
        instrument = instruments.get(response.instrument)
        if instrument is None:
            continue
        for subscale in instrument.subscales:
            values = subscale_values(instrument, subscale, response)
            yield Score(
                respondent=response.respondent,
                instrument=response.instrument,
                occasion=response.occasion,
                subscale=subscale.id,
                value=score(subscale, values),
                answered=sum(1 for v in values if v is not None),
                items=len(values),
            )
