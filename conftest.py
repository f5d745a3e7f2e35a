"""Hypothesis profiles for every test suite in this repository.

``dev`` (the default on a developer's machine) runs a tenth of the examples so that the
whole suite answers quickly; ``ci`` (chosen when the environment has ``CI=true``, as
``.ci/run`` runs, or by ``HYPOTHESIS_PROFILE=ci``) runs them all. Tests that want more or
fewer examples than the default ask for a multiple of the profile's ``max_examples``, so
both profiles scale together. Neither has a deadline: how long an example takes is the
benchmark's business (``benchmarks/``), and on a busy machine a deadline fails a test that
is right.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=100, derandomize=False, print_blob=True, deadline=None)
settings.register_profile("dev", max_examples=10, deadline=None)
settings.load_profile(
    os.environ.get(
        "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
    )
)


@pytest.fixture(autouse=True)
def _no_workspace_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run without the workspace cache (``.mio/cache/``) unless a test turns it on:
    a test must not write into the shipped example, and results must not depend on the
    order tests run in. tests/io/test_cache.py runs every command with it and without."""
    monkeypatch.setenv("MIO_NO_CACHE", "1")


@pytest.fixture(autouse=True)
def _no_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mio's per-user files (``$XDG_CACHE_HOME/mio``: the index of plugin commands, the
    workspace cache's key) go to a scratch folder, never into the real home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))


_EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "examples")
_BEFORE = pytest.StashKey[dict[str, tuple[int, int]]]()


def _examples_state() -> dict[str, tuple[int, int]]:
    """{path: (size, mtime_ns)} of every file under examples/ (the bundled workspaces)."""
    state = {}
    for folder, _, files in os.walk(_EXAMPLES):
        for name in files:
            path = os.path.join(folder, name)
            info = os.stat(path)
            state[os.path.relpath(path, _EXAMPLES)] = (info.st_size, info.st_mtime_ns)
    return state


def _is_worker(config: pytest.Config) -> bool:
    """True in a pytest-xdist worker: only the process that started the run checks, before
    the first worker starts and after the last one ends."""
    return hasattr(config, "workerinput")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _is_worker(session.config):
        session.config.stash[_BEFORE] = _examples_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a test wrote into the bundled examples: tests work on copies
    (``mio_core.testing.copy_workspace``), as a user's workspace must never be touched."""
    before = session.config.stash.get(_BEFORE, None)
    if before is None:
        return
    after = _examples_state()
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if changed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"tests wrote into examples/: {', '.join(changed[:10])}", red=True)
