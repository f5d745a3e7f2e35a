"""An XLSForm read back as an instrument: forms other tools wrote, problems, and a KoboToolbox
submissions export of a mio form imported end to end."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import mio_xlsform
import openpyxl
import pytest

import mio_core as m
from mio_core.importing import ColumnRef, ImportMapping, RespondentColumn
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"


def workbook(**sheets: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


KOBO_FORM = {
    "survey": [
        ["type", "name", "label::Svenska (sv)", "label::English (en)"],
        ["start", "start", None, None],
        ["text", "email", "E-post", "E-mail"],
        ["begin_group", "arbete", "Arbetet", "Work"],
        ["select_one sannolik", "Q3_1", "Hur sannolikt?", "How likely?"],
        ["select_one sannolik", "Q3_2", "Och nu?", "And now?"],
        ["end_group", None, None, None],
        ["select_one ja_nej", "hinder", "Hinder?", "Obstacles?"],
    ],
    "choices": [
        ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
        ["sannolik", "unlikely", "Osannolikt", "Unlikely"],
        ["sannolik", "neutral", "Varken eller", "Neutral"],
        ["sannolik", "likely", "Sannolikt", "Likely"],
        [None, None, None, None],
        ["ja_nej", "ja", "Ja", "Yes"],
        ["ja_nej", "nej", "Nej", "No"],
    ],
    "settings": [["form_title", "form_id"], ["Uppföljning", "uppfoljning_2024"]],
}


def test_a_form_another_tool_wrote_numbers_named_choices_in_the_lists_order() -> None:
    instrument = mio_xlsform.instrument_from_xlsform(workbook(**KOBO_FORM))
    assert (instrument.id, instrument.title) == ("uppfoljning_2024", "Uppföljning")
    likely, yes_no = instrument.scales
    assert (likely.id, likely.min, likely.max) == ("sannolik", 1, 3)
    assert (yes_no.id, yes_no.min, yes_no.max, yes_no.labels[0].text) == (
        "ja_nej",
        1,
        2,
        {"sv": "Ja", "en": "Yes"},
    )
    assert likely.label(2) == {"sv": "Varken eller", "en": "Neutral"}
    assert [(i.id, i.scale) for i in instrument.items] == [
        ("q3_1", None),
        ("q3_2", None),
        ("hinder", "ja_nej"),
    ]
    assert instrument.items[0].text == {"sv": "Hur sannolikt?", "en": "How likely?"}


def test_numbered_choices_off_the_run_are_no_answer_codes() -> None:
    form = workbook(
        survey=[["type", "name", "label"], ["select_one a", "q1", "Q"]],
        choices=[["list_name", "name", "label"], *[["a", str(v), f"v{v}"] for v in (1, 2, 3, 99)]],
    )
    [scale] = mio_xlsform.instrument_from_xlsform(form).scales
    assert (scale.min, scale.max, [x.value for x in scale.missing]) == (1, 3, [99])


def test_every_problem_names_its_sheet_row_and_column() -> None:
    form = workbook(
        survey=[
            ["type", "name", "label"],
            ["select_one nowhere", "q1", "Q1"],
            ["select_one a", "q2", "Q2"],
        ],
        choices=[["list_name", "name", "label"], ["a", "1", "x"], ["a", "1", "y"]],
    )
    with pytest.raises(m.WorkspaceError) as caught:
        mio_xlsform.instrument_from_xlsform(form, file="form.xlsx")
    found = {(p.file, p.line, p.path) for p in caught.value.problems}
    assert found == {
        ("form.xlsx", 3, ("choices", "name")),
        ("form.xlsx", 2, ("survey", "type")),
        ("form.xlsx", 3, ("survey", "type")),
    }


def test_a_file_that_is_no_workbook_is_a_problem_naming_it() -> None:
    with pytest.raises(m.WorkspaceError) as caught:
        mio_xlsform.instrument_from_xlsform(b"PK\x03\x04 no zip", file="form.xlsx")
    assert caught.value.problems[0].file == "form.xlsx"
    assert caught.value.problems[0].code == "not-xlsx"


def test_a_workbook_without_the_xlsform_columns_says_which_it_needs() -> None:
    with pytest.raises(m.WorkspaceError, match="not an XLSForm"):
        mio_xlsform.instrument_from_xlsform(workbook(survey=[["a", "b"]], choices=[["c"]]))


# --- KoboToolbox: the exported form's submissions, imported -----------------------------


def _kobo_csv(rows: list[list[str]]) -> bytes:
    """KoboToolbox's CSV export: every field quoted, ``;`` between them."""
    lines = [";".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_kobo_export_of_the_token_form_imports_as_the_expected_codes(tmp_path: Path) -> None:
    survey_tools = pytest.importorskip("mio_survey_tools")
    folder = copy_workspace(EXAMPLE, tmp_path / "mio")
    (folder / "imports").mkdir(exist_ok=True)
    (folder / "imports/tokens.csv").write_text("token,participant\nk7f2,p01\nq9x4,p02\n")
    registry = make_registry(mio_xlsform, survey_tools, builtins=True)
    instrument = registry.instrument("mio-utilisation")
    stream = io.BytesIO()
    mio_xlsform.workbook_bytes(mio_xlsform.sheets(instrument, "sv"), stream)
    survey = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["survey"]
    names = [str(r[1]) for r in survey.iter_rows(min_row=2, values_only=True)]
    choice_names = {
        str(r[1]) for r in openpyxl.load_workbook(stream)["choices"].iter_rows(values_only=True)
    }
    # Kobo writes the form's question names as headers and the choice names as answers
    header = ["start", "end", *names, "_id", "_uuid", "_submission_time", "_index"]
    answers = {
        "k7f2": ["4", "5", "3", "2", "9", "1", "4"],
        "q9x4": ["5", "5", "5", "4", "4", "3", "2"],
    }
    assert set(answers["k7f2"]) <= choice_names
    rows = [header]
    for n, (token, codes) in enumerate(answers.items(), start=1):
        when = "2024-05-02T09:14:03.120+02:00"
        rows.append([when, when, token, "2024-05-02", *codes, str(40 + n), f"u{n}", when, str(n)])
    export = tmp_path / "uppfoljning_-_all_versions_-_False_-_2024-05-02.csv"
    export.write_bytes(_kobo_csv(rows))
    items = [i.id for i in instrument.items]
    mapping = ImportMapping(
        importer="kobo",
        instrument="mio-utilisation",
        occasion="follow-up:6m",
        respondent=RespondentColumn(key="token", match="token"),
        items={item: ColumnRef(key=item) for item in items},
        ignore_unmapped=True,
    )
    report = m.import_responses(
        folder,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        importer="kobo",
        import_mapping=mapping,
        replace=True,
    )
    assert report.written and report.respondents == 2
    written = (folder / "responses/mio-utilisation.follow-up.6m.csv").read_text().splitlines()
    assert written[0] == ",".join(["respondent", *items])
    assert written[1:] == ["p01,4,5,3,2,9,1,4", "p02,5,5,5,4,4,3,2"]


def test_the_reader_numbers_named_choices_as_the_kobo_reader_orders_them() -> None:
    survey_tools = pytest.importorskip("mio_survey_tools")
    form = workbook(**KOBO_FORM)
    scale = mio_xlsform.instrument_from_xlsform(form).scales[0]
    listed = survey_tools.choice_lists(form, "form.xlsx")["sannolik"]
    assert [(n, scale.label(n)["sv"]) for n in range(scale.min, scale.max + 1)] == [
        (position, label) for position, (_, label) in enumerate(listed, start=1)
    ]
