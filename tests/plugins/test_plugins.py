"""The plugin framework: discovery, isolation of broken plugins, clashes, look-ups."""

from __future__ import annotations

import json
import textwrap
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.model import Instrument, Item, Lifecycle, ResponseScale, Stage, Workspace
from mio_core.plugins import UnknownName
from mio_core.testing import make_registry

SCALE = ResponseScale(id="agree5", min=1, max=5)


def plugin(name: str, **hooks: object) -> types.ModuleType:
    """A plugin module called ``name`` with the given hook implementations."""
    module = types.ModuleType(name)
    for hook, result in hooks.items():

        def implementation(result: object = result) -> object:
            if isinstance(result, Exception):
                raise result
            return result

        implementation.__name__ = hook
        setattr(module, hook, m.hookimpl(implementation))
    return module


def instrument(instrument_id: str) -> Instrument:
    return Instrument(
        id=instrument_id,
        title="Pulse",
        level="reaction",
        scales=(SCALE,),
        items=(Item(id="q1", text="I feel heard"),),
    )


def test_builtins_contribute_lifecycles_instruments_and_rules() -> None:
    registry = make_registry(builtins=True)
    assert set(registry.lifecycles) == {"opsi", "nesta", "double-diamond"}
    assert {
        "mio-module-evaluation",
        "mio-innovation-leadership",
        "mio-utilisation",
        "mio-coaching",
    } <= set(registry.instruments)
    assert "cohorts" in registry.rules
    assert registry.failures == ()


def test_mio_register_instruments() -> None:
    registry = make_registry(plugin("pulse", mio_register_instruments=[instrument("team-pulse")]))
    assert registry.instrument("team-pulse").title == "Pulse"
    assert registry.plugins[0].contributions["instruments"] == ("team-pulse",)


def test_mio_register_exporters() -> None:
    exporter = m.Exporter(
        name="ids",
        title="Ids",
        suffix=".json",
        media_type="application/json",
        write=lambda source, stream, options: None,
    )
    registry = make_registry(plugin("ids", mio_register_exporters=[exporter]))
    assert registry.exporter("ids") is exporter


def test_mio_register_importers() -> None:
    importer = m.Importer(name="acme-survey", title="Acme survey", read=lambda data, file: ([], []))
    registry = make_registry(plugin("acme", mio_register_importers=[importer]))
    assert registry.importer("acme-survey") is importer


def test_mio_register_rules(example: Path) -> None:
    def no_seniors(workspace: Workspace, context: m.RuleContext):  # type: ignore[no-untyped-def]
        for person in workspace.participants:
            if person.level == "senior":
                yield context.problem(
                    "participant",
                    person.id,
                    ("level",),
                    "acme-senior",
                    "no senior managers in this programme",
                )

    rule = m.Rule(name="acme-no-seniors", title="No seniors", check=no_seniors)
    registry = make_registry(plugin("acme", mio_register_rules=[rule]), builtins=True)
    problems = m.validate_workspace(example, registry)
    assert problems and {p.code for p in problems} == {"acme-senior"}
    assert all(p.file == "people.yaml" and p.line is not None for p in problems)


def test_mio_register_lifecycles(workspace: Path) -> None:
    pdsa = Lifecycle(
        name="pdsa",
        title="Plan-Do-Study-Act",
        stages=[Stage(id=s, title=s.title()) for s in ("plan", "do", "study", "act")],
    )
    registry = make_registry(plugin("pdsa", mio_register_lifecycles=[pdsa]), builtins=True)
    concept = workspace / "concept.yaml"
    concept.write_text(concept.read_text(encoding="utf-8") + "lifecycle: pdsa\n", encoding="utf-8")
    problems = m.validate_workspace(workspace, registry)
    assert problems and all(p.code == "unknown-stage" for p in problems)
    assert "plan, do, study, act" in problems[0].message


def test_a_raising_hook_is_reported_by_name_and_the_rest_works() -> None:
    broken = plugin("broken", mio_register_instruments=RuntimeError("database down"))
    registry = make_registry(
        broken, plugin("good", mio_register_instruments=[instrument("good-one")]), strict=False
    )
    assert [f.name for f in registry.failures] == ["broken"]
    assert "RuntimeError: database down" in registry.failures[0].reason
    assert "good-one" in registry.instruments


def test_a_malformed_return_is_reported_by_name() -> None:
    registry = make_registry(
        plugin("sloppy", mio_register_instruments={"id": "x"}),
        plugin("wrong-type", mio_register_lifecycles=["opsi"]),
        strict=False,
    )
    reasons = {f.name: f.reason for f in registry.failures}
    assert "not a list" in reasons["sloppy"]
    assert "where a Lifecycle was expected" in reasons["wrong-type"]


def test_a_name_clash_names_both_plugins() -> None:
    registry = make_registry(
        plugin("first", mio_register_instruments=[instrument("pulse")]),
        plugin("second", mio_register_instruments=[instrument("pulse")]),
        strict=False,
    )
    [failure] = registry.failures
    assert failure.name == "second" and "'first'" in failure.reason and "'pulse'" in failure.reason
    assert registry.instrument("pulse") is not None


def test_a_misspelt_hook_is_caught() -> None:
    registry = make_registry(
        plugin("typo", mio_register_instrument=[instrument("x")]), strict=False
    )
    [failure] = registry.failures
    assert failure.name == "typo" and "mio_register_instrument" in failure.reason


def test_a_hookimpl_without_the_mio_prefix_is_a_failure_naming_plugin_and_function() -> None:
    registry = make_registry(
        plugin(
            "unprefixed",
            register_exporters=[],
            mio_register_instruments=[instrument("kept-out")],
        ),
        strict=False,
    )
    [failure] = registry.failures
    assert failure.name == "unprefixed"
    assert "register_exporters is marked @hookimpl but is not a mio_core hook" in failure.reason
    assert "kept-out" not in registry.instruments


def test_every_unknown_hook_of_a_plugin_is_named_in_its_failure() -> None:
    registry = make_registry(
        plugin("two", register_rules=[], mio_register_exporter=[]), strict=False
    )
    [failure] = registry.failures
    assert "mio_register_exporter, register_rules are marked @hookimpl" in failure.reason


def test_a_disabled_plugin_is_blocked_and_not_registered() -> None:
    registry = m.load_registry(
        plugins=[plugin("pulse", mio_register_instruments=[instrument("team-pulse")])],
        builtins=True,
        entry_points=False,
        disabled=["pulse", "mio_core.builtin.exporters"],
    )
    assert "team-pulse" not in registry.instruments
    assert registry.exporters == {}
    assert {info.name for info in registry.plugins}.isdisjoint(
        {"pulse", "mio_core.builtin.exporters"}
    )
    assert registry.failures == ()


@pytest.mark.parametrize(
    "broken",
    [ValueError("no rules today"), "not a list"],
    ids=["a-hook-raises", "a-hook-returns-the-wrong-thing"],
)
def test_a_plugin_left_out_by_one_hook_contributes_nothing(broken: object) -> None:
    # its instruments hook runs before its rules hook: what it returned is left out too,
    # as the failure says, and another plugin's instrument of the same id is kept
    registry = make_registry(
        plugin("half", mio_register_instruments=[instrument("pulse")], mio_register_rules=broken),
        plugin("whole", mio_register_instruments=[instrument("pulse")]),
        strict=False,
    )
    [failure] = registry.failures
    assert failure.name == "half" and "mio_register_rules" in failure.reason
    assert list(registry.instruments) == ["pulse"]
    [whole] = registry.plugins
    assert whole.contributions["instruments"] == ("pulse",)


def test_strict_mode_makes_a_broken_plugin_fatal() -> None:
    with pytest.raises(m.PluginError, match="broken"):
        make_registry(plugin("broken", mio_register_rules=ValueError("no")), strict=True)


def test_unknown_name_suggests_the_closest() -> None:
    registry = make_registry(builtins=True)
    with pytest.raises(UnknownName, match="did you mean 'mio-utilisation'"):
        registry.instrument("mio-utilization")


def write_plugin(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_local_plugin_by_path_and_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_plugin(
        tmp_path,
        "pdsa_plugin",
        """
        import mio_core as m
        from mio_core.model import Lifecycle, Stage

        @m.hookimpl
        def mio_register_lifecycles():
            plan = Stage(id="plan", title="Plan")
            return [Lifecycle(name="pdsa", title="PDSA", stages=[plan])]
    """,
    )
    assert "pdsa" in m.load_registry(extra=[str(path)], entry_points=False).lifecycles
    monkeypatch.setenv("MIO_PLUGINS", str(path))
    assert "pdsa" in m.load_registry(entry_points=False).lifecycles
    monkeypatch.setenv("MIO_DISABLE_PLUGINS", "pdsa_plugin")
    assert "pdsa" not in m.load_registry(entry_points=False).lifecycles


def test_a_plugin_that_fails_to_import_is_reported(tmp_path: Path) -> None:
    path = write_plugin(tmp_path, "bad_import", "import no_such_module_anywhere\n")
    registry = m.load_registry(extra=[str(path)], entry_points=False, strict=False)
    [failure] = registry.failures
    assert failure.name == "bad_import" and "ModuleNotFoundError" in failure.reason
    assert "opsi" in registry.lifecycles


def test_disabling_a_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = m.load_registry(entry_points=False, disabled=["mio_core.builtin.rules"])
    assert registry.rules == {}


def test_mio_plugins_lists_plugins_and_broken_ones(tmp_path: Path) -> None:
    path = write_plugin(tmp_path, "bad_import", "raise RuntimeError('kaput')\n")
    result = CliRunner().invoke(main, ["--plugin", str(path), "plugins", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = [p["name"] for p in data["plugins"]]
    assert "mio_core.builtin.lifecycles" in names
    assert data["broken"][0]["name"] == "bad_import" and "kaput" in data["broken"][0]["error"]
    text = CliRunner().invoke(main, ["--plugin", str(path), "plugins"]).output
    assert "lifecycles: opsi, nesta, double-diamond" in text and "BROKEN" in text


def test_strict_cli_exits_one_without_traceback(tmp_path: Path, example: Path) -> None:
    path = write_plugin(tmp_path, "bad_import", "raise RuntimeError('kaput')\n")
    result = CliRunner().invoke(main, ["--strict", "--plugin", str(path), "validate", str(example)])
    assert result.exit_code == 1
    assert "kaput" in result.output and "Traceback" not in result.output


def test_a_clash_leaves_out_only_the_clashing_contribution_and_says_so() -> None:
    registry = make_registry(
        plugin("first", mio_register_instruments=[instrument("pulse")]),
        plugin("second", mio_register_instruments=[instrument("pulse"), instrument("other")]),
        strict=False,
    )
    [failure] = registry.failures
    assert registry.instrument("other") is not None
    assert not failure.whole
    assert failure.describe().startswith("plugin 'second': its instrument 'pulse' clashes")


def test_mio_warns_of_a_clash_without_saying_the_plugin_is_left_out(
    tmp_path: Path, example: Path
) -> None:
    source = tmp_path / "clashing.py"
    source.write_text(
        textwrap.dedent(
            """
            import mio_core as m

            def write(source, stream, options):
                stream.write("x")

            @m.hookimpl
            def mio_register_exporters():
                return [m.Exporter(name="csv", title="Mine", suffix=".csv",
                                   media_type="text/csv", write=write),
                        m.Exporter(name="acme-x", title="Acme", suffix=".txt",
                                   media_type="text/plain", write=write)]
            """
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--plugin", str(source), "plugins"])
    assert result.exit_code == 0
    assert "clashing  PARTLY LEFT OUT (" in result.output and "BROKEN" not in result.output
    assert "exporters: acme-x" in result.output
    result = CliRunner().invoke(main, ["--plugin", str(source), "validate", str(example)])
    assert result.exit_code == 0
    assert "mio: warning: plugin 'clashing': its exporter 'csv' clashes" in result.stderr
