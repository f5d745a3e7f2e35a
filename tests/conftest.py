"""Shared fixtures: the bundled MIO example workspace and a scratch copy of it. Helpers
that tests import are in :mod:`tests.helpers`."""

from __future__ import annotations

from pathlib import Path

import pytest

from mio_core.testing import copy_workspace

from .helpers import EXAMPLE


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace as shipped, copied once per session: tests only read it, but an
    export appends to the workspace's audit log, which must not land in the repository."""
    target = tmp_path_factory.mktemp("example") / "mio"
    copy_workspace(EXAMPLE, target)
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A scratch copy of the example workspace that a test may change."""
    target = tmp_path / "mio"
    copy_workspace(EXAMPLE, target)
    return target
