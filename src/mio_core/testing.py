"""A pytest plugin for plugin authors: registries that hold just the plugin under test.

Installed with mio_core (entry point ``pytest11``), so its fixtures are there in any test
suite once mio_core is installed::

    def test_my_instrument(mio_registry):
        registry = mio_registry(my_plugin)            # only my plugin
        assert registry.instrument("team-pulse").level == "reaction"

    def test_my_rule_on_the_example(mio_registry, mio_example):
        registry = mio_registry(my_plugin, builtins=True)
        problems = validate_workspace(mio_example, registry)

``make_registry`` and ``copy_workspace`` work without pytest installed; the fixtures are
defined only when it is.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .plugins.manager import load_registry
from .plugins.registry import Registry

__all__ = ["copy_workspace", "make_registry", "mio_registry", "mio_template"]


def make_registry(*plugins: Any, builtins: bool = False, strict: bool = True) -> Registry:
    """Return a registry of ``plugins`` only (plus mio_core's built-ins if ``builtins``).

    Installed entry points and ``MIO_PLUGINS`` are ignored, so the test sees only what it
    names; ``strict`` (the default) makes a broken plugin raise instead of being left out.
    """
    return load_registry(plugins=plugins, builtins=builtins, entry_points=False, strict=strict)


def copy_workspace(
    source: str | os.PathLike[str], target: str | os.PathLike[str], *, dirs_exist_ok: bool = False
) -> Path:
    """Copy the workspace folder ``source`` to ``target`` and return ``target``.

    mio's own state under ``.mio/`` (the pseudonymisation key, the audit log, caches, the
    lock) is left out, so a test sees the workspace's files as they are tracked, whatever
    earlier commands wrote into the source folder.
    """
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns(".mio"), dirs_exist_ok=dirs_exist_ok
    )
    return Path(target)


try:
    import pytest
except ImportError:  # pragma: no cover - the helpers above need no pytest
    pass
else:

    @pytest.fixture
    def mio_registry(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Registry]:
        """A function ``mio_registry(*plugins, builtins=False, strict=True)`` -> Registry."""
        monkeypatch.delenv("MIO_PLUGINS", raising=False)
        monkeypatch.delenv("MIO_DISABLE_PLUGINS", raising=False)
        return make_registry

    @pytest.fixture
    def mio_template(tmp_path: Path) -> Path:
        """A new workspace made from mio_core's MIO template, in a temporary folder."""
        from .generate.template import init_workspace

        target = tmp_path / "workspace"
        init_workspace(target)
        return target
