"""Write a small plugin in a script — an instrument and an export format — and use it.

    python examples/custom_plugin.py WORKSPACE OUT.txt

A plugin is any object with `@mio_core.hookimpl` functions; here it is this module itself,
passed to `load_registry(plugins=[...])`. Published plugins use an entry point instead (see
docs/plugins.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import IO

import mio_core as m
from mio_core.model import Instrument, Item, ResponseScale, Subscale, Translations

T = Translations

WELLBEING = Instrument(
    id="manager-wellbeing",
    title=T({"sv": "Chefens arbetssituation", "en": "The manager's work situation"}),
    level="reaction",
    occasions=("pre", "post"),
    scales=(ResponseScale(id="agree5", min=1, max=5),),
    items=(
        Item(
            id="time",
            text=T(
                {"sv": "Jag har tid att leda utveckling.", "en": "I have time to lead development."}
            ),
        ),
        Item(
            id="support",
            text=T({"sv": "Jag får stöd av min chef.", "en": "My own manager supports me."}),
        ),
    ),
    subscales=(Subscale(id="situation", title="Work situation", items=("time", "support")),),
)


def write_sessions_per_module(source: m.ExportSource, stream: IO[str], options: object) -> None:
    """One line per module: how many sessions were given and how many people came."""
    for module in sorted(source.workspace.concept.modules, key=lambda module: module.order):
        sessions = [
            s for c in source.workspace.cohorts for s in c.sessions if s.module == module.id
        ]
        came = sum(len(s.attended) for s in sessions)
        stream.write(f"{module.id}\t{len(sessions)} sessions\t{came} attendances\n")


@m.hookimpl
def mio_register_instruments() -> list[Instrument]:
    return [WELLBEING]


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [
        m.Exporter(
            name="sessions",
            title="Sessions per module",
            suffix=".txt",
            media_type="text/plain",
            write=write_sessions_per_module,
        )
    ]


def main(workspace: str, out: str) -> str:
    registry = m.load_registry(plugins=[sys.modules[__name__]], entry_points=False)
    print("instruments:", ", ".join(sorted(registry.instruments)))
    source = m.prepare_source(m.load_workspace(workspace), registry, identified=True)
    written = m.run_export(registry.exporter("sessions"), source, out)
    return written.read_text(encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", help="a workspace folder, e.g. examples/mio")
    parser.add_argument("out", help="the text file to write (must not exist yet)")
    arguments = parser.parse_args()
    try:
        print(main(arguments.workspace, arguments.out))
    except m.MioError as error:  # a refused target, a bad file: a message, not a traceback
        sys.exit(f"error: {error}")
