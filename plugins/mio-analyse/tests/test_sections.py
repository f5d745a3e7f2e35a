"""The analyses as a section of the evaluation view: every renderer shows mio analyse's figures."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

import mio_analyse
import pytest
from click.testing import CliRunner
from mio_analyse import sections
from mio_analyse.data import Scores
from mio_analyse.report import analyse_workspace, to_json

import mio_core as m
from mio_core.cli import main
from mio_core.generate.synthetic import EffectSpec
from mio_core.privacy import without_research_refusals
from mio_core.render.formats import interval, number, p_value
from mio_core.testing import make_registry

REGISTRY = make_registry(mio_analyse, builtins=True)
PLUGIN = ("--plugin", "mio_analyse.sections")


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sections") / "ws"
    m.write_synthetic_workspace(
        target, municipalities_count=4, managers_per_municipality=12, seed=3, effects=EffectSpec()
    )
    return target


def _expected_rows(report: dict[str, Any]) -> list[list[str]]:
    """Every shown figure of a ``mio analyse --format json`` report, as the view writes it."""
    rows = []
    for analysis in report["analyses"]:
        if analysis["withheld"]:
            continue
        for e in analysis["estimates"]:
            holm = p_value(e["p_holm"]) if e["p_holm"] is not None else "–"
            rows.append(
                [
                    e["term"],
                    number(e["estimate"], 3),
                    interval(e["ci_low"], e["ci_high"], 3),
                    p_value(e["p"]),
                    holm,
                    str(analysis["n_managers"]),
                ]
            )
        for statistic in ("icc", "d_z", "d_av"):
            value = analysis["statistics"].get(statistic)
            if value is not None:
                rows.append(
                    [statistic, number(value, 3), "–", "–", "–", str(analysis["n_managers"])]
                )
    assert rows
    return rows


def _assert_rows_shown(expected: list[list[str]], shown: list[str]) -> None:
    for tokens in expected:
        pattern = r"\s*\|?\s*".join(re.escape(t) for t in tokens)
        assert any(re.search(rf"(^|[\s|]){pattern}($|[\s|])", row) for row in shown), tokens


def _section_text(text: str, start: str) -> str:
    assert start in text
    return text[text.index(start) :]


def test_mio_evaluate_shows_the_figures_of_the_analyses(folder: Path) -> None:
    text = _section_text(
        _run(*PLUGIN, "evaluate", str(folder), "--language", "en"), "Statistical analyses"
    )
    research = without_research_refusals(m.load_workspace(folder))
    report = json.loads(to_json(analyse_workspace(research, REGISTRY)))
    _assert_rows_shown(_expected_rows(report), text.splitlines())


def _analyse_json(folder: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(_run("analyse", str(folder), "--format", "json"))
    return result


def test_the_markdown_summary_shows_the_figures_of_mio_analyse_json(
    folder: Path, tmp_path: Path
) -> None:
    target = tmp_path / "summary.md"
    _run(
        *PLUGIN,
        "export",
        str(folder),
        "--format",
        "markdown",
        "--out",
        str(target),
        "--language",
        "en",
    )
    text = _section_text(target.read_text("utf-8"), "## Statistical analyses")
    rows = [html.unescape(re.sub(r"\\(.)", r"\1", line)) for line in text.splitlines()]
    _assert_rows_shown(_expected_rows(_analyse_json(folder)), rows)  # Markdown unescaped


def test_the_html_report_shows_the_figures_of_mio_analyse_json(
    folder: Path, tmp_path: Path
) -> None:
    pytest.importorskip("mio_report")
    target = tmp_path / "report.html"
    _run(
        *PLUGIN, "export", str(folder), "--format", "html", "--out", str(target), "--language", "en"
    )
    page = _section_text(target.read_text("utf-8"), 'id="mio-analyse"')
    rows = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr.*?</tr>", page, flags=re.DOTALL)
    ]
    _assert_rows_shown(_expected_rows(_analyse_json(folder)), rows)


def test_mio_evaluate_has_no_analyses_section_unless_the_plugin_is_asked_for(
    folder: Path,
) -> None:
    assert "Statistical analyses" not in _run("evaluate", str(folder), "--language", "en")


def test_each_table_states_its_assumptions_in_one_sentence(folder: Path) -> None:
    section = sections.analysis_section(m.load_workspace(folder), REGISTRY, language="en")
    assert len(section.tables) == 5
    for table in section.tables:
        assert table.note.startswith("Assumes: ")
        assert table.note.endswith(".")
        assert ". " not in table.note  # one sentence


def test_the_section_is_in_swedish_for_a_swedish_view(folder: Path) -> None:
    section = sections.analysis_section(m.load_workspace(folder), REGISTRY, language="sv")
    assert section.title == "Statistiska analyser"
    assert all(table.note.startswith("Antar: ") for table in section.tables)


def test_every_analysis_of_a_group_under_the_minimum_is_suppressed() -> None:
    workspace = m.generate_workspace(
        municipalities_count=1, managers_per_municipality=4, seed=1, effects=EffectSpec()
    )
    section = sections.analysis_section(workspace, REGISTRY, language="en")
    rows = [row for table in section.tables for row in table.rows]
    assert rows
    assert all(row.suppressed == "primary" for row in rows)
    assert all(
        cell.value is None for row in rows for cell in row.cells[1:]
    )  # nothing but the subscale's name


def _scores(pre: dict[str, float], post: dict[str, float]) -> Scores:
    return Scores(
        instrument="i", subscale="s", by_occasion={"pre": pre, "post": post}, follow_up=None
    )


def test_the_audit_suppresses_attrition_when_few_left_though_many_stayed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    managers = [f"p{i}" for i in range(12)]
    scores = _scores({p: 1.0 for p in managers}, {p: 2.0 for p in managers[:10]})
    monkeypatch.setattr(sections, "subscale_scores", lambda workspace, registry: [scores])
    workspace = m.generate_workspace(municipalities_count=1, managers_per_municipality=1, seed=1)
    hidden = sections.suppressed(workspace, REGISTRY, 5)
    assert hidden == {("attrition", "i", "s"): "primary"}  # 2 left; gain, dose... over 10+


def test_a_figure_that_is_not_a_number_is_shown_as_missing() -> None:
    # d_z of changes without spread is NaN, as is p of a model without standard errors:
    # the section shows "–", not "nan"
    from mio_analyse import models

    estimate = models.Estimate(
        term="post", estimate=1.0, se=math.nan, ci_low=math.nan, ci_high=math.nan, p=math.nan
    )
    analysis = models.Analysis(
        kind="gain",
        instrument="x",
        subscale="s",
        model="score ~ post",
        n_managers=10,
        n_observations=20,
        n_municipalities=2,
        estimates=(estimate,),
        statistics={"d_z": math.nan},
    )
    rows = sections._rows(analysis, None)
    values = [[cell.value for cell in row.cells] for row in rows]
    assert values[0][2:6] == [1.0, None, None, None]
    assert values[1][1:3] == ["d_z", None]
