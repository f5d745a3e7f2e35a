"""The analyses recover known effects: 95 % CIs cover the truth at about the nominal rate.

Each run generates a programme with :class:`mio_core.generate.synthetic.EffectSpec` effects
(seeds and sizes vary) and fits the models. The dev profile runs 8 seeds, CI (``max_examples`` 100)
runs 20. Tolerances come from the binomial distribution of the number of covering runs
when the true coverage is 95 %:

- 20 runs: P(fewer than 16 cover) = P(X <= 15 | n=20, p=.95) = 0.0026 (the test asks >= 80 %).
- 8 runs: P(fewer than 6 cover) = P(X <= 5 | n=8, p=.95) = 0.0058.

For a true zero dose effect, rejections at alpha .05 are X ~ Binomial(n, .05):
P(X >= 5 | 20) = 0.0026 and P(X >= 3 | 8) = 0.0058, so at most 4 of 20 (2 of 8) may reject.
A biased or too-narrow CI (true coverage 70 %) passes 20 runs with probability 0.24 only;
the seeds are fixed, so the outcome is deterministic.
"""

from __future__ import annotations

import functools

import attrs
from hypothesis import settings
from mio_analyse import models
from mio_analyse.data import managers, subscale_scores

import mio_core as m
from mio_core.generate.synthetic import EffectSpec
from mio_core.testing import make_registry

REGISTRY = make_registry(builtins=True)
RUNS = 20 if settings.default.max_examples >= 100 else 8
MIN_COVERED = 16 if RUNS == 20 else 6
MAX_REJECTED = 4 if RUNS == 20 else 2
SIZES = ((6, 20), (8, 15), (5, 30), (10, 12))
SUBSCALE = "methods"


def _scores(seed: int, effects: EffectSpec) -> tuple[models.Scores, dict[str, object]]:
    count, per = SIZES[seed % len(SIZES)]
    workspace = m.generate_workspace(
        municipalities_count=count, managers_per_municipality=per, seed=seed, effects=effects
    )
    scores = next(
        s
        for s in subscale_scores(workspace, REGISTRY)
        if s.instrument == "mio-innovation-leadership" and s.subscale == SUBSCALE
    )
    return scores, managers(workspace)  # type: ignore[return-value]


@functools.cache
def _runs(dose_slope: float) -> tuple[tuple[models.Analysis, models.Analysis], ...]:
    effects = EffectSpec(dose_slope=dose_slope)
    found = []
    for seed in range(RUNS):
        scores, people = _scores(1000 + seed, effects)
        found.append(
            (models.gain(scores, people, 5), models.dose(scores, people, 5))  # type: ignore[arg-type]
        )
    return tuple(found)


def _covers(estimate: models.Estimate, truth: float) -> bool:
    return estimate.ci_low <= truth <= estimate.ci_high


def test_the_true_gain_is_inside_the_95_ci_at_about_the_nominal_rate() -> None:
    truth = EffectSpec().gain[SUBSCALE]
    covered = sum(_covers(gain.estimate("post"), truth) for gain, _ in _runs(0.05))
    assert covered >= MIN_COVERED, f"{covered} of {RUNS} CIs cover the true gain {truth}"


def test_the_true_dose_slope_is_inside_the_95_ci_at_about_the_nominal_rate() -> None:
    covered = sum(_covers(dose.estimate("coaching_hours"), 0.05) for _, dose in _runs(0.05))
    assert covered >= MIN_COVERED, f"{covered} of {RUNS} CIs cover the true dose slope 0.05"


def test_a_zero_dose_effect_is_rejected_at_about_the_nominal_rate() -> None:
    rejected = sum(dose.estimate("coaching_hours").p < 0.05 for _, dose in _runs(0.0))
    assert rejected <= MAX_REJECTED, f"{rejected} of {RUNS} runs reject a true zero dose effect"


def test_a_real_dose_effect_is_found_in_most_runs() -> None:
    strong = attrs.evolve(EffectSpec(), dose_slope=0.15)
    found = 0
    for seed in range(4):
        scores, people = _scores(2000 + seed, strong)
        found += models.dose(scores, people, 5).estimate("coaching_hours").p < 0.05  # type: ignore[arg-type]
    assert found >= 3
