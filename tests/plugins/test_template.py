"""The author's kit: plugins/mio-plugin-template installs into a fresh venv and works.

A real `pip install` into a new virtual environment that sees mio_core (and pytest) from
the running environment; then `mio plugins`, `mio validate` and the plugin's own tests run
in it, and `pip uninstall` takes the contributions away again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from mio_core.testing import copy_workspace

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "plugins" / "mio-plugin-template"


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Let the new environment see this one's packages (mio_core, pytest), .pth files included.
    outer = sysconfig.get_paths()["purelib"]
    Path(site, "outer.pth").write_text(
        f"import site; site.addsitedir({outer!r})\n", encoding="utf-8"
    )
    return python


def pip(python: Path, *args: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "--disable-pip-version-check",
            "-q",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    )


def mio(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # mio's per-user files (the command index, the cache key) in the venv's folder, never
    # in the real home's ~/.cache/mio
    cache = python.parent.parent / "user-cache"
    return subprocess.run(
        [python, "-m", "mio_core", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache)},
    )


def plugin_names(python: Path) -> dict[str, dict[str, list[str]]]:
    result = mio(python, "plugins", "--format", "json")
    assert result.returncode == 0, result.stderr
    return {p["name"]: p["contributes"] for p in json.loads(result.stdout)["plugins"]}


def test_install_use_and_uninstall_the_template_plugin(fresh_venv: Path, tmp_path: Path) -> None:
    assert "mio-plugin-template" not in plugin_names(fresh_venv)
    # installed from a copy: building writes an .egg-info next to the sources, never into
    # the repository
    template = tmp_path / "template"
    shutil.copytree(
        TEMPLATE, template, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__")
    )
    pip(fresh_venv, "install", "--no-deps", "--no-build-isolation", str(template))

    contributes = plugin_names(fresh_venv)["mio-plugin-template"]
    assert contributes["instruments"] == ["workplace-pulse"]
    assert contributes["exporters"] == ["attendance-csv"]
    assert contributes["rules"] == ["template-small-cohorts"]

    workspace = tmp_path / "mio"
    copy_workspace(ROOT / "examples" / "mio", workspace)
    manifest = workspace / "mio.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("min_group_size: 5", "min_group_size: 20"),
        encoding="utf-8",
    )
    result = mio(fresh_venv, "validate", str(workspace), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    codes = [p["code"] for p in json.loads(result.stdout)["problems"]]
    assert codes == ["template-small-cohort", "template-small-cohort"]

    tests = subprocess.run(
        [fresh_venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(template / "tests")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr

    pip(fresh_venv, "uninstall", "-y", "mio-plugin-template")
    assert "mio-plugin-template" not in plugin_names(fresh_venv)
    result = mio(fresh_venv, "validate", str(workspace), "--format", "json")
    assert json.loads(result.stdout)["problems"] == []
