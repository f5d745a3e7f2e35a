"""A workspace kept in git by a team: each clone appends to its own audit log, and the logs
merge; what belongs to one computer (the key, the lock) is never committed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import attrs
import pytest

import mio_core as m
from mio_core.privacy import audit

from ..helpers import EXAMPLE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        capture_output=True,
        text=True,
    )


def drop_from_register(folder: Path, module: str, person: str) -> None:
    """Save the workspace with ``person`` left out of the register of ``module`` (2017)."""
    workspace = m.load_workspace(folder)
    cohort = workspace.cohorts[0]
    sessions = tuple(
        attrs.evolve(s, attended=tuple(p for p in s.attended if p != person))
        if s.module == module
        else s
        for s in cohort.sessions
    )
    cohort = attrs.evolve(cohort, sessions=sessions)
    m.save_workspace(attrs.evolve(workspace, cohorts=(cohort, *workspace.cohorts[1:])), folder)


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """Two coordinators' clones of a workspace whose first change made its audit log."""
    origin = tmp_path / "origin"
    shutil.copytree(EXAMPLE, origin, ignore=shutil.ignore_patterns(".mio"))
    drop_from_register(origin, "m2", "p01")
    git(origin, "init", "-q", "-b", "main", ".")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "workspace")
    first, second = tmp_path / "first", tmp_path / "second"
    for clone in (first, second):
        git(tmp_path, "clone", "-q", str(origin), clone.name)
    return first, second


def test_two_clones_audit_logs_merge_without_a_conflict(
    clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = clones
    # two coordinators: their lines differ by user even when written in the same second
    # (two identical lines added on both sides are one line to git's union merge)
    monkeypatch.setattr(audit, "operating_system_user", lambda: "coordinator-a")
    drop_from_register(first, "m1", "p03")
    monkeypatch.setattr(audit, "operating_system_user", lambda: "coordinator-b")
    drop_from_register(second, "m5", "p12")
    for clone in clones:
        git(clone, "commit", "-q", "-a", "-m", "register")
    git(first, "pull", "-q", "--no-rebase", "--no-edit", str(second), "main")

    merged = git(first, "status", "--porcelain")

    assert merged.stdout == ""
    assert [e["command"] for e in audit.read(first)] == ["save", "save", "save"]
    assert m.validate_workspace(first) == []


@pytest.mark.parametrize("name", ["pseudonym.key", "lock", ".pseudonym.key.a1b2.tmp"])
def test_what_belongs_to_one_computer_is_ignored_by_git(
    clones: tuple[Path, Path], name: str
) -> None:
    first, _ = clones

    ignored = git(first, "check-ignore", "-q", f".mio/{name}")

    assert ignored.returncode == 0


def test_the_audit_log_itself_is_committed(clones: tuple[Path, Path]) -> None:
    first, _ = clones

    tracked = git(first, "ls-files", ".mio")

    assert tracked.stdout.split() == [".mio/.gitattributes", ".mio/.gitignore", ".mio/audit.log"]


def test_a_gitattributes_of_the_users_own_is_kept(tmp_path: Path) -> None:
    (tmp_path / ".mio").mkdir()
    own = "audit.log -merge\n"
    (tmp_path / ".mio/.gitattributes").write_text(own, encoding="utf-8")

    audit.record(tmp_path, "save", ["people.yaml"])

    assert (tmp_path / ".mio/.gitattributes").read_text(encoding="utf-8") == own
