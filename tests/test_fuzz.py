"""Fuzzing: no input makes the loaders or importers raise anything but the library's own
problems, hang or blow up memory. 8 000 generated inputs in all under the ci Hypothesis
profile (see the counts; the dev profile runs a tenth)."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.builtin.importers import read_csv
from mio_core.importing.check import check_rows
from mio_core.importing.table import read_table
from mio_core.io.converter import structure_problems
from mio_core.io.responses import read_responses
from mio_core.io.yamlio import YamlProblem, decode, parse_yaml
from mio_core.model import Cohort, Concept, Instrument, Manifest
from mio_core.testing import make_registry

DEADLINE = dt.timedelta(seconds=2)
REGISTRY = make_registry(builtins=True)
YAML_ALPHABET = "ab:- \n\t[]{},&*!|>'\"#?%@`0123456789.~\\\x00\u00e5"


def fuzz(times: int):  # type: ignore[no-untyped-def]
    """Settings for ``times`` the profile's examples (the ci profile: 100 each)."""
    return settings(
        max_examples=times * settings.default.max_examples,
        deadline=DEADLINE,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


yaml_like = st.one_of(
    st.binary(max_size=400),
    st.text(alphabet=YAML_ALPHABET, max_size=400).map(lambda t: t.encode("utf-8")),
)


@fuzz(40)
@given(yaml_like)
def test_yaml_bytes_give_a_problem_or_a_value(data: bytes) -> None:
    try:
        value = parse_yaml(decode(data, "f.yaml"), "f.yaml")
    except YamlProblem as problem:
        assert problem.problem.file == "f.yaml" and problem.problem.code
        return
    for cls in (Cohort, Concept, Instrument, Manifest):
        structure_problems(value, cls, lambda error: None)


csv_like = st.one_of(
    st.binary(max_size=400),
    st.text(alphabet='respondt,;"\n\r\tp0123456789.-x\u00e5\ufeff', max_size=400).map(
        lambda t: t.encode("utf-8")
    ),
)


@fuzz(30)
@given(csv_like)
def test_csv_bytes_give_problems_never_an_exception(data: bytes) -> None:
    table = read_csv(data, "survey.csv")
    workspace = EXAMPLE_WORKSPACE
    instrument = REGISTRY.instrument("mio-utilisation")
    read = read_table(table, "survey.csv", instrument, "follow-up:6m")
    problems = [
        *read.problems,
        *check_rows(read, workspace, REGISTRY, "mio-utilisation", "follow-up:6m"),
    ]
    assert all(p.line is None or p.line >= 1 for p in problems)
    text = data.decode("utf-8", errors="replace")
    read_responses(text, "responses/x.pre.csv", "mio-utilisation", "follow-up:6m")


def mutate(text: str, rng: random.Random) -> str:
    """Damage a file the way people and tools do: cut, insert, duplicate, swap, retype."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(6)
        if choice == 0 and text:
            start = rng.randrange(len(text))
            text = text[:start] + text[start + rng.randint(1, 20) :]
        elif choice == 1:
            at = rng.randrange(len(text) + 1)
            text = (
                text[:at]
                + rng.choice([*YAML_ALPHABET, "\n  ", ": ", "- ", "&a ", "*a"])
                + text[at:]
            )
        elif choice == 2 and lines:
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            text = "".join(lines)
        elif choice == 3 and len(lines) > 1:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif choice == 4:
            text = text.replace(
                rng.choice(["2017", "p0", "m1", "'05'", "first-line", ": "]),
                rng.choice(["", "x", "2017-13", "[", "0114"]),
                1,
            )
        else:
            text = text[: rng.randrange(len(text) + 1)]  # a truncated save
        lines = text.splitlines(keepends=True)
    return text


@pytest.fixture(scope="module")
def small_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small") / "ws"
    m.write_synthetic_workspace(folder, municipalities_count=1, managers_per_municipality=6, seed=5)
    return folder


# Each example reads and checks a whole workspace, so this was a third of the whole suite's
# time at 3 500 examples; 1 000 under the ci profile still mutate each of the eight files
# about 125 times a run (and a new seed each run).
@fuzz(10)
@given(
    st.randoms(use_true_random=False),
    st.sampled_from(
        [
            "concept.yaml",
            "people.yaml",
            "organisations.yaml",
            "mio.yaml",
            "cohort",
            "coaching",
            "projects",
            "responses",
        ]
    ),
)
def test_mutated_workspace_files_give_located_problems(
    small_workspace: Path, rng: random.Random, which: str
) -> None:
    folder = {
        "cohort": "cohorts",
        "coaching": "coaching",
        "projects": "projects",
        "responses": "responses",
    }.get(which)
    path = next((small_workspace / folder).iterdir()) if folder else small_workspace / which
    original = path.read_bytes()
    try:
        path.write_text(mutate(original.decode("utf-8"), rng), encoding="utf-8")
        result = m.read_workspace(small_workspace)
        for problem in result.problems:
            assert problem.file and problem.code and problem.message
        if result.workspace is not None:
            m.check_workspace(result.workspace, REGISTRY, result.broken)
    finally:
        path.write_bytes(original)


def test_hostile_inputs_stay_within_memory(tmp_path: Path) -> None:
    bomb = (
        "a: &a ["
        + ",".join(["x"] * 50)
        + "]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 50) + "]\n"
            for i in range(10)
        )
    )
    wide = "[" + ",".join(["1"] * 200_000) + "]"
    for text in (bomb, wide, "[" * 100_000 + "]" * 100_000, "a: " + "x" * 5_000_000):
        tracemalloc.start()
        with contextlib.suppress(YamlProblem):
            parse_yaml(text, "f.yaml")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 200 * 1024 * 1024, peak


EXAMPLE_WORKSPACE = m.load_workspace(Path(__file__).resolve().parent.parent / "examples" / "mio")
