"""What every reader reports, located by file, line and column: ragged rows, duplicate
headers, control characters, empty and binary files."""

from __future__ import annotations

import mio_forms
import pytest
from forms_files import csv_bytes, workbook

from mio_core import ImportedTable, Severity

READERS = [
    mio_forms.read_microsoft_forms,
    mio_forms.read_google_forms,
    mio_forms.read_qualtrics,
    mio_forms.read_surveymonkey,
    mio_forms.read_xlsx,
]


def test_a_ragged_row_is_an_error_at_its_line_and_the_others_are_kept() -> None:
    data = csv_bytes(["Timestamp,Fråga 1,Fråga 2", "t1,a,b", "t2,a,b,c", "t3,a", "t4,a,b"])
    table = mio_forms.read_google_forms(data, "svar.csv")
    assert [(p.code, p.line) for p in table.problems] == [("ragged-row", 3), ("ragged-row", 4)]
    assert all(p.severity is Severity.ERROR for p in table.problems)
    assert (table.lines, [row[0] for row in table.rows]) == ((2, 5), ["t1", "t4"])


def test_empty_fields_past_the_header_are_not_ragged() -> None:
    # Excel's CSV writes a separator for every column it ever saw used.
    data = csv_bytes(["Timestamp;Fråga", "t1;a;;", ";;;"])
    table = mio_forms.read_google_forms(data, "svar.csv")
    assert (table.rows, table.problems) == ((("t1", "a"),), ())


def test_duplicate_question_text_without_keys_of_the_tool_is_a_warning_at_the_column() -> None:
    data = csv_bytes(["Timestamp,Hur nöjd?,Hur nöjd?", "t1,a,b"])
    table = mio_forms.read_google_forms(data, "svar.csv")
    [problem] = table.problems
    assert (problem.code, problem.line, problem.column, problem.severity) == (
        "duplicate-header",
        1,
        3,
        Severity.WARNING,
    )
    assert problem.path == ("Hur nöjd?",)


def test_a_duplicate_header_in_a_workbook_names_the_column_letter() -> None:
    data = workbook([["ID", "Fråga", "Fråga"], [1, "a", "b"]])
    [problem] = mio_forms.read_microsoft_forms(data, "svar.xlsx").problems
    assert (problem.code, problem.path) == ("duplicate-header", ("Fråga (column C)",))


def test_duplicate_tags_in_qualtrics_leave_duplicate_text_a_warning() -> None:
    data = csv_bytes(["ResponseId,Q1,Q1", "Response ID,Fråga,Fråga", "R_1,1,2"])
    assert [p.code for p in mio_forms.read_qualtrics(data, "q.csv").problems] == [
        "duplicate-header"
    ]


def test_control_characters_are_shown_visibly_and_reported_where_they_are() -> None:
    data = csv_bytes(["Timestamp,Fr\u202eåga", "t1,svar\x07"])
    table = mio_forms.read_google_forms(data, "svar.csv")
    assert table.header == ("Timestamp", "Fr\\u202eåga")
    assert table.rows == (("t1", "svar\\u0007"),)
    assert [(p.code, p.line, p.column) for p in table.problems] == [
        ("control-character", 1, 2),
        ("control-character", 2, 2),
    ]


def test_a_line_break_inside_a_cell_is_one_newline_whatever_the_file_wrote() -> None:
    data = b'Timestamp,Kommentar\r\nt1,"rad ett\r\nrad tv\xc3\xa5"\r\n'
    table = mio_forms.read_google_forms(data, "svar.csv")
    assert (table.rows, table.problems) == ((("t1", "rad ett\nrad två"),), ())


@pytest.mark.parametrize("read", READERS, ids=lambda r: r.__name__)
def test_an_empty_file_is_a_problem(read: object) -> None:
    assert callable(read)
    table = read(b"", "empty.csv" if read is not mio_forms.read_xlsx else "empty.xlsx")
    assert isinstance(table, ImportedTable)
    assert [p.code for p in table.problems] and table.rows == ()


@pytest.mark.parametrize("read", READERS[:4], ids=lambda r: r.__name__)
def test_a_binary_file_is_not_text(read: object) -> None:
    assert callable(read)
    assert [p.code for p in read(b"\x89PNG\r\n\x1a\n\x00\x00", "bild.csv").problems] == ["not-text"]


@pytest.mark.parametrize("read", READERS, ids=lambda r: r.__name__)
def test_an_xls_workbook_is_refused_by_every_reader(read: object) -> None:
    assert callable(read)
    table = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "svar.xls")
    assert [p.code for p in table.problems] == ["xls-not-supported"]


def test_a_qualtrics_importid_row_with_its_keys_in_another_order_is_a_header_row() -> None:
    # No cell of row 3 begins with {"ImportId": the keys come in another order and spacing.
    data = csv_bytes(
        [
            "ExternalReference,Q3_1",
            "External Data Reference,Choose - Huddle",
            '"{""timeZone"": ""Europe/Stockholm"", ""ImportId"": ""externalDataReference""}",'
            '"{""choiceId"": ""1"", ""ImportId"": ""QID3""}"',
            "p01,1",
        ]
    )

    table = mio_forms.read_qualtrics(data, "q.csv")

    assert (table.rows, table.lines) == ((("p01", "1"),), (4,))
