"""The public API as a developer who embeds mio_core calls it: a mistake of the caller's is
named in words, not an AttributeError from deep inside."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mio_core as m
from mio_core.testing import make_registry

TAKES_A_WORKSPACE: dict[str, Callable[[Any, m.Registry, Path], object]] = {
    "evaluate": lambda ws, registry, _: m.evaluate(ws, registry),
    "check_workspace": lambda ws, registry, _: m.check_workspace(ws, registry),
    "prepare_source": lambda ws, registry, _: m.prepare_source(ws, registry),
    "build_view": lambda ws, registry, example: m.build_view(
        m.evaluate(m.load_workspace(example), registry), ws, registry
    ),
    "save_workspace": lambda ws, _, example: m.save_workspace(ws, example.parent / "saved"),
}


@pytest.mark.parametrize("name", sorted(TAKES_A_WORKSPACE))
def test_a_folder_given_where_a_loaded_workspace_is_taken_says_to_load_it(
    example: Path, name: str
) -> None:
    registry = make_registry(builtins=True)
    with pytest.raises(TypeError) as raised:
        TAKES_A_WORKSPACE[name](str(example), registry, example)
    assert str(raised.value) == (
        f"{name}() takes a Workspace, not str; load it first: "
        f"mio_core.load_workspace({str(example)!r})"
    )
    assert not (example.parent / "saved").exists()


def test_run_export_given_a_format_name_says_to_get_the_exporter(
    example: Path, tmp_path: Path
) -> None:
    registry = make_registry(builtins=True)
    source = m.prepare_source(m.load_workspace(example), registry, identified=True)
    with pytest.raises(TypeError, match=r"takes an Exporter \(registry.exporter\(name\)\)"):
        m.run_export("csv", source, tmp_path / "out")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_run_export_given_a_workspace_says_to_prepare_the_source(
    example: Path, tmp_path: Path
) -> None:
    registry = make_registry(builtins=True)
    workspace = m.load_workspace(example)
    with pytest.raises(TypeError, match=r"takes an ExportSource \(mio_core.prepare_source"):
        m.run_export(registry.exporter("csv"), workspace, tmp_path / "out")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_run_export_refuses_options_as_a_mapping_rather_than_ignore_them(
    example: Path, tmp_path: Path
) -> None:
    # a dict was handed to the exporter, which read none of it: exact=True was dropped
    registry = make_registry(builtins=True)
    source = m.prepare_source(m.load_workspace(example), registry, identified=True)
    with pytest.raises(TypeError, match="make_options"):
        m.run_export(registry.exporter("csv"), source, tmp_path / "out", {"exact": "true"})
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("read", [m.load_workspace, m.read_workspace])
def test_a_registry_given_second_to_load_workspace_says_to_name_it(
    example: Path, read: Callable[..., object]
) -> None:
    # validate_workspace(path, registry) takes it second; load_workspace(path, limits, *,
    # registry=) does not: it was an AttributeError on the Registry
    with pytest.raises(TypeError, match=r"not a Registry; give the registry as registry="):
        read(example, make_registry(builtins=True))
