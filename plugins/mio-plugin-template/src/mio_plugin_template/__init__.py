"""An example mio_core plugin: an instrument, an export format and a validation rule.

Copy this distribution, rename the package and the entry point, and keep the hooks you
need. Each hook is a plain function marked with ``mio_core.hookimpl``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO

import attrs

import mio_core as m
from mio_core.model import (
    Instrument,
    Item,
    ResponseScale,
    ScaleLabel,
    Subscale,
    Translations,
    Workspace,
)
from mio_core.textsafety import spreadsheet_text

__version__ = "0.1.0"

PULSE = Instrument(
    id="workplace-pulse",
    title=Translations({"sv": "Arbetsplatspuls", "en": "Workplace pulse"}),
    description=Translations(
        {
            "sv": "Fyra korta frågor till medarbetarna om idéer på arbetsplatsen.",
            "en": "Four short questions to employees about ideas at the workplace.",
        }
    ),
    level="reaction",
    target="participant",
    occasions=("pre", "follow-up:6m"),
    scales=(
        ResponseScale(
            id="agree5",
            min=1,
            max=5,
            labels=(
                ScaleLabel(
                    value=1,
                    text=Translations({"sv": "Instämmer inte alls", "en": "Strongly disagree"}),
                ),
                ScaleLabel(
                    value=5, text=Translations({"sv": "Instämmer helt", "en": "Strongly agree"})
                ),
            ),
        ),
    ),
    items=(
        Item(
            id="voice",
            text=Translations(
                {"sv": "Mina idéer blir lyssnade på.", "en": "My ideas are listened to."}
            ),
        ),
        Item(
            id="time",
            text=Translations(
                {
                    "sv": "Det finns tid att pröva nya sätt att arbeta.",
                    "en": "There is time to try new ways of working.",
                }
            ),
        ),
        Item(
            id="support",
            text=Translations(
                {
                    "sv": "Min chef stöttar när vi prövar något nytt.",
                    "en": "My manager backs us when we try something new.",
                }
            ),
        ),
        Item(
            id="fear",
            text=Translations(
                {
                    "sv": "Det är riskabelt att föreslå förändringar här.",
                    "en": "It is risky to suggest changes here.",
                }
            ),
        ),
    ),
    subscales=(
        Subscale(
            id="idea-climate",
            title=Translations({"sv": "Idéklimat", "en": "Idea climate"}),
            items=("voice", "time", "support", "fear"),
            reverse=("fear",),
        ),
    ),
    source="mio-plugin-template (example wording)",
    licence="CC0-1.0",
)


@attrs.frozen
class AttendanceOptions:
    """Options of the attendance export."""

    only_absent: bool = False


def write_attendance(
    source: m.ExportSource, stream: IO[str], options: AttendanceOptions | None
) -> None:
    """Write one row per cohort, module session and participant: present or absent."""
    options = options or AttendanceOptions()
    names = {p.id: p.name for p in source.workspace.participants}
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(
        [
            "cohort",
            "module",
            "date",
            "participant",
            *(["name"] if source.identified else []),
            "present",
        ]
    )
    for cohort in source.workspace.cohorts:
        for session in cohort.sessions:
            for participant in cohort.participants:
                present = participant in session.attended
                if options.only_absent and present:
                    continue
                # text from the workspace is data: a name like "=HYPERLINK(...)" must not
                # become a formula when the file is opened in a spreadsheet
                name = [spreadsheet_text(names.get(participant, ""))] if source.identified else []
                writer.writerow(
                    [
                        cohort.id,
                        session.module,
                        session.date.isoformat(),
                        participant,
                        *name,
                        int(present),
                    ]
                )


ATTENDANCE = m.Exporter(
    name="attendance-csv",
    title="Attendance register (CSV)",
    suffix=".csv",
    media_type="text/csv",
    write=write_attendance,
    options_type=AttendanceOptions,
    description="One row per cohort, module session and participant, with 1 = present.",
)


def small_cohorts(workspace: Workspace, context: m.RuleContext) -> Iterator[m.Problem]:
    """Warn about cohorts too small for their results to be shown (minimum group size)."""
    minimum = workspace.manifest.privacy.min_group_size
    for cohort in workspace.cohorts:
        if len(cohort.participants) < minimum:
            yield context.problem(
                "cohort",
                cohort.id,
                ("participants",),
                "template-small-cohort",
                f"{len(cohort.participants)} participants: fewer than the minimum group size "
                f"{minimum}, so this cohort's results will be suppressed",
                severity="warning",
            )


SMALL_COHORTS = m.Rule(
    name="template-small-cohorts", title="Cohorts large enough to report", check=small_cohorts
)


@m.hookimpl
def mio_register_instruments() -> list[Instrument]:
    return [PULSE]


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [ATTENDANCE]


@m.hookimpl
def mio_register_rules() -> list[m.Rule]:
    return [SMALL_COHORTS]
