"""The scale benchmark: times every stage of mio_core on synthetic programmes of three sizes.

    python benchmarks/run.py --size S M L [--repeat 3] [--out results.json]

Sizes (all made by mio_core's synthetic generator, seed 2017):
  S  one cohort of 25 managers
  M  one county: Östergötland's 13 municipalities x 50 managers
  L  national: 290 municipalities x 50 managers = 14 500 managers, over a million answers

Stages, each the median of --repeat runs in a fresh process: load (read_workspace), validate
(every rule), evaluate, export csv (the tidy tables with the codebook), export html (the
report plugin, when installed); peak RSS of the process that runs them. The floor is measured
in the same run on the same files: PyYAML's C loader and csv.reader reading them, and
csv.writer writing as many rows as the csv export wrote. The table gives each stage's time,
its ratio to the floor and the cost per manager.

The stages run with the cyclic garbage collector off, as the ``mio`` command runs each
command. The library itself never touches the collector: a program that calls it with the
collector on pays more (see docs/performance.md), and may pause it, or call ``gc.freeze()``
after loading, where it owns the process.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {
    "S": {"municipalities_count": 1, "managers_per_municipality": 25, "county": "05"},
    "M": {"municipalities_count": 13, "managers_per_municipality": 50, "county": "05"},
    "L": {"municipalities_count": 290, "managers_per_municipality": 50},
}

STAGES = r"""
import gc; gc.disable()  # as the mio command does around each command (mio_core.cli)
import csv, json, resource, sys, tempfile, time
from pathlib import Path
import mio_core as m
from mio_core.evaluation import evaluate
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
registry = m.load_registry()
times = {}
t = time.perf_counter(); result = m.read_workspace(folder); times["load"] = time.perf_counter() - t
workspace = result.workspace
t = time.perf_counter(); problems = m.check_workspace(workspace, registry, result.broken); times["validate"] = time.perf_counter() - t
assert not problems, problems[:3]
t = time.perf_counter(); evaluation = evaluate(workspace, registry); times["evaluate"] = time.perf_counter() - t
source = m.ExportSource(workspace=workspace, registry=registry, language="en", identified=True, evaluation=evaluation)
t = time.perf_counter(); m.run_export(registry.exporter("csv"), source, out / "csv", force=True); times["export csv"] = time.perf_counter() - t
# the pipeline's peak, before this script reads the tables back to count their rows
times["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rows = 0
for p in (out / "csv").glob("*.csv"):
    with p.open(encoding="utf-8", newline="") as stream:
        rows += sum(1 for _ in csv.reader(stream)) - 1
times["csv_rows"] = rows
print(json.dumps(times))
"""

REPORT = r"""
import gc; gc.disable()  # as the mio command does around each command (mio_core.cli)
import json, sys, time
from pathlib import Path
import mio_core as m
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
registry = m.load_registry()
if "html" not in registry.exporters:
    print(json.dumps({})); raise SystemExit
workspace = m.load_workspace(folder)
t = time.perf_counter()
source = m.prepare_source(workspace, registry, language="en", identified=True)
m.run_export(registry.exporter("html"), source, out / "report.html", force=True)
seconds = time.perf_counter() - t
print(json.dumps({"export html": seconds, "html_bytes": (out / "report.html").stat().st_size}))
"""

FLOOR = r"""
import csv, json, sys, time
from pathlib import Path
import yaml
folder, rows = Path(sys.argv[1]), int(sys.argv[2])
out = Path(sys.argv[3])
t = time.perf_counter()
for path in sorted(folder.rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
for path in sorted(folder.glob("responses/*.csv")):
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.reader(stream):
            pass
read = time.perf_counter() - t
t = time.perf_counter()
with (out / "floor.csv").open("w", encoding="utf-8", newline="") as stream:
    writer = csv.writer(stream)
    row = ["p-0123456789ab", "mio-module-evaluation", "module:m1", "m1", "2017-02-08", "rel1", "4", "0"]
    for _ in range(rows):
        writer.writerow(row)
write = time.perf_counter() - t
print(json.dumps({"read": read, "write": write}))
"""


def run(code: str, *args: str) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_of(repeat: int, code: str, *args: str) -> dict[str, float]:
    runs = [run(code, *args) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def startup(repeat: int = 15) -> dict[str, float]:
    def timed(command: list[str]) -> float:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    mio = [sys.executable, "-m", "mio_core"]
    bare = timed([sys.executable, "-c", "pass"])
    return {
        "python -c pass": bare,
        "import mio_core": timed([sys.executable, "-c", "import mio_core"]) - bare,
        "mio --help": timed([*mio, "--help"]) - bare,
    }


def cli_times(folder: Path, out: Path, repeat: int) -> dict[str, float]:
    def timed(*args: str) -> float:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mio_core", *args], capture_output=True, check=True)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    times = {"mio validate": timed("validate", str(folder)), "mio evaluate": timed("evaluate", str(folder))}
    import mio_core as m

    if "html" in m.load_registry().exporters:
        times["mio export --format html"] = timed(
            "export", str(folder), "--format", "html", "--out", str(out / "cli.html"), "--identified", "--force"
        )
    return times


PEER = Path(__file__).resolve().parent / "peer.py"


def timed_process(command: list[str]) -> tuple[float, float, str, float]:
    """Run ``command`` in a fresh process; return (seconds, its peak RSS in MiB, stderr,
    its CPU seconds: user + system — less disturbed than seconds on a shared machine)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {errors}")
    return seconds, usage.ru_maxrss / 1024, errors, usage.ru_utime + usage.ru_stime


#: Whether the as-used table times mio-analyse too (``--no-analyse`` leaves it out).
ANALYSE = True


def as_used(folder: Path, out: Path, repeat: int) -> dict[str, object]:
    """Time the commands as a user runs them, each in a fresh process, in this order:
    validate, evaluate --format json, export csv, export html — with no cache (--no-cache),
    with an empty cache (cold: the first command after a clone), and again (warm); then
    evaluate after a comment and after a new title in one cohort file; the peer script;
    and, with mio-analyse installed, ``mio analyse --format json`` and ``mio evaluate`` with
    its analyses section (``--plugin mio_analyse.sections``, no cache), all in the same run."""
    import shutil

    mio = [sys.executable, "-m", "mio_core"]
    cohort = sorted((folder / "cohorts").glob("*.yaml"))[0]
    runs: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}
    reread: dict[str, list[int]] = {}
    html_bytes = 0

    def record(name: str, measured: tuple[float, float, str, float]) -> None:
        runs.setdefault(name, []).append(measured[0])
        cpu.setdefault(name, []).append(measured[3])
        peaks[name] = max(peaks.get(name, 0.0), measured[1])

    for attempt in range(repeat):
        shutil.rmtree(folder / ".mio" / "cache", ignore_errors=True)
        for phase, extra in (("no cache", ["--no-cache"]), ("cold", []), ("warm", [])):
            target = out / f"{phase.replace(' ', '-')}-{attempt}"
            commands = {
                "validate": ["validate", str(folder)],
                "evaluate --format json": ["evaluate", "--format", "json", str(folder)],
                "export csv": ["export", str(folder), "--format", "csv", "--out", f"{target}-csv"],
                "export html": [
                    "export", str(folder), "--format", "html", "--out", f"{target}.html"
                ],
            }
            for name, args in commands.items():
                record(f"{phase}: {name}", timed_process([*mio, *extra, *args]))
            html_bytes = Path(f"{target}.html").stat().st_size
        # Two edits of one cohort file, each followed by `mio evaluate`: a comment (what
        # reading the file gives is the same: the kept result is printed) and its title (a
        # value: the evaluation is computed again).
        text = cohort.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines(True) if line.startswith("  en: "))
        edits = {
            "after a comment in one cohort file": text + f"# edited {attempt}\n",
            "after a new title in one cohort file": text.replace(
                title, f"{title.rstrip()} (edited {attempt})\n", 1
            ),
        }
        for name, edited in edits.items():
            cohort.write_text(edited, encoding="utf-8")
            evaluate = [*mio, "--verbose", "evaluate", "--format", "json", str(folder)]
            measured = timed_process(evaluate)
            record(f"{name}: evaluate --format json", measured)
            reread.setdefault(name, []).append(measured[2].count("mio: read "))
        peer = [sys.executable, str(PEER), str(folder), str(out / f"peer-{attempt}")]
        record("peer script (pandas + SciPy)", timed_process(peer))
        if ANALYSE and importlib.util.find_spec("mio_analyse") is not None:  # statsmodels
            analyse = ["analyse", str(folder), "--format", "json"]
            record("analyse --format json (mio-analyse)", timed_process([*mio, *analyse]))
            section = ["--no-cache", "--plugin", "mio_analyse.sections", "evaluate", str(folder)]
            record("no cache: evaluate with the analyses section", timed_process([*mio, *section]))
    medians = {name: statistics.median(values) for name, values in runs.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
    for phase in ("no cache", "cold", "warm"):
        three = ("validate", "evaluate --format json", "export csv")
        total = f"{phase}: validate + evaluate + export csv"
        medians[total] = sum(medians[f"{phase}: {name}"] for name in three)
        cpu_medians[total] = sum(cpu_medians[f"{phase}: {name}"] for name in three)
    return {
        "seconds": medians,
        "cpu_seconds": cpu_medians,
        "peak_rss_mb": peaks,
        "files_reread_after_edit": {name: max(counts) for name, counts in reread.items()},
        "html_bytes": html_bytes,
    }


def measure(size: str, repeat: int) -> dict[str, object]:
    import mio_core as m

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "ws"
        start = time.perf_counter()
        summary = m.write_synthetic_workspace(folder, seed=2017, **SIZES[size])  # type: ignore[arg-type]
        generated = time.perf_counter() - start
        workspace = m.load_workspace(folder)
        managers = len(workspace.participants)
        answers = sum(len(r.answers) for r in workspace.responses)
        out = Path(scratch) / "out"
        out.mkdir()
        stages = median_of(repeat, STAGES, str(folder), str(out))
        stages.update(median_of(repeat, REPORT, str(folder), str(out)))
        floor = median_of(repeat, FLOOR, str(folder), str(int(stages["csv_rows"])), str(out))
        result: dict[str, object] = {
            "size": size,
            "summary": summary,
            "managers": managers,
            "answers": answers,
            "bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
            "generate_s": generated,
            "stages": stages,
            "floor": floor,
        }
        if size == "S":
            result["cli"] = cli_times(folder, out, repeat)
        result["as_used"] = as_used(folder, out, repeat)
        return result


def table(results: list[dict[str, object]], start: dict[str, float]) -> str:
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "",
        "| size | managers | answers | stage | seconds | × floor | ms per manager |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        stages, floor = r["stages"], r["floor"]  # type: ignore[index]
        managers = r["managers"]
        read_floor, write_floor = floor["read"], floor["write"]  # type: ignore[index]
        core = ["load", "validate", "evaluate", "export csv"]
        rows = [(name, stages[name], None) for name in core]  # type: ignore[index]
        pipeline = sum(stages[name] for name in core)  # type: ignore[index]
        rows.insert(1, ("load", stages["load"], stages["load"] / read_floor))  # type: ignore[index]
        rows.pop(0)
        rows[-1] = ("export csv", stages["export csv"], stages["export csv"] / write_floor)  # type: ignore[index]
        rows.append(("load+validate+evaluate+csv", pipeline, pipeline / (read_floor + write_floor)))
        if "export html" in stages:  # type: ignore[operator]
            rows.append(("export html", stages["export html"], None))  # type: ignore[index]
        rows.append(("floor: read YAML+CSV", read_floor, 1.0))
        rows.append(("floor: write CSV rows", write_floor, 1.0))
        for name, seconds, ratio in rows:
            lines.append(
                f"| {r['size']} | {managers:,} | {r['answers']:,} | {name} | {seconds:.3f} | "
                f"{'' if ratio is None else f'{ratio:.2f}'} | {1000 * seconds / managers:.3f} |"  # type: ignore[operator]
            )
        lines.append(f"| {r['size']} | | | peak RSS | {stages['peak_rss_mb']:.0f} MiB | | |")  # type: ignore[index]
        if "html_bytes" in stages:  # type: ignore[operator]
            lines.append(f"| {r['size']} | | | HTML report size | {stages['html_bytes'] / 1024:.0f} KiB | | |")  # type: ignore[index]
    lines.append("")
    lines.append("| start-up (median of 15) | ms |")
    lines.append("|---|---:|")
    for name, seconds in start.items():
        label = name if name == "python -c pass" else f"{name} (on top of python -c pass)"
        lines.append(f"| {label} | {1000 * seconds:.0f} |")
    for r in results:
        used = r.get("as_used")
        if not used:
            continue
        seconds, peaks = used["seconds"], used["peak_rss_mb"]  # type: ignore[index]
        cpu = used["cpu_seconds"]  # type: ignore[index]
        peer, peer_cpu = seconds["peer script (pandas + SciPy)"], cpu["peer script (pandas + SciPy)"]
        lines.append("")
        lines.append(
            f"| {r['size']}: as used, fresh processes | seconds | × peer | CPU s | × peer | peak RSS |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name, value in seconds.items():
            peak = f"{peaks[name]:.0f} MiB" if name in peaks else ""
            lines.append(
                f"| {name} | {value:.2f} | {value / peer:.2f} | {cpu[name]:.2f} | "
                f"{cpu[name] / peer_cpu:.2f} | {peak} |"
            )
        for name, count in used["files_reread_after_edit"].items():  # type: ignore[index]
            lines.append(f"| files read again {name} | {count} | | | | |")
        lines.append(f"| HTML report size | {used['html_bytes'] / 1024:.0f} KiB | | | | |")  # type: ignore[index]
    for r in results:
        if "cli" in r:
            lines.append("")
            lines.append(f"| {r['size']}: command | seconds |")
            lines.append("|---|---:|")
            for name, seconds in r["cli"].items():  # type: ignore[union-attr]
                lines.append(f"| {name} | {seconds:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", nargs="+", choices=sorted(SIZES), default=["S", "M"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--no-analyse",
        action="store_true",
        help="leave out mio-analyse's models (minutes at L: its mixed models are the slow part)",
    )
    options = parser.parse_args()
    global ANALYSE
    ANALYSE = not options.no_analyse
    results = [measure(size, options.repeat) for size in options.size]
    start = startup()
    print(table(results, start))
    if options.out:
        options.out.write_text(json.dumps({"results": results, "startup": start}, indent=2, default=str))


if __name__ == "__main__":
    main()
