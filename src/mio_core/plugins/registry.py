"""The Registry: everything the plugins contribute, by name, and what went wrong."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ..model import Instrument
from ..model.lifecycle import Lifecycle
from ..problems import InvocationError
from .interfaces import Exporter, ExtensionSchema, Importer, Indicator, Rule
from .output import plugin_output

if TYPE_CHECKING:
    from ..model import Workspace

#: Contribution kinds and the hook that contributes each.
KINDS = {
    "instruments": "mio_register_instruments",
    "exporters": "mio_register_exporters",
    "importers": "mio_register_importers",
    "rules": "mio_register_rules",
    "lifecycles": "mio_register_lifecycles",
    "extension_schemas": "mio_extension_schemas",
    "indicators": "mio_register_indicators",
}
#: Hooks called with context when it is there (the ``mio`` group, an evaluation, a view),
#: not when the plugins load: each plugin's implementation is kept and called on its own.
CONTEXT_HOOKS = ("mio_register_commands", "mio_evaluation_analyses", "mio_report_sections")
#: Every hook, in the order of the reference.
HOOKS = (*KINDS.values(), *CONTEXT_HOOKS)
_TYPES: dict[str, type] = {
    "instruments": Instrument,
    "exporters": Exporter,
    "importers": Importer,
    "rules": Rule,
    "lifecycles": Lifecycle,
    "extension_schemas": ExtensionSchema,
    "indicators": Indicator,
}


class UnknownName(InvocationError, KeyError):
    """No plugin contributes a value of that kind and name."""

    def __str__(self) -> str:
        return str(self.args[0])


@attrs.frozen(kw_only=True)
class PluginInfo:
    """A plugin that loaded: its name, version, where it came from, what it contributes."""

    name: str
    origin: str
    version: str | None = None
    contributions: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: the hooks with context (:data:`CONTEXT_HOOKS`) the plugin implements
    hooks: tuple[str, ...] = ()

    def with_contributions(self, contributions: Mapping[str, tuple[str, ...]]) -> PluginInfo:
        """Return a copy listing ``contributions`` by kind."""
        return attrs.evolve(self, contributions=dict(contributions))


@attrs.frozen(kw_only=True)
class PluginFailure:
    """A plugin that failed to load or was left out, and why.

    ``whole`` is False when only one of its contributions was left out (its name was
    taken by another plugin) and the rest of the plugin is used.
    """

    name: str
    origin: str
    reason: str
    version: str | None = None
    whole: bool = True

    def describe(self) -> str:
        """Return ``plugin 'x' left out: why``, or ``plugin 'x': why`` when only a part is."""
        return f"plugin {self.name!r}{' left out' if self.whole else ''}: {self.reason}"


@attrs.frozen(kw_only=True)
class HookCall:
    """One plugin's implementation of a hook with context, as pluggy found it."""

    plugin: str
    function: Callable[..., Any]
    #: the named arguments the implementation takes (a subset of the hook's, as in pluggy)
    argnames: tuple[str, ...]

    def __call__(self, **context: Any) -> Any:
        """Call the implementation with the arguments of ``context`` it takes."""
        return self.function(**{name: context[name] for name in self.argnames})


def _read_only(value: Mapping[str, tuple[HookCall, ...]]) -> Mapping[str, tuple[HookCall, ...]]:
    return MappingProxyType(dict(value))


def _read_only_by_kind(value: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return MappingProxyType({kind: MappingProxyType(dict(found)) for kind, found in value.items()})


@attrs.frozen(kw_only=True)
class Registry:
    """What all plugins contribute, looked up by name; build it with :func:`load_registry`."""

    plugins: tuple[PluginInfo, ...] = ()
    failures: tuple[PluginFailure, ...] = ()
    #: read-only (as ``hook_calls``): a plugin given the registry cannot change it in place
    contributions: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=dict, converter=_read_only_by_kind
    )
    #: the implementations of each hook with context, in registration order
    hook_calls: Mapping[str, tuple[HookCall, ...]] = attrs.field(factory=dict, converter=_read_only)
    #: whether a plugin raising in a hook with context is an error (else a failure reported)
    strict: bool = False

    def calls(self, hook: str) -> tuple[HookCall, ...]:
        """Return the implementations of the hook with context ``hook``, in order."""
        return self.hook_calls.get(hook, ())

    def call_each(
        self, hook: str, failures: list[tuple[str, str]], **context: Any
    ) -> list[tuple[str, Any]]:
        """Call each plugin's ``hook`` on its own with ``context``; return (plugin, result).

        A plugin that raises is left out and appended to ``failures`` as (plugin, reason),
        or, when the registry is strict, raises :class:`~mio_core.plugins.PluginError`.
        """
        results = []
        for call in self.calls(hook):
            try:
                with plugin_output(call.plugin):
                    results.append((call.plugin, call(**context)))
            except Exception as exc:
                self.refuse(failures, call.plugin, f"{hook} raised {type(exc).__name__}: {exc}")
        return results

    def refuse(self, failures: list[tuple[str, str]], plugin: str, reason: str) -> None:
        """Record that ``plugin``'s contribution is left out, or raise when strict."""
        if self.strict:
            from .manager import PluginError

            raise PluginError(f"plugin {plugin!r} is broken: {reason}")
        failures.append((plugin, reason))

    @staticmethod
    def value_type(kind: str) -> type:
        """Return the class a hook of ``kind`` must return instances of."""
        return _TYPES[kind]

    @staticmethod
    def key_of(kind: str, value: Any) -> str:
        """Return the unique name of a contribution (an instrument's id, others' name)."""
        return str(value.id if kind == "instruments" else value.name)

    def _all(self, kind: str) -> Mapping[str, Any]:
        return self.contributions.get(kind, {})

    def _one(self, kind: str, name: str) -> Any:
        found = self._all(kind)
        if name in found:
            return found[name]
        close = difflib.get_close_matches(name, list(found), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        known = ", ".join(sorted(found)) or "none"
        raise UnknownName(f"no {kind[:-1]} called {name!r}{hint} (known: {known})")

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Instruments contributed by plugins, by id."""
        return self._all("instruments")

    @property
    def exporters(self) -> Mapping[str, Exporter]:
        """Export formats, by name."""
        return self._all("exporters")

    @property
    def importers(self) -> Mapping[str, Importer]:
        """Response importers, by name."""
        return self._all("importers")

    @property
    def rules(self) -> Mapping[str, Rule]:
        """Validation rules, by name."""
        return self._all("rules")

    @property
    def lifecycles(self) -> Mapping[str, Lifecycle]:
        """Innovation-project lifecycle models, by name."""
        return self._all("lifecycles")

    @property
    def extension_schemas(self) -> Mapping[str, ExtensionSchema]:
        """Schemas of ``extensions:`` fields, by name."""
        return self._all("extension_schemas")

    @property
    def indicators(self) -> Mapping[str, Indicator]:
        """Indicators a concept's goals can name, by name."""
        return self._all("indicators")

    def instruments_for(self, workspace: Workspace) -> dict[str, Instrument]:
        """Return every instrument ``workspace`` can use, by id: the plugins' and its own.

        The one precedence, used by importing, validation, evaluation and exports alike: an
        instrument in the workspace's ``instruments/`` takes the place of a plugin's with the
        same id (validation warns: ``instrument-clash``). The workspace is the team's own
        record, kept in version control, so installing or upgrading a plugin never changes
        how answers already collected are read or scored; and refusing the clash would make
        the team rename an instrument and every responses file for something a plugin did.
        Among the workspace's own instruments the first file read wins (two with one id are
        a ``duplicate-id`` error).
        """
        own: dict[str, Instrument] = {}
        for instrument in workspace.instruments:
            own.setdefault(instrument.id, instrument)
        return {**self.instruments, **own}

    def contributors(self, kind: str, name: str) -> tuple[str, ...]:
        """Return the names of the plugins that contribute the value ``name`` of ``kind``."""
        return tuple(p.name for p in self.plugins if name in p.contributions.get(kind, ()))

    def owner(self, kind: str, name: str) -> str:
        """Return the plugin that contributes the value ``name`` of ``kind`` (for messages);
        ``name`` itself when no plugin of this registry does (a value made by hand)."""
        found = self.contributors(kind, name)
        return found[0] if found else name

    def instrument(self, name: str) -> Instrument:
        """Return the instrument ``name``; raises :class:`UnknownName`."""
        return self._one("instruments", name)  # type: ignore[no-any-return]

    def exporter(self, name: str) -> Exporter:
        """Return the exporter ``name``; raises :class:`UnknownName`."""
        return self._one("exporters", name)  # type: ignore[no-any-return]

    def importer(self, name: str) -> Importer:
        """Return the importer ``name``; raises :class:`UnknownName`."""
        return self._one("importers", name)  # type: ignore[no-any-return]

    def rule(self, name: str) -> Rule:
        """Return the rule ``name``; raises :class:`UnknownName`."""
        return self._one("rules", name)  # type: ignore[no-any-return]

    def lifecycle(self, name: str) -> Lifecycle:
        """Return the lifecycle model ``name``; raises :class:`UnknownName`."""
        return self._one("lifecycles", name)  # type: ignore[no-any-return]
