"""Fixtures the every-format properties of tests/export share (one per module)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pseudonymisation key for every example (each workspace copy would make its own)."""
    return tmp_path_factory.mktemp("key") / "pseudonym.key"


@pytest.fixture(scope="module")
def fits() -> dict[tuple[str, ...], Any]:
    """mio-analyse's mixed models as fitted, by input, across the examples."""
    return {}
