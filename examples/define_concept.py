"""Define a development concept in Python and save it as a workspace.

    python examples/define_concept.py OUT_DIR

A regional intermediary's own two-day concept for school leaders, with one cohort in
Kinda, checked and written as YAML files that a team can keep in version control.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import mio_core as m
from mio_core.model import (
    CoachingDesign,
    Cohort,
    Concept,
    EvaluationPlan,
    Goal,
    Manifest,
    Module,
    ModuleSession,
    Organisation,
    Participant,
    Partner,
    PlannedInstrument,
    Translations,
    Workspace,
)

T = Translations


def build() -> Workspace:
    concept = Concept(
        id="skolledare-innovation",
        title=T({"sv": "Innovation i skolan", "en": "Innovation in schools"}),
        purpose=T(
            {
                "sv": "Rektorer leder förbättringsarbete som utgår från lärarnas idéer.",
                "en": "Principals lead improvement that starts from the teachers' ideas.",
            }
        ),
        target_group=T(
            {"sv": "Rektorer och förskolechefer", "en": "Principals and preschool heads"}
        ),
        goals=[
            Goal(
                id="apply",
                kind="effect",
                text=T(
                    {
                        "sv": "Deltagarna prövar minst en idé från lärarna",
                        "en": "Participants test at least one idea from the teachers",
                    }
                ),
                follow_up=T(
                    {"sv": "Uppföljning efter sex månader", "en": "Follow-up after six months"}
                ),
            ),
        ],
        partners=[Partner(organisation="kinda", role="municipality")],
        modules=[
            Module(
                id="d1",
                order=1,
                hours=6,
                title=T({"sv": "Idéer från klassrummet", "en": "Ideas from the classroom"}),
            ),
            Module(
                id="d2",
                order=2,
                hours=6,
                title=T({"sv": "Pröva i liten skala", "en": "Testing on a small scale"}),
            ),
        ],
        coaching=CoachingDesign(
            approach=T(
                {
                    "sv": "Coachning utifrån rektorns behov",
                    "en": "Coaching from the principal's needs",
                }
            ),
            sessions_per_participant=3,
            session_minutes=60,
        ),
        evaluation=EvaluationPlan(
            instruments=[
                PlannedInstrument(
                    instrument="mio-module-evaluation", occasions=["module:d1", "module:d2"]
                ),
            ]
        ),
    )
    kinda = Organisation(
        id="kinda",
        name="Kinda kommun",
        kind="municipality",
        municipality_code="0513",
        county_code="05",
    )
    people = [
        Participant(
            id=f"r{n}",
            name=name,
            organisation="kinda",
            level="first-line",
            sector="education",
            unit=unit,
        )
        for n, (name, unit) in enumerate(
            [
                ("Karin Holm", "Kisa skola"),
                ("Omar Ali", "Rimforsa skola"),
                ("Lena Berg", "Horn förskola"),
                ("Per Ek", "Björkfors skola"),
                ("Sara Lund", "Kisa förskola"),
            ],
            start=1,
        )
    ]
    cohort = Cohort(
        id="kinda-2026",
        concept=concept.id,
        delivered_by="kinda",
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 6, 15),
        participants=[p.id for p in people],
        sessions=[
            ModuleSession(module="d1", date=dt.date(2026, 2, 12), attended=[p.id for p in people]),
            ModuleSession(
                module="d2", date=dt.date(2026, 4, 16), attended=["r1", "r2", "r3", "r5"]
            ),
        ],
    )
    return Workspace(
        manifest=Manifest(
            title=T({"sv": "Innovation i skolan, Kinda", "en": "Innovation in schools, Kinda"})
        ),
        concept=concept,
        organisations=[kinda],
        participants=people,
        cohorts=[cohort],
    )


def main(out: str) -> list[m.Problem]:
    workspace = build()
    problems = m.check_workspace(workspace, m.load_registry())
    if problems:
        return problems
    for file in m.save_workspace(workspace, out):
        print(f"wrote {out}/{file}")
    return m.validate_workspace(out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="a new folder for the workspace")
    try:
        found = main(parser.parse_args().out)
    except m.MioError as error:
        sys.exit(f"error: {error}")
    for problem in found:
        print(problem.format())
    sys.exit(1 if found else 0)
