"""The HTML report: its content, suppression, and that a real browser renders it cleanly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import mio_report
import pytest

import mio_core as m
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
