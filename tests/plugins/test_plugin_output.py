"""What a plugin prints never ends up in mio's standard output, which is often data.

`mio evaluate --format json`, `mio plugins --json`... write data to standard output; a
`print()` left in a plugin went there too and made it unreadable. It goes to standard
error instead, each line naming the plugin.
"""

from __future__ import annotations

import json
import textwrap
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.model import Workspace
from mio_core.testing import make_registry

WARNING = "mio: warning: plugin 'chatty' printed to standard output: "


def chatty(**hooks: object) -> types.ModuleType:
    plugin = types.ModuleType("chatty")
    for name, function in hooks.items():
        function.__name__ = name  # type: ignore[attr-defined]
        setattr(plugin, name, m.hookimpl(function))
    return plugin


def test_what_a_hook_prints_at_load_goes_to_stderr_naming_the_plugin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def mio_register_rules() -> list[m.Rule]:
        print("registering", end="")
        print(" my rules")
        return []

    registry = make_registry(chatty(mio_register_rules=mio_register_rules))
    out, err = capsys.readouterr()
    assert [p.name for p in registry.plugins] == ["chatty"]
    assert (out, err) == ("", WARNING + "registering my rules\n")


def test_what_a_rule_prints_goes_to_stderr_naming_the_plugin(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def check(workspace: Workspace, context: m.RuleContext) -> list[m.Problem]:
        print(f"checking {len(workspace.participants)} participants")
        return []

    def mio_register_rules() -> list[m.Rule]:
        return [m.Rule(name="chatty-rule", title="Chatty", check=check)]

    registry = make_registry(chatty(mio_register_rules=mio_register_rules), builtins=True)
    capsys.readouterr()
    assert m.validate_workspace(workspace, registry) == []
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(WARNING + "checking ") and err.count("\n") == 1


def test_what_an_exporter_prints_goes_to_stderr_and_not_into_the_export(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def write(source: m.ExportSource, stream: object, options: object) -> None:
        print("writing")
        stream.write("data\n")  # type: ignore[attr-defined]

    def mio_register_exporters() -> list[m.Exporter]:
        return [
            m.Exporter(
                name="chatty-text",
                title="Chatty",
                suffix=".txt",
                media_type="text/plain",
                write=write,
            )
        ]

    registry = make_registry(chatty(mio_register_exporters=mio_register_exporters), builtins=True)
    target = tmp_path / "out.txt"
    capsys.readouterr()
    source = m.prepare_source(m.load_workspace(workspace), registry, identified=True)
    m.run_export(registry.exporter("chatty-text"), source, target)
    out, err = capsys.readouterr()
    assert (out, err) == ("", WARNING + "writing\n")
    assert target.read_text(encoding="utf-8") == "data\n"


def test_evaluate_json_stays_json_when_a_plugin_prints(workspace: Path, tmp_path: Path) -> None:
    plugin = tmp_path / "chatty.py"
    plugin.write_text(
        textwrap.dedent(
            """
            import mio_core as m
            print("imported")

            @m.hookimpl
            def mio_evaluation_analyses(workspace):
                print("analysing")
                return []
            """
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["--plugin", str(plugin), "evaluate", str(workspace), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), dict)
    assert result.stderr.splitlines() == [WARNING + "imported", WARNING + "analysing"]


def test_another_thread_prints_to_standard_output_while_a_plugin_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # an application that embeds mio_core prints from its own threads meanwhile
    import sys
    import threading

    from mio_core.plugins.output import plugin_output

    before = sys.stdout
    inside, printed = threading.Event(), threading.Event()

    def plugin_call() -> None:
        with plugin_output("chatty"):
            inside.set()
            printed.wait(5)
            print("from the plugin")

    worker = threading.Thread(target=plugin_call)
    worker.start()
    inside.wait(5)
    print("from the application")
    printed.set()
    worker.join(5)
    out, err = capsys.readouterr()
    assert out == "from the application\n"
    assert err == f"{WARNING}from the plugin\n"
    assert sys.stdout is before


def test_plugin_calls_that_overlap_in_two_threads_give_standard_output_back() -> None:
    import sys
    import threading

    from mio_core.plugins.output import plugin_output

    before = sys.stdout
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with plugin_output("a"):
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with plugin_output("b"):
            second_in.set()
            first_out.wait(5)  # the first call ends while this one runs

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert sys.stdout is before
