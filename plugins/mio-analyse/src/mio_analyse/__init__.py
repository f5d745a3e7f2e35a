"""mio-analyse: the models a programme's evaluation needs (statsmodels), as the ``analysis`` format.

``analyse_folder(path)`` (or ``mio analyse``, also installed as the ``mio-analyse`` command)
runs them on a workspace folder's research export; ``mio export DIR --format analysis``
writes them through mio_core's exporter hook. statsmodels is imported only when an analysis runs.
"""

from __future__ import annotations

from typing import IO, Any

import attrs
import click

import mio_core as m
from mio_core.textsafety import show_controls

__version__ = "0.1.0"

__all__ = [
    "AnalysisOptions",
    "AnalysisReport",
    "analyse_folder",
    "analyse_source",
    "analyse_workspace",
    "mio_register_commands",
    "mio_register_exporters",
]


def _format(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("text", "json"):
        raise ValueError(f"format must be text or json, not {value!r}")


@attrs.frozen(kw_only=True)
class AnalysisOptions:
    """Options of the ``analysis`` export format."""

    format: str = attrs.field(default="text", validator=_format)


def _write(source: m.ExportSource, stream: IO[str], options: AnalysisOptions | None) -> None:
    from .report import analyse_source, to_json, to_text

    report = analyse_source(source)
    options = options or AnalysisOptions()
    # workspace text (instrument and subscale titles) is data: controls shown as \uXXXX
    stream.write(show_controls(to_json(report) if options.format == "json" else to_text(report)))


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [
        m.Exporter(
            name="analysis",
            title="Statistical analyses: mixed models of change, ICC, dose, attrition",
            suffix=".txt",
            media_type="text/plain",
            write=_write,
            options_type=AnalysisOptions,
            description=(
                "Linear mixed models of each subscale's change (statsmodels), the "
                "municipality ICC, dose-response, attrition, Holm-adjusted p and follow-up "
                "persistence, with their assumptions; text, or JSON with format=json. "
                "Research exports only."
            ),
        )
    ]


@m.hookimpl
def mio_register_commands(cli: click.Group) -> None:
    """``mio analyse DIR``: the ``mio-analyse`` command as a ``mio`` subcommand."""
    from .cli import main

    cli.add_command(main, name="analyse")


def __getattr__(name: str) -> Any:
    if name in ("AnalysisReport", "analyse_folder", "analyse_source", "analyse_workspace"):
        from . import report

        return getattr(report, name)
    raise AttributeError(name)
