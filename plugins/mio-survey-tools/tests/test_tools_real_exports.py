"""Exports written as LimeSurvey, REDCap and KoboToolbox write them (``real/``, see its
README) imported into a copy of examples/mio: each answer lands on its item and
respondent, and a mapping proposed from the file finds every item it can."""

from __future__ import annotations

import csv
from pathlib import Path

import mio_survey_tools
import pytest

import mio_core as m
from mio_core.importing import import_mapped, propose_for_file
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
TOKENS = "token,participant\nx7Kq2Pz,p01\nb8Lm3Qa,p02\nc9Nn4Rb,p03\nd1Pp5Sc,p04\n"
HEAD = "importer: {importer}\ninstrument: mio-coaching\n"
LIMESURVEY = (
    HEAD.format(importer="limesurvey")
    + "occasion: follow-up:6m\nrespondent: {key: token, match: token}\ndate: {key: submitdate}\n"
    + "items:\n"
    + "".join(f"  {item}: {{key: 'Q1[SQ00{n}]'}}\n" for n, item in enumerate(ITEMS, 1))
    # LimeSurvey's answer codes say nothing of the order: each is given its value.
    + "labels:\n  agree5: {A1: 1, A2: 2, A3: 3, A4: 4, A5: 5, A9: 9}\nignore_unmapped: true\n"
)
REDCAP_RAW = (
    HEAD.format(importer="redcap")
    + "occasion: {column: redcap_event_name, values: "
    + "{baseline_arm_1: pre, followup_6m_arm_1: 'follow-up:6m'}}\n"
    + "respondent: {key: record_id}\ndate: {key: coaching_timestamp}\nitems:\n"
    + "".join(f"  {item}: {{key: {item}}}\n" for item in ITEMS)
    + "ignore_unmapped: true\n"
)
REDCAP_LABELS = (
    HEAD.format(importer="redcap")
    + "occasion: {column: Event Name, values: {'Baseline (Arm 1: Arm 1)': pre, "
    + "'Follow-up 6m (Arm 1: Arm 1)': 'follow-up:6m'}}\n"
    + "respondent: {column: Record ID}\ndate: {column: Survey Timestamp}\n"
    + "items:\n  rel1: {pattern: Min coach och jag}\n  rel2: {pattern: förtroende}\n"
    + "  rel3: {pattern: utgår från}\n  prog1: {pattern: kommit framåt}\n"
    + "  prog2: {pattern: hjälpt mig}\n  prog3: {pattern: genomfört}\nignore_unmapped: true\n"
)
KOBO = (
    HEAD.format(importer="kobo")
    + "occasion: follow-up:6m\nrespondent: {key: email, match: email}\n"
    + "date: {key: _submission_time}\nitems:\n"
    + "".join(f"  {item}: {{key: coaching/{item}}}\n" for item in ITEMS)
    + "labels:\n  agree5: {strongly_disagree: 1, disagree: 2, neither: 3, agree: 4, "
    + "strongly_agree: 5, dont_know: 9}\nignore_unmapped: true\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    copied = copy_workspace(EXAMPLE, tmp_path / "mio")
    (copied / "imports").mkdir()
    (copied / "imports/tokens.csv").write_text(TOKENS, encoding="utf-8")
    return copied


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(mio_survey_tools, builtins=True)


def imported(workspace: Path) -> dict[str, tuple[int | None, ...]]:
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        return {
            row["respondent"]: tuple(int(row[i]) if row[i] else None for i in ITEMS)
            for row in csv.DictReader(stream)
        }


@pytest.mark.parametrize(
    ("file", "mapping"),
    [
        ("limesurvey_codes.csv", LIMESURVEY),
        ("limesurvey_fullanswers_codetext.csv", LIMESURVEY),
        ("limesurvey_fullanswers_codetext.xlsx", LIMESURVEY),
        ("redcap_raw_longitudinal.csv", REDCAP_RAW),
        ("redcap_labels_longitudinal.csv", REDCAP_LABELS),
        ("redcap_labels_dag_excel_sv.csv", REDCAP_LABELS),
        ("kobo_xml_semicolon.csv", KOBO),
    ],
)
def test_each_answer_of_a_real_export_lands_on_its_item_and_respondent(
    workspace: Path, registry: m.Registry, file: str, mapping: str
) -> None:
    (workspace / "imports/real.yaml").write_text(mapping, encoding="utf-8")

    import_mapped(workspace, REAL / file, "real", registry)

    assert imported(workspace) == ANSWERS


@pytest.mark.parametrize(
    ("file", "mapping", "delimiter"),
    [
        ("limesurvey_codes.csv", LIMESURVEY, ","),
        ("redcap_raw_longitudinal.csv", REDCAP_RAW, ","),
        ("kobo_xml_semicolon.csv", KOBO, ";"),
    ],
)
def test_empty_columns_excel_leaves_at_the_end_of_each_line_are_no_columns(
    workspace: Path, registry: m.Registry, tmp_path: Path, file: str, mapping: str, delimiter: str
) -> None:
    # A file opened and saved again in Excel ends each line with a delimiter per column
    # that once held something ('a;b;;'): nothing is in them, so they are not unmapped.
    data = (REAL / file).read_bytes()
    resaved = tmp_path / file
    resaved.write_bytes(
        b"\r\n".join(
            line + 2 * delimiter.encode() if line else line for line in data.split(b"\r\n")
        )
        if b"\r\n" in data
        else b"\n".join(
            line + 2 * delimiter.encode() if line else line for line in data.split(b"\n")
        )
    )
    (workspace / "imports/real.yaml").write_text(mapping, encoding="utf-8")

    import_mapped(workspace, resaved, "real", registry)

    assert imported(workspace) == ANSWERS


@pytest.mark.parametrize(
    ("file", "importer", "respondent"),
    [
        # by the tool's own key where it has one: the same in every UI language
        ("limesurvey_fullanswers_codetext.csv", "limesurvey", "key 'token'"),
        ("redcap_raw_longitudinal.csv", "redcap", "key 'record_id'"),
        ("redcap_labels_longitudinal.csv", "redcap", "column 'Record ID'"),
        ("kobo_xml_semicolon.csv", "kobo", "key 'email'"),
    ],
)
def test_a_mapping_proposed_from_a_real_export_finds_the_respondent_and_every_item(
    workspace: Path, registry: m.Registry, file: str, importer: str, respondent: str
) -> None:
    proposal = propose_for_file(
        workspace,
        REAL / file,
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer=importer,
    )

    assert proposal.mapping.respondent.describe() == respondent
    assert proposal.unmatched == ()


LIMESURVEY_SGQA = LIMESURVEY.replace("Q1[SQ00", "845123X1X1SQ00").replace("]'", "'")


def test_a_limesurvey_response_table_imports_by_its_sgqa_codes(
    workspace: Path, registry: m.Registry
) -> None:
    (workspace / "imports/real.yaml").write_text(LIMESURVEY_SGQA, encoding="utf-8")

    import_mapped(workspace, REAL / "limesurvey_response_table.csv", "real", registry)

    assert imported(workspace) == ANSWERS


def test_a_question_code_mapping_on_a_response_table_says_to_export_question_codes(
    workspace: Path, registry: m.Registry
) -> None:
    (workspace / "imports/real.yaml").write_text(LIMESURVEY, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as caught:
        import_mapped(workspace, REAL / "limesurvey_response_table.csv", "real", registry)

    codes = {p.code for p in caught.value.problems}
    assert codes == {"mapping-column", "sgqa-headings"}
    assert not (workspace / TARGET).exists()


REDCAP_REPEATING = (
    HEAD.format(importer="redcap")
    + "occasion: {column: redcap_repeat_instance, values: {'1': 'follow-up:6m'}}\n"
    + "respondent: {key: record_id}\ndate: {key: coaching_timestamp}\nitems:\n"
    + "".join(f"  {item}: {{key: {item}}}\n" for item in ITEMS)
    + "ignore_unmapped: true\n"
)


def test_a_repeating_instruments_instance_imports_by_its_instance_number(
    workspace: Path, registry: m.Registry
) -> None:
    # Each record's row of its other forms has no instance and no answers: it is left out.
    (workspace / "imports/real.yaml").write_text(REDCAP_REPEATING, encoding="utf-8")

    import_mapped(workspace, REAL / "redcap_raw_repeating.csv", "real", registry)

    assert imported(workspace) == ANSWERS


def test_a_repeating_instrument_with_one_fixed_occasion_is_refused_per_record(
    workspace: Path, registry: m.Registry
) -> None:
    # The record's own row and its instance's row are two responses of one respondent.
    mapping = REDCAP_REPEATING.replace(
        "{column: redcap_repeat_instance, values: {'1': 'follow-up:6m'}}", "follow-up:6m"
    )
    (workspace / "imports/real.yaml").write_text(mapping, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as caught:
        import_mapped(workspace, REAL / "redcap_raw_repeating.csv", "real", registry)

    assert {(p.code, p.line) for p in caught.value.problems} == {
        ("duplicate-response", line) for line in (2, 4, 6, 8)
    }
    assert not (workspace / TARGET).exists()


def test_a_redcap_survey_not_completed_is_refused_at_its_timestamp_saying_what_to_do(
    workspace: Path, registry: m.Registry
) -> None:
    # A survey started and left: REDCap writes '[not completed]' in <form>_timestamp.
    (workspace / "imports/real.yaml").write_text(REDCAP_RAW, encoding="utf-8")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(workspace, REAL / "redcap_raw_not_completed.csv", "real", registry)

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.path) == (
        "invalid-date",
        8,
        ("coaching_timestamp",),
    )
    assert "started but not submitted" in problem.message
    assert "clear the cell" in problem.message
    assert not (workspace / TARGET).exists()


def test_a_redcap_form_status_is_not_proposed_as_a_renamed_question(
    workspace: Path, registry: m.Registry
) -> None:
    # contact_complete (2 on the record's row, empty on the instance's) looks like an
    # answer on the scale only where rel1… are empty: it is REDCap's form status.
    proposal = propose_for_file(
        workspace,
        REAL / "redcap_raw_repeating.csv",
        registry,
        instrument="mio-coaching",
        occasion="follow-up:6m",
        importer="redcap",
    )

    assert not any("contact_complete" in note for note in proposal.notes.values())
