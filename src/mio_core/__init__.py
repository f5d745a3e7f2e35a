"""mio_core: describe, run and evaluate development concepts such as MIO.

The public surface is what this module exports (the pipeline verbs, the plugin contract and
the errors) plus the documented namespaces, each with its own ``__all__``:
:mod:`mio_core.model` (every model class), :mod:`mio_core.io` (reading and writing details),
:mod:`mio_core.evaluation` (result types), :mod:`mio_core.export` (tidy tables and exporter
helpers), :mod:`mio_core.plugins` (the registry and the contract), :mod:`mio_core.programme`
(the schedule), :mod:`mio_core.textsafety` (text for renderers) and :mod:`mio_core.testing`
(the pytest plugin for plugin authors). Everything else may change.

Importing it loads no plugin, reads no file and imports the parts only when a name is first
used, so ``import mio_core`` stays fast for command-line tools. The names are written once,
in the ``TYPE_CHECKING`` block below: type checkers read it as real imports, and the lazy
loader reads the same block (from this file's source, on the first use of a name).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    # The public API, written once. ``name as name`` marks an explicit re-export.
    from .evaluation import build_view as build_view
    from .evaluation import evaluate as evaluate
    from .export import prepare_source as prepare_source
    from .export import run_export as run_export
    from .generate.synthetic import generate_workspace as generate_workspace
    from .generate.synthetic import write_synthetic_workspace as write_synthetic_workspace
    from .generate.template import init_workspace as init_workspace
    from .importing import import_mapped as import_mapped
    from .importing import import_responses as import_responses
    from .io import load_workspace as load_workspace
    from .io import read_workspace as read_workspace
    from .io import save_workspace as save_workspace
    from .plugins import Exporter as Exporter
    from .plugins import ExportSource as ExportSource
    from .plugins import ImportedTable as ImportedTable
    from .plugins import Importer as Importer
    from .plugins import PluginError as PluginError
    from .plugins import Registry as Registry
    from .plugins import Rule as Rule
    from .plugins import RuleContext as RuleContext
    from .plugins import hookimpl as hookimpl
    from .plugins import load_registry as load_registry
    from .privacy.access import access_report as access_report
    from .privacy.access import write_access_report as write_access_report
    from .privacy.erasure import erase_participant as erase_participant
    from .problems import ConcurrentEditError as ConcurrentEditError
    from .problems import MioError as MioError
    from .problems import Problem as Problem
    from .problems import Severity as Severity
    from .problems import WorkspaceError as WorkspaceError
    from .problems import WorkspaceLockedError as WorkspaceLockedError
    from .validate import check_workspace as check_workspace
    from .validate import validate_workspace as validate_workspace

_exports: dict[str, str] | None = None


def _read_exports() -> dict[str, str]:
    """Return {public name: submodule} as written in the ``TYPE_CHECKING`` block above."""
    global _exports
    if _exports is None:
        import ast
        from pathlib import Path

        tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
        block = next(
            node
            for node in tree.body
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        )
        _exports = {
            alias.asname or alias.name: str(node.module)
            for node in block.body
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
    return _exports


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return ["__version__", *sorted(_read_exports())]
    module = _read_exports().get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_read_exports()])
