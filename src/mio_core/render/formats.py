"""Number formats shared by every renderer: the same figure reads the same in each output.

A value's *kind* (a :class:`~mio_core.evaluation.view.Column` kind) says how to write it:
``count`` (a whole number), ``number`` (``digits`` decimals), ``interval`` (a pair of
numbers), ``p`` (a p-value, ``<0.001`` below that), ``share`` (a fraction as a whole
percentage) and ``text``. Swedish writes a decimal comma and ``83 %``; every other language
the English way (a decimal point and ``83%``).

Every figure is rounded **half up** (its magnitude: −0.125 is −0.13, as 0.125 is 0.13) from
its decimal value — the shortest decimal that is the float, as ``repr`` writes it — so a
response rate of 33/40 is ``83%``, a mean of 2.125 is ``2.13`` and one of 2.675 is ``2.68``.
Python's own format rounds the binary value half to even, which gave ``82%``, ``2.12`` and
``2.67`` (and 0.145 as ``14%`` but 0.155 as ``16%``).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

MISSING = "–"


def _decimal(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "sv" else text


#: Enough digits for any float's decimal value with its decimals (1e308 has 309).
_CONTEXT = Context(prec=400)


def rounded(value: float, digits: int, percent: bool = False) -> str:
    """Return ``value`` (× 100 when ``percent``) with ``digits`` decimals, rounded half up
    from its decimal value (see the module's documentation); not a number or an infinity
    as Python formats it."""
    if isinstance(value, int):
        exact = Decimal(value)
    elif math.isfinite(value):
        decimal = repr(float(value))
        if not percent and "e" not in decimal and len(decimal) - decimal.index(".") != digits + 2:
            # The shortest decimal of the float has at most ``digits`` decimals (then both
            # are exact) or more than digits + 1: then no x.xx5 lies between it and the
            # float (that shorter decimal would be the shortest), so Python's format of the
            # float rounds as the decimal does — in a tenth of the time.
            text = f"{value:.{digits}f}"
            return text[1:] if text[0] == "-" and not text.strip("-0.") else text
        exact = Decimal(decimal)
    else:
        return f"{value * 100 if percent else value:.{digits}f}"
    if percent:
        exact = exact.scaleb(2)
    try:
        kept = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP, _CONTEXT)
    except InvalidOperation:  # pragma: no cover - beyond the context's 400 digits
        return f"{value * 100 if percent else value:.{digits}f}"
    # a value that rounds to zero has no sign: -0.001 is 0.00, not -0.00
    return f"{kept if kept else abs(kept):f}"


def number(
    value: float | None, digits: int = 2, language: str = "en", missing: str = MISSING
) -> str:
    """Return ``value`` with ``digits`` decimals in ``language``, or ``missing`` for None."""
    return missing if value is None else _decimal(rounded(value, digits), language)


def p_value(value: float | None, language: str = "en", missing: str = MISSING) -> str:
    """Return a p-value with three decimals, as ``<0.001`` when it is smaller."""
    if value is None:
        return missing
    return _decimal("<0.001" if value < 0.001 else rounded(value, 3), language)


def share(value: float | None, language: str = "en", missing: str = MISSING) -> str:
    """Return a fraction (0.83) as a whole percentage (``83%``; ``83 %`` in Swedish)."""
    if value is None:
        return missing
    percent = rounded(value, 0, percent=True)
    return f"{percent} %" if language == "sv" else f"{percent}%"


def interval(low: float | None, high: float | None, digits: int = 2, language: str = "en") -> str:
    """Return ``low–high``, or ``low to high`` when a bound is negative (a dash would
    read as a minus sign)."""
    if low is None or high is None:
        return MISSING
    a, b = number(low, digits, language), number(high, digits, language)
    if min(low, high) < 0:
        return f"{a} {'till' if language == 'sv' else 'to'} {b}"
    return f"{a}–{b}"


#: The months as Swedish prose writes them (lower case: "5 mars 2024").
SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def prose_date(value: dt.date, language: str = "en") -> str:
    """Return a date as a sentence writes it: ``5 mars 2024`` in Swedish, ISO 8601
    (``2024-03-05``) in every other language. Tables keep ISO dates in every language."""
    if language == "sv":
        return f"{value.day} {SWEDISH_MONTHS[value.month - 1]} {value.year}"
    return value.isoformat()


def format_value(value: Any, kind: str, language: str = "en", digits: int = 2) -> str:
    """Return ``value`` of ``kind`` written for ``language``; ``–`` for a missing value."""
    if value is None:
        return MISSING
    if kind == "count":
        return rounded(value, 0) if isinstance(value, float) else str(value)
    if kind == "number":
        return number(value, digits, language)
    if kind == "p":
        return p_value(value, language)
    if kind == "share":
        return share(value, language)
    if kind == "interval":
        low, high = value
        return interval(low, high, digits, language)
    return str(value)
