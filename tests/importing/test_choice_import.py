"""Text, choice and multi-choice answers imported with a mapping: labels (in any language,
or the mapping's own) become option codes, a multi-choice cell joined as each survey tool
joins it is read as the chosen options, and a column per option is read into one item."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.importing import (
    ColumnRef,
    ImportMapping,
    OptionColumns,
    RespondentColumn,
    import_mapped,
    load_mapping,
    save_mapping,
)
from mio_core.importing.choices import OptionReader
from mio_core.importing.mapping import read_mapping
from mio_core.importing.propose import MappingProposal
from mio_core.model import Item
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "leading-nursing-teams"
TARGET = "responses/ltn-team-climate.pre.csv"
HEAD = (
    "importer: csv\ninstrument: ltn-team-climate\noccasion: pre\n"
    "respondent: {column: id}\nignore_unmapped: true\n"
)
ONE_COLUMN = HEAD + "items:\n  method: {column: method}\n  forums: {column: forums}\n"
#: The options of the example's multi-choice item ``forums``.
HUDDLE, MEETING, BOARD = (
    "Daily safety huddle",
    "Monthly ward meeting",
    "Improvement board on the ward",
)


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(builtins=True)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = copy_workspace(EXAMPLE, tmp_path / "ltn")
    (folder / "imports").mkdir()
    return folder


def run(workspace: Path, registry: m.Registry, mapping: str, rows: list[list[str]]) -> Path:
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    file = workspace.parent / "export.csv"
    with file.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    import_mapped(workspace, file, "tool", registry, replace=True)
    return workspace


def answers(workspace: Path, item: str) -> dict[str, str]:
    with (workspace / TARGET).open(encoding="utf-8") as stream:
        return {row["respondent"]: row[item] for row in csv.DictReader(stream)}


def refused(workspace: Path, registry: m.Registry, mapping: str, rows: list[list[str]]) -> list:
    with pytest.raises(m.WorkspaceError) as caught:
        run(workspace, registry, mapping, rows)
    return list(caught.value.problems)


def test_a_choice_label_becomes_its_option_code(workspace: Path, registry: m.Registry) -> None:
    rows = [["id", "method", "forums"], ["n01", "Clinical audit", ""], ["n02", "lean", ""]]
    run(workspace, registry, ONE_COLUMN, rows)
    assert answers(workspace, "method") == {"n01": "audit", "n02": "lean"}


def test_a_text_answer_is_imported_as_written(workspace: Path, registry: m.Registry) -> None:
    mapping = HEAD + "items:\n  next-change: {column: next}\n"
    rows = [["id", "next"], ["n01", "Fewer handovers, more huddles"]]
    run(workspace, registry, mapping, rows)
    assert answers(workspace, "next-change") == {"n01": "Fewer handovers, more huddles"}


@pytest.mark.parametrize(
    ("tool", "cell"),
    [
        ("google forms", f"{HUDDLE}, {BOARD}"),
        ("microsoft forms", f"{HUDDLE};{BOARD};"),
        ("qualtrics choice text", f"{HUDDLE},{BOARD}"),
        ("kobotoolbox names", "huddle board"),
        ("mio codes", "huddle;board"),
    ],
)
def test_a_multi_choice_cell_as_each_tool_joins_it_is_read_as_its_options(
    workspace: Path, registry: m.Registry, tool: str, cell: str
) -> None:
    rows = [["id", "method", "forums"], ["n01", "", cell], ["n02", "", MEETING]]
    run(workspace, registry, ONE_COLUMN, rows)
    assert answers(workspace, "forums") == {"n01": "huddle;board", "n02": "meeting"}


def test_qualtrics_numeric_codes_are_read_through_the_mappings_labels(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = ONE_COLUMN + "labels:\n  forums: {1: huddle, 2: meeting, 3: board}\n"
    rows = [["id", "method", "forums"], ["n01", "", "1,3"], ["n02", "", "2"]]
    run(workspace, registry, mapping, rows)
    assert answers(workspace, "forums") == {"n01": "huddle;board", "n02": "meeting"}


def test_a_label_holding_a_comma_is_read_whole(workspace: Path, registry: m.Registry) -> None:
    mapping = ONE_COLUMN + "labels:\n  forums: {'Huddle, at the start of a shift': huddle}\n"
    rows = [["id", "method", "forums"], ["n01", "", f"Huddle, at the start of a shift, {BOARD}"]]
    run(workspace, registry, mapping, rows)
    assert answers(workspace, "forums") == {"n01": "huddle;board"}


def test_a_cell_that_reads_two_ways_is_refused_at_its_row_and_column(
    workspace: Path, registry: m.Registry
) -> None:
    # 'Huddle, board' is a label of its own and also the labels 'Huddle' and 'board'.
    mapping = ONE_COLUMN + "labels:\n  forums: {'Huddle, board': meeting, Huddle: huddle}\n"
    rows = [["id", "method", "forums"], ["n01", "", "Huddle, board"]]
    problems = refused(workspace, registry, mapping, rows)
    assert [(p.code, p.line, p.column, p.path) for p in problems] == [
        ("unknown-label", 2, 3, ("forums",))
    ]
    assert "can be read as" in problems[0].message


def test_a_multi_choice_cell_with_an_unknown_label_is_refused_naming_the_options(
    workspace: Path, registry: m.Registry
) -> None:
    rows = [["id", "method", "forums"], ["n01", "", f"{HUDDLE}, Coffee break"]]
    problems = refused(workspace, registry, ONE_COLUMN, rows)
    assert [(p.code, p.line, p.column) for p in problems] == [("unknown-label", 2, 3)]
    assert "'Daily safety huddle' (huddle)" in problems[0].message


def test_a_choice_cell_that_is_no_option_is_refused(workspace: Path, registry: m.Registry) -> None:
    rows = [["id", "method", "forums"], ["n01", "Six sigma", ""]]
    problems = refused(workspace, registry, ONE_COLUMN, rows)
    assert [(p.code, p.line, p.column) for p in problems] == [("unknown-label", 2, 2)]


PER_OPTION = HEAD + (
    "items:\n  forums:\n    options:\n      huddle: {column: 'Forums / Huddle'}\n"
    "      meeting: {column: 'Forums / Meeting'}\n      board: {column: 'Forums / Board'}\n"
)
PER_OPTION_HEADER = ["id", "Forums / Huddle", "Forums / Meeting", "Forums / Board"]


@pytest.mark.parametrize(
    ("tool", "chosen", "not_chosen"),
    [
        ("surveymonkey choice text", ["Huddle", "Board"], ""),
        ("qualtrics split columns", ["1", "1"], ""),
        ("limesurvey", ["Y", "Y"], ""),
        ("kobotoolbox 1/0", ["1", "1"], "0"),
        ("redcap labels", ["Checked", "Checked"], "Unchecked"),
    ],
)
def test_a_column_per_option_is_read_into_one_multi_choice_item(
    workspace: Path, registry: m.Registry, tool: str, chosen: list[str], not_chosen: str
) -> None:
    rows = [
        PER_OPTION_HEADER,
        ["n01", chosen[0], not_chosen, chosen[1]],
        ["n02", not_chosen, not_chosen, not_chosen],
    ]
    run(workspace, registry, PER_OPTION, rows)
    assert answers(workspace, "forums") == {"n01": "huddle;board", "n02": ""}


def test_an_option_cell_that_says_neither_chosen_nor_not_is_refused_at_its_column(
    workspace: Path, registry: m.Registry
) -> None:
    rows = [PER_OPTION_HEADER, ["n01", "1", "maybe", ""]]
    problems = refused(workspace, registry, PER_OPTION, rows)
    assert [(p.code, p.line, p.column) for p in problems] == [("unknown-label", 2, 3)]


def test_a_column_per_option_naming_no_option_of_the_item_is_refused(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = PER_OPTION.replace("meeting: {", "coffee: {")
    rows = [PER_OPTION_HEADER, ["n01", "1", "", ""]]
    problems = refused(workspace, registry, mapping, rows)
    assert [p.code for p in problems] == ["unknown-name"]
    assert "'coffee' is not an option of forums" in problems[0].message


def test_columns_per_option_of_an_item_that_is_not_multi_choice_are_refused(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = HEAD + "items:\n  method:\n    options:\n      lean: {column: 'Forums / Huddle'}\n"
    problems = refused(workspace, registry, mapping, [PER_OPTION_HEADER, ["n01", "1", "", ""]])
    assert [p.code for p in problems] == ["not-multi-choice"]


def test_a_label_mapped_to_no_option_is_a_problem_of_the_mapping(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = ONE_COLUMN + "labels:\n  forums: {Coffee: coffee}\n"
    problems = refused(workspace, registry, mapping, [["id", "method", "forums"], ["n01", "", ""]])
    assert [p.code for p in problems] == ["unknown-name"]


FORUMS = Item(
    id="forums",
    text="Where?",
    kind="multi-choice",
    options={
        "a": "Coaching, individual",
        "b": "Coaching, group",
        "c": "Network meeting",
        "d": "Reading",
    },
)


@given(
    st.lists(st.sampled_from(FORUMS.options), unique=True, min_size=1),
    st.sampled_from([", ", ";", ",", " ; "]),
    st.booleans(),
)
def test_any_choice_of_options_joined_by_a_tools_separator_reads_back_as_its_codes(
    chosen: list, separator: str, trailing: bool
) -> None:
    cell = separator.join(str(option.text) for option in chosen) + (";" if trailing else "")
    codes, problem = OptionReader(FORUMS).read(cell)
    assert (codes.split(";"), problem) == ([option.code for option in chosen], "")


def test_an_excel_date_number_in_a_mapped_date_column_says_how_to_fix_it(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = ONE_COLUMN + "date: {column: Completed, format: '%d/%m/%Y'}\n"
    rows = [["id", "Completed", "method", "forums"], ["n01", "45356", "lean", ""]]
    problems = refused(workspace, registry, mapping, rows)
    assert [(p.code, p.line, p.column) for p in problems] == [("invalid-date", 2, 2)]
    assert "looks like an Excel date number (day 45356 is 2024-03-05" in problems[0].message


def test_validate_reports_an_option_the_item_lacks_by_file_and_line(workspace: Path) -> None:
    mapping = PER_OPTION.replace("meeting: {", "coffee: {")
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    problems = m.validate_workspace(workspace)
    found = [(p.file, p.code, p.line) for p in problems if p.file == "imports/tool.yaml"]
    assert found == [("imports/tool.yaml", "unknown-name", 10)]


def test_a_column_per_option_with_an_unknown_key_is_refused_when_read(workspace: Path) -> None:
    mapping = PER_OPTION.replace("    options:\n", "    options:\n      colour: red\n", 1)
    mapping = mapping.replace("  forums:\n    options:", "  forums:\n    column: x\n    options:")
    (workspace / "imports" / "tool.yaml").write_text(mapping, encoding="utf-8")
    _, problems = read_mapping(workspace, "tool")
    assert problems and all(p.file == "imports/tool.yaml" and p.line for p in problems)


def test_a_proposal_with_a_column_per_option_renders_a_mapping_that_reads_back(
    workspace: Path,
) -> None:
    mapping = ImportMapping(
        instrument="ltn-team-climate",
        occasion="pre",
        respondent=RespondentColumn(column="id"),
        items={
            "forums": OptionColumns(
                options={"huddle": ColumnRef(key="Q3_1"), "board": ColumnRef(column="Q3 / B")}
            )
        },
    )
    save_mapping(workspace, "tool", MappingProposal(mapping=mapping, source="test"))
    assert load_mapping(workspace, "tool").items == mapping.items


NO_ANSWER = "missing: [-99, Seen but not answered]\n"


def test_a_no_answer_code_in_a_text_or_choice_column_is_no_answer(
    workspace: Path, registry: m.Registry
) -> None:
    # Qualtrics' numeric export writes -99 for "seen but not answered" in every question:
    # declared under missing:, it is no answer in any column (it was an unknown label)
    mapping = ONE_COLUMN.replace("items:\n", NO_ANSWER + "items:\n") + (
        "  next-change: {column: next}\n"
    )
    rows = [
        ["id", "method", "forums", "next"],
        ["n01", "-99", "-99", "-99"],
        ["n02", "Clinical audit", "seen but not answered", "More huddles"],
    ]
    run(workspace, registry, mapping, rows)
    assert answers(workspace, "method") == {"n01": "", "n02": "audit"}
    assert answers(workspace, "forums") == {"n01": "", "n02": ""}
    assert answers(workspace, "next-change") == {"n01": "", "n02": "More huddles"}


def test_a_no_answer_code_in_a_column_per_option_is_not_chosen(
    workspace: Path, registry: m.Registry
) -> None:
    rows = [PER_OPTION_HEADER, ["n01", "1", "-99", "1"], ["n02", "-99", "-99", "-99"]]
    run(workspace, registry, PER_OPTION.replace("items:\n", NO_ANSWER + "items:\n"), rows)
    assert answers(workspace, "forums") == {"n01": "huddle;board", "n02": ""}


def test_a_text_answer_is_kept_as_written_when_no_code_is_declared(
    workspace: Path, registry: m.Registry
) -> None:
    mapping = ONE_COLUMN + "  next-change: {column: next}\n"
    rows = [["id", "method", "forums", "next"], ["n01", "", "", "-99"]]
    run(workspace, registry, mapping, rows)
    assert answers(workspace, "next-change") == {"n01": "-99"}
