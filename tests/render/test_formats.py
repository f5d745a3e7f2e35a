"""Figures are rounded half up from their decimal value, in every language and renderer."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from mio_core.render import format_value
from mio_core.render.formats import number, p_value, prose_date, share


def half_up(value: Fraction, digits: int) -> str:
    """The exact rational rounded half up (its magnitude: −0.025 is −0.03, as 0.025 is
    0.03) to ``digits`` decimals, by integer arithmetic."""
    scaled = math.floor(abs(value) * 10**digits + Fraction(1, 2))
    sign = "-" if value < 0 and scaled else ""
    whole, part = divmod(abs(scaled), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}" if digits else f"{sign}{whole}"


def test_a_response_rate_of_a_half_percent_rounds_up() -> None:
    assert share(33 / 40) == "83%"  # 82.5 %: Python's format gave 82 %
    assert share(33 / 40, "sv") == "83 %"


def test_a_mean_halfway_between_two_hundredths_rounds_up() -> None:
    assert number(2.125) == "2.13"  # exactly 2.125 in binary: half-even gave 2.12
    assert number(2.675, language="sv") == "2,68"  # 2.67499999… in binary gave 2.67


def test_a_p_value_halfway_rounds_up() -> None:
    assert p_value(0.0625) == "0.063"  # exactly 0.0625 in binary: half-even gave 0.062


def test_a_negative_value_that_rounds_to_zero_has_no_sign() -> None:
    assert number(-0.001) == "0.00"


def test_a_negative_value_halfway_rounds_away_from_zero() -> None:
    # a change of −1/8 reads as the same size as one of +1/8
    assert (number(-0.125), number(0.125)) == ("-0.13", "0.13")


@given(st.integers(0, 199))
def test_every_half_percent_rounds_up(m: int) -> None:
    # (2m + 1) / 200 is m + ½ percent: 0.5 %, 1.5 %, … 99.5 %
    assert share((2 * m + 1) / 200) == f"{m + 1}%"


@given(st.integers(1, 2000), st.data())
def test_a_share_of_whole_counts_is_its_exact_percentage_rounded_half_up(
    n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, n))
    assert share(k / n) == half_up(Fraction(100 * k, n), 0) + "%"


@given(st.integers(1, 2000), st.data())
def test_a_mean_of_whole_answers_is_its_exact_value_rounded_half_up(
    n: int, data: st.DataObject
) -> None:
    total = data.draw(st.integers(-5 * n, 5 * n))
    assert number(total / n) == half_up(Fraction(total, n), 2)
    assert format_value(total / n, "number", "en", 1) == half_up(Fraction(total, n), 1)


def test_a_swedish_sentence_writes_a_date_with_the_month_in_words() -> None:
    assert prose_date(dt.date(2024, 3, 5), "sv") == "5 mars 2024"
    assert prose_date(dt.date(2017, 2, 1), "sv") == "1 februari 2017"
    assert prose_date(dt.date(1999, 12, 31), "sv") == "31 december 1999"


def test_another_language_writes_a_date_in_a_sentence_as_iso() -> None:
    assert prose_date(dt.date(2024, 3, 5), "en") == "2024-03-05"


@given(st.dates())
def test_a_swedish_prose_date_reads_back_as_the_date(day: dt.date) -> None:
    # the Swedish month names, independently: as a Swedish calendar prints them
    months = "januari februari mars april maj juni juli augusti september oktober november december"
    number_, month, year = prose_date(day, "sv").split(" ")
    assert dt.date(int(year), months.split().index(month) + 1, int(number_)) == day
