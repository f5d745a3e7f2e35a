"""The evaluation view: one model that text, Markdown and HTML only lay out."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.evaluation import (
    Column,
    EvaluationResult,
    EvaluationView,
    Figure,
    Row,
    Section,
    Series,
    Table,
    ViewCell,
)
from mio_core.evaluation.view import natural_key
from mio_core.model import Workspace
from mio_core.render import format_value, render_markdown, render_text
from mio_core.testing import make_registry
from mio_core.textsafety import markdown_text

from ..helpers import EXAMPLE

mio_report = pytest.importorskip("mio_report")
REGISTRY = make_registry(mio_report, builtins=True)


def render_all(view: EvaluationView) -> dict[str, str]:
    """The view as text, Markdown and the HTML report's body."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    stream = io.StringIO()
    render_markdown(view, stream)
    environment = Environment(
        loader=PackageLoader("mio_report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    context = {
        "t": mio_report.TEXTS["en"],
        "lang": view.language,
        "title": view.title,
        "concept": {"title": view.concept, "goals": [], "modules": [], "partners": []},
        "generated": "2024-01-01",
        "identified": False,
        "methods": [],
        **mio_report.view_context(view),
    }
    page = environment.get_template("report.html.j2").render(**context)
    return {"text": render_text(view), "markdown": stream.getvalue(), "html": page}


def strict_example(tmp_path: Path, k: int) -> Workspace:
    folder = tmp_path / "ws"
    shutil.copytree(EXAMPLE, folder)
    manifest = folder / "mio.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("min_group_size: 5", f"min_group_size: {k}"), "utf-8")
    return m.load_workspace(folder)


def example_view(tmp_path: Path, language: str, k: int = 5) -> EvaluationView:
    workspace = strict_example(tmp_path, k)
    return m.build_view(m.evaluate(workspace, REGISTRY), workspace, REGISTRY, language)


def tables(sections: tuple[Section, ...]) -> list[Table]:
    found = []
    for section in sections:
        found += list(section.tables) + tables(section.subsections)
    return found


def figures(view: EvaluationView) -> list[tuple[Table, Column, str]]:
    """Every shown figure of the view, formatted for its language."""
    return [
        (table, column, format_value(cell.value, column.kind, view.language, column.digits))
        for table in tables(view.sections)
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
        if column.kind != "text" and not cell.suppressed and cell.value is not None
    ]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_every_figure_appears_formatted_the_same_in_text_markdown_and_html(
    tmp_path: Path, language: str
) -> None:
    view = example_view(tmp_path, language)
    out = render_all(view)
    shown = figures(view)
    assert len(shown) > 500
    for table, column, figure in shown:
        assert figure in out["text"], (table.id, column.key, figure)
        assert markdown_text(figure) in out["markdown"], (table.id, column.key, figure)
        assert f">{html.escape(figure)}</td>" in out["html"], (table.id, column.key, figure)
    if language == "sv":
        assert any(re.fullmatch(r"\d,\d\d", f) for *_, f in shown)
        assert not any(re.fullmatch(r"\d\.\d\d", f) for *_, f in shown)


def test_the_same_suppressions_appear_in_text_markdown_and_html(tmp_path: Path) -> None:
    view = example_view(tmp_path, "en", k=11)
    hidden = [row for table in tables(view.sections) for row in table.rows if row.suppressed]
    primary = [row for row in hidden if row.suppressed == "primary"]
    assert primary and len(hidden) > len(primary)  # both reasons occur
    out = render_all(view)
    assert out["text"].count("suppressed (n<11)") == len(primary)
    assert out["text"].count("  suppressed") + out["text"].count("suppressed (n<11)") >= len(hidden)
    assert out["markdown"].count("*suppressed") == len(hidden)
    assert out["html"].count('<tr class="suppressed">') == len(hidden)
    assert out["html"].count("suppressed (n&lt;11)") == len(primary)


def test_a_suppressed_cell_carries_no_value(tmp_path: Path) -> None:
    view = example_view(tmp_path, "en", k=11)
    cells = [cell for table in tables(view.sections) for row in table.rows for cell in row.cells]
    assert all(cell.value is None for cell in cells if cell.suppressed)


HAND_BUILT = EvaluationView(
    language="en",
    title="Hand-built",
    concept="A concept",
    min_group_size=5,
    suppressed_label="suppressed",
    notes=("One note.",),
    sections=(
        Section(
            id="only",
            title="The only section",
            intro="Nothing is computed.",
            tables=(
                Table(
                    id="t",
                    caption="Caption",
                    columns=(
                        Column(key="group", label="Group"),
                        Column(key="n", label="n", kind="count"),
                        Column(key="mean", label="Mean", kind="number"),
                    ),
                    rows=(
                        Row(
                            cells=(
                                ViewCell(value="cohort 2"),
                                ViewCell(value=7),
                                ViewCell(value=3.14159),
                            )
                        ),
                        Row(
                            cells=(
                                ViewCell(value="cohort 10"),
                                ViewCell(suppressed="primary"),
                                ViewCell(suppressed="primary"),
                            )
                        ),
                    ),
                ),
            ),
            figures=(
                Figure(
                    id="f",
                    kind="bars",
                    title="A chart",
                    series=(Series(label="cohort 2", values=(0.5,)),),
                    value_kind="share",
                    alt="A chart: cohort 2 50%.",
                ),
            ),
        ),
    ),
)


def test_the_text_renderer_lays_out_exactly_the_view_it_is_given() -> None:
    assert render_text(HAND_BUILT) == (
        "Hand-built\nA concept\nOne note.\n\n== The only section ==\nNothing is computed.\n"
        "Caption\n"
        "Group                     n  Mean\n"
        "---------  ----------------  ----\n"
        "cohort 2                  7  3.14\n"
        "cohort 10  suppressed (n<5)\n"
        "(A chart: cohort 2 50%.)\n"
    )


def test_the_markdown_and_html_renderers_lay_out_exactly_the_view_they_are_given() -> None:
    out = render_all(HAND_BUILT)
    assert "## The only section" in out["markdown"]
    assert "| cohort 2 | 7 | 3\\.14 |" in out["markdown"]
    assert "| cohort 10 | *suppressed (n&lt;5)* |  |" in out["markdown"]
    assert out["markdown"].count("\n## ") == 1
    assert '<section id="only">' in out["html"]
    assert re.findall(r'<section id="([^"]+)">', out["html"]) == ["concept", "only", "methods"]
    assert '<td colspan="2" class="suppressed">suppressed (n&lt;5)</td>' in out["html"]
    assert '<td class="num">3.14</td>' in out["html"]
    assert out["html"].count("<svg") == 1 and "A chart: cohort 2 50%." in out["html"]


def test_groups_are_labelled_by_title_and_sorted_naturally(tmp_path: Path) -> None:
    workspace = m.load_workspace(EXAMPLE)
    titles = {c.id: f"Cohort {n}" for c, n in zip(workspace.cohorts, (10, 2), strict=True)}
    renamed = attrs.evolve(
        workspace, cohorts=tuple(attrs.evolve(c, title=titles[c.id]) for c in workspace.cohorts)
    )
    view = m.build_view(m.evaluate(renamed, REGISTRY), renamed, REGISTRY, "en")
    rows = view.section("response-rates").tables[0].rows
    cohorts = [row.cells[2].value for row in rows]
    assert cohorts[:2] == ["Cohort 2", "Cohort 10"]
    assert not {c.id for c in workspace.cohorts} & set(cohorts)


@given(st.lists(st.integers(min_value=0, max_value=10**6), unique=True))
def test_natural_key_orders_numbers_by_value(numbers: list[int]) -> None:
    labels = [f"cohort {n}" for n in numbers]
    assert sorted(labels, key=natural_key) == [f"cohort {n}" for n in sorted(numbers)]


SWEDISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"


@given(st.lists(st.text(alphabet=SWEDISH_ALPHABET + SWEDISH_ALPHABET.upper(), min_size=1)))
def test_natural_key_in_swedish_follows_the_swedish_alphabet(words: list[str]) -> None:
    def by_alphabet(word: str) -> list[int]:
        return [SWEDISH_ALPHABET.index(c) for c in word.lower()]

    ordered = sorted(words, key=lambda w: natural_key(w, "sv"))
    assert [by_alphabet(w) for w in ordered] == sorted(by_alphabet(w) for w in words)


def test_natural_key_in_swedish_sorts_accents_as_the_plain_letter() -> None:
    names = ["Östersund", "Zürich", "Älmhult", "Åre", "Eda", "Émile", "Ydre", "Ängelholm"]
    assert sorted(names, key=lambda n: natural_key(n, "sv")) == [
        "Eda",
        "Émile",
        "Ydre",
        "Zürich",
        "Åre",
        "Älmhult",
        "Ängelholm",
        "Östersund",
    ]


def test_swedish_view_lists_organisations_in_swedish_order() -> None:
    workspace = m.load_workspace(EXAMPLE)
    names = {
        "linkoping": "Ängelholms kommun",
        "norrkoping": "Åtvidabergs kommun",
        "motala": "Ödeshögs kommun",
        "mjolby": "Ydre kommun",
    }
    renamed = attrs.evolve(
        workspace,
        organisations=tuple(
            attrs.evolve(o, name=names.get(o.id, o.name)) for o in workspace.organisations
        ),
    )
    view = m.build_view(m.evaluate(renamed, REGISTRY), renamed, REGISTRY, "sv")
    table = next(t for t in view.section("participation").tables if t.id == "participant-hours")
    assert [row.cells[0].value for row in table.rows] == [
        "alla",
        "Finspångs kommun",
        "Ydre kommun",
        "Åtvidabergs kommun",
        "Ängelholms kommun",
        "Ödeshögs kommun",
    ]


def test_extra_sections_are_appended_in_order(tmp_path: Path) -> None:
    workspace = m.load_workspace(EXAMPLE)
    result = m.evaluate(workspace, REGISTRY)
    extra = (Section(id="plugin-a", title="A"), Section(id="plugin-b", title="B"))
    view = m.build_view(result, workspace, REGISTRY, "en", extra_sections=extra)
    assert view.sections[-2:] == extra
    with pytest.raises(ValueError, match="coaching"):
        m.build_view(
            result, workspace, REGISTRY, "en", extra_sections=(Section(id="coaching", title="x"),)
        )


def test_labels_are_in_the_requested_language_with_english_for_others() -> None:
    # another language of the workspace's (declared in mio.yaml) gets mio's English words
    workspace = m.load_workspace(EXAMPLE)
    manifest = workspace.manifest
    workspace = attrs.evolve(
        workspace, manifest=attrs.evolve(manifest, languages=(*manifest.languages, "fi"))
    )
    result = m.evaluate(workspace, REGISTRY)
    sv = m.build_view(result, workspace, REGISTRY, "sv")
    fi = m.build_view(result, workspace, REGISTRY, "fi")
    assert sv.section("coaching").title == "Coachning" and sv.suppressed_label == "dold"
    assert fi.section("coaching").title == "Coaching" and fi.suppressed_label == "suppressed"


def test_a_language_nothing_is_written_in_is_refused() -> None:
    workspace = m.load_workspace(EXAMPLE)
    result = m.evaluate(workspace, REGISTRY)
    with pytest.raises(m.MioError, match=r"'fi'.*en, sv"):
        m.build_view(result, workspace, REGISTRY, "fi")


def test_the_view_serialises_to_plain_values() -> None:
    data = HAND_BUILT.to_dict()
    assert data["sections"][0]["tables"][0]["rows"][1]["cells"][1] == {
        "value": None,
        "suppressed": "primary",
    }


def test_the_relevance_bars_count_a_reverse_coded_item_reversed() -> None:
    """With rel2 reverse-coded, an answer 2 on it is a 4 of 5 in the bars, as in the score."""
    registry = m.load_registry()
    workspace = m.load_workspace(EXAMPLE)
    instrument = registry.instruments_for(workspace)["mio-module-evaluation"]
    subscales = tuple(
        attrs.evolve(s, reverse=("rel2",)) if s.id == "relevance" else s
        for s in instrument.subscales
    )
    workspace = attrs.evolve(
        workspace,
        instruments=(*workspace.instruments, attrs.evolve(instrument, subscales=subscales)),
    )
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    figure = next(f for s in view.sections for f in s.figures if f.id == "headline-relevance")
    expected = [0.0] * 5
    for response in workspace.responses:
        if (response.instrument, response.occasion) == ("mio-module-evaluation", "module:m1"):
            for item, value in (
                ("rel1", response.answers.get("rel1")),
                ("rel2", response.answers.get("rel2")),
            ):
                if value in (1, 2, 3, 4, 5):
                    expected[(6 - value if item == "rel2" else value) - 1] += 1
    assert figure.series[0].values == tuple(expected)


# -- the headline sentences name every figure tied at an extreme ----------------------


def _headline_sentence(result: EvaluationResult, figure_id: str, language: str = "en") -> str:
    registry = m.load_registry()
    view = m.build_view(result, m.load_workspace(EXAMPLE), registry, language)
    return next(f for s in view.sections for f in s.figures if f.id == figure_id).sentence


def _with_utilisation_means(means: dict[str, float]) -> EvaluationResult:
    result = m.evaluate(m.load_workspace(EXAMPLE))
    groups = tuple(
        attrs.evolve(g, summary=attrs.evolve(g.summary, mean=means[g.measure]))
        if g.instrument == "mio-utilisation"
        and g.measure in means
        and g.group_by == "all"
        and g.summary is not None
        else g
        for g in result.groups
    )
    return attrs.evolve(result, groups=groups)


def test_utilisation_sentence_with_every_subscale_equal_names_no_highest() -> None:
    result = _with_utilisation_means({"operations": 3.5, "project": 3.5, "beyond": 3.5})
    sentence = _headline_sentence(result, "headline-utilisation")
    assert "highest" not in sentence and "lowest" not in sentence
    assert "use was the same for " in sentence
    assert "(mean 3.50)" in sentence


def test_utilisation_sentence_names_both_subscales_tied_at_the_top() -> None:
    result = _with_utilisation_means({"operations": 3.75, "project": 3.75, "beyond": 3.0})
    sentence = _headline_sentence(result, "headline-utilisation")
    high = sentence.split("highest for ")[1].split(" (mean")[0]
    assert " and " in high and high.count(",") == 0  # two subscales named
    assert "(mean 3.75)" in sentence and "(3.00)" in sentence


def test_projects_sentence_names_every_stage_tied_for_most() -> None:
    result = m.evaluate(m.load_workspace(EXAMPLE))
    stages = (("identify", 4), ("generate", 7), ("develop", 7), ("implement", 6))
    participation = attrs.evolve(
        result.participation,
        projects_by_stage=tuple(m.evaluation.Count(category=c, count=n) for c, n in stages),
    )
    sentence = _headline_sentence(
        attrs.evolve(result, participation=participation), "headline-projects", "sv"
    )
    assert sentence.startswith("24 innovationsprojekt; flest är i faserna ")
    assert sentence.endswith(" (7 vardera).") and " och " in sentence


def test_change_sentence_names_every_subscale_with_the_largest_change() -> None:
    workspace = m.load_workspace(EXAMPLE)
    privacy = attrs.evolve(workspace.manifest.privacy, min_group_size=1)
    workspace = attrs.evolve(workspace, manifest=attrs.evolve(workspace.manifest, privacy=privacy))
    result = m.evaluate(workspace)
    changes = tuple(
        attrs.evolve(c, mean_difference={"conditions": 0.5, "methods": -0.5}.get(c.subscale, 0.25))
        if c.instrument == "mio-innovation-leadership"
        else c
        for c in result.changes
    )
    registry = m.load_registry()
    view = m.build_view(attrs.evolve(result, changes=changes), workspace, registry, "en")
    sentence = next(f for s in view.sections for f in s.figures if f.id == "headline-change")
    text = sentence.sentence
    assert text.startswith("The largest changes, 0.50 and -0.50 points, were in ")
    assert text.count("effect size d_z") == 2


def _split_between_counties(delivered_by: str) -> Workspace:
    """The example with its first cohort's participants half in Linköping (made county 01
    here) and half in Norrköping (05), the second cohort's all in Motala (made 03)."""
    workspace = m.load_workspace(EXAMPLE)
    first, second = sorted(workspace.cohorts, key=lambda c: c.id)
    people = sorted(first.participants)[: len(first.participants) // 2 * 2]
    place = {p: ("linkoping", "norrkoping")[i % 2] for i, p in enumerate(people)}
    place.update({p: "motala" for p in second.participants})
    codes = {"linkoping": "01", "norrkoping": "05", "motala": "03"}
    return attrs.evolve(
        workspace,
        organisations=tuple(
            attrs.evolve(o, county_code=codes.get(o.id, o.county_code))
            for o in workspace.organisations
        ),
        participants=tuple(
            attrs.evolve(p, organisation=place.get(p.id, p.organisation))
            for p in workspace.participants
        ),
        cohorts=tuple(
            attrs.evolve(c, participants=tuple(people), delivered_by=delivered_by)
            if c.id == first.id
            else c
            for c in workspace.cohorts
        ),
    )


@pytest.mark.parametrize(
    ("deliverer", "county"),
    [("liu", "Stockholms län"), ("regionforbundet-ostergotland", "Östergötlands län")],
    ids=["lowest-code", "deliverers"],
)
def test_a_cohort_split_evenly_between_counties_is_not_placed_by_its_list_order(
    deliverer: str, county: str
) -> None:
    from mio_core.evaluation.view import _counties

    workspace = _split_between_counties(deliverer)
    first = min(c.id for c in workspace.cohorts)
    reordered = attrs.evolve(
        workspace,
        cohorts=tuple(
            attrs.evolve(c, participants=c.participants[::-1]) for c in workspace.cohorts
        ),
    )
    assert _counties(workspace)[first] == _counties(reordered)[first] == county


@pytest.mark.parametrize(
    ("language", "phrase"), [("en", "took part in one cohort,"), ("sv", "deltog i en omgång,")]
)
def test_the_headline_says_one_cohort_in_the_singular(
    tmp_path: Path, language: str, phrase: str
) -> None:
    workspace = strict_example(tmp_path, 5)
    result = m.evaluate(workspace, REGISTRY)
    cohort = workspace.cohorts[0].id
    view = m.build_view(result, workspace, REGISTRY, language, cohort=cohort)
    [headline] = [section for section in view.sections if section.id == "headline"]
    assert phrase in headline.intro


@pytest.mark.parametrize(
    ("language", "dates"),
    [("sv", "1 februari 2017 till 31 oktober 2018."), ("en", "2017-02-01 to 2018-10-31.")],
)
def test_the_headline_writes_the_programme_dates_as_the_language_does(
    language: str, dates: str
) -> None:
    workspace = m.load_workspace(EXAMPLE)
    view = m.build_view(m.evaluate(workspace, REGISTRY), workspace, REGISTRY, language)
    [headline] = [section for section in view.sections if section.id == "headline"]
    assert headline.intro.endswith(dates)


def test_the_swedish_goal_attainment_table_counts_coaching_engagements() -> None:
    workspace = m.load_workspace(EXAMPLE)
    view = m.build_view(m.evaluate(workspace, REGISTRY), workspace, REGISTRY, "sv")
    gas = next(t for t in view.section("coaching").tables if t.caption == "Goal Attainment Scaling")
    # "Uppdrag" alone read as any assignment (or a mission-oriented project)
    assert gas.columns[0].label == "Coachningsuppdrag"


def test_the_swedish_utilisation_sentence_reads_as_swedish() -> None:
    workspace = m.load_workspace(EXAMPLE)
    view = m.build_view(m.evaluate(workspace, REGISTRY), workspace, REGISTRY, "sv")
    [figure] = [f for s in view.sections for f in s.figures if f.id == "headline-utilisation"]
    # "Vid uppföljning 6 månader" lacked its preposition
    assert figure.sentence.startswith("Vid uppföljning efter 6 månader användes mest ")


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("sv", "24 chefer från en kommun deltog i 2 omgångar"), ("en", "from one municipality")],
)
def test_the_headline_says_one_municipality_in_the_singular(language: str, phrase: str) -> None:
    workspace = m.load_workspace(EXAMPLE)
    one = attrs.evolve(
        workspace,
        participants=tuple(
            attrs.evolve(p, organisation="linkoping") for p in workspace.participants
        ),
    )
    view = m.build_view(m.evaluate(one, REGISTRY), one, REGISTRY, language)
    [headline] = [section for section in view.sections if section.id == "headline"]
    assert phrase in headline.intro  # "från 1 kommuner" / "from 1 municipalities" before
