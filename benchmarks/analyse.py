"""Time the mio-analyse plugin at size M (a county: 13 municipalities × 50 managers).

    python benchmarks/analyse.py [--repeat 3]

Generates the M programme with the default known effects (seed 2017), then runs
``mio-analyse DIR --format json`` in a fresh process --repeat times and prints the median
wall time, the analyses made and the fitted figures next to the truth. Not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

M = {"municipalities_count": 13, "managers_per_municipality": 50, "county": "05"}
RUN = "from mio_analyse.cli import main; main()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import mio_core as m
    from mio_core.generate.synthetic import EffectSpec, read_truth

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "m"
        m.write_synthetic_workspace(folder, seed=2017, effects=EffectSpec(), **M)  # type: ignore[arg-type]
        times, output = [], ""
        for _ in range(args.repeat):
            start = time.perf_counter()
            output = subprocess.run(
                [sys.executable, "-c", RUN, str(folder), "--format", "json"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            times.append(time.perf_counter() - start)
        report, truth = json.loads(output), read_truth(folder)
    print(f"mio-analyse at M (650 managers): median {statistics.median(times):.1f} s {times}")
    for analysis in report["analyses"]:
        if analysis["kind"] in ("gain", "dose") and analysis["estimates"]:
            e = analysis["estimates"][0]
            true = (
                truth["subscales"][analysis["subscale"]]["gain_post"]
                if analysis["kind"] == "gain"
                else truth["dose_slope_per_hour"]
            )
            print(
                f"  {analysis['kind']:5} {analysis['subscale']:10} {e['estimate']:.3f} "
                f"[{e['ci_low']:.3f}, {e['ci_high']:.3f}]  truth {true}"
            )


if __name__ == "__main__":
    main()
