"""Exports written as Qualtrics, SurveyMonkey, Google Forms and Microsoft Forms write them
(``real/``, see its README) imported into a copy of examples/mio: each answer lands on its
item and respondent, and a mapping proposed from the file maps every statement."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import mio_forms
import openpyxl
import pytest

import mio_core as m
from mio_core.importing import import_mapped, propose_for_file, save_mapping
from mio_core.testing import copy_workspace, make_registry

REAL = Path(__file__).resolve().parent / "real"
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
TARGET = "responses/mio-coaching.follow-up.6m.csv"
ITEMS = ("rel1", "rel2", "rel3", "prog1", "prog2", "prog3")
#: What every file of real/ says each respondent answered (9 is "Vet ej").
ANSWERS = {
    "p01": (4, 5, 3, 4, 4, 5),
    "p02": (5, 5, 4, 3, 9, 4),
    "p03": (2, 3, 3, 2, 1, 2),
    "p04": (4, 4, 5, 5, 4, 4),
}
HEAD = "importer: {importer}\ninstrument: mio-coaching\noccasion: follow-up:6m\n"
BY_PATTERN = (
    "items:\n  rel1: {pattern: Min coach och jag}\n  rel2: {pattern: förtroende}\n"
    "  rel3: {pattern: utgår från}\n  prog1: {pattern: kommit framåt}\n"
    "  prog2: {pattern: hjälpt mig}\n  prog3: {pattern: genomfört}\nignore_unmapped: true\n"
)
QUALTRICS = (
    HEAD.format(importer="qualtrics")
    + "respondent: {key: RecipientEmail, match: email}\ndate: {key: RecordedDate}\nitems:\n"
    + "".join(f"  {item}: {{key: Q1_{n}}}\n" for n, item in enumerate(ITEMS, 1))
    + "ignore_unmapped: true\n"
)
SURVEYMONKEY = (
    HEAD.format(importer="surveymonkey")
    + "respondent: {column: Email Address, match: email}\n"
    + "date: {column: End Date, format: '%m/%d/%Y %I:%M:%S %p'}\n"
    + BY_PATTERN
)
GOOGLE = (
    HEAD.format(importer="google-forms")
    + "respondent: {key: 'google:email', match: email}\n"
    + "date: {key: 'google:timestamp', format: '%Y/%m/%d %I:%M:%S %p'}\n"
    + BY_PATTERN
)
MICROSOFT = (
    HEAD.format(importer="microsoft-forms")
    + "respondent: {key: 'ms:email', match: email}\ndate: {key: 'ms:completion-time'}\n"
    + BY_PATTERN
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    copied = copy_workspace(EXAMPLE, tmp_path / "mio")
    (copied / "imports").mkdir()
    return copied


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(mio_forms, builtins=True)


def imported(workspace: Path) -> dict[str, tuple[int | None, ...]]:
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        return {
            row["respondent"]: tuple(int(row[i]) if row[i] else None for i in ITEMS)
            for row in csv.DictReader(stream)
        }


def dates(workspace: Path) -> list[str]:
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        return [row["date"] for row in csv.DictReader(stream)]


@pytest.mark.parametrize(
    ("file", "mapping"),
    [
        ("qualtrics_numeric.csv", QUALTRICS),
        ("qualtrics_numeric.tsv", QUALTRICS),
        ("qualtrics_choicetext.csv", QUALTRICS),
        ("qualtrics_choicetext.tsv", QUALTRICS),
        ("surveymonkey_text.csv", SURVEYMONKEY),
        ("surveymonkey_text.xlsx", SURVEYMONKEY),
        ("microsoft_forms_en.xlsx", MICROSOFT),
        ("microsoft_forms_sv.xlsx", MICROSOFT),
    ],
)
def test_each_answer_of_a_real_export_lands_on_its_item_and_respondent(
    workspace: Path, registry: m.Registry, file: str, mapping: str
) -> None:
    (workspace / "imports/real.yaml").write_text(mapping, encoding="utf-8")

    import_mapped(workspace, REAL / file, "real", registry)

    assert imported(workspace) == ANSWERS
    assert set(dates(workspace)) == {"2024-03-05"}


def test_google_forms_timestamps_with_a_time_zone_import_as_their_dates(
    workspace: Path, registry: m.Registry
) -> None:
    (workspace / "imports/real.yaml").write_text(GOOGLE, encoding="utf-8")

    import_mapped(workspace, REAL / "google_forms_en.csv", "real", registry)

    assert imported(workspace) == ANSWERS
    assert dates(workspace) == ["2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"]


def test_a_google_sheet_in_a_swedish_locale_imports_with_the_same_mapping_by_keys(
    workspace: Path, registry: m.Registry
) -> None:
    (workspace / "imports/real.yaml").write_text(
        GOOGLE.replace("format: '%Y/%m/%d %I:%M:%S %p'", "format: iso"), encoding="utf-8"
    )

    import_mapped(workspace, REAL / "google_forms_sv_sheet.csv", "real", registry)

    assert imported(workspace) == ANSWERS


def test_an_unfinished_qualtrics_response_keeps_the_answers_it_has(
    workspace: Path, registry: m.Registry
) -> None:
    (workspace / "imports/real.yaml").write_text(QUALTRICS, encoding="utf-8")

    import_mapped(workspace, REAL / "qualtrics_incomplete.csv", "real", registry)

    assert imported(workspace)["p04"] == (4, 4, 5, None, None, None)


def test_a_qualtrics_preview_response_is_refused_at_its_row_and_nothing_is_written(
    workspace: Path, registry: m.Registry
) -> None:
    (workspace / "imports/real.yaml").write_text(QUALTRICS, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "qualtrics_numeric_preview.csv", "real", registry)

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.path) == (
        "missing-respondent",
        4,
        ("Recipient Email",),
    )
    assert not (workspace / TARGET).exists()


def test_a_surveymonkey_numerical_value_off_the_scale_is_refused_at_its_cell(
    workspace: Path, registry: m.Registry
) -> None:
    # "Numerical value" is the choice's place: "Vet ej", the sixth choice, is 6, not 9.
    (workspace / "imports/real.yaml").write_text(SURVEYMONKEY, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "surveymonkey_numeric.csv", "real", registry)

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.column) == ("off-scale", 4, 14)
    assert not (workspace / TARGET).exists()


@pytest.mark.parametrize(
    ("file", "importer"),
    [
        ("qualtrics_numeric.csv", "qualtrics"),
        ("qualtrics_choicetext.csv", "qualtrics"),
        ("surveymonkey_text.csv", "surveymonkey"),
        ("surveymonkey_text.xlsx", "surveymonkey"),
        ("google_forms_en.csv", "google-forms"),
        ("google_forms_sv_sheet.csv", "google-forms"),
        ("microsoft_forms_en.xlsx", "microsoft-forms"),
        ("microsoft_forms_sv.xlsx", "microsoft-forms"),
    ],
)
def test_a_mapping_proposed_from_a_real_export_imports_it_unedited(
    workspace: Path, registry: m.Registry, file: str, importer: str
) -> None:
    proposal = propose_for_file(
        workspace,
        REAL / file,
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer=importer,
    )

    save_mapping(workspace, "proposed", proposal)
    import_mapped(workspace, REAL / file, "proposed", registry)

    assert proposal.unmatched == ()
    assert imported(workspace) == ANSWERS


def test_a_mapping_proposed_from_an_english_forms_export_imports_a_swedish_one(
    workspace: Path, registry: m.Registry
) -> None:
    # Forms' own columns are named in the UI's language (Email / E-post, Name / Namn): the
    # proposal names them, and the columns it leaves out, by the reader's keys.
    proposal = propose_for_file(
        workspace,
        REAL / "microsoft_forms_en.xlsx",
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer="microsoft-forms",
    )
    save_mapping(workspace, "proposed", proposal)

    import_mapped(workspace, REAL / "microsoft_forms_sv.xlsx", "proposed", registry)

    assert imported(workspace) == ANSWERS


def test_a_question_added_to_the_form_is_refused_not_read_into_anothers_item(
    workspace: Path, registry: m.Registry, tmp_path: Path
) -> None:
    # The proposal names questions by their text, not by their place (ms:q1…), which moves.
    proposal = propose_for_file(
        workspace,
        REAL / "microsoft_forms_en.xlsx",
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer="microsoft-forms",
    )
    save_mapping(workspace, "proposed", proposal)
    book = openpyxl.load_workbook(REAL / "microsoft_forms_en.xlsx")
    sheet = book.active
    assert sheet is not None
    sheet.insert_cols(7)
    sheet.cell(row=1, column=7, value="Hur länge har du haft din coach?")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=7, value="Ett år")
    book.save(tmp_path / "added.xlsx")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, tmp_path / "added.xlsx", "proposed", registry)

    assert [(p.code, p.column) for p in raised.value.problems] == [("unmapped-column", 7)]
    assert not (workspace / TARGET).exists()


def _zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_google_forms_zip_download_imports_the_csv_inside(
    workspace: Path, registry: m.Registry, tmp_path: Path
) -> None:
    # Download responses (.csv) gives a zip holding the one CSV.
    export = (REAL / "google_forms_en.csv").read_bytes()
    zipped = _zipped(tmp_path / "Coaching.csv.zip", {"Coaching (svar).csv": export})
    (workspace / "imports/real.yaml").write_text(GOOGLE, encoding="utf-8")

    import_mapped(workspace, zipped, "real", registry)

    assert imported(workspace) == ANSWERS


def test_a_surveymonkey_zip_with_a_folder_imports_the_workbook_inside(
    workspace: Path, registry: m.Registry, tmp_path: Path
) -> None:
    export = (REAL / "surveymonkey_text.xlsx").read_bytes()
    zipped = _zipped(tmp_path / "Data_All.zip", {"Excel/Coaching uppföljning.xlsx": export})
    (workspace / "imports/real.yaml").write_text(SURVEYMONKEY, encoding="utf-8")

    import_mapped(workspace, zipped, "real", registry)

    assert imported(workspace) == ANSWERS


def test_a_zip_with_two_exports_is_refused_naming_them(tmp_path: Path) -> None:
    export = (REAL / "surveymonkey_text.csv").read_bytes()
    zipped = _zipped(
        tmp_path / "Data_All.zip",
        {
            "CSV/Coaching.csv": export,
            "Excel/Coaching.xlsx": (REAL / "surveymonkey_text.xlsx").read_bytes(),
        },
    )

    table = mio_forms.read_surveymonkey(zipped.read_bytes(), "Data_All.zip")

    assert [(p.code, p.file) for p in table.problems] == [("zip-archive", "Data_All.zip")]
    assert "'CSV/Coaching.csv', 'Excel/Coaching.xlsx'" in table.problems[0].message
    assert table.rows == ()


def test_an_anonymous_microsoft_forms_export_is_refused_at_each_row_saying_what_to_do(
    workspace: Path, registry: m.Registry
) -> None:
    # A form set to "Anyone can respond" writes 'anonymous' in Email, Name empty: there is
    # no address to add to people.yaml, so the message must not tell the user to add one.
    (workspace / "imports/real.yaml").write_text(MICROSOFT, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "microsoft_forms_anonymous.xlsx", "real", registry)

    problems = raised.value.problems
    assert [(p.code, p.line, p.path) for p in problems] == [
        ("unknown-respondent", line, ("Email (column D)",)) for line in (2, 3, 4, 5)
    ]
    assert all("'anonymous' is not an e-mail address" in p.message for p in problems)
    assert all("people.yaml" not in p.message for p in problems)
    assert not (workspace / TARGET).exists()


def test_a_proposal_marks_each_item_a_loop_and_merge_copy_also_answers(
    workspace: Path, registry: m.Registry
) -> None:
    # Loop & Merge: a copy of the matrix per loop, 1_Q1_1… and 2_Q1_1…, the same text. The
    # proposal maps loop 1 and leaves loop 2 out: that must not go unnoticed.
    proposal = propose_for_file(
        workspace,
        REAL / "qualtrics_loop_merge.csv",
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer="qualtrics",
    )

    assert {item: ref.key for item, ref in proposal.mapping.items.items()} == {
        item: f"1_Q1_{n}" for n, item in enumerate(ITEMS, 1)
    }
    for n, item in enumerate(ITEMS, 1):
        assert f"'2_Q1_{n}' also answers this item" in proposal.notes[item]


def test_an_unedited_proposal_of_a_loop_and_merge_export_stops_at_the_other_loops_columns(
    workspace: Path, registry: m.Registry
) -> None:
    # Loop 2's columns are neither mapped nor ignored: the import names each, and writes
    # nothing, until a person says which loop is meant.
    proposal = propose_for_file(
        workspace,
        REAL / "qualtrics_loop_merge.csv",
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer="qualtrics",
    )
    save_mapping(workspace, "proposed", proposal)

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "qualtrics_loop_merge.csv", "proposed", registry)

    assert [(p.code, p.column) for p in raised.value.problems] == [
        ("unmapped-column", column) for column in range(24, 30)
    ]
    assert not (workspace / TARGET).exists()


def test_surveymonkey_dates_excel_rewrote_day_first_are_refused_not_read_as_another_day(
    workspace: Path, registry: m.Registry
) -> None:
    # Saved again by an Excel set to day/month/year: 03/05/2024 02:09:40 PM became
    # 5/3/2024 14:09, which the mapping's "%m/%d/%Y %I:%M:%S %p" does not fit (May 3 it is
    # not): every date is refused, saying what to do.
    (workspace / "imports/real.yaml").write_text(SURVEYMONKEY, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "surveymonkey_text_excel_dmy.csv", "real", registry)

    problems = raised.value.problems
    assert [(p.code, p.line, p.path) for p in problems] == [
        ("invalid-date", line, ("End Date",)) for line in (3, 4, 5, 6)
    ]
    assert all("saved again in Excel" in p.message for p in problems)
    assert not (workspace / TARGET).exists()


def test_a_person_who_answered_a_microsoft_form_twice_is_refused_saying_what_to_do(
    workspace: Path, registry: m.Registry
) -> None:
    # A form without "One response per person": Erik answered again (row 6).
    (workspace / "imports/real.yaml").write_text(MICROSOFT, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "microsoft_forms_answered_twice.xlsx", "real", registry)

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.path) == (
        "duplicate-response",
        3,
        ("Email (column D)",),
    )
    assert "keep one response and delete the others" in problem.message
    assert not (workspace / TARGET).exists()
