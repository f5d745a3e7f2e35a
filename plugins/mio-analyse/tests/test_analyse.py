"""mio-analyse: reference results, hand-computable cases, privacy, the exporter and the command."""

from __future__ import annotations

import csv
import decimal
import json
import math
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from unittest import mock

import attrs
import mio_analyse
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mio_analyse import models
from mio_analyse.cli import main as analyse_main
from mio_analyse.data import Manager, Scores
from mio_analyse.report import (
    AnalysisReport,
    analyse_folder,
    analyse_source,
    analyse_workspace,
    to_json,
    to_text,
)

import mio_core as m
from mio_core.evaluation import all_instruments
from mio_core.evaluation.stats import paired_change
from mio_core.generate.synthetic import EffectSpec
from mio_core.testing import make_registry

REGISTRY = make_registry(mio_analyse, builtins=True)


def _people(groups: dict[str, list[str]]) -> dict[str, Manager]:
    return {
        person: Manager(id=person, municipality=group, cohort=None, coaching_hours=0.0)
        for group, members in groups.items()
        for person in members
    }


def test_the_mixed_model_equals_statsmodels_documented_dietox_results() -> None:
    # statsmodels' MixedLM example (and R lme4's lmer(Weight ~ Time + (1 | Pig))) on the
    # dietox pig-weight data, which statsmodels ships with its tests.
    import pandas as pd
    import statsmodels

    path = Path(statsmodels.__file__).parent / "regression/tests/results/dietox.csv"
    data = pd.read_csv(path)
    fit, _ = models._fit_mixed("Weight ~ Time", data, "Pig")
    assert fit.params["Intercept"] == pytest.approx(15.724, abs=5e-4)
    assert fit.params["Time"] == pytest.approx(6.943, abs=5e-4)
    assert fit.bse["Intercept"] == pytest.approx(0.788, abs=5e-4)
    assert fit.bse["Time"] == pytest.approx(0.033, abs=5e-4)
    assert fit.cov_re.iloc[0, 0] == pytest.approx(40.394, abs=5e-3)
    assert fit.scale == pytest.approx(11.367, abs=5e-3)


def test_the_icc_equals_the_anova_estimate_on_balanced_groups() -> None:
    # For balanced groups REML equals the one-way ANOVA estimator when it is positive:
    # ICC = (MSB - MSW) / (MSB + (k - 1) MSW).
    values = {
        "a": [2.0, 3.0, 4.0, 3.0],
        "b": [4.0, 5.0, 4.5, 5.5],
        "c": [1.0, 2.0, 1.5, 2.5],
        "d": [3.0, 3.5, 4.0, 2.5],
    }
    k = 4
    means = {g: sum(v) / k for g, v in values.items()}
    grand = sum(means.values()) / len(means)
    msb = k * sum((mu - grand) ** 2 for mu in means.values()) / (len(values) - 1)
    msw = sum((x - means[g]) ** 2 for g, v in values.items() for x in v) / (len(values) * (k - 1))
    expected = (msb - msw) / (msb + (k - 1) * msw)
    people = _people({g: [f"{g}{i}" for i in range(k)] for g in values})
    pre = {f"{g}{i}": x for g, v in values.items() for i, x in enumerate(v)}
    scores = Scores(
        instrument="x", subscale="s", by_occasion={"pre": pre, "post": pre}, follow_up=None
    )
    result = models.icc(scores, people, 5)
    assert result.statistics["icc"] == pytest.approx(expected, abs=1e-4)
    assert result.statistics["residual_variance"] == pytest.approx(msw, rel=1e-4)


def test_the_attrition_difference_is_welchs_by_hand() -> None:
    left = [1.0, 2.0, 3.0, 2.0, 2.0]
    stayed = [3.0, 4.0, 5.0, 4.0, 3.0, 5.0]
    # by hand: means 2.0 and 4.0; variances 0.5 and 0.8
    se = math.sqrt(0.5 / 5 + 0.8 / 6)
    df = (0.5 / 5 + 0.8 / 6) ** 2 / ((0.5 / 5) ** 2 / 4 + (0.8 / 6) ** 2 / 5)
    estimate = models.welch(left, stayed)
    assert estimate.estimate == pytest.approx(-2.0)
    assert estimate.se == pytest.approx(se)
    from scipy import stats

    assert estimate.ci_high - estimate.estimate == pytest.approx(stats.t.ppf(0.975, df) * se)
    assert estimate.p == pytest.approx(stats.ttest_ind(left, stayed, equal_var=False).pvalue)


def test_attrition_compares_those_without_a_post_answer_with_the_rest() -> None:
    people = _people({"a": [f"p{i}" for i in range(12)]})
    pre = {f"p{i}": float(i % 5) for i in range(12)}
    post = {f"p{i}": 3.0 for i in range(5, 12)}
    scores = Scores(
        instrument="x", subscale="s", by_occasion={"pre": pre, "post": post}, follow_up=None
    )
    result = models.attrition(scores, people, 5)
    left = [pre[f"p{i}"] for i in range(5)]
    stayed = [pre[f"p{i}"] for i in range(5, 12)]
    assert result.estimate("left - stayed").estimate == pytest.approx(
        sum(left) / 5 - sum(stayed) / 7
    )
    assert result.statistics["left"] == 5


def test_attrition_is_withheld_when_fewer_than_the_minimum_left() -> None:
    people = _people({"a": [f"p{i}" for i in range(12)]})
    pre = {f"p{i}": float(i % 5) for i in range(12)}
    post = {f"p{i}": 3.0 for i in range(3, 12)}
    scores = Scores(
        instrument="x", subscale="s", by_occasion={"pre": pre, "post": post}, follow_up=None
    )
    result = models.attrition(scores, people, 5)
    assert result.estimates == ()
    assert result.withheld is not None


@given(st.lists(st.floats(0, 1), min_size=1, max_size=8))
def test_holm_equals_statsmodels_multipletests(p_values: list[float]) -> None:
    from statsmodels.stats.multitest import multipletests

    # multipletests runs a full gc.collect() on every call (half a second in a long test
    # run); the collection cannot change its result
    with mock.patch("gc.collect", return_value=0):
        expected = multipletests(p_values, method="holm")[1]
    assert models.holm(p_values) == pytest.approx(list(expected), abs=1e-12)


@given(st.lists(st.floats(0, 1) | st.just(math.nan), min_size=1, max_size=8))
def test_holm_with_a_p_that_is_not_a_number_equals_statsmodels(p_values: list[float]) -> None:
    # a NaN p (a model without standard errors) made every other adjusted p 1 when it
    # sorted first; statsmodels ranks it last and leaves it NaN
    from statsmodels.stats.multitest import multipletests

    with mock.patch("gc.collect", return_value=0):
        expected = multipletests(p_values, method="holm")[1]
    assert models.holm(p_values) == pytest.approx(list(expected), abs=1e-12, nan_ok=True)


def test_holm_of_a_nan_and_two_small_p_values() -> None:
    adjusted = models.holm([math.nan, 0.001, 0.002])
    assert math.isnan(adjusted[0])
    assert adjusted[1:] == [0.003, 0.004]


def _synthetic(tmp_path: Path, count: int = 4, per: int = 15) -> Path:
    folder = tmp_path / "ws"
    m.write_synthetic_workspace(
        folder,
        municipalities_count=count,
        managers_per_municipality=per,
        seed=7,
        effects=EffectSpec(),
    )
    return folder


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AnalysisReport]:
    folder = _synthetic(tmp_path_factory.mktemp("analysed"))
    return folder, analyse_folder(str(folder), REGISTRY)


def test_every_analysis_states_its_assumptions_in_text_and_json(
    analysed: tuple[Path, AnalysisReport],
) -> None:
    report = analysed[1]
    text, data = to_text(report), json.loads(to_json(report))
    for kind in ("gain", "icc", "dose", "attrition", "persistence", "holm"):
        assert models.ASSUMPTIONS[kind] in text
        assert data["assumptions"][kind] == models.ASSUMPTIONS[kind]
    assert {a["kind"] for a in data["analyses"]} == {
        "gain",
        "icc",
        "dose",
        "attrition",
        "persistence",
    }


def test_holm_adjusts_across_the_subscales_of_an_instrument(
    analysed: tuple[Path, AnalysisReport],
) -> None:
    report = analysed[1]
    gains = [
        a
        for a in report.analyses
        if a.kind == "gain" and a.instrument == "mio-innovation-leadership"
    ]
    assert len(gains) == 4
    raw = [a.estimate("post").p for a in gains]
    assert [a.estimate("post").p_holm for a in gains] == models.holm(raw)


def test_no_municipality_or_manager_is_named_in_the_output(
    analysed: tuple[Path, AnalysisReport],
) -> None:
    workspace = m.load_workspace(analysed[0])
    output = to_json(analysed[1]) + to_text(analysed[1])
    for organisation in workspace.organisations:
        assert organisation.id not in output
    for participant in workspace.participants:
        assert participant.id not in output


def test_managers_without_research_consent_are_not_analysed(tmp_path: Path) -> None:
    folder = _synthetic(tmp_path)
    workspace = m.load_workspace(folder)
    refusing = {p.id for p in workspace.participants[:7]}
    changed = attrs.evolve(
        workspace,
        participants=tuple(
            attrs.evolve(p, research_consent=p.id not in refusing) for p in workspace.participants
        ),
    )
    m.save_workspace(changed, folder)
    report = analyse_folder(str(folder), REGISTRY)
    answered_pre = {
        r.respondent
        for r in workspace.responses
        if r.instrument == "mio-innovation-leadership" and r.occasion == "pre"
    }
    icc = report.find("icc", "mio-innovation-leadership", "methods")
    assert icc.n_managers == len(answered_pre - refusing)


def test_a_model_with_fewer_managers_than_the_minimum_group_size_is_withheld(
    tmp_path: Path,
) -> None:
    workspace = m.generate_workspace(
        municipalities_count=1, managers_per_municipality=4, seed=1, effects=EffectSpec()
    )
    report = analyse_workspace(workspace, REGISTRY)
    assert report.analyses
    assert all(a.withheld and not a.estimates for a in report.analyses)


def test_an_identified_source_is_refused(tmp_path: Path) -> None:
    workspace = m.load_workspace(_synthetic(tmp_path))
    source = m.prepare_source(workspace, REGISTRY, identified=True)
    with pytest.raises(m.MioError, match="pseudonymised"):
        analyse_source(source)


def test_mio_export_writes_the_analysis_format_as_json(tmp_path: Path) -> None:
    from mio_core.cli import main

    folder = _synthetic(tmp_path)
    out = tmp_path / "analysis.json"
    result = CliRunner().invoke(
        main,
        [
            "--plugin",
            "mio_analyse",
            "export",
            str(folder),
            "--format",
            "analysis",
            "--out",
            str(out),
            "--option",
            "format=json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert {a["kind"] for a in json.loads(out.read_text("utf-8"))["analyses"]} >= {"gain", "dose"}


def test_the_analysis_format_rejects_an_unknown_output_format() -> None:
    from mio_core.export import make_options

    with pytest.raises(m.MioError, match="text or json"):
        make_options(REGISTRY.exporter("analysis"), {"format": "xml"})


def test_mio_analyse_prints_the_tables(tmp_path: Path) -> None:
    result = CliRunner().invoke(analyse_main, [str(_synthetic(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Dose-response: change per coaching hour" in result.output


def test_mio_analyse_is_a_mio_subcommand_listed_in_mio_help() -> None:
    from mio_core.cli import main

    result = CliRunner().invoke(main, ["--plugin", "mio_analyse", "--help"])
    assert result.exit_code == 0, result.output
    listed = re.search(
        r"^  analyse +Run the analyses of the workspace in DIRECTORY", result.stdout, re.M
    )
    assert listed, result.stdout


def test_mio_analyse_subcommand_prints_what_the_console_script_prints(tmp_path: Path) -> None:
    from mio_core.cli import main

    folder = str(_synthetic(tmp_path))
    direct = CliRunner().invoke(analyse_main, [folder, "--format", "json"])
    through_mio = CliRunner().invoke(
        main, ["--plugin", "mio_analyse", "analyse", folder, "--format", "json"]
    )
    assert through_mio.exit_code == 0, through_mio.output
    assert through_mio.stdout == direct.stdout


def test_mio_analyse_on_a_broken_workspace_exits_1_without_a_traceback(tmp_path: Path) -> None:
    folder = _synthetic(tmp_path)
    (folder / "people.yaml").write_text("participants: [", "utf-8")
    result = CliRunner().invoke(analyse_main, [str(folder)])
    assert result.exit_code == 1
    assert "people.yaml" in result.output
    assert "Traceback" not in result.output


def test_importing_the_plugin_loads_no_statistics_package() -> None:
    code = "import mio_analyse, sys; print(' '.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not {name.split(".")[0] for name in loaded} & {"statsmodels", "pandas", "scipy"}


def test_importing_mio_core_loads_nothing_of_the_plugin() -> None:
    code = "import mio_core, sys; print(' '.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not {name.split(".")[0] for name in loaded} & {"mio_analyse", "statsmodels"}


def _exact_scores(folder: Path, occasion: str, subscale: str) -> dict[str, Fraction]:
    """Each manager's exact score on a subscale of mio-innovation-leadership, read from the
    responses file with the csv module: the mean of the answered items on the scale (reverse
    items as min + max − answer), when at least the subscale's share of items is answered."""
    workspace = m.load_workspace(folder)
    instrument = all_instruments(workspace, REGISTRY)["mio-innovation-leadership"]
    found = next(s for s in instrument.subscales if s.id == subscale)
    scores = {}
    path = folder / "responses" / f"mio-innovation-leadership.{occasion}.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            values = []
            for item in found.items:
                scale = instrument.scale_of(instrument.item(item))
                if row[item] and scale.min <= int(row[item]) <= scale.max:
                    answer = int(row[item])
                    reverse = item in found.reverse
                    values.append(scale.min + scale.max - answer if reverse else answer)
            if values and Fraction(len(values), len(found.items)) >= Fraction(found.min_answered):
                scores[row["respondent"]] = Fraction(sum(values), len(values))
    return scores


def _decimal_root(value: Fraction) -> float:
    with decimal.localcontext() as context:
        context.prec = 80
        return float((decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator)).sqrt())


def test_the_change_of_completers_and_d_z_are_the_exact_values_rounded_once(
    analysed: tuple[Path, AnalysisReport],
) -> None:
    folder, report = analysed
    for subscale in ("conditions", "methods", "room", "context"):
        pre, post = (_exact_scores(folder, o, subscale) for o in ("pre", "post"))
        differences = [post[i] - pre[i] for i in sorted(set(pre) & set(post))]
        n = len(differences)
        mean = sum(differences, Fraction(0)) / n
        variance = sum(((d - mean) ** 2 for d in differences), Fraction(0)) / (n - 1)
        statistics = report.find("gain", "mio-innovation-leadership", subscale).statistics
        assert statistics["completers"] == n
        assert statistics["mean_change_completers"] == float(mean)
        assert statistics["d_z"] == math.copysign(_decimal_root(mean * mean / variance), mean)


def test_the_d_z_of_the_analysis_is_the_d_z_of_mio_evaluate(
    analysed: tuple[Path, AnalysisReport],
) -> None:
    # the same completers' exact scores: the very same float, not one a few ulps apart
    folder, report = analysed
    workspace = m.load_workspace(folder)
    for subscale in ("conditions", "methods", "room", "context"):
        pre, post = (_exact_scores(folder, o, subscale) for o in ("pre", "post"))
        both = sorted(set(pre) & set(post))
        figures = paired_change([pre[i] for i in both], [post[i] for i in both])
        statistics = report.find("gain", "mio-innovation-leadership", subscale).statistics
        assert (statistics["d_z"], statistics["d_av"]) == (figures["d_z"], figures["d_av"])
    assert workspace.participants  # the folder is the analysed workspace


def _pre_only(values: dict[str, float], post: dict[str, float] | None = None) -> Scores:
    return Scores(
        instrument="x",
        subscale="s",
        by_occasion={"pre": values, "post": values if post is None else post},
        follow_up=None,
    )


def test_attrition_is_withheld_where_neither_group_varies_at_baseline() -> None:
    # Welch's se and df are 0 / 0: SciPy gives t = -inf and p = 0 for these
    from scipy import stats

    people = _people({"a": [f"p{i}" for i in range(12)]})
    pre = {f"p{i}": 2.0 if i < 5 else 4.0 for i in range(12)}
    scores = _pre_only(pre, {f"p{i}": 3.0 for i in range(5, 12)})
    assert not math.isfinite(stats.ttest_ind([2.0] * 5, [4.0] * 7, equal_var=False).statistic)
    result = models.attrition(scores, people, 5)
    assert result.estimates == ()
    assert result.withheld is not None and "do not vary" in result.withheld


def test_the_icc_of_identical_baseline_scores_is_withheld() -> None:
    # between and within variance are both zero: the one-way ANOVA estimate is 0 / 0
    people = _people({g: [f"{g}{i}" for i in range(4)] for g in "abc"})
    result = models.icc(_pre_only(dict.fromkeys(people, 3.0)), people, 5)
    assert "icc" not in result.statistics
    assert result.withheld == "every baseline score is the same: no ICC"


def test_the_icc_without_variance_within_municipalities_is_withheld() -> None:
    people = _people({g: [f"{g}{i}" for i in range(4)] for g in "abc"})
    pre = {person: {"a": 2.0, "b": 3.0, "c": 5.0}[person[0]] for person in people}
    result = models.icc(_pre_only(pre), people, 5)
    assert "icc" not in result.statistics
    assert result.withheld is not None and "within any municipality" in result.withheld


def test_the_text_rounds_half_up_and_shows_no_negative_zero() -> None:
    # as mio evaluate shows figures: 0.0625 is 0.063 (Python's format gives 0.062, the
    # float being exactly 0.0625 and rounded to even) and -0.0001 is 0.000, not -0.000
    estimate = models.Estimate(
        term="post", estimate=-0.0001, se=0.5, ci_low=0.0625, ci_high=2.0, p=0.0625
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
    )
    line = next(
        line
        for line in to_text(
            AnalysisReport(title="t", min_group_size=5, analyses=(analysis,))
        ).splitlines()
        if line.startswith("x / s")
    )
    assert line.split()[4:8] == ["0.000", "[0.063,", "2.000]", "0.063"]
