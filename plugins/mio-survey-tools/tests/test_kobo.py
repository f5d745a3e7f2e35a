"""KoboToolbox's and ODK Central's submissions exports read as they write them, and an
XLSForm's choice lists."""

from __future__ import annotations

import io
from pathlib import Path

import mio_survey_tools as st
import openpyxl
import pytest
from tool_exports import TARGET, quoted_csv, workbook, workspace

import mio_core as m
from mio_core.importing import TableMapping
from mio_core.testing import make_registry

KOBO_HEADER = [
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "arbete/ops1",
    "arbete/ops2",
    "arbete/hinder",
    "arbete/hinder/tid",
    "arbete/hinder/pengar",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_index",
]


def kobo_row(ops1: str, ops2: str, uuid: str, index: str) -> list[str]:
    return [
        "2024-05-02T09:14:03.120+02:00",
        "2024-05-02T09:20:41.882+02:00",
        "2024-05-02",
        "ee.kobotoolbox.org:Aq3",
        "",
        ops1,
        ops2,
        "tid",
        "1",
        "0",
        "41" + index,
        uuid,
        "2024-05-02T07:20:44",
        "validation_status_approved",
        index,
    ]


def test_a_kobo_csv_with_semicolons_keeps_paths_as_keys_and_choice_names_as_cells() -> None:
    data = quoted_csv(
        [KOBO_HEADER, kobo_row("likely", "neutral", "9f1c", "1")], sep=";", end="\n"
    ).encode()
    table = st.read_kobo(data, "Enkät_-_all_versions_-_False_-_2024-05-02.csv")
    assert table.keys == tuple(KOBO_HEADER)
    assert table.rows[0][5:10] == ("likely", "neutral", "tid", "1", "0")
    assert table.lines == (2,)


def test_an_export_without_a_respondent_column_warns_naming_what_was_looked_for() -> None:
    data = quoted_csv([KOBO_HEADER, kobo_row("likely", "x", "u", "1")], sep=";").encode()
    [warning] = st.read_kobo(data, "k.csv").problems
    assert warning.code == "no-respondent-column"
    assert warning.severity is m.Severity.WARNING
    assert "token" in warning.message and "email" in warning.message
    assert "_uuid" in warning.message


def test_a_token_question_inside_a_group_is_a_respondent_column() -> None:
    data = quoted_csv([["meta_grupp/token", "q1", "_uuid"], ["tokA", "likely", "u"]]).encode()
    assert st.read_kobo(data, "k.csv").problems == ()


def test_label_headers_have_no_keys_and_a_decimal_comma_stays_as_written() -> None:
    data = quoted_csv(
        [
            ["E-post", "Hur sannolikt är det, tror du?", "Timmar per vecka", "_uuid"],
            ["a@kommun.se", "Ganska sannolikt", "2,5", "u1"],
        ],
        sep=";",
    ).encode()
    table = st.read_kobo(data, "k.csv")
    assert table.keys == ()
    assert table.rows == (("a@kommun.se", "Ganska sannolikt", "2,5", "u1"),)
    assert {p.code for p in table.problems} == {"no-question-names", "no-respondent-column"}


def test_an_hxl_tag_row_under_the_header_is_left_out() -> None:
    data = quoted_csv(
        [["email", "q1"], ["#contact+email", "#indicator"], ["a@b.se", "likely"]], sep=";"
    ).encode()
    table = st.read_kobo(data, "k.csv")
    assert table.rows == (("a@b.se", "likely"),)
    assert table.lines == (3,)


CENTRAL_HEADER = (
    "SubmissionDate,deltagare-email,deltagare-namn,arbete-ops1,arbete-ops2,meta-instanceID,"
    "KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,"
    "ReviewState,DeviceID,Edits,FormVersion\n"
)


def test_an_odk_central_csv_keeps_its_dash_joined_paths() -> None:
    data = (
        CENTRAL_HEADER
        + "2024-05-02T07:20:44.123Z,a@kommun.se,Anna,likely,unlikely,uuid:1c,uuid:1c,5,"
        "Alice,0,0,,approved,collect:X1,0,2024050201\n"
    ).encode()
    table = st.read_kobo(data, "submissions.csv")
    assert table.keys[1] == "deltagare-email"
    assert table.rows[0][1:5] == ("a@kommun.se", "Anna", "likely", "unlikely")
    assert table.problems == ()


def test_an_odk_central_export_without_an_email_names_key_and_instance_id() -> None:
    data = (
        CENTRAL_HEADER.replace("deltagare-email", "deltagare-ort")
        + ",".join(
            [
                "2024-05-02T07:20:44Z",
                "Linköping",
                "Anna",
                "likely",
                "x",
                "uuid:1",
                "uuid:1",
                "5",
                "Alice",
                "0",
                "0",
                "",
                "",
                "",
                "0",
                "1",
            ]
        )
        + "\n"
    ).encode()
    [warning] = st.read_kobo(data, "submissions.csv").problems
    assert "KEY and meta-instanceID" in warning.message


def test_a_kobo_xlsx_export_reads_the_first_sheet() -> None:
    data = workbook([["email", "grp/q1", "_index"], ["a@b.se", "likely", 1]], title="Enkät")
    table = st.read_kobo(data, "Enkät.xlsx")
    assert table.rows == (("a@b.se", "likely", "1"),)


def test_a_damaged_xlsx_is_a_problem_not_a_traceback() -> None:
    table = st.read_kobo(b"PK\x03\x04 this is no zip", "k.xlsx")
    assert [p.code for p in table.problems] == ["not-xlsx"]


def xlsform() -> bytes:
    book = openpyxl.Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label::Svenska (sv)"])
    survey.append(["select_one sannolik", "ops1", "Hur sannolikt?"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Svenska (sv)", "label::English (en)"])
    for name, label in [("unlikely", "Osannolikt"), ("likely", "Sannolikt"), ("dk", "Vet ej")]:
        choices.append(["sannolik", name, label, name.title()])
    choices.append([])
    choices.append(["ja_nej", "ja", "Ja", "Yes"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_choice_lists_keep_the_xlsforms_order_and_first_label() -> None:
    assert st.choice_lists(xlsform(), "form.xlsx") == {
        "sannolik": [("unlikely", "Osannolikt"), ("likely", "Sannolikt"), ("dk", "Vet ej")],
        "ja_nej": [("ja", "Ja")],
    }


def test_choice_lists_of_a_file_that_is_no_xlsform_raise_naming_it() -> None:
    with pytest.raises(m.MioError, match=r"form\.xlsx"):
        st.choice_lists(workbook([["a"]]), "form.xlsx")


def _export(path: Path, cell: str) -> Path:
    header = [
        "deltagare/respondent",
        "arbete/ops1",
        "arbete/ops2",
        "_id",
        "_uuid",
        "_submission_time",
        "arbete/kommentar",
    ]
    path.write_bytes(
        quoted_csv(
            [
                header,
                ["p01", "4", "2", "11", "u1", "2024-05-02T07:20:44", "Härligt"],
                ["p02", cell, "5", "12", "u2", "2024-05-03T08:00:00", "Öppet"],
            ],
            sep=";",
        ).encode("cp1252")
    )
    return path


MAPPING = TableMapping(
    respondent_column="deltagare/respondent",
    items={"arbete/ops1": "ops1", "arbete/ops2": "ops2"},
    ignore_columns=["_id", "_uuid", "_submission_time", "arbete/kommentar"],
)


def test_a_kobo_export_imports_through_a_mapping(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    registry = make_registry(st, builtins=True)
    export = _export(tmp_path / "enkat.csv", "3")
    report = m.import_responses(
        folder,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        importer="kobo",
        mapping=MAPPING,
        replace=True,
    )
    assert report.written and report.respondents == 2
    assert [w.code for w in report.warnings] == ["not-utf8"]
    assert (folder / TARGET).read_text(encoding="utf-8").splitlines() == [
        "respondent,ops1,ops2",
        "p01,4,2",
        "p02,3,5",
    ]


def test_one_bad_cell_refuses_the_kobo_import_naming_its_row_and_path(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    before = (folder / TARGET).read_bytes()
    registry = make_registry(st, builtins=True)
    export = _export(tmp_path / "enkat.csv", "likely")
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(
            folder,
            export,
            "mio-utilisation",
            "follow-up:6m",
            registry,
            importer="kobo",
            mapping=MAPPING,
            replace=True,
        )
    [bad] = caught.value.problems
    assert (bad.line, bad.column, bad.path) == (3, 2, ("arbete/ops1",))
    assert (folder / TARGET).read_bytes() == before


def _travel(header: list[str], *rows: list[str]) -> m.ImportedTable:
    data = quoted_csv([header, *rows], sep=";", end="\n").encode()
    return st.read_kobo(data, "travel.csv")


def test_a_select_multiple_column_beside_its_1_0_columns_is_written_with_semicolons() -> None:
    table = _travel(
        ["token", "how", "how/bus", "how/bike", "how/car"],
        ["k1", "bus bike", "1", "1", "0"],
        ["k2", "", "0", "0", "0"],
    )
    assert table.header == ("token", "how", "how/bus", "how/bike", "how/car")
    assert [row[1] for row in table.rows] == ["bus;bike", ""]


def test_only_1_0_columns_of_a_select_multiple_add_its_column_with_the_checked_names() -> None:
    table = _travel(
        ["token", "trip/how/bus", "trip/how/bike", "trip/how/car"],
        ["k1", "1", "0", "1"],
        ["k2", "0", "", "0"],
    )
    assert table.header[-1] == "trip/how"
    assert [row[-1] for row in table.rows] == ["bus;car", ""]


def test_a_group_of_questions_gets_no_added_column() -> None:
    table = _travel(["token", "arbete/ops1", "arbete/ops2"], ["k1", "likely", "1"])
    assert table.header == ("token", "arbete/ops1", "arbete/ops2")
