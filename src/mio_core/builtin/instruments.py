"""Built-in plugin: MIO's evaluation instruments, in Swedish and English (package data)."""

from __future__ import annotations

from functools import cache

from .. import data
from ..io.converter import structure
from ..io.yamlio import parse_yaml
from ..model import Instrument
from ..plugins.manager import hookimpl


@cache
def builtin_instruments() -> tuple[Instrument, ...]:
    """Return the instruments shipped with mio_core, read from its package data."""
    return tuple(
        structure(parse_yaml(text, f"mio_core/data/instruments/{name}"), Instrument)
        for name, text in data.instrument_files()
    )


@hookimpl
def mio_register_instruments() -> list[Instrument]:
    """mio-module-evaluation, mio-innovation-leadership, mio-utilisation and mio-coaching."""
    return list(builtin_instruments())
