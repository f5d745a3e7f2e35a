"""Synthetic programmes: valid, realistic, and the same for the same seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.generate.synthetic import municipalities
from mio_core.model import Workspace
from mio_core.testing import make_registry

REGISTRY = make_registry(builtins=True)


def test_all_290_municipalities_and_21_counties_are_shipped() -> None:
    codes = [mu.code for mu in municipalities()]
    assert len(codes) == 290 == len(set(codes))
    assert {mu.county_code for mu in municipalities()} == {
        "01",
        "03",
        "04",
        "05",
        "06",
        "07",
        "08",
        "09",
        "10",
        "12",
        "13",
        "14",
        "17",
        "18",
        "19",
        "20",
        "21",
        "22",
        "23",
        "24",
        "25",
    }
    assert ("0580", "Linköpings kommun") in {(mu.code, mu.name) for mu in municipalities()}


@settings(max_examples=8, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 30),
    st.integers(0, 10_000),
    st.sampled_from([None, "05", "14"]),
)
def test_every_generated_workspace_is_valid(
    count: int, managers: int, seed: int, county: str | None
) -> None:
    workspace = m.generate_workspace(
        municipalities_count=count, managers_per_municipality=managers, seed=seed, county=county
    )
    assert m.check_workspace(workspace, REGISTRY) == []
    assert len(workspace.participants) == count * managers
    assert sum(1 for o in workspace.organisations if o.kind == "municipality") == count


def test_the_same_seed_gives_the_same_programme_and_another_seed_another() -> None:
    first = m.generate_workspace(municipalities_count=3, managers_per_municipality=10, seed=7)
    assert first == m.generate_workspace(
        municipalities_count=3, managers_per_municipality=10, seed=7
    )
    assert first != m.generate_workspace(
        municipalities_count=3, managers_per_municipality=10, seed=8
    )


def test_a_county_programme_is_realistic() -> None:
    workspace = m.generate_workspace(
        municipalities_count=13, managers_per_municipality=50, county="05", seed=1
    )
    assert {o.municipality_code for o in workspace.organisations if o.kind == "municipality"} == {
        mu.code for mu in municipalities() if mu.county_code == "05"
    }
    assert all(
        o.id == "regionforbundet-ostergotland"
        for o in workspace.organisations
        if o.kind == "intermediary"
    )
    assert all(20 <= len(c.participants) <= 30 for c in workspace.cohorts)
    levels = {p.level for p in workspace.participants}
    assert levels == {"first-line", "middle", "senior"}
    attendance = [
        len(s.attended) / len(c.participants) for c in workspace.cohorts for s in c.sessions
    ]
    assert 0.8 < sum(attendance) / len(attendance) < 0.95  # absences, but most come
    doses = {len(e.sessions) for e in workspace.engagements}
    assert 0 in doses and max(doses) >= 5  # coaching dose varies
    assert len({p.stage for p in workspace.projects}) == 6  # projects at every stage
    result = m.evaluate(workspace, REGISTRY)
    change = [c for c in result.changes if c.instrument == "mio-innovation-leadership"]
    assert all(0 < c.d_z < 1.5 for c in change)  # a modest improvement
    alphas = [r.alpha for r in result.reliability if r.items >= 3 and r.alpha is not None]
    assert min(alphas) > 0.5  # items correlate
    rates = [r.rate for r in result.response_rates if r.rate is not None]
    assert (min(rates) > 0.6 and max(rates) < 1.0) or max(rates) == 1.0  # non-response happens
    assert any(r.rate < 1 for r in result.response_rates if r.rate is not None)
    missing = sum(1 for r in workspace.responses for v in r.answers.values() if v is None or v == 9)
    assert missing > 0


def test_mio_generate_writes_a_valid_workspace_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "county"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "generate",
            str(target),
            "--municipalities",
            "3",
            "--managers-per-municipality",
            "8",
            "--county",
            "05",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "3 municipalities, 24 managers" in result.output
    assert m.validate_workspace(target, REGISTRY) == []
    again = runner.invoke(main, ["generate", str(target)])
    assert again.exit_code == 1 and "not empty" in again.output


def test_too_many_municipalities_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["generate", str(tmp_path / "x"), "--municipalities", "14", "--county", "05"]
    )
    assert result.exit_code == 1 and "only 13 municipalities" in result.output
    with pytest.raises(ValueError):
        m.generate_workspace(municipalities_count=291)


@pytest.mark.parametrize(
    "option",
    [{"municipalities_count": -1}, {"managers_per_municipality": -2}, {"cohort_size": 0}],
    ids=["municipalities", "managers", "cohort-size"],
)
def test_a_count_below_its_least_is_refused_naming_it(option: dict[str, int]) -> None:
    # municipalities_count=-1 made 289 municipalities, cohort_size=0 divided by zero
    ((name, value),) = option.items()
    with pytest.raises(ValueError, match=f"{name} must be . or more, not {value}"):
        m.generate_workspace(**option)


def test_mio_generate_refuses_a_negative_count(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "x"), "--municipalities", "-1"])
    assert result.exit_code == 1 and "must be 0 or more, not -1" in result.output
    assert not (tmp_path / "x").exists()


def test_known_effects_write_the_truth_next_to_the_workspace_and_validate_ignores_it(
    tmp_path: Path,
) -> None:
    from mio_core.generate.synthetic import EffectSpec, read_truth

    folder = tmp_path / "ws"
    m.write_synthetic_workspace(
        folder, municipalities_count=2, managers_per_municipality=6, seed=3, effects=EffectSpec()
    )
    truth = read_truth(folder)
    assert truth["seed"] == 3
    assert truth["subscales"]["methods"]["gain_post"] == 0.5
    assert truth["dose_slope_per_hour"] == 0.05
    assert m.validate_workspace(folder, REGISTRY) == []


def test_without_effects_no_truth_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    m.write_synthetic_workspace(folder, municipalities_count=1, managers_per_municipality=3)
    assert not (folder / "truth.yaml").exists()


def test_the_same_seed_gives_the_same_programme_with_effects() -> None:
    from mio_core.generate.synthetic import EffectSpec

    def make() -> Workspace:
        return m.generate_workspace(
            municipalities_count=2, managers_per_municipality=5, seed=11, effects=EffectSpec()
        )

    assert make() == make()


def test_declared_gain_shows_in_the_mean_change_of_a_large_programme() -> None:
    # 1 000 managers: the mean pre→post change of the methods subscale is within 0.05 of
    # the declared 0.5 (its standard error is about 0.02)
    from mio_core.evaluation.scoring import score_responses
    from mio_core.generate.synthetic import EffectSpec

    workspace = m.generate_workspace(
        municipalities_count=20,
        managers_per_municipality=50,
        seed=5,
        effects=EffectSpec(dose_slope=0.0),
    )
    scores: dict[str, dict[str, float]] = {}
    for score in score_responses(workspace.responses, REGISTRY.instruments):
        wanted = (score.instrument, score.subscale) == ("mio-innovation-leadership", "methods")
        if wanted and score.value is not None:
            scores.setdefault(score.occasion, {})[score.respondent] = score.value
    both = set(scores["pre"]) & set(scores["post"])
    change = sum(scores["post"][p] - scores["pre"][p] for p in both) / len(both)
    assert abs(change - 0.5) < 0.05


def test_an_effects_file_with_unknown_fields_is_refused_naming_the_file(tmp_path: Path) -> None:
    spec = tmp_path / "effects.yaml"
    spec.write_text("gain: {methods: 0.3, nonsense: 1}\ndose_slope: high\ncolour: 1\n", "utf-8")
    result = CliRunner().invoke(main, ["generate", str(tmp_path / "ws"), "--effects", str(spec)])
    assert result.exit_code == 1
    for part in ("effects.yaml", "nonsense", "dose_slope", "colour"):
        assert part in result.output
    assert not (tmp_path / "ws").exists()


def test_mio_generate_with_an_effects_file_records_those_effects(tmp_path: Path) -> None:
    from mio_core.generate.synthetic import read_truth

    spec = tmp_path / "effects.yaml"
    spec.write_text("gain: {methods: 0.3}\ndose_slope: 0\nmunicipality_icc: 0.2\n", "utf-8")
    folder = tmp_path / "ws"
    result = CliRunner().invoke(
        main, ["generate", str(folder), "--municipalities", "2", "--effects", str(spec)]
    )
    assert result.exit_code == 0, result.output
    truth = read_truth(folder)
    assert truth["effects"]["gain"]["methods"] == 0.3
    assert truth["effects"]["municipality_icc"] == 0.2
    assert truth["effects"]["dose_slope"] == 0


def test_a_county_with_many_cohorts_is_generated_wholly_in_the_past() -> None:
    # 120 cohorts in one county do not fit four a term before the last term (spring 2025):
    # more run side by side, so no session is held and no answer given in the future —
    # whatever day the test runs (a held session in the future is a validation warning).
    workspace = m.generate_workspace(
        municipalities_count=3, managers_per_municipality=40, cohort_size=1, county="05"
    )
    assert len(workspace.cohorts) == 120
    sessions = [s.date for c in workspace.cohorts for s in c.sessions]
    answers = [r.date for r in workspace.responses if r.date is not None]
    assert max(sessions) < dt.date(2025, 12, 31) and max(answers) < dt.date(2026, 7, 1)
    problems = m.check_workspace(workspace, make_registry())
    assert not [p for p in problems if p.code == "held-in-future"]
