"""Multiple choice (LimeSurvey) and select_multiple (KoboToolbox) questions in real-format
exports (``real/``, see its README) imported with a mapping into the multi-choice item of
examples/leading-nursing-teams: every answer of the file lands on its respondent."""

from __future__ import annotations

import csv
from pathlib import Path

import mio_survey_tools
import pytest
from tool_exports import quoted_csv

import mio_core as m
from mio_core.importing import ColumnRef, import_mapped, propose_for_file, save_mapping
from mio_core.testing import copy_workspace, make_registry

REAL = Path(__file__).resolve().parent / "real"
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "leading-nursing-teams"
TARGET = "responses/ltn-team-climate.pre.csv"
#: What every multiple choice file of real/ says each respondent answered.
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
TOKENS = "token,participant\nx7Kq2Pz,n01\nb8Lm3Qa,n02\nc9Nn4Rb,n03\nd1Pp5Sc,n04\n"
LIMESURVEY = (
    "importer: limesurvey\ninstrument: ltn-team-climate\noccasion: pre\n"
    "respondent: {key: token, match: token}\ndate: {key: submitdate}\n"
    "items:\n  method: {key: METHOD}\n  next-change: {key: NEXT}\n{forums}"
    "ignore_unmapped: true\n"
    "labels:\n  method: {A1: pdsa, A2: lean, A3: audit}\n{labels}"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    copied = copy_workspace(EXAMPLE, tmp_path / "ltn")
    (copied / "imports").mkdir()
    (copied / "imports" / "tokens.csv").write_text(TOKENS, encoding="utf-8")
    return copied


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(mio_survey_tools, builtins=True)


def imported(workspace: Path, file: Path, mapping: str, registry: m.Registry) -> dict:
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    import_mapped(workspace, file, "tool", registry, replace=True)
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        return {
            row["respondent"]: {item: row[item] for item in ("method", "forums", "next-change")}
            for row in csv.DictReader(stream)
        }


def test_limesurvey_multiple_choice_read_from_the_column_the_reader_adds(
    workspace: Path, registry: m.Registry
) -> None:
    # The reader adds a column FORUMS of the chosen subquestion codes (sq001;sq003).
    mapping = LIMESURVEY.replace("{forums}", "  forums: {key: FORUMS}\n").replace(
        "{labels}", "  forums: {sq001: huddle, sq002: meeting, sq003: board}\n"
    )
    file = REAL / "limesurvey_multiselect_codes.csv"
    assert imported(workspace, file, mapping, registry) == EXPECTED


def test_limesurvey_multiple_choice_read_from_its_column_per_option(
    workspace: Path, registry: m.Registry
) -> None:
    forums = (
        "  forums:\n    options:\n      huddle: {key: 'FORUMS[SQ001]'}\n"
        "      meeting: {key: 'FORUMS[SQ002]'}\n      board: {key: 'FORUMS[SQ003]'}\n"
    )
    mapping = LIMESURVEY.replace("{forums}", forums).replace("{labels}", "")
    file = REAL / "limesurvey_multiselect_codes.csv"
    assert imported(workspace, file, mapping, registry) == EXPECTED


def test_limesurvey_multiple_choice_headed_q_underscore_code_imports(
    workspace: Path, registry: m.Registry, tmp_path: Path
) -> None:
    # Headings Q_SQ001 (as LimeSurvey's SPSS and R exports name a subquestion) are no
    # Q[SQ001] the reader knows: a column per option maps them.
    text = (REAL / "limesurvey_multiselect_codes.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    rows[0] = [h.replace("[", "_").replace("]", "") for h in rows[0]]
    file = tmp_path / "underscore.csv"
    file.write_text(quoted_csv(rows), encoding="utf-8")
    forums = (
        "  forums:\n    options:\n      huddle: {key: FORUMS_SQ001}\n"
        "      meeting: {key: FORUMS_SQ002}\n      board: {key: FORUMS_SQ003}\n"
    )
    mapping = LIMESURVEY.replace("{forums}", forums).replace("{labels}", "")
    assert imported(workspace, file, mapping, registry) == EXPECTED


KOBO = (
    "importer: kobo\ninstrument: ltn-team-climate\noccasion: pre\n"
    "respondent: {key: climate/email, match: email}\ndate: {key: _submission_time}\n"
    "items:\n  method: {key: climate/method}\n  next-change: {key: climate/next_change}\n"
    "{forums}ignore_unmapped: true\n"
    "labels:\n  method: {pdsa: pdsa, lean_flow: lean, clinical_audit: audit}\n"
    "  forums: {daily_huddle: huddle, ward_meeting: meeting, improvement_board: board}\n"
)


def test_kobo_select_multiple_read_from_its_single_column(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = KOBO.replace("{forums}", "  forums: {key: climate/forums}\n")
    file = REAL / "kobo_select_multiple.csv"
    assert imported(workspace, file, mapping, registry) == EXPECTED


def test_kobo_select_multiple_read_from_its_one_zero_columns(
    workspace: Path, registry: m.Registry
) -> None:
    forums = (
        "  forums:\n    options:\n      huddle: {key: climate/forums/daily_huddle}\n"
        "      meeting: {key: climate/forums/ward_meeting}\n"
        "      board: {key: climate/forums/improvement_board}\n"
    )
    mapping = KOBO.replace("{forums}", forums)
    file = REAL / "kobo_select_multiple.csv"
    assert imported(workspace, file, mapping, registry) == EXPECTED


def test_a_mapping_proposed_from_a_redcap_labels_export_reads_its_checkbox_columns(
    workspace: Path, registry: m.Registry
) -> None:
    # REDCap's labels export heads a checkbox's columns 'Field label (choice=Choice label)'
    # and writes Checked / Unchecked: the proposal maps them as a column per option.
    file = REAL / "redcap_labels_checkboxes.csv"
    proposal = propose_for_file(
        workspace, file, registry, instrument="ltn-team-climate", occasion="pre", importer="redcap"
    )
    save_mapping(workspace, "proposed", proposal)
    import_mapped(workspace, file, "proposed", registry, replace=True)

    with (workspace / TARGET).open(encoding="utf-8") as stream:
        answers = {
            row["respondent"]: {item: row[item] for item in ("method", "forums", "next-change")}
            for row in csv.DictReader(stream)
        }
    # n04 answered nothing: REDCap's reader leaves the empty row out.
    assert {n: answers[n] for n in ("n01", "n02", "n03")} == {
        n: EXPECTED[n] for n in ("n01", "n02", "n03")
    }


def test_a_limesurvey_other_answer_is_refused_at_its_row_not_left_out(
    workspace: Path, registry: m.Registry
) -> None:
    # n02 ticked "Monthly ward meeting" and wrote "Fika on Fridays" under Other (in
    # FORUMS[other]); the item has no option for it, so the row must not import as 'meeting'.
    mapping = LIMESURVEY.replace("{forums}", "  forums: {key: FORUMS}\n").replace(
        "{labels}", "  forums: {sq001: huddle, sq002: meeting, sq003: board}\n"
    )
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    before = (workspace / TARGET).read_bytes()

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(
            workspace, REAL / "limesurvey_multiselect_other.csv", "tool", registry, replace=True
        )

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.path) == ("unknown-label", 3, ("FORUMS",))
    assert "'sq002;other'" in problem.message
    assert (workspace / TARGET).read_bytes() == before


def test_a_proposal_does_not_name_the_columns_the_limesurvey_reader_made_forums_of(
    workspace: Path, registry: m.Registry
) -> None:
    # FORUMS (the reader's column of chosen codes) holds what FORUMS[SQ001]… say.
    proposal = propose_for_file(
        workspace,
        REAL / "limesurvey_multiselect_codes.csv",
        registry,
        instrument="ltn-team-climate",
        occasion="pre",
        importer="limesurvey",
    )

    assert proposal.mapping.items["forums"] == ColumnRef(key="FORUMS")
    assert "forums" not in proposal.notes
