"""The HTML report: its content, suppression, and that a real browser renders it cleanly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import mio_report
import pytest

import mio_core as m
from mio_core.evaluation import all_instruments
from mio_core.export import make_options
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
REGISTRY = make_registry(mio_report, builtins=True)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def report(folder: Path, out: Path, language: str = "en") -> str:
    source = m.prepare_source(m.load_workspace(folder), REGISTRY, language=language)
    return m.run_export(REGISTRY.exporter("html"), source, out).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ws") / "mio"
    copy_workspace(EXAMPLE, folder)
    return folder


@pytest.fixture(scope="module")
def english(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    report(workspace, out, "en")
    return out


def test_the_report_has_every_section(english: Path) -> None:
    html = english.read_text(encoding="utf-8")
    for section in (
        "concept",
        "participation",
        "level-l1",
        "level-l2",
        "level-l3",
        "coaching",
        "projects",
        "reliability",
        "response-rates",
        "methods",
    ):
        assert f'<section id="{section}">' in html
    assert "Perceived relevance: answers per module" in html and "Cronbach&#39;s alpha" in html
    # attendance, relevance, stages, facets, outcomes (the example's change is suppressed)
    assert html.count('role="img"') >= 5


def test_the_report_is_self_contained(english: Path) -> None:
    html = english.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "<script" not in html


def test_no_names_or_emails_in_the_report(english: Path) -> None:
    html = english.read_text(encoding="utf-8")
    for person in m.load_workspace(EXAMPLE).participants:
        assert person.name not in html and (person.email or "@@") not in html


def test_the_swedish_report(workspace: Path, tmp_path: Path) -> None:
    html = report(workspace, tmp_path / "rapport.html", "sv")
    assert '<html lang="sv">' in html
    assert "Upplevd relevans: svar per utbildningsdag" in html and "Metodbilaga" in html
    assert re.search(r"\d,\d\d", html)  # decimal comma


def test_suppressed_groups_are_shown_as_suppressed(workspace: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict"
    shutil.copytree(workspace, strict)
    manifest = strict / "mio.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("min_group_size: 5", "min_group_size: 11"),
        encoding="utf-8",
    )
    html = report(strict, tmp_path / "r.html")
    assert 'class="suppressed"' in html and "suppressed (n&lt;11)" in html


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={cwd / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def console_errors(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line and ("Error" in line or "Uncaught" in line)
    ]


def test_the_console_check_catches_an_error(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>notAFunction();</script></body></html>")
    result = chromium("--dump-dom", page.as_uri(), cwd=tmp_path)
    assert console_errors(result.stderr)


def test_headless_chromium_renders_the_report_without_console_errors(
    english: Path, tmp_path: Path
) -> None:
    screenshot = tmp_path / "report.png"
    result = chromium(
        "--window-size=1100,2600", f"--screenshot={screenshot}", english.as_uri(), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert not console_errors(result.stderr)
    assert screenshot.stat().st_size > 50_000  # a blank page is a few kilobytes
    dom = chromium("--dump-dom", english.as_uri(), cwd=tmp_path).stdout
    assert dom.count("<svg") >= 5 and "Perceived relevance: answers per module" in dom
    # Keep the screenshot where a person (or CI) can look at it.
    default = Path(__file__).resolve().parents[3] / "build" / "test-artifacts"
    keep = Path(os.environ.get("MIO_TEST_ARTIFACTS", default))
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot, keep / "report.png")
    print(f"screenshot of the report: {keep / 'report.png'}")


# --- The report as people read it: headline first, accessible, no ids, prints to A4 -------

VENDOR = Path(__file__).resolve().parent / "vendor"
#: The example's report printed to A4 (first screen, concept, detail, methods); more pages
#: than this means the detail is a table dump again.
MAX_PRINTED_PAGES = 12
#: The four headline charts end within this many CSS pixels of the top of the page, at a
#: 1100 px wide window (the first screen of a laptop, scrolled once at most).
FIRST_SCREEN = 1400
PYTHON_REPR = re.compile(
    r"\bNone\b|\bnan\b|\{'|\['|\('|<[\w.]+ object at|\b(Text|Count|Series)\(|datetime\."
)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated programme of the 13 municipalities of Östergötland."""
    folder = tmp_path_factory.mktemp("county") / "programme"
    m.write_synthetic_workspace(folder, municipalities_count=13, county="05", seed=15)
    return folder


def workspace_ids(folder: Path) -> dict[str, set[str]]:
    """The workspace's ids that must never reach a reader: ``coded`` look like ids in any
    language (digits, hyphens, colons); ``words`` (and the enum values) are English words
    that must not appear in a Swedish report."""
    workspace = m.load_workspace(folder)
    concept = workspace.concept
    ids = {o.id for o in workspace.organisations} | {c.id for c in workspace.cohorts}
    ids |= {p.id for p in workspace.participants} | {c.id for c in workspace.coaches}
    ids |= {mod.id for mod in concept.modules} | {p.id for p in workspace.projects}
    instruments = all_instruments(workspace, REGISTRY)
    ids |= set(instruments) | {s.id for i in instruments.values() for s in i.subscales}
    ids |= {f"module:{mod.id}" for mod in concept.modules}
    lifecycle = REGISTRY.lifecycles.get(concept.lifecycle)
    words = {s.id for s in lifecycle.stages} if lifecycle else set()
    words |= {p.role.value for p in concept.partners}
    words |= {"enhancement", "mission", "adaptive", "anticipatory", "unit", "individual"}
    coded = {i for i in ids if re.search(r"[-_:0-9]", i)}
    return {"coded": coded, "words": (ids - coded) | words}


def raw_ids(text: str, ids: dict[str, set[str]], language: str) -> list[str]:
    candidates = ids["coded"] | (ids["words"] if language == "sv" else set())
    return sorted(i for i in candidates if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))


def read_in_browser(html: Path, tmp_path: Path) -> tuple[dict[str, object], list[str]]:
    """Open a copy of the report with axe-core and the harness inlined; return what the
    harness found (axe's violations, the visible text, the headline charts' positions,
    the heading levels) and the console errors."""
    import html as markup
    import json

    axe = (VENDOR / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    harness = (VENDOR / "harness.js").read_text(encoding="utf-8")
    page = tmp_path / f"checked-{html.stem}.html"
    scripts = f"<script>{axe}</script><script>{harness}</script></body>"
    page.write_text(html.read_text(encoding="utf-8").replace("</body>", scripts), "utf-8")
    result = chromium(
        "--window-size=1100,1400",
        "--virtual-time-budget=60000",
        "--dump-dom",
        page.as_uri(),
        cwd=tmp_path,
    )
    found = re.search(r'<pre id="mio-test-result">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    return json.loads(markup.unescape(found.group(1))), console_errors(result.stderr)


def test_the_raw_id_check_finds_an_id_in_visible_text() -> None:
    ids = {"coded": {"stockholm-2017h-1", "m1"}, "words": {"researcher"}}
    assert raw_ids("Cohort stockholm-2017h-1 | m1", ids, "en") == ["m1", "stockholm-2017h-1"]
    assert raw_ids("Parter: LiU (researcher)", ids, "sv") == ["researcher"]
    assert raw_ids("Parter: LiU (researcher)", ids, "en") == []
    assert raw_ids("Modul m10 och m1-x", ids, "en") == []


@pytest.mark.parametrize("programme", ["example", "county"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_report_reads_cleanly_in_a_browser(
    programme: str,
    language: str,
    workspace: Path,
    county: Path,
    tmp_path: Path,
) -> None:
    folder = workspace if programme == "example" else county
    out = tmp_path / f"{programme}-{language}.html"
    report(folder, out, language)
    found, errors = read_in_browser(out, tmp_path)
    assert not errors, errors
    assert found.get("error") is None, found["error"]
    assert found["violations"] == [], found["violations"]
    text = str(found["text"])
    assert raw_ids(text, workspace_ids(folder), language) == []
    assert not PYTHON_REPR.search(text), PYTHON_REPR.search(text)
    # the first section is the headline, with its four charts on the first screen
    assert found["first"] == "headline"
    headline = found["headline"]
    assert isinstance(headline, list) and len(headline) == 4
    assert all(chart["bottom"] <= FIRST_SCREEN for chart in headline), headline
    # headings in order: one h1, and no level skipped on the way down
    levels = found["headings"]
    assert isinstance(levels, list) and levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels


def test_the_example_prints_to_a_few_a4_pages(english: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    result = chromium(
        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", english.as_uri(), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 2 <= pages <= MAX_PRINTED_PAGES
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == pages
    # A4 is 210 x 297 mm = 595.3 x 841.9 points
    assert all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)


# --- One report per reader -----------------------------------------------------------------


def test_every_municipality_of_a_county_gets_its_own_report(county: Path, tmp_path: Path) -> None:
    workspace = m.load_workspace(county)
    source = m.prepare_source(workspace, REGISTRY, language="sv")
    exporter = REGISTRY.exporter("html")
    whole = m.run_export(exporter, source, tmp_path / "programme.html").read_text("utf-8")
    places = [o for o in workspace.organisations if o.kind == "municipality"]
    assert len(places) == 13
    for place in places:
        options = make_options(exporter, {"organisation": place.id})
        html = m.run_export(exporter, source, tmp_path / f"{place.id}.html", options)
        text = html.read_text(encoding="utf-8")
        assert f"Rapporten är för {place.name}" in text
        assert "Per grupp" not in text  # its own groups beside the total, not hidden
        assert len(text) < len(whole)


def test_a_cohort_report_from_the_command_line(workspace: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mio_core.cli import main

    cohort = m.load_workspace(workspace).cohorts[0]
    out = tmp_path / "cohort.html"
    args = ["export", str(workspace), "--format", "html", "--language", "en"]
    result = CliRunner().invoke(main, [*args, "--option", f"cohort={cohort.id}", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "This report is for Östergötland 2017" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, [*args, "--option", "cohort=nope", "--out", str(out) + "x"])
    assert bad.exit_code != 0 and "no cohort 'nope'" in bad.output
    assert "Traceback" not in bad.output


def test_a_national_programme_groups_the_detail_by_county(tmp_path: Path) -> None:
    folder = tmp_path / "national"
    m.write_synthetic_workspace(folder, municipalities_count=40, managers_per_municipality=5)
    html = report(folder, tmp_path / "national.html", "sv")
    counties = re.findall(r"<summary>Resultat, ([^<—]+) — Per grupp", html)
    assert sorted(set(counties)) == ["Stockholms län", "Södermanlands län", "Uppsala län"]
    headline = html[html.index('<section id="headline"') : html.index("</section>")]
    assert headline.count('role="img"') == 4  # the first screen is the same


def test_a_bar_tooltip_writes_its_share_as_the_tables_do() -> None:
    from mio_report.charts import diverging_bars

    # 33 of 40 is 82.5 %: half up, 83 %, with the language's percent sign
    svg = diverging_bars([("m1", [0, 7, 33])], ["low", "middle", "high"], "t", "hidden", "sv")
    assert "<title>high: 83 %</title>" in svg
    svg = diverging_bars([("m1", [0, 7, 33])], ["low", "middle", "high"], "t", "hidden", "en")
    assert "<title>high: 83%</title>" in svg


def test_the_swedish_report_says_when_it_was_made_in_swedish(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709640000")  # 2024-03-05T12:00:00Z
    html = report(workspace, tmp_path / "rapport.html", "sv")
    assert "Skapad 5 mars 2024</p>" in html
    assert "1 februari 2017 till 31 oktober 2018" in html
