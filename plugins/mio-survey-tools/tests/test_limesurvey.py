"""LimeSurvey's responses export read as LimeSurvey writes it (CsvWriter: UTF-8 BOM, every
field quoted, CRLF, a blank line at the end; xlsx), and the answer codes of a ``.lss``."""

from __future__ import annotations

from pathlib import Path

import mio_survey_tools as st
import pytest
from tool_exports import TARGET, quoted_csv, workbook, workspace

import mio_core as m
from mio_core.importing import TableMapping
from mio_core.testing import make_registry

META = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token"]


def lime_csv(rows: list[list[str]], sep: str = ",") -> bytes:
    return ("\ufeff" + quoted_csv(rows, sep) + "\r\n").encode("utf-8")


def test_question_code_headings_are_the_keys_and_answer_codes_stay_as_written() -> None:
    data = lime_csv(
        [
            [*META, "G1Q1", "Q1[SQ001]", "Q1[SQ002]", "Q1[other]", "Q1[SQ001comment]"],
            ["7", "2024-03-01 10:02:11", "3", "sv", "123", "tokA", "A1", "A5", "A4", "", "bra"],
            ["8", "", "1", "sv", "456", "tokB", "A2", "AO01", "A3", "egen", ""],
        ]
    )
    table = st.read_limesurvey(data, "results-survey123.csv")
    assert table.header == table.keys
    assert table.keys[6:] == ("G1Q1", "Q1[SQ001]", "Q1[SQ002]", "Q1[other]", "Q1[SQ001comment]")
    assert table.rows[0][6:] == ("A1", "A5", "A4", "", "bra")
    assert table.rows[1][7] == "AO01"
    assert table.lines == (2, 3)
    assert table.problems == ()


def test_code_and_text_headings_split_into_key_and_text() -> None:
    data = lime_csv(
        [
            ["id. Response ID", "Q1[SQ001]. Hur ofta? [Planering]", "G1Q1. Ålder"],
            ["1", "A2", "44"],
        ]
    )
    table = st.read_limesurvey(data, "r.csv")
    assert table.keys == ("id", "Q1[SQ001]", "G1Q1")
    assert table.header == ("Response ID", "Hur ofta? [Planering]", "Ålder")


def test_question_text_headings_have_no_keys_and_say_so() -> None:
    data = lime_csv([["Response ID", "Hur ofta planerar du? [Ofta]"], ["1", "Instämmer helt"]])
    table = st.read_limesurvey(data, "r.csv")
    assert table.keys == ()
    assert table.rows == (("1", "Instämmer helt"),)
    assert [p.code for p in table.problems] == ["no-question-codes"]
    assert table.problems[0].severity is m.Severity.WARNING


def test_semicolon_separator_and_quoted_newlines_keep_their_lines() -> None:
    data = lime_csv([["id", "Q2"], ["1", "rad ett\nrad två"], ["2", "x;y"]], sep=";")
    table = st.read_limesurvey(data, "r.csv")
    assert table.rows == (("1", "rad ett\nrad två"), ("2", "x;y"))
    assert table.lines == (2, 4)


def test_a_ragged_row_is_a_located_error_and_left_out() -> None:
    data = lime_csv([["id", "Q1", "Q2"], ["1", "A1", "A2"], ["2", "A1"]])
    table = st.read_limesurvey(data, "r.csv")
    assert table.rows == (("1", "A1", "A2"),)
    [ragged] = table.problems
    assert (ragged.code, ragged.line, ragged.severity) == ("csv-ragged", 3, m.Severity.ERROR)


def test_a_question_code_twice_is_an_error_naming_both_columns() -> None:
    table = st.read_limesurvey(lime_csv([["id", "Q1", "Q1"], ["1", "A1", "A2"]]), "r.csv")
    [twice] = table.problems
    assert (twice.code, twice.column) == ("duplicate-column", 3)
    assert "column 2" in twice.message


def test_windows_1252_is_read_with_a_warning_and_undefined_bytes_are_located() -> None:
    data = quoted_csv([["id", "Q1"], ["1", "Instämmer"], ["2", "x"]]).encode("cp1252")
    data = data.replace(b'"x"', b'"\x81"')
    table = st.read_limesurvey(data, "r.csv")
    assert table.rows[0] == ("1", "Instämmer")
    codes = {(p.code, p.line, p.column) for p in table.problems}
    assert codes == {("not-utf8", None, None), ("undecodable", 3, 2)}


def test_an_xlsx_export_gives_the_same_table_with_spreadsheet_rows() -> None:
    data = workbook([["id", "token", "Q1[SQ001]"], [1, "tokA", "A5"], [], [2, "tokB", "A1"]])
    table = st.read_limesurvey(data, "results.xlsx")
    assert table.keys == ("id", "token", "Q1[SQ001]")
    assert table.rows == (("1", "tokA", "A5"), ("2", "tokB", "A1"))
    assert table.lines == (2, 4)


LSS_5 = """<?xml version="1.0" encoding="UTF-8"?>
<document>
 <LimeSurveyDocType>Survey</LimeSurveyDocType>
 <languages><language>sv</language><language>en</language></languages>
 <answers><rows>
  <row><aid>1</aid><qid>10</qid><code><![CDATA[A1]]></code><sortorder>1</sortorder>
   <scale_id>0</scale_id></row>
  <row><aid>2</aid><qid>10</qid><code><![CDATA[A5]]></code><sortorder>2</sortorder>
   <scale_id>0</scale_id></row>
  <row><aid>3</aid><qid>10</qid><code><![CDATA[A4]]></code><sortorder>3</sortorder>
   <scale_id>0</scale_id></row>
 </rows></answers>
 <answer_l10ns><rows>
  <row><id>1</id><aid>1</aid><answer>Instämmer inte</answer><language>sv</language></row>
  <row><id>2</id><aid>1</aid><answer>Disagree</answer><language>en</language></row>
  <row><id>3</id><aid>2</aid><answer>Instämmer helt</answer><language>sv</language></row>
  <row><id>4</id><aid>3</aid><answer>Vill inte svara</answer><language>sv</language></row>
 </rows></answer_l10ns>
 <questions><rows>
  <row><qid>10</qid><parent_qid>0</parent_qid><type>F</type><title><![CDATA[Q1]]></title></row>
 </rows></questions>
 <subquestions><rows>
  <row><qid>11</qid><parent_qid>10</parent_qid><title><![CDATA[SQ001]]></title></row>
 </rows></subquestions>
</document>
"""


def test_answer_codes_of_a_limesurvey_5_structure_keep_the_codes_own_order() -> None:
    codes = st.answer_codes(LSS_5.encode(), "survey.lss")
    assert codes == {
        "Q1": {"A1": "Instämmer inte", "A5": "Instämmer helt", "A4": "Vill inte svara"}
    }
    assert st.answer_codes(LSS_5.encode(), "survey.lss", language="en")["Q1"]["A1"] == "Disagree"


def test_answer_codes_of_a_limesurvey_3_structure_pick_the_language() -> None:
    lss = """<document><languages><language>en</language><language>sv</language></languages>
    <answers><rows>
     <row><qid>5</qid><code>A2</code><answer>Often</answer><language>en</language></row>
     <row><qid>5</qid><code>A2</code><answer>Ofta</answer><language>sv</language></row>
    </rows></answers>
    <questions><rows><row><qid>5</qid><title>volrepVen</title><language>en</language></row>
    </rows></questions></document>"""
    assert st.answer_codes(lss.encode(), "s.lss") == {"volrepVen": {"A2": "Often"}}
    assert st.answer_codes(lss.encode(), "s.lss", language="sv") == {"volrepVen": {"A2": "Ofta"}}


def test_a_structure_with_entities_is_refused_without_expanding_them() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><document>&b;</document>'
    )
    with pytest.raises(m.WorkspaceError) as caught:
        st.answer_codes(bomb.encode(), "evil.lss")
    [refused] = caught.value.problems
    assert (refused.file, refused.code) == ("evil.lss", "bad-xml")
    assert "DTD" in refused.message


def test_a_broken_structure_is_a_located_error() -> None:
    with pytest.raises(m.WorkspaceError) as caught:
        st.answer_codes(b"<document>\n<answers>\n</document>", "broken.lss")
    assert caught.value.problems[0].line == 3


def _export(path: Path, cell: str) -> Path:
    path.write_bytes(
        lime_csv(
            [
                [*META, "OPS1", "OPS2[SQ001]"],
                ["1", "2018-05-30 09:00:00", "2", "sv", "1", "p01", "4", "3"],
                ["2", "2018-05-31 10:00:00", "2", "sv", "2", "p02", cell, "5"],
            ]
        )
    )
    return path


MAPPING = TableMapping(
    respondent_column="token",
    date_column="submitdate",
    items={"OPS1": "ops1", "OPS2[SQ001]": "ops2"},
    ignore_columns=["id", "lastpage", "startlanguage", "seed"],
)


def test_a_limesurvey_export_imports_through_a_mapping(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    registry = make_registry(st, builtins=True)
    export = _export(tmp_path / "results-survey1.csv", "2")
    report = m.import_responses(
        folder,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        importer="limesurvey",
        mapping=MAPPING,
        replace=True,
    )
    assert report.written and report.respondents == 2
    assert (folder / TARGET).read_text(encoding="utf-8").splitlines() == [
        "respondent,date,ops1,ops2",
        "p01,2018-05-30,4,3",
        "p02,2018-05-31,2,5",
    ]


def test_one_bad_cell_refuses_the_import_naming_its_row_and_heading(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    before = (folder / TARGET).read_bytes()
    registry = make_registry(st, builtins=True)
    export = _export(tmp_path / "results-survey1.csv", "A9")
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(
            folder,
            export,
            "mio-utilisation",
            "follow-up:6m",
            registry,
            importer="limesurvey",
            mapping=MAPPING,
            replace=True,
        )
    [bad] = caught.value.problems
    assert (bad.line, bad.column, bad.path) == (3, 7, ("OPS1",))
    assert (folder / TARGET).read_bytes() == before


def test_a_multiple_choice_question_gets_a_column_of_its_chosen_codes() -> None:
    data = lime_csv(
        [
            [*META, "HOW[bus]", "HOW[bike]", "HOW[car]", "HOW[other]"],
            ["1", "", "2", "en", "1", "tokA", "Y", "Y", "", ""],
            ["2", "", "2", "en", "2", "tokB", "", "", "", "walking"],
        ]
    )
    table = st.read_limesurvey(data, "results-survey1.csv")
    assert table.keys[-1] == table.header[-1] == "HOW"
    assert [row[-1] for row in table.rows] == ["bus;bike", "other"]
    assert table.rows[1][:-1][-1] == "walking"  # the columns as written stay


def test_an_array_answered_with_codes_gets_no_added_column() -> None:
    data = lime_csv([[*META, "Q1[SQ001]", "Q1[SQ002]"], ["1", "", "2", "en", "1", "t", "A1", "Y"]])
    assert st.read_limesurvey(data, "r.csv").keys[-1] == "Q1[SQ002]"


def test_sgqa_headings_of_the_response_table_are_keys_with_a_warning_naming_the_export() -> None:
    data = lime_csv(
        [[*META, "845123X1X1SQ001", "845123X1X2other"], ["7", "", "3", "sv", "1", "t", "A1", ""]]
    )

    table = st.read_limesurvey(data, "lime_survey_845123.csv")

    assert table.keys[6:] == ("845123X1X1SQ001", "845123X1X2other")
    assert [(p.code, p.severity) for p in table.problems] == [("sgqa-headings", m.Severity.WARNING)]
    assert "Headings 'Question code'" in table.problems[0].message


def test_a_multiple_choice_exported_with_y_converted_to_1_gets_its_chosen_codes() -> None:
    # Export results → Responses: "Convert Y to" 1 (for SPSS or Excel users).
    data = lime_csv(
        [
            [*META, "HOW[bus]", "HOW[bike]", "HOW[car]"],
            ["1", "", "2", "en", "1", "tokA", "1", "", "1"],
            ["2", "", "2", "en", "2", "tokB", "", "1", ""],
        ]
    )

    table = st.read_limesurvey(data, "results-survey1.csv")

    assert table.keys[-1] == "HOW"
    assert [row[-1] for row in table.rows] == ["bus;car", "bike"]


def test_an_array_answered_with_several_numbers_gets_no_added_column() -> None:
    data = lime_csv([[*META, "Q1[SQ001]", "Q1[SQ002]"], ["1", "", "2", "en", "1", "t", "1", "4"]])

    assert st.read_limesurvey(data, "r.csv").keys[-1] == "Q1[SQ002]"


def test_a_multiple_choice_exported_as_full_answers_in_swedish_gets_its_chosen_codes() -> None:
    # Responses as "Full answers": a chosen option is the survey language's "Yes".
    data = lime_csv(
        [
            [*META, "HOW[bus]", "HOW[bike]", "HOW[car]"],
            ["1", "", "2", "sv", "1", "tokA", "Ja", "", "Ja"],
            ["2", "", "2", "sv", "2", "tokB", "", "Ja", "Nej"],
        ]
    )

    table = st.read_limesurvey(data, "results-survey1.csv")

    assert [row[-1] for row in table.rows] == ["bus;car", "bike"]
