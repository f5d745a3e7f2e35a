"""The headline charts a concept's evaluation plan cannot fill are left out; those it can
fill but nobody has answered yet say so."""

from __future__ import annotations

import attrs

import mio_core as m
from mio_core.model import EvaluationPlan, Workspace

from ..helpers import EXAMPLE


def without(workspace: Workspace, instrument: str) -> Workspace:
    """The workspace with ``instrument`` neither in the plan nor answered."""
    plan = tuple(p for p in workspace.concept.evaluation.instruments if p.instrument != instrument)
    concept = attrs.evolve(workspace.concept, evaluation=EvaluationPlan(instruments=plan))
    responses = tuple(r for r in workspace.responses if r.instrument != instrument)
    return attrs.evolve(workspace, concept=concept, responses=responses)


def headline_figures(workspace: Workspace) -> dict[str, str]:
    registry = m.load_registry()
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    (headline,) = [s for s in view.sections if s.id == "headline"]
    return {f.id: f.sentence for f in headline.figures}


def test_a_plan_without_utilisation_at_a_follow_up_has_no_utilisation_chart() -> None:
    # before: "Utilisation at follow-up: nothing recorded yet" for a concept that plans none
    figures = headline_figures(without(m.load_workspace(EXAMPLE), "mio-utilisation"))
    assert "headline-utilisation" not in figures


def test_a_planned_utilisation_nobody_has_answered_says_nothing_recorded_yet() -> None:
    workspace = m.load_workspace(EXAMPLE)
    workspace = attrs.evolve(
        workspace,
        responses=tuple(r for r in workspace.responses if r.instrument != "mio-utilisation"),
    )
    assert headline_figures(workspace)["headline-utilisation"] == "nothing recorded yet"


def test_a_plan_without_a_learning_instrument_has_no_change_chart() -> None:
    figures = headline_figures(without(m.load_workspace(EXAMPLE), "mio-innovation-leadership"))
    assert "headline-change" not in figures


def test_a_plan_without_module_evaluations_has_no_relevance_chart() -> None:
    figures = headline_figures(without(m.load_workspace(EXAMPLE), "mio-module-evaluation"))
    assert "headline-relevance" not in figures
