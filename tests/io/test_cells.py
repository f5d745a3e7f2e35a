"""The one cell syntax (mio_core.io.cells) that responses files and imports share."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mio_core.io.cells import CellError, parse_answer, parse_date, parse_respondent
from mio_core.io.responses import format_cell


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("4", 4),
        (" 3 ", 3),
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("", None),
        ("  ", None),
        ("4,0", 4),
        ("-99", -99),
        ("−1", -1),
        ("+2", 2),
        ("1e-05", 1e-05),
        ("1,000", 1),
    ],
)
def test_answers_that_are_read(cell: str, value: float | None) -> None:
    assert parse_answer(cell) == value


def test_a_whole_number_is_read_as_an_int() -> None:
    assert type(parse_answer("4,0")) is int


@pytest.mark.parametrize(
    "cell", ["x", "1,2,3", "nan", "inf", "3;4", "1_0", "٣", "1.000,5", ",5", "4,", "1e999", "1 000"]
)
def test_answers_that_are_refused_name_the_item(cell: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_answer(cell, "ops1")
    assert caught.value.code == "not-a-number"
    assert caught.value.message == f"ops1: {cell!r} is not a number"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_answer_the_workspace_writes_reads_back_as_itself(value: float) -> None:
    assert parse_answer(format_cell(value)) == value


@pytest.mark.parametrize(
    "cell",
    [
        "2018-05-30",
        " 2018-05-30 ",
        "2018-05-30T14:22:01",
        "2018-05-30 14:22",
        "2018-05-30T14:22:01.123Z",
        "2018-05-30 23:59:59,5+02:00",
        "2018-05-30T00:30-0500",
    ],
)
def test_a_date_or_a_survey_tools_timestamp_gives_the_date_as_written(cell: str) -> None:
    assert parse_date(cell) == dt.date(2018, 5, 30)


@pytest.mark.parametrize(
    "cell", ["30/5/2018", "5/30/18", "20180530", "2018-W22-3", "2018-02-30", "2018-05-30T25:00"]
)
def test_dates_in_a_locales_order_or_impossible_are_refused(cell: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert caught.value.code == "invalid-date"


@pytest.mark.parametrize(("cell", "day"), [("45356", "2024-03-05"), ("45356,5833", "2024-03-05")])
def test_an_excel_date_number_is_refused_saying_what_it_is_and_how_to_fix_it(
    cell: str, day: str
) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert "looks like an Excel date number" in caught.value.message
    assert day in caught.value.message
    assert "format the column as a date in Excel" in caught.value.message


@pytest.mark.parametrize("cell", ["20180530", "1234", "99999"])
def test_a_number_that_is_no_excel_date_of_1930_to_2099_gets_no_excel_hint(cell: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert "Excel" not in caught.value.message


def test_an_empty_date_is_none() -> None:
    assert parse_date("  ") is None


def test_a_respondent_is_an_id_with_spaces_around_ignored() -> None:
    assert parse_respondent(" p01 ") == "p01"


@pytest.mark.parametrize("cell", ["P01", "p 01", "", "anna@example.se"])
def test_a_respondent_that_is_not_an_id_is_refused(cell: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_respondent(cell)
    assert caught.value.code == "invalid-value"


def test_a_respondent_id_with_a_cyrillic_look_alike_names_the_letter() -> None:
    with pytest.raises(CellError, match="U\\+0440 CYRILLIC SMALL LETTER ER"):
        parse_respondent("\u0440" + "01")
