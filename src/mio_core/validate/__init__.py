"""Validation: rules over a whole workspace, each problem located by file, line and field."""

from __future__ import annotations

import os
from pathlib import Path

from ..io.workspace import LoadResult, locate_problems, read_workspace
from ..io.yamlio import DEFAULT_LIMITS, Limits
from ..model import Workspace
from ..plugins.interfaces import RuleContext
from ..plugins.registry import Registry
from ..problems import Problem, Severity, sort_problems

__all__ = ["RuleContext", "check_workspace", "validate_workspace"]


def check_workspace(
    workspace: Workspace,
    registry: Registry,
    broken: frozenset[tuple[str, str]] = frozenset(),
) -> list[Problem]:
    """Run every registered rule over ``workspace``; return the problems, unlocated.

    A rule that raises is reported as a problem naming the rule, and the others still run.
    """
    context = RuleContext(
        workspace=workspace,
        registry=registry,
        instruments=registry.instruments_for(workspace),
        broken=broken,
    )
    problems: list[Problem] = []
    for rule in registry.rules.values():
        try:
            problems.extend(rule.check(workspace, context))
        except Exception as exc:
            problems.append(
                Problem(
                    file=None,
                    code="rule-failed",
                    message=f"the rule {rule.name!r} failed: {type(exc).__name__}: {exc}",
                )
            )
    return [
        p
        for p in problems
        if p.ref is None or (p.ref not in broken and (p.ref[0], "*") not in broken)
    ]


def validate_workspace(
    path: str | os.PathLike[str] | LoadResult,
    registry: Registry | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Problem]:
    """Return every problem in the workspace at ``path``, in reading order.

    The files are read as far as they can be (syntax, types, unknown keys, missing fields),
    then every rule of ``registry`` (default: all installed plugins) runs over what was
    read. An empty list means the workspace is valid.
    """
    if registry is None:
        from ..plugins.manager import load_registry

        registry = load_registry()
    result = path if isinstance(path, LoadResult) else read_workspace(path, limits)
    problems = list(result.problems)
    if result.workspace is not None:
        root = result.workspace.origin.root if result.workspace.origin else Path(".")
        found = check_workspace(result.workspace, registry, result.broken)
        problems.extend(locate_problems(found, root))
        # Mappings of survey exports are read on demand, not into the model: check them here.
        from ..importing.mapping import mapping_problems

        problems.extend(
            mapping_problems(
                root,
                registry.instruments_for(result.workspace),
                tuple(registry.importers),
                limits,
                people=frozenset(p.id for p in result.workspace.participants),
            )
        )
    return sort_problems(problems)


def has_errors(problems: list[Problem]) -> bool:
    """Return whether any of ``problems`` is an error rather than a warning."""
    return any(problem.severity is Severity.ERROR for problem in problems)
