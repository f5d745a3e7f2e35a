"""Generate a synthetic county-wide programme (all 13 municipalities of Östergötland) and
report on it.

    python examples/county_programme.py OUT_DIR

The programme is invented — real municipalities, invented managers — and the same for the
same seed. The report is Markdown; with the mio-report plugin installed, an HTML report too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import mio_core as m


def main(out: str, seed: int = 2017) -> dict[str, object]:
    folder = Path(out) / "ostergotland"
    summary = m.write_synthetic_workspace(
        folder, municipalities_count=13, managers_per_municipality=40, county="05", seed=seed
    )
    print(summary)
    registry = m.load_registry()
    problems = m.validate_workspace(folder, registry)
    source = m.prepare_source(m.load_workspace(folder), registry, language="sv")
    written = [m.run_export(registry.exporter("markdown"), source, Path(out) / "rapport.md")]
    if "html" in registry.exporters:
        written.append(m.run_export(registry.exporter("html"), source, Path(out) / "rapport.html"))
    for path in written:
        print(f"wrote {path}")
    return {"problems": problems, "written": written, "source": source}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="a new folder for the programme and its reports")
    parser.add_argument("--seed", type=int, default=2017, help="the same seed, the same programme")
    arguments = parser.parse_args()
    try:
        main(arguments.out, arguments.seed)
    except m.MioError as error:  # a refused target, a bad file: a message, not a traceback
        sys.exit(f"error: {error}")
