"""The workbook reopens in openpyxl with the expected sheets, types and codebook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import mio_xlsx
import openpyxl
import pytest

import mio_core as m
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    folder = tmp_path_factory.mktemp("ws") / "mio"
    copy_workspace(EXAMPLE, folder)
    registry = make_registry(mio_xlsx, builtins=True)
    source = m.prepare_source(m.load_workspace(folder), registry, language="en")
    out = m.run_export(registry.exporter("xlsx"), source, tmp_path_factory.mktemp("out") / "r.xlsx")
    return openpyxl.load_workbook(out)


def test_one_sheet_per_table_and_a_codebook(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames[-1] == "codebook"
    assert {
        "answers",
        "scores",
        "group_results",
        "reliability",
        "changes",
        "response_rates",
        "attendance",
        "coaching_sessions",
        "goal_attainment",
        "projects",
    } <= set(workbook.sheetnames)


def test_header_rows_are_frozen_and_bold(workbook: openpyxl.Workbook) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold


def test_cells_are_typed(workbook: openpyxl.Workbook) -> None:
    answers = workbook["answers"]
    header = [c.value for c in answers[1]]
    first = {name: cell.value for name, cell in zip(header, answers[2], strict=True)}
    assert isinstance(first["value"], int)
    assert isinstance(first["date"], dt.datetime)
    groups = workbook["group_results"]
    header = [c.value for c in groups[1]]
    row = {name: cell.value for name, cell in zip(header, groups[2], strict=True)}
    assert isinstance(row["mean"], float) and isinstance(row["n"], int)


def test_the_codebook_sheet_labels_values(workbook: openpyxl.Workbook) -> None:
    rows = list(workbook["codebook"].iter_rows(values_only=True))
    assert rows[0] == ("table", "variable", "type", "description", "value", "label")
    assert ("attendance", "present", "integer", None, "1", "present") in rows
    assert any(r[1] == "mio-module-evaluation/rel1" and r[5] == "Strongly agree" for r in rows)


def test_no_names_in_a_pseudonymised_workbook(workbook: openpyxl.Workbook) -> None:
    people = m.load_workspace(EXAMPLE).participants
    values = {
        str(c) for s in workbook.worksheets for row in s.iter_rows(values_only=True) for c in row
    }
    assert not {p.name for p in people} & values and not {p.id for p in people} & values


def test_a_score_is_the_same_float_as_its_exact_value(workbook: openpyxl.Workbook) -> None:
    # a score is the mean of at most four whole answers, so its exact value is the
    # fraction with a denominator up to 12 nearest the cell; the cell must be that
    # fraction's float (openpyxl's "%.16g" wrote 11/3 as 3.666666666666667, another float)
    from fractions import Fraction

    scores = workbook["scores"]
    header = [c.value for c in scores[1]]
    column = header.index("score")
    values = [row[column].value for row in scores.iter_rows(min_row=2)]
    floats = [v for v in values if isinstance(v, float)]
    assert floats
    assert [float(Fraction(v).limit_denominator(12)) for v in floats] == floats


def test_a_text_answer_with_a_noncharacter_is_a_visible_string_cell(tmp_path: Path) -> None:
    # U+FFFE and U+FFFF are refused by XML: openpyxl raised on them and nothing was written
    folder = copy_workspace(EXAMPLE.parent / "leading-nursing-teams", tmp_path / "nursing")
    answers = folder / "responses" / "ltn-team-climate.post.csv"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(text.replace("Measure falls", "Measure\uffff falls\ufffe", 1), "utf-8")
    registry = make_registry(mio_xlsx, builtins=True)
    source = m.prepare_source(m.load_workspace(folder), registry, with_text=True)
    out = m.run_export(registry.exporter("xlsx"), source, tmp_path / "r.xlsx")
    values = [
        cell
        for sheet in openpyxl.load_workbook(out).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "Measure\\uffff falls\\ufffe every week" in values
