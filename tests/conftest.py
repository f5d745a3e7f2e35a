"""Shared fixtures: the bundled MIO example workspace and a scratch copy of it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mio_core.testing import copy_workspace

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "mio"


@pytest.fixture
def example() -> Path:
    """The example workspace as shipped (read only)."""
    return EXAMPLE


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A scratch copy of the example workspace that a test may change."""
    target = tmp_path / "mio"
    copy_workspace(EXAMPLE, target)
    return target


def snapshot(folder: Path) -> dict[str, str]:
    """Return the hash of every file below ``folder``, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
