"""What the survey tools' real exports hold that our own fixtures did not: grid statements
after the question text, time zones after a timestamp, 12-hour clocks, the tools' own names
of the respondent and date columns, rows without a respondent (previews, unfinished
responses) and Swedish Excel's semicolon files. The whole files are in the plugins' tests
(``plugins/mio-forms/tests/real``, ``plugins/mio-survey-tools/tests/real``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.importing import import_mapped, propose_mapping
from mio_core.importing.mapping import parse_with_format
from mio_core.io import read_delimited
from mio_core.plugins import ImportedTable
from mio_core.testing import make_registry

from ..helpers import snapshot

REL2_SV = "Jag har förtroende för min coach."
PROG3_SV = "Jag har genomfört de åtgärder vi kom överens om."


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(builtins=True)


@pytest.fixture
def coaching(workspace: Path) -> Path:
    """The example workspace without answers to the coaching instrument after the programme."""
    (workspace / "responses/mio-coaching.post.csv").unlink()
    (workspace / "imports").mkdir()
    return workspace


# A row without a respondent


def test_a_row_without_a_respondent_is_refused_saying_what_it_may_be(
    coaching: Path, registry: m.Registry
) -> None:
    (coaching / "imports/small.yaml").write_text(
        "instrument: mio-coaching\noccasion: post\n"
        "respondent: {column: E-post, match: email}\n"
        "items: {rel1: {column: rel1}, rel2: {column: rel2}}\n",
        encoding="utf-8",
    )
    export = coaching.parent / "export.csv"
    export.write_text(
        "E-post,rel1,rel2\nanna.lundin@linkoping.example,4,5\n,3,3\n", encoding="utf-8"
    )
    before = snapshot(coaching)

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.column, problem.path) == (
        "missing-respondent",
        3,
        1,
        ("E-post",),
    )
    assert "preview" in problem.message and "export again" in problem.message
    assert snapshot(coaching) == before


# Dates as the tools write them


def test_a_time_zone_after_the_time_is_left_aside_by_a_date_format() -> None:
    # Google Forms' "Download responses (.csv)": no strptime format reads "EET".
    assert parse_with_format("2024/03/05 2:22:01 PM EET", "%Y/%m/%d %I:%M:%S %p") == dt.date(
        2024, 3, 5
    )


def test_am_or_pm_is_never_taken_for_a_time_zone() -> None:
    with pytest.raises(ValueError):
        parse_with_format("03/05/2024 02:02:11 PM", "%m/%d/%Y %H:%M:%S")


@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["EET", "CET", "CEST", "GMT", "UTC", "GMT+1", "GMT+01:00", "+0100"]),
    st.sampled_from(["%Y/%m/%d %I:%M:%S %p", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M:%S"]),
)
def test_any_timestamp_with_a_time_zone_reads_as_its_written_date(
    moment: dt.datetime, zone: str, date_format: str
) -> None:
    written = f"{moment.strftime(date_format)} {zone}"

    assert parse_with_format(written, date_format) == moment.date()


@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    st.sampled_from(["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p"]),
)
def test_a_timestamp_excel_rewrote_as_iso_reads_whatever_format_the_mapping_gives(
    moment: dt.datetime, rewritten: str, date_format: str
) -> None:
    # A Google Sheet's CSV saved again in a Swedish Excel: 2024-03-05 14:22:01 becomes
    # 2024-03-05 14:22, and the mapping's format no longer fits; ISO is never ambiguous.
    assert parse_with_format(moment.strftime(rewritten), date_format) == moment.date()


def test_a_date_that_is_neither_the_format_nor_iso_is_still_refused() -> None:
    with pytest.raises(ValueError):
        parse_with_format("05/03/2024 14:22", "%Y-%m-%d %H:%M:%S")


def test_the_proposal_guesses_a_twelve_hour_clock(registry: m.Registry) -> None:
    # SurveyMonkey's End Date; the 25th tells the month from the day.
    table = ImportedTable(
        header=["Email Address", "End Date"],
        rows=[["a@b.se", "03/25/2024 02:02:11 PM"], ["c@d.se", "03/05/2024 11:40:00 AM"]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.date is not None
    assert proposal.mapping.date.format == "%m/%d/%Y %I:%M:%S %p"


def test_the_proposal_guesses_a_format_of_dates_with_a_time_zone(registry: m.Registry) -> None:
    table = ImportedTable(
        header=["Timestamp", "Email Address"], rows=[["2024/03/05 2:22:01 PM EET", "a@b.se"]]
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.date is not None
    assert proposal.mapping.date.format == "%Y/%m/%d %I:%M:%S %p"


def test_the_proposal_takes_google_forms_swedish_timestamp_column_as_the_date(
    registry: m.Registry,
) -> None:
    table = ImportedTable(
        header=["Tidstämpel", "E-postadress"], rows=[["2024-03-05 14:22:01", "a@b.se"]]
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.date is not None
    assert proposal.mapping.date.column == "Tidstämpel"


# The respondent column as the tools name it


@pytest.mark.parametrize(
    ("header", "match"),
    [("Recipient Email", "email"), ("record_id", "id")],
    ids=["qualtrics-recipient-email", "redcap-record-id"],
)
def test_the_proposal_finds_the_tools_own_respondent_column(
    registry: m.Registry, header: str, match: str
) -> None:
    table = ImportedTable(header=["Start Date", header], rows=[["2024-03-05", "x"]])

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.respondent.column == header
    assert proposal.mapping.respondent.match.value == match


# Grid (matrix) questions: one column per statement, after the question's text


@pytest.mark.parametrize(
    "shape",
    ["{q} - {s}", "{q} / {s}", "{q} [{s}]"],
    ids=["qualtrics", "surveymonkey", "google-forms-and-limesurvey"],
)
def test_the_proposal_matches_a_grid_statement_after_its_question_text(
    registry: m.Registry, shape: str
) -> None:
    question = "Hur väl stämmer följande påståenden in på dig?"
    header = ["E-post", shape.format(q=question, s=REL2_SV), shape.format(q=question, s=PROG3_SV)]
    table = ImportedTable(header=header, rows=[["a@b.se", "Instämmer helt", "Vet ej"]])

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.items["rel2"].column == header[1]
    assert proposal.mapping.items["prog3"].column == header[2]


@pytest.mark.parametrize("key", ["coaching/rel2", "coaching-rel2"], ids=["kobo", "odk-central"])
def test_the_proposal_names_an_item_by_its_id_at_the_end_of_a_group_path(
    registry: m.Registry, key: str
) -> None:
    table = ImportedTable(header=["email", key], keys=["email", key], rows=[["a@b.se", "4"]])

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.items["rel2"].key == key


# Swedish Excel's "CSV (semikolonavgränsad)"


def test_a_semicolon_file_whose_header_has_more_commas_is_split_at_its_semicolons() -> None:
    text = (
        "E-post;Jag har, i mitt arbete, prövat nya metoder;Min chef, och mina kollegor, "
        "stödjer mig\r\nanna.lundin@linkoping.example;4;5\r\nerik.ekvall@norrkoping.example;3;2\r\n"
    )

    read = read_delimited(text.encode("cp1252"), "export.csv")

    assert [len(row) for row in read.rows] == [3, 3, 3]
    assert read.rows[0][1] == "Jag har, i mitt arbete, prövat nya metoder"


def test_trailing_columns_empty_in_every_row_are_no_columns_of_a_csv(
    coaching: Path, registry: m.Registry
) -> None:
    # Excel writes ";;" to the end of every line for columns that once held something.
    export = coaching.parent / "export.csv"
    export.write_text("respondent;rel1;rel2;;\r\np01;4;5;;\r\np02;3;2;;\r\n", encoding="utf-8")

    table = registry.importer("csv").read(export.read_bytes(), export.name)

    assert list(table.header) == ["respondent", "rel1", "rel2"]
    assert [list(row) for row in table.rows] == [["p01", "4", "5"], ["p02", "3", "2"]]


def test_a_cell_past_a_csv_header_is_still_a_ragged_row(
    coaching: Path, registry: m.Registry
) -> None:
    export = coaching.parent / "export.csv"
    export.write_text("respondent;rel1;rel2;;\r\np01;4;5;;;7\r\n", encoding="utf-8")

    table = registry.importer("csv").read(export.read_bytes(), export.name)

    assert len(table.header) == 3
    assert list(table.rows) == [("p01", "4", "5", "7")]
