"""Each tool's export, written as the tool writes it (its documented layout and quirks),
read into the table the mapping layer gets: header text, the tool's keys, text cells as in
the file, and each row's line."""

from __future__ import annotations

import codecs
import datetime as dt

from forms_files import csv_bytes, workbook
from mio_forms import (
    read_google_forms,
    read_microsoft_forms,
    read_qualtrics,
    read_surveymonkey,
)

# --- Microsoft Forms: "Open in Excel" -----------------------------------------------------

LIKERT_A = "Jag använder verktygen i min vardag"
LIKERT_B = "Jag delar det jag lärt mig med mina medarbetare"


def test_microsoft_forms_workbook_with_likert_statements_as_columns() -> None:
    data = workbook(
        [
            [
                "ID",
                "Start time",
                "Completion time",
                "Email",
                "Name",
                "Last modified time",
                "Vilken kommun?",
                LIKERT_A,
                LIKERT_B,
                "Vilka moduler?",
            ],
            [
                1,
                dt.datetime(2018, 5, 30, 10, 3, 12),
                dt.datetime(2018, 5, 30, 10, 9, 1),
                "anna@kommun.se",
                "Anna A",
                None,
                "Linköping",
                "Instämmer helt",
                "Instämmer delvis",
                "M1;M3;",
            ],
            [
                2,
                dt.datetime(2018, 5, 31, 8, 0),
                dt.datetime(2018, 5, 31, 8, 4, 59),
                "anonymous",
                None,
                None,
                "Motala",
                "Tar helt avstånd",
                "Vet ej",
                "",
            ],
        ]
    )
    table = read_microsoft_forms(data, "MIO uppföljning(1-2).xlsx")
    assert table.header == (
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Vilken kommun?",
        LIKERT_A,
        LIKERT_B,
        "Vilka moduler?",
    )
    assert table.keys == (
        "ms:id",
        "ms:start-time",
        "ms:completion-time",
        "ms:email",
        "ms:name",
        "ms:last-modified-time",
        "ms:q1",
        "ms:q2",
        "ms:q3",
        "ms:q4",
    )
    assert table.rows == (
        (
            "1",
            "2018-05-30 10:03:12",
            "2018-05-30 10:09:01",
            "anna@kommun.se",
            "Anna A",
            "",
            "Linköping",
            "Instämmer helt",
            "Instämmer delvis",
            "M1;M3;",
        ),
        (
            "2",
            "2018-05-31 08:00:00",
            "2018-05-31 08:04:59",
            "anonymous",
            "",
            "",
            "Motala",
            "Tar helt avstånd",
            "Vet ej",
            "",
        ),
    )
    assert table.lines == (2, 3)
    assert table.problems == ()


def test_microsoft_forms_csv_keeps_us_date_times_as_written() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        [
            'ID,Start time,Completion time,Email,Name,"Hur nöjd är du, totalt?"',
            "1,5/30/18 10:03:12,5/30/18 10:05:40,anna@kommun.se,Anna A,Mycket nöjd",
        ],
        ending="\r\n",
    )
    table = read_microsoft_forms(data, "export.csv")
    assert table.header[-1] == "Hur nöjd är du, totalt?"
    assert table.rows == (
        ("1", "5/30/18 10:03:12", "5/30/18 10:05:40", "anna@kommun.se", "Anna A", "Mycket nöjd"),
    )
    assert table.lines == (2,)


def test_microsoft_forms_swedish_headers_get_the_same_keys() -> None:
    data = csv_bytes(
        ["ID;Starttid;Slutförandetid;E-post;Namn;Fråga", "1;2018-05-30;2018-05-30;a@b.se;A;x"]
    )
    table = read_microsoft_forms(data, "svar.csv")
    assert table.keys == (
        "ms:id",
        "ms:start-time",
        "ms:completion-time",
        "ms:email",
        "ms:name",
        "ms:q1",
    )


def test_a_question_called_name_is_a_question_after_the_first_question() -> None:
    data = csv_bytes(["ID,Email,Kommun,Name", "1,a@b.se,Motala,Anna"])
    assert read_microsoft_forms(data, "x.csv").keys == ("ms:id", "ms:email", "ms:q1", "ms:q2")


def test_a_file_without_microsoft_forms_id_column_is_a_warning() -> None:
    table = read_microsoft_forms(csv_bytes(["Tidstämpel,Fråga", "x,y"]), "x.csv")
    assert [(p.code, p.severity.value) for p in table.problems] == [
        ("not-microsoft-forms", "warning")
    ]


# --- Google Forms: "Download responses (.csv)" ---------------------------------------------


def test_google_forms_csv_with_email_and_grid_rows() -> None:
    data = csv_bytes(
        [
            "Timestamp,Email Address,Hur ofta använder du verktygen? [Möten],"
            "Hur ofta använder du verktygen? [Projekt],Kommentar",
            '2018/05/30 10:03:12 AM CEST,anna@kommun.se,Varje vecka,Aldrig,"Bra, tack"',
            "2018/05/30 1:15:00 PM CEST,bo@kommun.se,Varje månad,Varje vecka,",
        ]
    )
    table = read_google_forms(data, "MIO (svar).csv")
    assert table.header == (
        "Timestamp",
        "Email Address",
        "Hur ofta använder du verktygen? [Möten]",
        "Hur ofta använder du verktygen? [Projekt]",
        "Kommentar",
    )
    assert table.keys == ("google:timestamp", "google:email", "google:q1", "google:q2", "google:q3")
    assert table.rows[0] == (
        "2018/05/30 10:03:12 AM CEST",
        "anna@kommun.se",
        "Varje vecka",
        "Aldrig",
        "Bra, tack",
    )
    assert table.lines == (2, 3)
    assert table.problems == ()


def test_google_forms_swedish_semicolons_windows_1252_and_decimal_comma() -> None:
    data = csv_bytes(
        [
            "Tidstämpel;E-postadress;Poäng;Antal timmar",
            "30/05/2018 10:03:12;åsa@kommun.se;3,5;2,25",
        ],
        encoding="cp1252",
        ending="\r\n",
    )
    table = read_google_forms(data, "svar.csv")
    assert table.keys == ("google:timestamp", "google:email", "google:score", "google:q1")
    assert table.rows == (("30/05/2018 10:03:12", "åsa@kommun.se", "3,5", "2,25"),)
    assert [p.code for p in table.problems] == ["not-utf8"]


def test_google_forms_without_a_timestamp_first_is_a_warning() -> None:
    table = read_google_forms(csv_bytes(["Fråga", "svar"]), "x.csv")
    assert [p.code for p in table.problems] == ["not-google-forms"]


# --- Qualtrics: three header rows -----------------------------------------------------------

QUALTRICS = [
    "StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,"
    "ResponseId,RecipientEmail,ExternalReference,Q3_1,Q3_2,Q7",
    "Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,"
    "Recorded Date,Response ID,Recipient Email,External Data Reference,"
    '"Hur väl stämmer detta? - Jag planerar",Hur väl stämmer detta? - Jag planerar,'
    '"Övrigt,\nmed radbrytning"',
    '"{""ImportId"":""startDate"",""timeZone"":""Europe/Stockholm""}",'
    '"{""ImportId"":""endDate"",""timeZone"":""Europe/Stockholm""}","{""ImportId"":""status""}",'
    '"{""ImportId"":""ipAddress""}","{""ImportId"":""progress""}","{""ImportId"":""duration""}",'
    '"{""ImportId"":""finished""}","{""ImportId"":""recordedDate""}",'
    '"{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}",'
    '"{""ImportId"":""externalDataReference""}","{""ImportId"":""QID3_1""}",'
    '"{""ImportId"":""QID3_2""}","{""ImportId"":""QID7_TEXT""}"',
    "2018-05-30 10:03:12,2018-05-30 10:09:40,0,192.0.2.1,100,388,1,2018-05-30 10:09:41,"
    "R_1abcDEF,anna@kommun.se,p01,4,-99,",
]


def test_qualtrics_tags_are_keys_and_tell_equal_question_texts_apart() -> None:
    table = read_qualtrics(csv_bytes(QUALTRICS), "MIO_May 30, 2018_10.10.csv")
    assert table.keys[-3:] == ("Q3_1", "Q3_2", "Q7")
    assert table.header[-3:] == (
        "Hur väl stämmer detta? - Jag planerar",
        "Hur väl stämmer detta? - Jag planerar",
        "Övrigt,\nmed radbrytning",
    )
    assert table.header[5] == "Duration (in seconds)"
    assert table.rows == (
        (
            "2018-05-30 10:03:12",
            "2018-05-30 10:09:40",
            "0",
            "192.0.2.1",
            "100",
            "388",
            "1",
            "2018-05-30 10:09:41",
            "R_1abcDEF",
            "anna@kommun.se",
            "p01",
            "4",
            "-99",
            "",
        ),
    )
    assert table.problems == ()  # the shared question text is told apart by the tags


def test_qualtrics_lines_count_every_header_line() -> None:
    # tags on line 1, question text on lines 2-3 (a line break in a quoted cell), ImportIds
    # on line 4: the first answer is on line 5.
    assert read_qualtrics(csv_bytes(QUALTRICS), "q.csv").lines == (5,)


def test_qualtrics_legacy_export_has_two_header_rows() -> None:
    data = csv_bytes(
        [
            "V1,V2,V8,V9,Q1",
            "ResponseID,ResponseSet,StartDate,EndDate,Hur nöjd?",
            "R_1,Default,2018-05-30,2018-05-30,5",
        ]
    )
    table = read_qualtrics(data, "legacy.csv")
    assert table.keys == ("V1", "V2", "V8", "V9", "Q1")
    assert table.header == ("ResponseID", "ResponseSet", "StartDate", "EndDate", "Hur nöjd?")
    assert (table.rows, table.lines) == (
        (("R_1", "Default", "2018-05-30", "2018-05-30", "5"),),
        (3,),
    )


def test_qualtrics_tab_separated_utf16_export() -> None:
    # each ImportId cell is a quoted JSON text, as Qualtrics writes it
    text = (
        "ResponseId\tQ1\nResponse ID\tHur nöjd?\n"
        '"{""ImportId"":""_recordId""}"\t"{""ImportId"":""QID1""}"\n'
        "R_1\tMycket nöjd\n"
    )
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    table = read_qualtrics(data, "export.tsv")
    assert (table.keys, table.header, table.rows, table.lines) == (
        ("ResponseId", "Q1"),
        ("Response ID", "Hur nöjd?"),
        (("R_1", "Mycket nöjd"),),
        (4,),
    )


def test_a_file_that_is_not_qualtrics_is_refused() -> None:
    table = read_qualtrics(csv_bytes(["respondent,q1", "p01,4"]), "x.csv")
    assert [p.code for p in table.problems] == ["not-qualtrics"]
    assert table.rows == ()


# --- SurveyMonkey: two header rows ----------------------------------------------------------

SURVEYMONKEY = [
    "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,"
    "Last Name,Custom Data 1,Hur väl stämmer påståendena?,,Vilka moduler har du gått?,,"
    "Vad tar du med dig?",
    ",,,,,,,,,Jag planerar,Jag delegerar,M1,Other (please specify),Open-Ended Response",
    "11400285031,234567890,05/30/2018 10:03:12 AM,05/30/2018 10:09:40 AM,192.0.2.1,"
    "anna@kommun.se,Anna,A,p01,Instämmer helt,Instämmer delvis,M1,Coaching,Mycket",
]


def test_surveymonkey_question_spans_its_columns_and_labels_name_them() -> None:
    table = read_surveymonkey(csv_bytes(SURVEYMONKEY), "Data_All_180530.csv")
    assert table.header[:2] == ("Respondent ID", "Collector ID")
    assert table.header[9:] == (
        "Hur väl stämmer påståendena? / Jag planerar",
        "Hur väl stämmer påståendena? / Jag delegerar",
        "Vilka moduler har du gått? / M1",
        "Vilka moduler har du gått? / Other (please specify)",
        "Vad tar du med dig?",
    )
    assert table.keys[9:] == (
        "Hur väl stämmer påståendena? | Jag planerar",
        "Hur väl stämmer påståendena? | Jag delegerar",
        "Vilka moduler har du gått? | M1",
        "Vilka moduler har du gått? | Other (please specify)",
        "Vad tar du med dig? | Open-Ended Response",
    )
    assert table.rows[0][8:] == (
        "p01",
        "Instämmer helt",
        "Instämmer delvis",
        "M1",
        "Coaching",
        "Mycket",
    )
    assert table.lines == (3,)
    assert table.problems == ()


def test_surveymonkey_workbook_with_merged_question_cells() -> None:
    data = workbook(
        [
            ["Respondent ID", "Start Date", "Hur väl stämmer påståendena?", None, "Kommentar"],
            [None, None, "Jag planerar", "Jag delegerar", "Response"],
            [11400285031, dt.datetime(2018, 5, 30, 10, 3, 12), "Instämmer helt", "Vet ej", "Bra"],
        ],
        merged=["C1:D1"],
    )
    table = read_surveymonkey(data, "Data_All.xlsx")
    assert table.header == (
        "Respondent ID",
        "Start Date",
        "Hur väl stämmer påståendena? / Jag planerar",
        "Hur väl stämmer påståendena? / Jag delegerar",
        "Kommentar",
    )
    assert table.rows == (
        ("11400285031", "2018-05-30 10:03:12", "Instämmer helt", "Vet ej", "Bra"),
    )
    assert table.lines == (3,)


def test_surveymonkey_repeated_question_and_label_get_numbered_keys() -> None:
    data = csv_bytes(["Respondent ID,Betyg,Betyg", ",Response,Response", "1,4,5"])
    table = read_surveymonkey(data, "x.csv")
    assert table.keys == ("Respondent ID", "Betyg | Response", "Betyg | Response #2")


def test_a_file_without_respondent_id_is_not_surveymonkey() -> None:
    table = read_surveymonkey(csv_bytes(["respondent,q1", "p01,4"]), "x.csv")
    assert [p.code for p in table.problems] == ["not-surveymonkey"]
