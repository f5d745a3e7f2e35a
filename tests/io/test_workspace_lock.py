"""Two commands at once: writers of a workspace take turns under ``.mio/lock``, a second one
waits or is refused by name, a killed holder leaves no lock, and no update is lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import mio_core as m
from mio_core.io.lock import LOCK_FILE, workspace_lock

from ..helpers import EXAMPLE

TARGET = "responses/mio-utilisation.follow-up.6m.csv"
HEADER = "respondent,date,ops1,ops2,ops3,proj1,proj2,beyond1,beyond2"
SRC = str(Path(__file__).resolve().parents[2] / "src")
PYTHONPATH = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p)


def test_saving_to_a_file_is_a_mio_error_naming_it(workspace: Path, tmp_path: Path) -> None:
    # a developer's wrong path, not NotADirectoryError from making .mio/ inside a file
    file = tmp_path / "notes.txt"
    file.write_text("mine", encoding="utf-8")
    with pytest.raises(m.MioError, match=r"notes\.txt is a file, not a workspace folder"):
        m.save_workspace(m.load_workspace(workspace), file)
    assert file.read_text(encoding="utf-8") == "mine"


def test_a_second_writer_is_refused_naming_the_holder(workspace: Path) -> None:
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with workspace_lock(workspace, "import"):
            held.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        with (
            pytest.raises(m.WorkspaceLockedError) as caught,
            workspace_lock(workspace, "erase", timeout=0.2),
        ):
            pass
    finally:
        done.set()
        holder.join()
    message = str(caught.value)
    assert "`mio import`" in message and f"process {os.getpid()}" in message
    assert "MIO_LOCK_TIMEOUT" in message


def test_a_writer_waits_for_the_holder_to_finish(workspace: Path) -> None:
    order: list[str] = []
    held = threading.Event()

    def hold() -> None:
        with workspace_lock(workspace, "import"):
            held.set()
            threading.Event().wait(0.3)
            order.append("first")

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    with workspace_lock(workspace, "save", timeout=10):
        order.append("second")
    holder.join()
    assert order == ["first", "second"]


def test_the_lock_is_reentrant_and_its_file_goes_when_released(workspace: Path) -> None:
    with workspace_lock(workspace, "erase", timeout=0):
        with workspace_lock(workspace, "save", timeout=0):
            assert (workspace / LOCK_FILE).exists()
        assert (workspace / LOCK_FILE).exists()
    assert not (workspace / LOCK_FILE).exists()


def test_the_lock_of_a_killed_process_is_free(workspace: Path) -> None:
    code = (
        "import sys, time\n"
        "from mio_core.io.lock import workspace_lock\n"
        "with workspace_lock(sys.argv[1], 'import'):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(workspace)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": PYTHONPATH},
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "locked\n"
        with pytest.raises(m.WorkspaceLockedError), workspace_lock(workspace, "save", timeout=0):
            pass
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert (workspace / LOCK_FILE).exists()  # left behind, but nobody holds it
        with workspace_lock(workspace, "save", timeout=0):
            pass
    finally:
        process.kill()
        process.wait()


def test_a_bad_lock_timeout_is_a_clear_error(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIO_LOCK_TIMEOUT", "soon")
    with (
        pytest.raises(m.MioError, match="MIO_LOCK_TIMEOUT='soon' is not a number"),
        workspace_lock(workspace, "save"),
    ):
        pass


# -- real processes at once -------------------------------------------------------------


def mio(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mio_core", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": PYTHONPATH, "MIO_LOCK_TIMEOUT": "60"},
    )


def importing(workspace: Path, file: Path) -> subprocess.Popen[str]:
    return mio(
        "import",
        str(workspace),
        str(file),
        "--instrument",
        "mio-utilisation",
        "--occasion",
        "follow-up:6m",
    )


def rows(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[1:]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


COHORT_A = [f"p{n:02d},2018-05-31,4,4,3,3,4,2,{n % 5 + 1}" for n in range(1, 9)]
COHORT_B = [f"p{n:02d},2019-05-29,3,5,4,4,2,2,{n % 5 + 1}" for n in range(13, 21)]


def test_two_imports_started_together_both_land(tmp_path: Path) -> None:
    a, b = write(tmp_path / "a.csv", COHORT_A), write(tmp_path / "b.csv", COHORT_B)
    for attempt in range(10):
        workspace = tmp_path / f"ws{attempt}"
        shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".mio"))
        (workspace / TARGET).unlink()
        first, second = importing(workspace, a), importing(workspace, b)
        outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
        assert [first.returncode, second.returncode] == [0, 0], outputs
        assert sorted(rows(workspace / TARGET)) == sorted(COHORT_A + COHORT_B)
        assert not (workspace / LOCK_FILE).exists()


def test_an_import_during_an_erasure_never_brings_the_person_back(tmp_path: Path) -> None:
    # The import holds p03's answers; whichever runs first, p03 is gone at the end, and the
    # import either landed (before the erasure) or was refused naming p03 (after it).
    survey = write(tmp_path / "b.csv", [*COHORT_B, "p03,2019-05-29,1,1,1,1,1,1,1"])
    outcomes = set()
    for attempt in range(4):
        workspace = tmp_path / f"ws{attempt}"
        shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".mio"))
        (workspace / TARGET).unlink()
        erasing, adding = mio("erase", str(workspace), "p03", "--yes"), importing(workspace, survey)
        erased, imported = (p.communicate(timeout=120)[0] for p in (erasing, adding))
        assert erasing.returncode == 0, erased
        if adding.returncode == 0:
            outcomes.add("imported first")
            assert set(COHORT_B) <= set(rows(workspace / TARGET))
        else:
            outcomes.add("refused")
            assert "'p03' is not a participant" in imported, imported
        for path in workspace.rglob("*"):
            if path.is_file() and ".mio" not in path.parts:
                assert "p03" not in path.read_text(encoding="utf-8"), path
        assert "Traceback" not in erased + imported
    assert outcomes  # which happened depends on the scheduler; both are right
