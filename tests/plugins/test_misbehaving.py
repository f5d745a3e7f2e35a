"""Plugins cannot corrupt data: a rule that tries to change the workspace changes nothing."""

from __future__ import annotations

import types
from pathlib import Path

import attrs
import pytest

import mio_core as m
from mio_core.model import Workspace
from mio_core.testing import make_registry

from ..helpers import snapshot


def test_a_rule_cannot_change_the_workspace(workspace: Path) -> None:
    def vandal(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        yield from ()
        workspace.responses[0].answers["rel1"] = 1  # type: ignore[index]

    def vandal_too(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        yield from ()
        workspace.participants[0].name = "Someone else"  # type: ignore[misc]

    plugin = types.ModuleType("vandal")
    plugin.mio_register_rules = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [
            m.Rule(name="vandal", title="x", check=vandal),
            m.Rule(name="vandal-too", title="y", check=vandal_too),
        ]
    )
    plugin.mio_register_rules.__name__ = "mio_register_rules"
    registry = make_registry(plugin, builtins=True)
    before = snapshot(workspace)
    loaded = m.load_workspace(workspace)
    first = m.evaluate(loaded, registry)
    problems = m.validate_workspace(workspace, registry)
    assert sorted(p.code for p in problems) == ["rule-failed", "rule-failed"]
    assert "vandal" in problems[0].message
    assert m.evaluate(loaded, registry) == first
    assert snapshot(workspace) == before


def test_a_rule_that_gives_something_else_than_problems_fails_alone(workspace: Path) -> None:
    def odd(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        yield "not a problem"

    plugin = types.ModuleType("odd")
    plugin.mio_register_rules = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [m.Rule(name="odd", title="x", check=odd)]
    )
    plugin.mio_register_rules.__name__ = "mio_register_rules"
    problems = m.validate_workspace(workspace, make_registry(plugin, builtins=True))
    assert [(p.code, p.message) for p in problems] == [
        ("rule-failed", "the rule 'odd' failed: TypeError: it gave a str, not a Problem")
    ]


def test_an_importer_whose_table_holds_other_than_text_is_refused_naming_it(
    workspace: Path, tmp_path: Path
) -> None:
    def read(data: bytes, file: str) -> m.ImportedTable:
        return m.ImportedTable(header=("respondent", "ops1"), rows=(("p01", 4),))

    plugin = types.ModuleType("numbers")
    plugin.mio_register_importers = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [m.Importer(name="numbers", title="Numbers", read=read)]
    )
    plugin.mio_register_importers.__name__ = "mio_register_importers"
    export = tmp_path / "export.csv"
    export.write_text("anything\n", encoding="utf-8")
    before = snapshot(workspace)
    registry = make_registry(plugin, builtins=True)
    with pytest.raises(m.MioError) as raised:
        m.import_responses(
            workspace, export, "mio-utilisation", "follow-up:6m", registry, importer="numbers"
        )
    assert str(raised.value) == (
        "the importer 'numbers' returned a table with a cell of type int in row 1, "
        "column 2, not text"
    )
    assert snapshot(workspace) == before


def test_a_problem_of_a_kind_that_does_not_exist_fails_the_rule_naming_the_kinds(
    workspace: Path,
) -> None:
    def wrong_kind(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        yield context.problem("manager", "p01", ("email",), "acme-x", "no such kind")

    plugin = types.ModuleType("wrong_kind")
    plugin.mio_register_rules = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [m.Rule(name="wrong-kind", title="x", check=wrong_kind)]
    )
    plugin.mio_register_rules.__name__ = "mio_register_rules"
    [problem] = m.validate_workspace(workspace, make_registry(plugin, builtins=True))
    assert problem.code == "rule-failed"
    assert "the rule 'wrong-kind' failed: ValueError: 'manager' is not a kind" in problem.message
    assert "participant" in problem.message


def test_an_indicator_returning_no_indicator_value_is_a_mio_error_naming_it(
    workspace: Path,
) -> None:
    from mio_core.plugins import Indicator

    plugin = types.ModuleType("bare_number")
    plugin.mio_register_indicators = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [Indicator(name="bare-number", title="Bare", compute=lambda context: 0.5)]
    )
    plugin.mio_register_indicators.__name__ = "mio_register_indicators"
    loaded = m.load_workspace(workspace)
    goal = attrs.evolve(loaded.concept.goals[0], indicator="bare-number", target=None)
    concept = attrs.evolve(loaded.concept, goals=(goal,))
    with pytest.raises(m.MioError) as raised:
        m.evaluate(attrs.evolve(loaded, concept=concept), make_registry(plugin, builtins=True))
    assert str(raised.value) == (
        "the indicator 'bare-number' returned float, not an IndicatorValue "
        "(mio_core.plugins.IndicatorValue)"
    )


def test_a_hook_with_an_argument_the_hook_does_not_have_is_reported_in_one_line() -> None:
    # pluggy says it in three lines (plugin and hook, definition, what is wrong), and the
    # warning printed them as three, the plugin's name twice
    def mio_register_rules(workspace_path):  # type: ignore[no-untyped-def]
        return []

    plugin = types.ModuleType("acme_wrong_argument")
    plugin.mio_register_rules = m.hookimpl(mio_register_rules)  # type: ignore[attr-defined]
    registry = make_registry(plugin, strict=False)
    [failure] = registry.failures
    assert failure.name == "acme_wrong_argument"
    assert "\n" not in failure.reason
    assert failure.reason.startswith("hook 'mio_register_rules'; ")
    assert "{'workspace_path'}" in failure.reason
