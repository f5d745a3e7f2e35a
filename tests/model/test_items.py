"""Text, choice and multi-choice items: the model, the answers they take, counts per option
through the disclosure audit, and text answers kept out of statistics and research exports."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.model import InvalidField, Item, ItemKind, Option, Response, choice_codes
from mio_core.testing import copy_workspace, make_registry

from ..helpers import EXAMPLE

REGISTRY = make_registry(builtins=True)
PARTICIPANTS = [f"p{n:02d}" for n in range(1, 25)]

TRAVEL = """\
id: travel
title: {en: Travel, sv: Resor}
level: reaction
occasions: [post]
scales:
- id: agree5
  min: 1
  max: 5
items:
- id: liked
  text: I liked the course.
- id: why
  kind: text
  text: What did you like most?
- id: mode
  kind: choice
  text: How did you travel?
  options: {bus: By bus, car: By car, bike: By bike}
- id: days
  kind: multi-choice
  text: Which days suit you?
  options: {mon: Monday, tue: Tuesday, 1: The first of the month}
subscales:
- id: liking
  title: Liking
  items: [liked]
"""


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def travel_workspace(root: Path, rows: list[list[str]]) -> Path:
    """The example workspace with the travel instrument and ``rows`` as its answers after
    the course (respondent, liked, why, mode, days)."""
    folder = root / "mio"
    if not folder.exists():
        copy_workspace(EXAMPLE, folder)
    (folder / "instruments").mkdir(exist_ok=True)
    (folder / "instruments" / "travel.yaml").write_text(TRAVEL, encoding="utf-8")
    text = _csv([["respondent", "liked", "why", "mode", "days"], *rows])
    (folder / "responses" / "travel.post.csv").write_text(text, encoding="utf-8")
    return folder


def errors(folder: Path) -> list[m.Problem]:
    return [p for p in m.validate_workspace(folder, REGISTRY) if p.severity == "error"]


# --- the model -------------------------------------------------------------------------------


def test_options_take_the_yaml_mapping_form_in_python() -> None:
    item = Item(id="mode", text="How?", kind="choice", options={"bus": "By bus", 2: "Two"})
    assert item.options == (Option(code="bus", text="By bus"), Option(code="2", text="Two"))
    assert item.option("2") == Option(code="2", text="Two")


def test_a_choice_item_needs_options() -> None:
    with pytest.raises(InvalidField, match="a choice item needs options"):
        Item(id="mode", text="How?", kind=ItemKind.CHOICE)


@pytest.mark.parametrize("kind", ["scale", "text"])
def test_only_choice_items_have_options(kind: str) -> None:
    with pytest.raises(InvalidField, match="only choice and multi-choice items have options"):
        Item(id="q", text="Q", kind=kind, options={"a": "A"})


def test_a_text_item_names_no_scale() -> None:
    with pytest.raises(InvalidField, match="a text item is not answered on a scale"):
        Item(id="q", text="Q", kind="text", scale="agree5")


def test_an_option_code_used_twice_is_refused() -> None:
    with pytest.raises(InvalidField, match=r"the option codes \['a'\] are used twice"):
        Item(id="q", text="Q", kind="choice", options=[Option(code="a", text="A")] * 2)


@pytest.mark.parametrize("code", ["01", "1e5", "007"])
def test_an_option_code_that_reads_back_as_another_number_is_refused(code: str) -> None:
    with pytest.raises(InvalidField, match="reads as a number written another way"):
        Option(code=code, text="x")


def test_choice_codes_split_on_semicolons_and_ignore_spaces() -> None:
    assert choice_codes(" mon ; 1;;") == ("mon", "1")
    assert choice_codes(1) == ("1",)
    assert choice_codes(None) == ()


def test_the_instrument_loads_with_its_kinds_and_options(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", "The food", "bus", "mon;1"]])
    [travel] = [i for i in m.load_workspace(folder).instruments if i.id == "travel"]
    kinds = {item.id: item.kind for item in travel.items}
    assert kinds == {
        "liked": ItemKind.SCALE,
        "why": ItemKind.TEXT,
        "mode": ItemKind.CHOICE,
        "days": ItemKind.MULTI_CHOICE,
    }
    assert [o.code for o in travel.items[3].options] == ["mon", "tue", "1"]


# --- answers ---------------------------------------------------------------------------------


def test_text_and_choice_answers_are_read_as_written(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", " =SUM(A1) ", "car", "tue; 1"]])
    assert errors(folder) == []
    [response] = [r for r in m.load_workspace(folder).responses if r.instrument == "travel"]
    assert dict(response.answers) == {
        "liked": 4,
        "why": "=SUM(A1)",
        "mode": "car",
        "days": "tue; 1",
    }


@pytest.mark.parametrize(
    ("cell", "column", "code", "message"),
    [
        ("train", "mode", "not-an-option",
         "mode: 'train' is not an option; the options are bus, car, bike"),
        ("bus;car", "mode", "one-option", "mode: 'bus;car' chooses 2 options; the item takes one"),
        ("mon;fri", "days", "not-an-option",
         "days: 'fri' is not an option; the options are mon, tue, 1, separated by ';'"),
        ("mon;mon", "days", "repeated-option", "days: 'mon;mon' names an option twice"),
        ("good", "liked", "not-a-number", "liked: 'good' is not a number"),
    ],
)  # fmt: skip
def test_a_wrong_answer_is_refused_with_its_line_and_column(
    tmp_path: Path, cell: str, column: str, code: str, message: str
) -> None:
    row = {"liked": "4", "why": "", "mode": "bus", "days": "mon", column: cell}
    folder = travel_workspace(tmp_path, [["p01", *row.values()]])
    [problem] = errors(folder)
    assert (problem.code, problem.message) == (code, message)
    assert (problem.file, problem.line) == ("responses/travel.post.csv", 2)
    assert problem.column == ["respondent", *row].index(column) + 1


def test_a_subscale_of_a_text_item_is_refused(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [])
    text = TRAVEL.replace("items: [liked]", "items: [liked, why]")
    (folder / "instruments" / "travel.yaml").write_text(text, encoding="utf-8")
    [problem] = errors(folder)
    assert problem.code == "not-a-scale-item"
    assert problem.message == "'why' is a text item; only scale items are scored"


def test_importing_choice_answers_checks_them_as_a_hand_written_file(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [])
    export = tmp_path / "survey.csv"
    export.write_text(
        _csv([["respondent", "liked", "why", "mode", "days"], ["p01", "4", "x", "plane", "mon"]]),
        encoding="utf-8",
    )
    with pytest.raises(m.WorkspaceError) as caught:
        m.import_responses(folder, export, "travel", "post", REGISTRY)
    [problem] = caught.value.problems
    assert (problem.code, problem.line) == ("not-an-option", 2)


# --- statistics ------------------------------------------------------------------------------


def test_text_and_choice_items_have_no_item_statistics_and_no_score(tmp_path: Path) -> None:
    rows = [[p, "4", "fine", "bus", "mon"] for p in PARTICIPANTS]
    folder = travel_workspace(tmp_path, rows)
    result = m.evaluate(m.load_workspace(folder), REGISTRY)
    measures = {g.measure for g in result.groups if g.instrument == "travel"}
    assert measures == {"liking", "liked"}
    assert {s.value for s in result.scores if s.instrument == "travel"} == {4.0}


def _answers(picks: list[str]) -> list[list[str]]:
    return [[p, "", "", pick, ""] for p, pick in zip(PARTICIPANTS, picks, strict=False)]


def test_counts_per_option_are_the_counts_in_the_file(tmp_path: Path) -> None:
    picks = ["bus"] * 12 + ["car"] * 7 + ["bike"] * 5
    folder = travel_workspace(tmp_path, _answers(picks))
    result = m.evaluate(m.load_workspace(folder), REGISTRY)
    [everyone] = [c for c in result.choices if c.item == "mode" and c.group_by == "all"]
    assert everyone.n == 24
    assert [(c.option, c.count, c.share) for c in everyone.counts] == [
        ("bus", 12, 0.5),
        ("car", 7, 7 / 24),
        ("bike", 5, 5 / 24),
    ]


def test_a_small_option_count_is_suppressed_with_one_more_so_the_total_does_not_reveal_it(
    tmp_path: Path,
) -> None:
    picks = ["bus"] * 12 + ["car"] * 10 + ["bike"] * 2
    folder = travel_workspace(tmp_path, _answers(picks))
    result = m.evaluate(m.load_workspace(folder), REGISTRY)
    [everyone] = [c for c in result.choices if c.item == "mode" and c.group_by == "all"]
    shown = {c.option: c.count for c in everyone.counts}
    assert shown["bike"] is None
    assert everyone.n == 24 and sum(1 for c in shown.values() if c is None) == 2


def test_options_are_not_counted_in_groups_below_twice_the_minimum(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, _answers(["bus"] * 9))
    result = m.evaluate(m.load_workspace(folder), REGISTRY)
    [everyone] = [c for c in result.choices if c.item == "mode" and c.group_by == "all"]
    assert (everyone.n, everyone.counts) == (9, ())


def _revealed(result: m.EvaluationResult, k: int) -> list[str]:
    """Every small count an attacker derives from the published figures: a visible count of
    1 … k−1, a group's total minus its visible options, or everyone's count of an option
    minus its visible counts in one breakdown's groups."""
    found = []
    published = [c for c in result.choices if c.item == "mode"]
    for c in published:
        for count in c.counts:
            if count.count is not None and 0 < count.count < k:
                found.append(f"{c.group}/{count.option}={count.count}")
        if c.n is not None and c.counts:
            left = c.n - sum(count.count or 0 for count in c.counts)
            if 0 < left < k:
                found.append(f"{c.group} total minus options = {left}")
    [everyone] = [c for c in published if c.group_by == "all"]
    for breakdown in ("cohort", "organisation"):
        groups = [c for c in published if c.group_by == breakdown]
        for position, option in enumerate(everyone.counts):
            if option.count is None:
                continue
            visible = [g.counts[position].count for g in groups if g.counts]
            left = option.count - sum(v or 0 for v in visible)
            if 0 < left < k:
                found.append(f"all minus {breakdown} groups for {option.option} = {left}")
    return found


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(picks=st.lists(st.sampled_from(["bus", "car", "bike", ""]), min_size=24, max_size=24))
def test_the_attacker_derives_no_small_count_of_an_option(
    tmp_path_factory: pytest.TempPathFactory, picks: list[str]
) -> None:
    folder = travel_workspace(tmp_path_factory.mktemp("choices"), _answers(picks))
    workspace = m.load_workspace(folder)
    result = m.evaluate(workspace, REGISTRY)
    assert _revealed(result, workspace.manifest.privacy.min_group_size) == []
    everyone = [c for c in result.choices if c.item == "mode" and c.group_by == "all"]
    for c in everyone:  # what is shown is the truth
        expected = Counter(pick for pick in picks if pick)
        assert c.n in (None, sum(expected.values()))
        for count in c.counts:
            assert count.count in (None, expected[count.option])


def test_the_view_shows_the_counts_with_the_option_labels(tmp_path: Path) -> None:
    picks = ["bus"] * 12 + ["car"] * 12
    folder = travel_workspace(tmp_path, _answers(picks))
    workspace = m.load_workspace(folder)
    view = m.build_view(m.evaluate(workspace, REGISTRY), workspace, REGISTRY, "en")
    [section] = [s for s in view.sections if s.id == "choices"]
    [table] = section.tables
    first = [cell.value for cell in table.rows[0].cells]
    assert first == ["Travel", "after", "How did you travel?", "all", 24, "By bus", 12, 0.5]


# --- text answers in exports -----------------------------------------------------------------


def _answer_rows(folder: Path, **options: object) -> list[dict[str, str]]:
    source = m.prepare_source(m.load_workspace(folder), REGISTRY, **options)  # type: ignore[arg-type]
    out = m.run_export(REGISTRY.exporter("csv"), source, folder.parent / f"csv-{len(options)}")
    with (Path(out) / "answers.csv").open(encoding="utf-8", newline="") as stream:
        return [row for row in csv.DictReader(stream) if row["instrument"] == "travel"]


def test_text_answers_are_left_out_of_a_research_export_by_default(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", "My boss, Anna", "bus", "mon;1"]])
    rows = _answer_rows(folder)
    assert {row["item"] for row in rows} == {"liked", "mode", "days"}
    assert "Anna" not in (folder.parent / "csv-0" / "answers.csv").read_text(encoding="utf-8")
    assert {row["item"]: row["text"] for row in rows if row["text"]} == {
        "mode": "bus",
        "days": "mon;1",
    }


def test_text_answers_are_exported_when_asked_and_in_identified_exports(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", "My boss, Anna", "bus", "mon;1"]])
    for options in (
        {"with_text": True},
        {"identified": True, "with_text": False, "language": "en"},
    ):
        rows = _answer_rows(folder, **options)
        assert [row["text"] for row in rows if row["item"] == "why"] == ["My boss, Anna"]


def test_a_response_holds_text_answers_in_python() -> None:
    response = Response(
        respondent="p01",
        instrument="travel",
        occasion="post",
        answers={"why": "Fine", "mode": "bus"},
    )
    assert response.answers["why"] == "Fine"


def test_evaluate_json_with_choice_counts_keeps_to_its_schema(tmp_path: Path) -> None:
    from ..test_json_schemas import check, output

    picks = ["bus"] * 12 + ["car"] * 10 + ["bike"] * 2
    folder = travel_workspace(tmp_path, _answers(picks))
    value = output("evaluate", str(folder), "--format", "json")
    assert {c["item"] for c in value["choices"]} == {"mode"}
    assert any(count["suppressed"] for c in value["choices"] for count in c["counts"])
    check("evaluate", value)


def test_a_text_answer_that_looks_like_a_formula_is_exported_as_text(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", "=HYPERLINK(1)", "bus", ""]])
    rows = _answer_rows(folder, with_text=True)
    assert [row["text"] for row in rows if row["item"] == "why"] == ["'=HYPERLINK(1)"]


def _yaml_blocks(page: str, heading: str) -> list[str]:
    text = (Path(__file__).resolve().parents[2] / "docs" / page).read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```yaml\n")[1:]]


def test_the_documented_instruments_load_and_validate(tmp_path: Path) -> None:
    blocks = _yaml_blocks("workspace.md", "## `instruments/<id>.yaml`")
    assert len(blocks) == 2
    folder = tmp_path / "mio"
    copy_workspace(EXAMPLE, folder)
    (folder / "instruments").mkdir(exist_ok=True)
    for block in blocks:
        name = block.split("\n", 1)[0].removeprefix("id: ")
        (folder / "instruments" / f"{name}.yaml").write_text(block, encoding="utf-8")
    (folder / "responses" / "travel-survey.post.csv").write_text(
        'respondent,liked,best,mode,days\np01,4,"The food, and the people",bus,mon;tue\n'
        "p02,5,,car,1\n",
        encoding="utf-8",
    )
    assert errors(folder) == []
    kinds = [i.kind for i in m.load_workspace(folder).instruments[-1].items]
    assert kinds == ["scale", "text", "choice", "multi-choice"]


# --- the wide research table -----------------------------------------------------------------


def _wide(folder: Path, **options: object) -> m.export.WideTable:
    from mio_core.export import wide_table

    source = m.prepare_source(m.load_workspace(folder), REGISTRY, language="en", **options)  # type: ignore[arg-type]
    return wide_table(source)


def test_a_choice_item_is_a_labelled_category_in_the_wide_table(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", "Anna", "car", "mon;1"]])
    table = _wide(folder, identified=True)
    mode = table.column("travel_mode_post")
    assert (mode.kind, mode.item, mode.occasion) == ("category", "mode", "post")
    assert mode.categories == (("bus", "By bus"), ("car", "By car"), ("bike", "By bike"))
    assert table.values("participant")[0] == "p01"
    assert table.values("travel_mode_post")[0] == "car"
    days = [table.values(f"travel_days_{code}_post")[0] for code in ("mon", "tue", "1")]
    assert days == ["yes", "no", "yes"]
    assert table.column("travel_days_tue_post").categories == (
        ("no", "not chosen"),
        ("yes", "chosen"),
    )


def test_text_items_are_in_the_wide_table_only_with_text(tmp_path: Path) -> None:
    folder = travel_workspace(tmp_path, [["p01", "4", "Anna", "car", ""]])
    assert "travel_why_post" not in [c.name for c in _wide(folder).columns]
    with_text = _wide(folder, with_text=True)
    assert with_text.column("travel_why_post").kind == "string"
    assert "Anna" in with_text.values("travel_why_post")
