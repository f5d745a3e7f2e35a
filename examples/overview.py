"""Load the MIO example workspace and print an overview of it.

python examples/overview.py [WORKSPACE] [LANGUAGE]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import mio_core as m
from mio_core.model import text_in

HERE = Path(__file__).resolve().parent


def main(folder: str | Path = HERE / "mio", language: str = "en") -> str:
    workspace = m.load_workspace(folder)
    lines = [text_in(workspace.concept.title, language), ""]
    modules = sorted(workspace.concept.modules, key=lambda module: module.order)
    lines.append(f"{len(modules)} modules, {sum(module.hours for module in modules):g} hours:")
    lines += [f"  {module.order}. {text_in(module.title, language)}" for module in modules]
    organisations = {o.id: o.name for o in workspace.organisations}
    per_organisation = Counter(organisations[p.organisation] for p in workspace.participants)
    lines.append(f"\n{len(workspace.participants)} managers:")
    lines += [f"  {name}: {count}" for name, count in sorted(per_organisation.items())]
    for cohort in workspace.cohorts:
        came = sum(len(s.attended) for s in cohort.sessions)
        possible = len(cohort.participants) * len(cohort.sessions)
        lines.append(
            f"\n{text_in(cohort.title, language) or cohort.id}: delivered by "
            f"{organisations[cohort.delivered_by]}, attendance {came / possible:.0%}"
        )
    stages = Counter(project.stage for project in workspace.projects)
    lines.append(
        "\nInnovation projects per stage: "
        + ", ".join(f"{s} {n}" for s, n in sorted(stages.items()))
    )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", default=HERE / "mio", help="default: the example")
    parser.add_argument("language", nargs="?", default="en", help="sv or en (default en)")
    arguments = parser.parse_args()
    print(main(arguments.workspace, arguments.language))
