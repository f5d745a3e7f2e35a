"""A plugin's write/read/check/compute that cannot take mio_core's arguments is refused
when the plugin loads, naming the plugin, instead of failing at mio_core's call later as
an "internal error: ... please report it" that blames mio_core."""

from __future__ import annotations

import types
from typing import Any

import pytest

import mio_core as m
from mio_core.plugins import Indicator, IndicatorValue
from mio_core.testing import make_registry


def plugin_with(hook: str, values: Any) -> types.ModuleType:
    plugin = types.ModuleType("careless")

    def contribute() -> list[Any]:
        return values()  # type: ignore[no-any-return]

    contribute.__name__ = hook
    setattr(plugin, hook, m.hookimpl(contribute))
    return plugin


def test_an_exporter_whose_write_takes_too_few_arguments_leaves_its_plugin_out() -> None:
    def write(source: m.ExportSource) -> None:
        pass

    def exporters() -> list[m.Exporter]:
        return [
            m.Exporter(name="c", title="C", suffix=".txt", media_type="text/plain", write=write)
        ]

    registry = make_registry(plugin_with("mio_register_exporters", exporters), strict=False)
    [failure] = registry.failures
    assert failure.name == "careless"
    assert failure.reason.startswith(
        "mio_register_exporters raised ValueError: Exporter.write is called with "
        "(source, target, options), but write takes (source"
    )
    assert failure.reason.endswith(": too many positional arguments")


def test_an_importer_whose_read_needs_another_argument_leaves_its_plugin_out() -> None:
    def read(data: bytes, file: str, encoding: str) -> m.ImportedTable:
        raise AssertionError("never called")

    def importers() -> list[m.Importer]:
        return [m.Importer(name="c", title="C", read=read)]

    registry = make_registry(plugin_with("mio_register_importers", importers), strict=False)
    [failure] = registry.failures
    assert failure.name == "careless"
    assert "Importer.read is called with (data, file), but read takes" in failure.reason
    assert failure.reason.endswith("missing a required argument: 'encoding'")


def test_an_indicator_whose_compute_takes_no_argument_leaves_its_plugin_out() -> None:
    def indicators() -> list[Indicator]:
        return [Indicator(name="c", title="C", compute=lambda: IndicatorValue(value=None))]

    registry = make_registry(plugin_with("mio_register_indicators", indicators), strict=False)
    [failure] = registry.failures
    assert failure.name == "careless"
    assert "Indicator.compute is called with (context), but <lambda> takes ()" in failure.reason


def test_a_rule_check_with_a_wrong_signature_is_refused_when_made() -> None:
    with pytest.raises(ValueError, match=r"Rule.check is called with \(workspace, context\)"):
        m.Rule(name="c", title="C", check=lambda workspace: [])


def test_callables_that_take_the_arguments_in_any_form_are_accepted() -> None:
    class Writer:
        def __call__(self, *args: object, **kwargs: object) -> None:
            pass

    def read(data: bytes, file: str, encoding: str = "utf-8") -> m.ImportedTable:
        raise AssertionError("never called")

    exporter = m.Exporter(
        name="c", title="C", suffix=".txt", media_type="text/plain", write=Writer()
    )
    importer = m.Importer(name="c", title="C", read=read)
    assert (exporter.name, importer.name) == ("c", "c")
