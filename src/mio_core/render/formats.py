"""Number formats shared by every renderer: the same figure reads the same in each output.

A value's *kind* (a :class:`~mio_core.evaluation.view.Column` kind) says how to write it:
``count`` (a whole number), ``number`` (``digits`` decimals), ``interval`` (a pair of
numbers), ``p`` (a p-value, ``<0.001`` below that), ``share`` (a fraction as a whole
percentage) and ``text``. Swedish writes a decimal comma and ``83 %``; every other language
the English way (a decimal point and ``83%``).
"""

from __future__ import annotations

from typing import Any

MISSING = "–"


def _decimal(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "sv" else text


def number(
    value: float | None, digits: int = 2, language: str = "en", missing: str = MISSING
) -> str:
    """Return ``value`` with ``digits`` decimals in ``language``, or ``missing`` for None."""
    return missing if value is None else _decimal(f"{value:.{digits}f}", language)


def p_value(value: float | None, language: str = "en", missing: str = MISSING) -> str:
    """Return a p-value with three decimals, as ``<0.001`` when it is smaller."""
    if value is None:
        return missing
    return _decimal("<0.001" if value < 0.001 else f"{value:.3f}", language)


def share(value: float | None, language: str = "en", missing: str = MISSING) -> str:
    """Return a fraction (0.83) as a whole percentage (``83%``; ``83 %`` in Swedish)."""
    if value is None:
        return missing
    percent = f"{value * 100:.0f}"
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


def format_value(value: Any, kind: str, language: str = "en", digits: int = 2) -> str:
    """Return ``value`` of ``kind`` written for ``language``; ``–`` for a missing value."""
    if value is None:
        return MISSING
    if kind == "count":
        return f"{value:.0f}" if isinstance(value, float) else str(value)
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
