"""The shape of the code: no global side effects in the library, no import circles, one
small public API that the first-party plugins keep to."""

from __future__ import annotations

import gc
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.testing import make_registry

SRC = Path(m.__file__).resolve().parent
REPO = SRC.parent.parent


def _gc_recorder(seen: list[bool]) -> types.ModuleType:
    """A plugin whose rule records whether the collector is on while it runs."""

    def check(workspace: object, context: object) -> Iterator[m.Problem]:
        seen.append(gc.isenabled())
        return iter(())

    module = types.ModuleType("gc_recorder")

    @m.hookimpl
    def mio_register_rules() -> list[m.Rule]:
        return [m.Rule(name="gc-recorder", title="records the collector", check=check)]

    module.mio_register_rules = mio_register_rules  # type: ignore[attr-defined]
    return module


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_library_pipeline_leaves_the_collector_on(example: Path, tmp_path: Path) -> None:
    seen: list[bool] = []
    registry = make_registry(_gc_recorder(seen), builtins=True)
    result = m.read_workspace(example)
    assert gc.isenabled()
    assert result.workspace is not None
    m.check_workspace(result.workspace, registry, result.broken)
    assert seen == [True]
    source = m.prepare_source(result.workspace, registry, language="en", identified=True)
    assert gc.isenabled()
    m.run_export(registry.exporter("csv"), source, tmp_path / "csv")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_cli_pauses_the_collector_during_a_command_and_restores_it(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    import mio_core.plugins.manager as manager

    real = manager.load_registry

    def with_recorder(**kwargs: object) -> m.Registry:
        return real(plugins=[_gc_recorder(seen)], entry_points=False, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(manager, "load_registry", with_recorder)
    result = CliRunner().invoke(main, ["validate", str(example)])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()


def test_only_the_cli_switches_the_collector_off() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "gc.disable" in path.read_text(encoding="utf-8") and path.name != "cli.py"
    ]
    assert offenders == []
