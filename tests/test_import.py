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
