"""`import mio_core` is cheap: no plugin, no optional dependency, no file read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "mio"

OPTIONAL = ("numpy", "scipy", "jinja2", "openpyxl", "matplotlib", "pandas", "frictionless")


def modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_import_loads_only_the_package_itself() -> None:
    loaded = modules_after("import mio_core")
    assert {name for name in loaded if name.startswith("mio_core")} == {"mio_core"}
    assert not {name.split(".")[0] for name in loaded} & {*OPTIONAL, "yaml", "cattrs", "pluggy"}


def test_validating_needs_no_optional_dependency() -> None:
    loaded = modules_after(f"import mio_core; mio_core.validate_workspace({str(EXAMPLE)!r})")
    assert not {name.split(".")[0] for name in loaded} & set(OPTIONAL)


#: What listing the plugins' commands used to import for `mio --help`: the plugin contract
#: with the io and model behind it, cattrs, and the first-party plugins.
HEAVY = (
    "mio_core.plugins",
    "mio_core.io.cache",
    "mio_core.model",
    "cattrs",
    "pluggy",
    "mio_analyse",
    "mio_forms",
    "mio_report",
)


def heavy_in(loaded: set[str]) -> set[str]:
    return {name for name in loaded if any(name == h or name.startswith(f"{h}.") for h in HEAVY)}


def modules_of_mio(*args: str, env: dict[str, str], cwd: Path) -> set[str]:
    """Run `mio ARGS` in a fresh process in `cwd` and return the modules it had imported.

    `cwd` is on its `sys.path` (`python -c`), so it must not change between runs that are
    to share the index of plugin commands."""
    code = (
        "import sys\n"
        f"sys.argv = ['mio', *{list(args)!r}]\n"
        "from mio_core.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=cwd
    )
    return set(result.stderr.rpartition("MODULES ")[2].split())


def _mio_env(cache: Path) -> dict[str, str]:
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("MIO_")}
    return {**env, "XDG_CACHE_HOME": str(cache)}


def test_mio_help_with_a_current_index_imports_no_plugin(tmp_path: Path) -> None:
    env, work = _mio_env(tmp_path / "cache"), tmp_path / "work"
    work.mkdir()
    assert "mio_analyse" in modules_of_mio("--help", env=env, cwd=work)  # builds the index
    loaded = modules_of_mio("--help", env=env, cwd=work)
    assert not heavy_in(loaded)


def test_help_of_a_built_in_command_imports_no_plugin(tmp_path: Path) -> None:
    loaded = modules_of_mio("validate", "--help", env=_mio_env(tmp_path), cwd=tmp_path)
    assert not heavy_in(loaded)
