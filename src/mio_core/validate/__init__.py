"""Validation: rules over a whole workspace, each problem located by file, line and field."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..io.workspace import LoadResult, Progress, locate_problems, read_workspace
from ..io.yamlio import DEFAULT_LIMITS, Limits
from ..model import Workspace
from ..model.workspace import expect_workspace
from ..plugins.interfaces import RuleContext
from ..plugins.output import plugin_output
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
    expect_workspace(workspace, "check_workspace")
    context = RuleContext(
        workspace=workspace,
        registry=registry,
        instruments=registry.instruments_for(workspace),
        broken=broken,
    )
    problems: list[Problem] = []
    for rule in registry.rules.values():
        try:
            with plugin_output(registry.owner("rules", rule.name)):
                found = list(rule.check(workspace, context))
            wrong = next((p for p in found if not isinstance(p, Problem)), None)
            if wrong is not None:  # a plugin's rule: what it gave is not to be trusted
                raise TypeError(f"it gave a {type(wrong).__name__}, not a Problem")
            problems.extend(found)
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
    *,
    cache: bool = False,
    progress: Progress | None = None,
) -> list[Problem]:
    """Return every problem in the workspace at ``path``, in reading order.

    The files are read as far as they can be (syntax, types, unknown keys, missing fields),
    then every rule of ``registry`` (default: all installed plugins) runs over what was
    read. An empty list means the workspace is valid. With ``cache=True`` the files are read
    and the problems kept through the workspace's cache (:mod:`mio_core.io.cache`).
    """
    if registry is None:
        from ..plugins.manager import load_registry

        registry = load_registry()
    if cache:
        return _validate_cached(path, registry, limits, progress)
    if not isinstance(path, LoadResult):
        path = read_workspace(path, limits, progress=progress, registry=registry)
    return _validate(path, registry, limits)


def _validate_cached(
    path: str | os.PathLike[str] | LoadResult,
    registry: Registry,
    limits: Limits,
    progress: Progress | None,
) -> list[Problem]:
    from ..io.cache import cached_result

    if not isinstance(path, LoadResult):
        return cached_result(
            path,
            "validate",
            _options(limits),
            registry,
            lambda: _validate(
                read_workspace(path, limits, cache=True, progress=progress, registry=registry),
                registry,
                limits,
            ),
            _dump_problems,
            _load_problems,
            progress=progress,
            by_content=False,  # problems name lines and columns: the files' bytes count
        )
    origin = path.workspace.origin if path.workspace is not None else None
    if origin is None:
        return _validate(path, registry, limits)
    return cached_result(
        origin.root,
        "validate",
        _options(limits),
        registry,
        lambda: _validate(path, registry, limits),
        _dump_problems,
        _load_problems,
        fingerprints=origin.fingerprints,
        by_content=False,
    )


def _options(limits: Limits) -> dict[str, str]:
    """The options a validation's problems depend on besides the files and plugins: the
    limits, and today's date (a session held in the future is a warning)."""
    return {"limits": repr(limits), "today": dt.date.today().isoformat()}


def _dump_problems(problems: list[Problem]) -> list[list[Any]]:
    return [
        [p.file, p.code, p.message, p.line, p.column, list(p.path), str(p.severity), p.ref]
        for p in problems
    ]


def _load_problems(rows: Any) -> list[Problem]:
    """Return the problems :func:`_dump_problems` wrote; raise on anything else."""

    def check(ok: bool) -> None:
        if not ok:
            raise ValueError("not a problem")

    problems = []
    for file, code, message, line, column, path, severity, ref in rows:
        check(file is None or isinstance(file, str))
        check(isinstance(code, str) and isinstance(message, str))
        check(all(n is None or type(n) is int for n in (line, column)))
        check(isinstance(path, list) and all(type(step) in (str, int) for step in path))
        check(
            ref is None
            or (isinstance(ref, list) and len(ref) == 2 and all(isinstance(r, str) for r in ref))
        )
        problems.append(
            Problem(
                file=file,
                code=code,
                message=message,
                line=line,
                column=column,
                path=tuple(path),
                severity=Severity(severity),
                ref=tuple(ref) if ref is not None else None,
            )
        )
    return problems


def _validate(
    path: str | os.PathLike[str] | LoadResult, registry: Registry, limits: Limits
) -> list[Problem]:
    result = (
        path if isinstance(path, LoadResult) else read_workspace(path, limits, registry=registry)
    )
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
                concept=result.workspace.concept,
            )
        )
    return sort_problems(problems)


def has_errors(problems: list[Problem]) -> bool:
    """Return whether any of ``problems`` is an error rather than a warning."""
    return any(problem.severity is Severity.ERROR for problem in problems)
