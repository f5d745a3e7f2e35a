"""The plugin machinery: hook specifications, what plugins contribute, discovery, registry."""

from .interfaces import (
    Exporter,
    ExportSource,
    ExtensionSchema,
    ImportedTable,
    Importer,
    Indicator,
    IndicatorContext,
    IndicatorValue,
    Lifecycle,
    Rule,
    RuleContext,
    Stage,
)
from .manager import DEFAULT_PLUGINS, ENTRY_POINT_GROUP, PluginError, hookimpl, load_registry
from .registry import KINDS, PluginFailure, PluginInfo, Registry, UnknownName

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "KINDS",
    "ExportSource",
    "Exporter",
    "ExtensionSchema",
    "ImportedTable",
    "Importer",
    "Indicator",
    "IndicatorContext",
    "IndicatorValue",
    "Lifecycle",
    "PluginError",
    "PluginFailure",
    "PluginInfo",
    "Registry",
    "Rule",
    "RuleContext",
    "Stage",
    "UnknownName",
    "hookimpl",
    "load_registry",
]
