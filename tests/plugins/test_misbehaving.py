"""Plugins cannot corrupt data: a rule that tries to change the workspace changes nothing."""

from __future__ import annotations

import types
from pathlib import Path

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
