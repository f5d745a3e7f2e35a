"""REDCap's records export read as REDCap writes it: raw field names or labels, a record per
event in a longitudinal project, checkbox columns, form status columns."""

from __future__ import annotations

from pathlib import Path

import mio_survey_tools as st
import pytest
from tool_exports import TARGET, workbook, workspace

import mio_core as m
from mio_core.importing import TableMapping
from mio_core.testing import make_registry

RAW_HEADER = (
    "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,"
    "enkat_timestamp,ops1,ops2,hinder___1,hinder___2,enkat_complete,bakgrund_alder,"
    "bakgrund_complete\n"
)
LONGITUDINAL = (
    RAW_HEADER
    + "p01,baseline_arm_1,,,2024-01-10 09:00,,,0,0,,52,2\n"  # only the background form
    + "p01,followup_6m_arm_1,,,2024-07-10 09:00,4,999,1,0,2,,\n"
    + "p02,baseline_arm_1,,,,,,0,0,,38,2\n"
    + "p02,followup_6m_arm_1,,,,,,0,0,0,,\n"  # nothing collected on this event
    + "p03,followup_6m_arm_1,,,2024-07-11 10:00,2,3,0,1,2,,\n"
)


def test_raw_headers_are_the_field_names_and_the_keys() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "proj_DATA.csv")
    assert table.keys == table.header
    assert table.header[:2] == ("record_id", "redcap_event_name")
    assert table.problems == ()


def test_a_column_without_a_header_inside_a_raw_export_leaves_it_raw() -> None:
    # a column inserted in a spreadsheet: the other headers are still field names
    data = LONGITUDINAL.replace("ops1,ops2,", "ops1,,ops2,", 1)
    data = "\n".join(
        line if n == 0 else ",".join([*line.split(",")[:6], "", *line.split(",")[6:]])
        for n, line in enumerate(data.splitlines())
    )
    table = st.read_redcap(f"{data}\n".encode(), "proj_DATA.csv")
    assert table.keys == table.header
    assert table.header[5:8] == ("ops1", "", "ops2")
    assert "no-field-names" not in [p.code for p in table.problems]


def test_rows_with_no_data_on_their_event_are_left_out_with_their_lines_kept() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "proj_DATA.csv")
    assert [(row[0], row[1]) for row in table.rows] == [
        ("p01", "baseline_arm_1"),
        ("p01", "followup_6m_arm_1"),
        ("p02", "baseline_arm_1"),
        ("p03", "followup_6m_arm_1"),
    ]
    assert table.lines == (2, 3, 4, 6)


def test_keep_empty_rows_keeps_every_event() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "proj_DATA.csv", keep_empty_rows=True)
    assert table.lines == (2, 3, 4, 5, 6)


def test_events_keeps_only_those_events_and_missing_codes_stay_data() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "p.csv", events=["followup_6m_arm_1"])
    ops = table.header.index("ops2")
    assert [(row[0], row[ops]) for row in table.rows] == [("p01", "999"), ("p03", "3")]
    assert table.lines == (3, 6)


def test_an_event_never_seen_is_a_warning_listing_the_events_there_are() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "p.csv", events=["baseline_arm_2"])
    [warning] = table.problems
    assert warning.code == "unknown-event" and warning.severity is m.Severity.WARNING
    assert "baseline_arm_1, followup_6m_arm_1" in warning.message
    assert table.rows == ()


def test_fields_leave_out_rows_with_data_only_in_other_forms() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "p.csv", fields=["ops1", "ops2"])
    assert [row[0] for row in table.rows] == ["p01", "p03"]
    assert table.lines == (3, 6)


def test_a_field_the_file_lacks_is_an_error() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "p.csv", fields=["ops1", "ops9"])
    assert [(p.code, p.message) for p in table.problems] == [("unknown-field", "no column 'ops9'")]


def test_events_in_a_classic_project_are_an_error() -> None:
    table = st.read_redcap(b"record_id,ops1\n1,2\n", "p.csv", events=["baseline_arm_1"])
    assert [p.code for p in table.problems] == ["no-events"]


def test_a_labels_export_has_no_field_names_and_says_so() -> None:
    data = (
        '"Record ID","Event Name","Hur ofta planerar du?","Hinder? (choice=Tid)",'
        '"Complete?"\r\n'
        '"p01","Uppföljning 6 mån (Arm 1: Intervention)","Ofta","Checked","Complete"\r\n'
        '"p02","Baslinje (Arm 1: Intervention)","","Unchecked","Incomplete"\r\n'
    ).encode("utf-8-sig")
    table = st.read_redcap(data, "proj_DATA_LABELS.csv")
    assert table.keys == ()
    assert table.header[2] == "Hur ofta planerar du?"
    assert table.rows == (
        ("p01", "Uppföljning 6 mån (Arm 1: Intervention)", "Ofta", "Checked", "Complete"),
    )
    assert [p.code for p in table.problems] == ["no-field-names"]


def test_a_field_twice_is_an_error() -> None:
    table = st.read_redcap(b"record_id,ops1,ops1\n1,2,3\n", "p.csv")
    assert [(p.code, p.column) for p in table.problems] == [("duplicate-column", 3)]


def test_a_ragged_row_is_located() -> None:
    table = st.read_redcap(b"record_id,ops1\r\n1,2\r\n2,3,4\r\n", "p.csv")
    assert [(p.code, p.line) for p in table.problems] == [("csv-ragged", 3)]


def test_an_xlsx_export_reads_numbers_as_the_codes_people_see() -> None:
    data = workbook([["record_id", "ops1", "ops2"], ["p01", 4, 2.0], ["p02", 3.5, None]])
    table = st.read_redcap(data, "proj.xlsx")
    assert table.rows == (("p01", "4", "2"), ("p02", "3.5", ""))


def _export(path: Path, cell: str) -> Path:
    path.write_text(
        "record_id,redcap_event_name,ops1,ops2,ops3,uppfoljning_complete\n"
        "p01,baseline_arm_1,,,,\n"
        "p01,followup_6m_arm_1,4,5,3,2\n"
        f"p02,followup_6m_arm_1,{cell},2,,2\n",
        encoding="utf-8",
    )
    return path


MAPPING = TableMapping(
    respondent_column="record_id",
    ignore_columns=["redcap_event_name", "uppfoljning_complete"],
)


def test_a_redcap_export_imports_through_a_mapping_without_the_empty_event(
    tmp_path: Path,
) -> None:
    folder = workspace(tmp_path)
    registry = make_registry(st, builtins=True)
    export = _export(tmp_path / "proj_DATA.csv", "3")
    report = m.import_responses(
        folder,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        importer="redcap",
        mapping=MAPPING,
        replace=True,
    )
    assert report.written and report.respondents == 2
    assert (folder / TARGET).read_text(encoding="utf-8").splitlines() == [
        "respondent,ops1,ops2,ops3",
        "p01,4,5,3",
        "p02,3,2,",
    ]


def test_one_bad_cell_refuses_the_redcap_import_naming_its_row_and_field(
    tmp_path: Path,
) -> None:
    folder = workspace(tmp_path)
    before = (folder / TARGET).read_bytes()
    registry = make_registry(st, builtins=True)
    export = _export(tmp_path / "proj_DATA.csv", "tre")
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(
            folder,
            export,
            "mio-utilisation",
            "follow-up:6m",
            registry,
            importer="redcap",
            mapping=MAPPING,
            replace=True,
        )
    [bad] = caught.value.problems
    assert (bad.line, bad.column, bad.file) == (4, 3, str(export))
    assert "ops1" in bad.format()
    assert (folder / TARGET).read_bytes() == before


def test_a_checkbox_field_is_also_one_column_of_its_checked_codes() -> None:
    table = st.read_redcap(LONGITUDINAL.encode(), "proj_DATA.csv")
    assert table.header[-1] == "hinder" and table.keys[-1] == "hinder"
    assert table.header.count("hinder___1") == 1  # the choice columns stay
    by_record = {(row[0], row[1]): row[-1] for row in table.rows}
    assert by_record == {
        ("p01", "baseline_arm_1"): "",
        ("p01", "followup_6m_arm_1"): "1",
        ("p02", "baseline_arm_1"): "",
        ("p03", "followup_6m_arm_1"): "2",
    }
