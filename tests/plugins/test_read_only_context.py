"""What mio_core gives a plugin (the evaluation result, the registry) cannot be changed in
place: a careless plugin that adds to them instead of returning its values is left out by
name, and nothing it did reaches the output or the other plugins."""

from __future__ import annotations

import types
from pathlib import Path

import mio_core as m
from mio_core.evaluation import Analysis, EvaluationResult
from mio_core.model import Workspace
from mio_core.testing import make_registry


def test_an_analysis_hook_adding_to_the_result_it_is_given_is_left_out(workspace: Path) -> None:
    def mio_evaluation_analyses(result: EvaluationResult) -> list[Analysis]:
        result.analyses["mine"] = Analysis(name="mine", title="Mine")  # type: ignore[index]
        return []

    plugin = types.ModuleType("careless")
    plugin.mio_evaluation_analyses = m.hookimpl(mio_evaluation_analyses)  # type: ignore[attr-defined]
    result = m.evaluate(
        m.load_workspace(workspace), make_registry(plugin, builtins=True, strict=False)
    )
    assert dict(result.analyses) == {}
    [(name, reason)] = result.plugin_failures
    assert name == "careless"
    assert reason.startswith("mio_evaluation_analyses raised TypeError: ")


def test_a_rule_cannot_take_an_exporter_out_of_the_registry_it_is_given(workspace: Path) -> None:
    def check(workspace: Workspace, context: m.RuleContext) -> list[m.Problem]:
        context.registry.contributions["exporters"].pop("csv")  # type: ignore[attr-defined]
        return []

    plugin = types.ModuleType("careless")
    plugin.mio_register_rules = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [m.Rule(name="careless", title="Careless", check=check)]
    )
    plugin.mio_register_rules.__name__ = "mio_register_rules"
    registry = make_registry(plugin, builtins=True)
    [problem] = m.validate_workspace(workspace, registry)
    assert problem.code == "rule-failed"
    assert "the rule 'careless' failed: AttributeError" in problem.message
    assert "csv" in registry.exporters
