"""Finding plugins, calling their hooks one plugin at a time, and collecting a Registry.

pluggy calls all implementations of a hook in one go, so one raising plugin would stop
every other. Here each plugin's implementation is called on its own: a plugin that fails
to import, raises, or returns something malformed is reported by name and left out, and
everything else keeps working (unless ``strict``).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import types
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pluggy

from ..problems import MioError
from . import hookspecs
from .output import plugin_output
from .registry import CONTEXT_HOOKS, HOOKS, KINDS, HookCall, PluginFailure, PluginInfo, Registry

ENTRY_POINT_GROUP = "mio_core"

#: The built-in plugins, registered through the same path as any other.
DEFAULT_PLUGINS = (
    "mio_core.builtin.lifecycles",
    "mio_core.builtin.instruments",
    "mio_core.builtin.importers",
    "mio_core.builtin.exporters",
    "mio_core.builtin.rules",
    "mio_core.builtin.indicators",
)

hookimpl = pluggy.HookimplMarker("mio_core")


class PluginError(MioError):
    """A plugin is broken and strict mode is on, or a plugin could not be found."""


def _env_list(name: str) -> list[str]:
    value = os.environ.get(name, "")
    parts = value.replace(os.pathsep if os.pathsep != ":" else ",", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


def _strict_from_env() -> bool:
    return os.environ.get("MIO_STRICT_PLUGINS", "").strip().lower() in ("1", "true", "yes")


def _local_name(spec: str) -> str:
    """Return the name a plugin given by ``spec`` is known by.

    A module name is its own name; a file ``acme_rules.py`` is ``acme_rules``; a package,
    given as its folder or its ``__init__.py``, is the folder's name.
    """
    path = Path(spec)
    if path.name == "__init__.py":
        return path.resolve().parent.name
    if spec.endswith(".py"):
        return path.stem
    if path.is_dir():
        return path.resolve().name
    return spec


def _import_local(spec: str) -> types.ModuleType:
    """Import a plugin given as a module name, a .py file, or a package's folder."""
    path = Path(spec)
    if path.is_dir() and (path / "__init__.py").is_file():
        path = path / "__init__.py"
    if spec.endswith(".py") or path.exists():
        if not path.is_file():
            raise PluginError(f"plugin file {spec} does not exist")
        name = f"mio_local_plugin_{_local_name(str(path))}"
        package = [str(path.parent)] if path.name == "__init__.py" else None
        module_spec = importlib.util.spec_from_file_location(
            name, path, submodule_search_locations=package
        )
        if module_spec is None or module_spec.loader is None:
            raise PluginError(f"cannot import {spec} as a plugin")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        return module
    return importlib.import_module(spec)


def _version_of(module: Any, dist: importlib.metadata.Distribution | None) -> str | None:
    if dist is not None:
        return dist.version
    version = getattr(module, "__version__", None)
    return str(version) if version is not None else None


class _Loader:
    def __init__(self, strict: bool, disabled: set[str]) -> None:
        self.pm = pluggy.PluginManager("mio_core")
        self.pm.add_hookspecs(hookspecs)
        self.strict = strict
        for name in disabled:
            self.pm.set_blocked(name)
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[PluginFailure] = []

    def fail(
        self,
        name: str,
        origin: str,
        reason: str,
        version: str | None = None,
        *,
        whole: bool = True,
    ) -> None:
        if self.strict:
            raise PluginError(f"plugin {name!r} ({origin}) is broken: {reason}")
        self.failures.append(
            PluginFailure(name=name, origin=origin, version=version, reason=reason, whole=whole)
        )

    def register(self, plugin: Any, name: str, origin: str, version: str | None) -> None:
        if self.pm.is_blocked(name):
            return
        if name in self.infos or self.pm.has_plugin(name):
            self.fail(name, origin, "a plugin of this name is registered already", version)
            return
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            # pluggy's message takes three lines (plugin and hook, the definition, what is
            # wrong): one line of the warning, the plugin's name said once
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            if len(lines) > 1 and lines[0].startswith(f"Plugin {name!r} for hook "):
                lines[0] = lines[0].removeprefix(f"Plugin {name!r} for ")
            self.fail(name, origin, "; ".join(lines), version)
            return
        self.infos[name] = PluginInfo(name=name, origin=origin, version=version)

    def load_module(self, spec: str, origin: str) -> None:
        name = _local_name(spec)
        if self.pm.is_blocked(name):
            return
        try:
            with plugin_output(name):
                module = _import_local(spec)
        except Exception as exc:
            self.fail(name, origin, f"cannot import: {type(exc).__name__}: {exc}")
            return
        self.register(module, name, origin, _version_of(module, None))

    def load_entry_points(self) -> None:
        for entry_point in sorted(
            importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
        ):
            dist = getattr(entry_point, "dist", None)
            origin = f"entry point {entry_point.value}" + (
                f" from {dist.metadata['Name']}" if dist is not None else ""
            )
            if self.pm.is_blocked(entry_point.name):
                continue
            version = dist.version if dist is not None else None
            try:
                with plugin_output(entry_point.name):
                    plugin = entry_point.load()
            except Exception as exc:
                self.fail(
                    entry_point.name, origin, f"cannot import: {type(exc).__name__}: {exc}", version
                )
                continue
            self.register(plugin, entry_point.name, origin, _version_of(plugin, dist))

    def check_pending(self) -> None:
        """Leave out, as a failure, every plugin with a ``@hookimpl`` that no hook specifies.

        pluggy registers any ``@hookimpl``-marked function as an implementation of the hook
        its name gives; one with no ``mio_`` spec (``register_exporters``, or a misspelt
        ``mio_register_exporter``) would never be called. ``PluginManager.check_pending``
        finds them; each plugin that has one is reported with all its unknown functions.
        """
        while True:
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as exc:
                plugin = exc.plugin
            else:
                return
            name = self.pm.get_name(plugin) or repr(plugin)
            unknown = sorted(
                caller.name
                for caller in self.pm.get_hookcallers(plugin) or ()
                if not caller.has_spec()
                and any(impl.plugin is plugin for impl in caller.get_hookimpls())
            )
            self.pm.unregister(plugin)
            info = self.infos.pop(name, None)
            self.fail(
                name,
                info.origin if info else "registered",
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} marked @hookimpl "
                f"but {'is' if len(unknown) == 1 else 'are'} not a mio_core hook "
                f"(known hooks: {', '.join(sorted(HOOKS))})",
                info.version if info else None,
            )

    def collect(self) -> Registry:
        self.check_pending()
        # Every hook first, then the contributions: a plugin left out by one of its hooks
        # (it raised, or returned the wrong thing) contributes nothing, not even what its
        # hooks called before that one returned.
        returned: dict[str, list[tuple[str, Any]]] = {kind: [] for kind in KINDS}
        for kind, hook_name in KINDS.items():
            expected = Registry.value_type(kind)
            hook = getattr(self.pm.hook, hook_name)
            for impl in hook.get_hookimpls():  # in registration order
                plugin = impl.plugin_name
                if plugin not in self.infos:
                    continue
                try:
                    with plugin_output(plugin):
                        result = impl.function()
                except Exception as exc:
                    self._drop(plugin, f"{hook_name} raised {type(exc).__name__}: {exc}")
                    continue
                problem = _malformed(result, expected, hook_name)
                if problem:
                    self._drop(plugin, problem)
                    continue
                returned[kind].append((plugin, result))
        contributions: dict[str, dict[str, tuple[str, Any]]] = {kind: {} for kind in KINDS}
        for kind, results in returned.items():
            for plugin, result in results:
                if plugin not in self.infos:  # left out by a later hook
                    continue
                for value in result:
                    key = Registry.key_of(kind, value)
                    if key in contributions[kind]:
                        other = contributions[kind][key][0]
                        self.fail(
                            plugin,
                            self.infos[plugin].origin if plugin in self.infos else "",
                            f"its {kind[:-1]} {key!r} clashes with the one from plugin "
                            f"{other!r}; the one from {other!r} is kept",
                            whole=False,
                        )
                        continue
                    contributions[kind][key] = (plugin, value)
        calls: dict[str, tuple[HookCall, ...]] = {}
        implementing: dict[str, list[str]] = {}
        for hook_name in CONTEXT_HOOKS:
            found = []
            for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
                if impl.plugin_name in self.infos:
                    found.append(
                        HookCall(
                            plugin=impl.plugin_name,
                            function=impl.function,
                            argnames=tuple(impl.argnames),
                        )
                    )
                    implementing.setdefault(impl.plugin_name, []).append(hook_name)
            calls[hook_name] = tuple(found)
        infos = []
        for name, info in self.infos.items():
            counts = {
                kind: tuple(key for key, (owner, _) in contributions[kind].items() if owner == name)
                for kind in KINDS
            }
            infos.append(
                attrs.evolve(
                    info.with_contributions(counts), hooks=tuple(implementing.get(name, ()))
                )
            )
        return Registry(
            plugins=tuple(infos),
            failures=tuple(self.failures),
            contributions={
                kind: {key: value for key, (_, value) in found.items()}
                for kind, found in contributions.items()
            },
            hook_calls=calls,
            strict=self.strict,
        )

    def _drop(self, plugin: str, reason: str) -> None:
        info = self.infos.pop(plugin, None)
        self.fail(plugin, info.origin if info else "", reason, info.version if info else None)


def _malformed(result: Any, expected: type, hook_name: str) -> str | None:
    if not isinstance(result, list | tuple):
        return f"{hook_name} returned {type(result).__name__}, not a list"
    for value in result:
        if not isinstance(value, expected):
            return (
                f"{hook_name} returned a {type(value).__name__} where a "
                f"{expected.__name__} was expected"
            )
    return None


def load_registry(
    *,
    plugins: Sequence[Any] | None = None,
    builtins: bool = True,
    entry_points: bool = True,
    extra: Iterable[str] = (),
    disabled: Iterable[str] = (),
    strict: bool | None = None,
) -> Registry:
    """Find plugins and return the :class:`Registry` of what they contribute.

    :param plugins: plugin objects (modules or instances) to register, in order, besides or
        instead of the ones found; tests pass their plugin here.
    :param builtins: register :data:`DEFAULT_PLUGINS` first.
    :param entry_points: load installed plugins from the ``mio_core`` entry-point group.
    :param extra: more plugins as module names or ``.py`` paths; ``MIO_PLUGINS`` adds more.
    :param disabled: plugin names to leave out; ``MIO_DISABLE_PLUGINS`` adds more.
    :param strict: raise :class:`PluginError` on the first broken plugin instead of
        reporting it in ``registry.failures``; default from ``MIO_STRICT_PLUGINS``.
    """
    loader = _Loader(
        strict=_strict_from_env() if strict is None else strict,
        disabled={*disabled, *_env_list("MIO_DISABLE_PLUGINS")},
    )
    if builtins:
        for module in DEFAULT_PLUGINS:
            loader.load_module(module, "built in")
    if entry_points:
        loader.load_entry_points()
    for spec in [*extra, *_env_list("MIO_PLUGINS")]:
        loader.load_module(spec, f"local plugin {spec}")
    for plugin in plugins or ():
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        loader.register(plugin, name, "given", _version_of(plugin, None))
    return loader.collect()
