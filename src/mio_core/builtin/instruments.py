"""Built-in plugin: MIO's evaluation instruments, in Swedish and English (package data)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..io.converter import structure
from ..io.yamlio import parse_yaml
from ..model import Instrument
from ..plugins.manager import hookimpl


@cache
def builtin_instruments() -> tuple[Instrument, ...]:
    """Return the instruments shipped with mio_core, read from its package data."""
    folder = resources.files("mio_core.data").joinpath("instruments")
    instruments = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = parse_yaml(entry.read_text("utf-8"), f"mio_core/data/instruments/{entry.name}")
            instruments.append(structure(data, Instrument))
    return tuple(instruments)


@hookimpl
def mio_register_instruments() -> list[Instrument]:
    """mio-module-evaluation, mio-innovation-leadership, mio-utilisation and mio-coaching."""
    return list(builtin_instruments())
