"""The xlsx importer: any sheet as the tool showed it, with the sheet's row numbers."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from forms_files import workbook
from hypothesis import given
from hypothesis import strategies as st
from mio_forms import cell_text, number_text, read_xlsx


def test_numbers_are_shown_without_float_noise() -> None:
    data = workbook([["a", "b", "c", "d"], [4.0, 3.5, 0.1 + 0.2, 7]])
    assert read_xlsx(data, "x.xlsx").rows == (("4", "3.5", "0.3", "7"),)


def test_dates_and_times_are_iso_text() -> None:
    data = workbook(
        [
            ["Completion time", "Day", "When"],
            [dt.datetime(2018, 5, 30, 10, 3, 12), dt.date(2018, 5, 30), dt.time(9, 30)],
        ]
    )
    assert read_xlsx(data, "x.xlsx").rows == (("2018-05-30 10:03:12", "2018-05-30", "09:30:00"),)


def test_a_time_stored_a_hair_below_the_second_is_rounded() -> None:
    assert cell_text(dt.datetime(2018, 5, 30, 10, 3, 11, 999_999), "m/d/yy h:mm:ss") == (
        "2018-05-30 10:03:12"
    )


def test_midnight_is_shown_when_the_format_shows_time() -> None:
    assert cell_text(dt.datetime(2018, 5, 30), "yyyy-mm-dd hh:mm") == "2018-05-30 00:00:00"
    assert cell_text(dt.datetime(2018, 5, 30), "yyyy-mm-dd") == "2018-05-30"


def test_booleans_are_shown_as_excel_shows_them() -> None:
    assert cell_text(True) == "TRUE" and cell_text(False) == "FALSE"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_number_text_reads_back_to_the_number_within_15_digits(value: float) -> None:
    assert float(number_text(value)) == pytest.approx(value, rel=1e-14, abs=1e-300)


def test_lines_are_the_sheets_row_numbers_with_empty_rows_kept_inside() -> None:
    data = workbook([["respondent", "q1"], ["p01", 1], [None, None], ["p02", 2]])
    table = read_xlsx(data, "x.xlsx")
    assert table.lines == (2, 3, 4)
    assert table.rows == (("p01", "1"), ("", ""), ("p02", "2"))


def test_empty_rows_at_the_end_are_dropped() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["respondent", "q1"])
    sheet.append(["p01", 1])
    sheet["A40"].number_format = "0.00"  # formatted but empty: Excel keeps such rows
    sheet["B40"] = ""
    stream = io.BytesIO()
    book.save(stream)
    assert read_xlsx(stream.getvalue(), "x.xlsx").rows == (("p01", "1"),)


def test_a_merged_header_cell_names_every_column_it_spans() -> None:
    data = workbook(
        [["respondent", "Hur väl", None], [None, "a", "b"], ["p01", 1, 2]], merged=["B1:C1"]
    )
    assert read_xlsx(data, "x.xlsx").header == ("respondent", "Hur väl", "Hur väl")


def test_merged_data_cells_are_a_warning_at_their_row_and_column() -> None:
    data = workbook([["respondent", "q1", "q2"], ["p01", 1, None]], merged=["B2:C2"])
    table = read_xlsx(data, "x.xlsx")
    assert [(p.code, p.line, p.column, p.path) for p in table.problems] == [
        ("merged-cells", 2, 2, ("q1 (column B)",))
    ]
    assert table.rows == (("p01", "1", ""),)


def test_a_named_sheet_is_read() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.append(["not", "this"])
    other = book.create_sheet("Svar")
    other.append(["respondent"])
    other.append(["p01"])
    stream = io.BytesIO()
    book.save(stream)
    table = read_xlsx(stream.getvalue(), "x.xlsx", sheet="Svar")
    assert (table.header, table.rows) == (("respondent",), (("p01",),))


def test_a_missing_sheet_is_a_problem_naming_the_sheets() -> None:
    table = read_xlsx(workbook([["a"]], title="Blad1"), "x.xlsx", sheet="Svar")
    assert [p.code for p in table.problems] == ["no-sheet"]
    assert "Blad1" in table.problems[0].message


def test_an_old_xls_workbook_is_refused_with_what_to_do() -> None:
    table = read_xlsx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "svar.xls")
    assert [p.code for p in table.problems] == ["xls-not-supported"]
    assert ".xlsx" in table.problems[0].message


def test_a_truncated_workbook_is_a_problem() -> None:
    data = workbook([["a"], ["b"]])
    table = read_xlsx(data[: len(data) // 2], "x.xlsx")
    assert [p.code for p in table.problems] == ["not-xlsx"]
    assert table.rows == ()


def test_a_file_named_xlsx_that_is_text_is_a_problem() -> None:
    assert [p.code for p in read_xlsx(b"a,b\n1,2\n", "x.xlsx").problems] == ["not-xlsx"]


def test_a_zip_that_is_no_workbook_is_a_problem() -> None:
    stream = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert [p.code for p in read_xlsx(stream.getvalue(), "x.xlsx").problems] == ["zip-archive"]


def test_a_formula_without_a_computed_value_reads_as_empty() -> None:
    data = workbook([["a", "b"], ["=1+2", "x"]])
    # openpyxl writes "=1+2" as a formula without a cached value: Excel would show 3 after
    # computing; an export written by a tool has the value cached.
    assert read_xlsx(data, "x.xlsx").rows == (("", "x"),)


@pytest.mark.parametrize("shift", [-30, -20, -10, -1, 0, 1, 10])
def test_a_merged_range_is_found_wherever_the_sheet_xml_is_cut_for_reading(shift: int) -> None:
    import zipfile

    from mio_core.io.xlsx import _merged_ranges

    tag = b'<mergeCell ref="B1:C1"/>'
    before = b"<worksheet><sheetData/>" + b" " * ((1 << 20) + shift - 23) + b"<mergeCells>"
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", before + tag + b'<mergeCell ref="A5:A9"/>')
    with zipfile.ZipFile(stream) as archive:
        assert _merged_ranges(archive, "/xl/worksheets/sheet1.xml") == ((2, 1, 3, 1), (1, 5, 1, 9))


def test_formatted_empty_cells_right_of_the_data_are_not_columns() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["respondent", "q1"])
    sheet.append(["p01", 1])
    sheet["F2"].number_format = "0.00"
    sheet["F2"] = ""
    stream = io.BytesIO()
    book.save(stream)
    table = read_xlsx(stream.getvalue(), "x.xlsx")
    assert (table.header, table.rows) == (("respondent", "q1"), (("p01", "1"),))
