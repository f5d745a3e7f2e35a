"""Checkbox (multi-select) questions in real-format exports (``real/``, see its README)
imported into the multi-choice item of examples/leading-nursing-teams: every answer of the
file lands on its respondent as the options' codes."""

from __future__ import annotations

import csv
from pathlib import Path

import mio_forms
import pytest

import mio_core as m
from mio_core.importing import (
    ColumnRef,
    OptionColumns,
    import_mapped,
    propose_for_file,
    save_mapping,
)
from mio_core.testing import copy_workspace, make_registry

REAL = Path(__file__).resolve().parent / "real"
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "leading-nursing-teams"
TARGET = "responses/ltn-team-climate.pre.csv"
#: What every checkbox file of real/ says each respondent answered.
EXPECTED = {
    "n01": {"method": "pdsa", "forums": "huddle;board", "next-change": "Shorter handovers"},
    "n02": {"method": "audit", "forums": "meeting", "next-change": ""},
    "n03": {
        "method": "lean",
        "forums": "huddle;meeting;board",
        "next-change": "Huddles at night, too",
    },
    "n04": {"method": "", "forums": "", "next-change": ""},
}
HEAD = "importer: {importer}\ninstrument: ltn-team-climate\noccasion: pre\n"
BY_TEXT = (
    "items:\n  method: {pattern: '^Which method'}\n  forums: {pattern: '^Where does'}\n"
    "  next-change: {pattern: '^What would you change'}\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    copied = copy_workspace(EXAMPLE, tmp_path / "ltn")
    (copied / "imports").mkdir()
    return copied


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(mio_forms, builtins=True)


def imported(workspace: Path, file: str, mapping: str, registry: m.Registry) -> dict:
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    import_mapped(workspace, REAL / file, "tool", registry, replace=True)
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        return {
            row["respondent"]: {item: row[item] for item in ("method", "forums", "next-change")}
            for row in csv.DictReader(stream)
        }


def test_google_forms_checkboxes_saved_by_swedish_excel_import(
    workspace: Path, registry: m.Registry
) -> None:
    # Semicolons, ';;' at every line's end, and a form option holding a comma.
    mapping = (
        HEAD.format(importer="google-forms")
        + "respondent: {key: 'google:email', match: email}\n"
        + "date: {key: 'google:timestamp', format: '%Y-%m-%d %H:%M:%S'}\n"
        + BY_TEXT
        + "labels:\n  forums: {'Ward meeting (monthly, all staff)': meeting}\n"
    )
    assert imported(workspace, "google_forms_checkboxes_excel_sv.csv", mapping, registry) == (
        EXPECTED
    )


def test_microsoft_forms_choices_each_followed_by_a_semicolon_import(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = (
        HEAD.format(importer="microsoft-forms")
        + "respondent: {key: 'ms:email', match: email}\ndate: {key: 'ms:completion-time'}\n"
        + BY_TEXT
        + "ignore_unmapped: true\n"
    )
    assert imported(workspace, "microsoft_forms_checkboxes.xlsx", mapping, registry) == EXPECTED


QUALTRICS = (
    HEAD.format(importer="qualtrics")
    + "respondent: {key: RecipientEmail, match: email}\ndate: {key: RecordedDate}\n"
    + "items:\n  method: {key: Q2}\n  next-change: {key: Q4}\n"
    + "ignore_unmapped: true\n"
    + "labels:\n  method: {1: pdsa, 2: lean, 3: audit}\n"
)


def test_qualtrics_numeric_choices_in_one_column_import(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = (
        QUALTRICS.replace("items:\n", "items:\n  forums: {key: Q3}\n")
        + "  forums: {1: huddle, 2: meeting, 3: board}\n"
    )
    assert imported(workspace, "qualtrics_multiselect_numeric.csv", mapping, registry) == EXPECTED


def test_qualtrics_choices_split_into_columns_import(workspace: Path, registry: m.Registry) -> None:
    forums = (
        "  forums:\n    options:\n      huddle: {key: Q3_1}\n      meeting: {key: Q3_2}\n"
        "      board: {key: Q3_3}\n"
    )
    mapping = QUALTRICS.replace("items:\n", "items:\n" + forums)
    assert imported(workspace, "qualtrics_multiselect_split.csv", mapping, registry) == EXPECTED


def test_surveymonkey_column_per_choice_imports(workspace: Path, registry: m.Registry) -> None:
    question = "Where does your team discuss improvement ideas? Choose all that apply."
    mapping = (
        HEAD.format(importer="surveymonkey")
        + "respondent: {column: Email Address, match: email}\n"
        + "date: {column: End Date, format: '%m/%d/%Y %I:%M:%S %p'}\n"
        + "items:\n  method: {pattern: '^Which method'}\n"
        + "  next-change: {pattern: '^What would you change'}\n"
        + "  forums:\n    options:\n"
        + f"      huddle: {{key: '{question} | Daily safety huddle'}}\n"
        + f"      meeting: {{key: '{question} | Monthly ward meeting'}}\n"
        + f"      board: {{key: '{question} | Improvement board on the ward'}}\n"
        + "ignore_unmapped: true\n"
    )
    assert imported(workspace, "surveymonkey_multiselect.csv", mapping, registry) == EXPECTED


def test_google_forms_csv_with_excels_empty_trailing_columns_has_no_such_columns() -> None:
    data = (REAL / "google_forms_checkboxes_excel_sv.csv").read_bytes()
    table = mio_forms.read_google_forms(data, "export.csv")
    assert table.header[-1] == "What would you change next on your ward?"
    assert all(len(row) == len(table.header) for row in table.rows)
    assert not table.problems


@pytest.mark.parametrize(
    ("file", "importer"),
    [
        ("surveymonkey_multiselect.csv", "surveymonkey"),
        ("qualtrics_multiselect_split.csv", "qualtrics"),
    ],
)
def test_a_mapping_proposed_from_a_column_per_choice_export_reads_every_choice(
    workspace: Path, registry: m.Registry, file: str, importer: str
) -> None:
    proposal = propose_for_file(
        workspace, REAL / file, registry, instrument="ltn-team-climate", occasion="pre",
        importer=importer,
    )  # fmt: skip
    saved = save_mapping(workspace, "proposed", proposal)
    if importer == "qualtrics":  # numeric values: the single choice needs its codes
        with saved.open("a", encoding="utf-8") as stream:
            stream.write("labels:\n  method: {1: pdsa, 2: lean, 3: audit}\n")
    import_mapped(workspace, REAL / file, "proposed", registry, replace=True)
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        forums = {row["respondent"]: row["forums"] for row in csv.DictReader(stream)}
    assert forums == {respondent: answer["forums"] for respondent, answer in EXPECTED.items()}


def test_a_proposal_names_a_surveymonkey_other_column_that_holds_answers(
    workspace: Path, registry: m.Registry
) -> None:
    # "Other (please specify)" is a column of the checkbox question no option is: n02 wrote
    # "Fika on Fridays" there. Put under ignore: unremarked, that answer would be lost.
    proposal = propose_for_file(
        workspace,
        REAL / "surveymonkey_multiselect_other.csv",
        registry,
        instrument="ltn-team-climate",
        occasion="pre",
        importer="surveymonkey",
    )

    assert isinstance(proposal.mapping.items["forums"], OptionColumns)
    assert (
        "'Where does your team discuss improvement ideas? Choose all that apply. | Other "
        "(please specify)' of the same question holds answers in 1 row (an 'Other' text?) "
        "and is neither mapped nor ignored"
    ) in proposal.notes["forums"]


def test_a_proposal_names_a_surveymonkey_other_column_of_a_single_choice(
    workspace: Path, registry: m.Registry
) -> None:
    # n02 chose Other for the single-choice method and wrote "Kaizen boards": SurveyMonkey
    # leaves 'Response' empty and writes the text in 'Other (please specify)'. Proposed
    # unremarked, the row would import as not answering the question.
    proposal = propose_for_file(
        workspace,
        REAL / "surveymonkey_choice_other.csv",
        registry,
        instrument="ltn-team-climate",
        occasion="pre",
        importer="surveymonkey",
    )

    assert proposal.mapping.items["method"] == ColumnRef(
        key="Which method does your team use most for improvement work? | Response"
    )
    assert (
        "'Which method does your team use most for improvement work? | Other (please "
        "specify)' of the same question holds answers in 1 row (an 'Other' text?) and is "
        "neither mapped nor ignored"
    ) in proposal.notes["method"]


def test_a_qualtrics_split_export_with_an_other_choice_is_proposed_a_column_per_option(
    workspace: Path, registry: m.Registry
) -> None:
    # Q3_4 'Question - Other' is the column most alike to the item's text; it is no option,
    # so the proposal maps Q3_1…Q3_3 and names Q3_4, which n03 ticked, as undecided.
    proposal = propose_for_file(
        workspace,
        REAL / "qualtrics_multiselect_split_other.csv",
        registry,
        instrument="ltn-team-climate",
        occasion="pre",
        importer="qualtrics",
    )

    assert proposal.mapping.items["forums"] == OptionColumns(
        options={
            "huddle": ColumnRef(key="Q3_1"),
            "meeting": ColumnRef(key="Q3_2"),
            "board": ColumnRef(key="Q3_3"),
        }
    )
    assert (
        "'Q3_4' of the same question holds answers in 1 row (an 'Other' text?) and is "
        "neither mapped nor ignored" in (proposal.notes["forums"])
    )


def test_an_unedited_proposal_stops_at_a_surveymonkey_other_column_that_holds_answers(
    workspace: Path, registry: m.Registry
) -> None:
    file = REAL / "surveymonkey_multiselect_other.csv"
    proposal = propose_for_file(
        workspace,
        file,
        registry,
        instrument="ltn-team-climate",
        occasion="pre",
        importer="surveymonkey",
    )
    save_mapping(workspace, "proposed", proposal)
    before = (workspace / TARGET).read_bytes()

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, file, "proposed", registry, replace=True)

    [problem] = raised.value.problems
    assert (problem.code, problem.column) == ("unmapped-column", 14)
    assert (workspace / TARGET).read_bytes() == before


def test_a_google_forms_other_text_among_the_chosen_labels_is_refused_at_its_cell(
    workspace: Path, registry: m.Registry
) -> None:
    # n02 ticked "Monthly ward meeting" and wrote "Fika on Fridays, with cake" under Other:
    # Google joins it with the chosen labels by ", ". The item has no option for it.
    mapping = (
        HEAD.format(importer="google-forms")
        + "respondent: {key: 'google:email', match: email}\n"
        + "date: {key: 'google:timestamp', format: '%Y/%m/%d %I:%M:%S %p'}\n"
        + BY_TEXT
    )
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    before = (workspace / TARGET).read_bytes()

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(
            workspace, REAL / "google_forms_checkboxes_other.csv", "tool", registry, replace=True
        )

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.column) == ("unknown-label", 3, 4)
    assert "Fika on Fridays, with cake" in problem.message
    assert (workspace / TARGET).read_bytes() == before
