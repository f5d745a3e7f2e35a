"""Import a survey tool's CSV, evaluate the programme and export the results.

    python examples/import_evaluate_export.py WORKSPACE SURVEY.csv OUT_DIR

The survey export is semicolon-separated with a decimal comma, as Swedish Excel writes it.
The answers are checked and added as the six-month follow-up, then the workspace is
evaluated and exported as a Frictionless data package for researchers (pseudonymised) and
as a Markdown summary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import mio_core as m


def main(workspace: str, survey: str, out: str) -> dict[str, object]:
    registry = m.load_registry()
    report = m.import_responses(
        workspace,
        survey,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        replace=True,
        ignore_columns=["Tidsstämpel"],
    )
    print(f"imported {report.respondents} respondents into {report.file}")

    loaded = m.load_workspace(workspace)
    result = m.evaluate(loaded, registry)
    for group in result.groups:
        if (
            group.instrument == "mio-utilisation"
            and group.group_by == "all"
            and group.measure_kind == "subscale"
        ):
            mean = f"{group.summary.mean:.2f}" if group.summary else "suppressed"
            print(f"utilisation, {group.measure}: {mean}")

    source = m.prepare_source(loaded, registry, language="en")
    package = m.run_export(registry.exporter("datapackage"), source, Path(out) / "package")
    summary = m.run_export(registry.exporter("markdown"), source, Path(out) / "summary.md")
    print(f"wrote {package} and {summary}")
    return {
        "imported": report.respondents,
        "package": package,
        "summary": summary,
        "result": result,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", help="a workspace folder (a copy: the answers are added)")
    parser.add_argument("survey", help="the survey tool's CSV export")
    parser.add_argument("out", help="a new folder for the exports")
    arguments = parser.parse_args()
    try:
        main(arguments.workspace, arguments.survey, arguments.out)
    except m.MioError as error:  # a refused target, a bad file: a message, not a traceback
        sys.exit(f"error: {error}")
