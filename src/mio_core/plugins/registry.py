"""The Registry: everything the plugins contribute, by name, and what went wrong."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..model import Instrument
from ..model.lifecycle import Lifecycle
from ..problems import InvocationError
from .interfaces import Exporter, Importer, Rule

if TYPE_CHECKING:
    from ..model import Workspace

#: Contribution kinds and the hook that contributes each.
KINDS = {
    "instruments": "mio_register_instruments",
    "exporters": "mio_register_exporters",
    "importers": "mio_register_importers",
    "rules": "mio_register_rules",
    "lifecycles": "mio_register_lifecycles",
}
_TYPES: dict[str, type] = {
    "instruments": Instrument,
    "exporters": Exporter,
    "importers": Importer,
    "rules": Rule,
    "lifecycles": Lifecycle,
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

    def with_contributions(self, contributions: Mapping[str, tuple[str, ...]]) -> PluginInfo:
        """Return a copy listing ``contributions`` by kind."""
        return attrs.evolve(self, contributions=dict(contributions))


@attrs.frozen(kw_only=True)
class PluginFailure:
    """A plugin that failed to load or was left out, and why."""

    name: str
    origin: str
    reason: str
    version: str | None = None


@attrs.frozen(kw_only=True)
class Registry:
    """What all plugins contribute, looked up by name; build it with :func:`load_registry`."""

    plugins: tuple[PluginInfo, ...] = ()
    failures: tuple[PluginFailure, ...] = ()
    contributions: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)

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
