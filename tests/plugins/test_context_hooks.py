"""The hooks with context: a plugin adds a `mio` subcommand, an analysis, a report section."""

from __future__ import annotations

import re
import textwrap
import types
from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.evaluation import (
    Analysis,
    AnalysisFigure,
    Column,
    EvaluationView,
    Row,
    Section,
    Table,
    ViewCell,
)
from mio_core.evaluation.headline import headline
from mio_core.plugins import PluginError
from mio_core.render import render_text
from mio_core.testing import make_registry

ROOT = Path(__file__).resolve().parents[2]


def write_plugin(folder: Path, name: str, source: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


HELLO = """
    import click
    from mio_core import hookimpl

    @hookimpl
    def mio_register_commands(cli):
        @cli.command()
        @click.argument("who")
        def hello(who):
            \"\"\"Greet WHO.\"\"\"
            click.echo(f"hello {who}")
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


# --- mio_register_commands --------------------------------------------------------------


def test_mio_register_commands(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path, "hello_plugin", HELLO)
    code, out, _ = run("--plugin", str(plugin), "hello", "world")
    assert (code, out) == (0, "hello world\n")


def test_a_plugin_command_appears_in_mio_help(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path, "hello_plugin", HELLO)
    code, out, _ = run("--plugin", str(plugin), "--help")
    assert code == 0
    assert re.search(r"^  hello +Greet WHO\.$", out, re.MULTILINE)
    assert "  evaluate  " in out


def test_a_plugin_raising_in_register_commands_leaves_mio_working(tmp_path: Path) -> None:
    plugin = write_plugin(
        tmp_path,
        "raising",
        """
        from mio_core import hookimpl

        @hookimpl
        def mio_register_commands(cli):
            raise RuntimeError("no commands today")
        """,
    )
    code, out, err = run("--plugin", str(plugin), "--help")
    assert code == 0
    assert "  validate  " in out
    assert (
        "mio: warning: plugin 'raising': mio_register_commands raised RuntimeError: "
        "no commands today" in err
    )


def test_a_plugin_that_fails_to_import_leaves_mio_help_working(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path, "unimportable", "raise ImportError('missing dependency')\n")
    code, out, err = run("--plugin", str(plugin), "--help")
    assert code == 0
    assert "  validate  " in out
    assert "plugin 'unimportable' left out: cannot import: ImportError: missing dependency" in err


def test_an_unknown_command_with_a_broken_plugin_is_a_usage_error(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path, "unimportable", "raise ImportError('missing dependency')\n")
    code, _, err = run("--plugin", str(plugin), "hello")
    assert code == 2
    assert "No such command 'hello'" in err
    assert "Traceback" not in err


def test_a_command_named_like_a_builtin_is_refused_naming_the_plugin(tmp_path: Path) -> None:
    plugin = write_plugin(
        tmp_path,
        "usurper",
        """
        import click
        from mio_core import hookimpl

        @hookimpl
        def mio_register_commands(cli):
            @cli.command()
            def evaluate():
                click.echo("not the real one")
        """,
    )
    code, out, err = run("--plugin", str(plugin), "--help")
    assert code == 0
    assert "Print the evaluation of the workspace" in out
    assert (
        "mio: warning: plugin 'usurper': its command 'evaluate' has the name of a built-in "
        "mio command; left out" in err
    )


def test_two_plugins_adding_one_command_name_keep_the_first(tmp_path: Path) -> None:
    first = write_plugin(tmp_path, "first", HELLO)
    second = write_plugin(tmp_path, "second", HELLO.replace("hello {who}", "hi {who}"))
    code, out, err = run("--plugin", str(first), "--plugin", str(second), "hello", "you")
    assert (code, out) == (0, "hello you\n")
    assert "plugin 'second': its command 'hello' clashes with the one from plugin 'first'" in err


def test_a_builtin_command_does_not_load_the_plugins(tmp_path: Path, example: Path) -> None:
    plugin = write_plugin(tmp_path, "unimportable", "raise ImportError('missing dependency')\n")
    code, _, err = run("--plugin", str(plugin), "validate", "--help")
    assert code == 0
    assert err == ""


def test_strict_makes_a_refused_command_an_error(tmp_path: Path) -> None:
    plugin = write_plugin(
        tmp_path,
        "raising",
        """
        from mio_core import hookimpl

        @hookimpl
        def mio_register_commands(cli):
            raise RuntimeError("broken")
        """,
    )
    registry = m.load_registry(extra=[str(plugin)], builtins=False, entry_points=False, strict=True)
    from mio_core.plugins.commands import plugin_commands

    with pytest.raises(PluginError, match="plugin 'raising' is broken: mio_register_commands"):
        plugin_commands(registry)


def test_strict_mio_help_with_a_broken_plugin_exits_1_without_a_traceback(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path, "unimportable", "raise ImportError('missing dependency')\n")
    code, _, err = run("--strict", "--plugin", str(plugin), "--help")
    assert code == 1
    assert err.startswith("mio: plugin 'unimportable' (local plugin")
    assert "Traceback" not in err


def test_mio_plugins_lists_the_hooks_a_plugin_implements(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path, "hello_plugin", HELLO)
    code, out, _ = run("--plugin", str(plugin), "plugins")
    assert code == 0
    assert "hello_plugin  (local plugin" in out
    assert "  hooks: mio_register_commands" in out


# --- mio_evaluation_analyses ------------------------------------------------------------

IDS = [f"p{i:02d}" for i in range(12)]


class SizesPlugin:
    """Figures over made-up respondent sets whose audit is worked out by hand below."""

    @m.hookimpl
    def mio_evaluation_analyses(self, result: object) -> list[Analysis]:
        return [
            Analysis(
                name="sizes",
                title="Sizes",
                note="made up",
                figures=[
                    AnalysisFigure(label="all", value=12, members=IDS),
                    AnalysisFigure(label="most", value=10, members=IDS[:10]),
                    AnalysisFigure(label="few", value=2, members=IDS[10:]),
                    AnalysisFigure(label="slope", value=0.25),
                ],
            )
        ]


def test_mio_evaluation_analyses(example: Path) -> None:
    workspace = m.load_workspace(example)
    registry = make_registry(SizesPlugin(), builtins=True)
    result = m.evaluate(workspace, registry)
    [analysis] = result.analyses.values()
    assert (analysis.name, analysis.plugin) == ("sizes", "SizesPlugin")
    # k = 5: 'few' (2) is primary; all - most = 2 < 5 reveals it, so the smaller of the
    # two ('most') is hidden as well; the model-level slope has no members and is shown
    assert result.min_group_size == 5
    assert [(f.label, f.value, f.suppressed) for f in analysis.figures] == [
        ("all", 12, None),
        ("most", None, "secondary"),
        ("few", None, "primary"),
        ("slope", 0.25, None),
    ]


def test_an_analysis_is_in_the_json_headline_without_its_respondents(example: Path) -> None:
    workspace = m.load_workspace(example)
    result = m.evaluate(workspace, make_registry(SizesPlugin(), builtins=True))
    [entry] = headline(result)["analyses"]
    assert entry["name"] == "sizes"
    assert entry["figures"][2] == {"label": "few", "value": None, "suppressed": "primary"}
    assert "members" not in entry["figures"][0]


def test_an_analysis_is_a_section_of_the_view(example: Path) -> None:
    workspace = m.load_workspace(example)
    registry = make_registry(SizesPlugin(), builtins=True)
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    section = view.section("analysis-sizes")
    assert section.title == "Sizes"
    text = render_text(view)
    assert "Sizes" in text
    assert "0.25" in text


def test_a_raising_analysis_is_left_out_and_noted_in_the_view(example: Path) -> None:
    class Raising:
        @m.hookimpl
        def mio_evaluation_analyses(self) -> list[Analysis]:
            raise ZeroDivisionError("oops")

    workspace = m.load_workspace(example)
    registry = make_registry(Raising(), SizesPlugin(), builtins=True, strict=False)
    result = m.evaluate(workspace, registry)
    assert list(result.analyses) == ["sizes"]
    assert result.plugin_failures == (
        ("Raising", "mio_evaluation_analyses raised ZeroDivisionError: oops"),
    )
    view = m.build_view(result, workspace, registry, "en")
    assert (
        "Plugin Raising left out: mio_evaluation_analyses raised ZeroDivisionError: oops"
        in view.notes
    )


def test_an_analysis_name_used_twice_keeps_the_first_plugins(example: Path) -> None:
    class Again(SizesPlugin):
        pass

    workspace = m.load_workspace(example)
    registry = make_registry(SizesPlugin(), Again(), builtins=True, strict=False)
    result = m.evaluate(workspace, registry)
    assert result.analyses["sizes"].plugin == "SizesPlugin"
    [(plugin, reason)] = result.plugin_failures
    assert plugin == "Again"
    assert "its analysis 'sizes' clashes with the one from plugin 'SizesPlugin'" in reason


# --- mio_report_sections ----------------------------------------------------------------

SECTION = """
    from mio_core import hookimpl
    from mio_core.evaluation import Column, Row, Section, Table, ViewCell

    @hookimpl
    def mio_report_sections(view, language):
        word = "Avslutning" if language == "sv" else "Closing words"
        table = Table(id="closing", caption=word, columns=(Column(key="k", label=word),),
                      rows=(Row(cells=(ViewCell(value="qwertyuiop-" + language),)),))
        return [Section(id="closing", title=word, intro=f"{len(view.sections)} before",
                        tables=(table,))]
"""


def test_mio_report_sections(tmp_path: Path, example: Path) -> None:
    plugin = write_plugin(tmp_path, "closing", SECTION)
    code, out, _ = run("--plugin", str(plugin), "evaluate", str(example), "--language", "en")
    assert code == 0
    assert "Closing words" in out
    assert "qwertyuiop-en" in out


def test_a_plugin_section_is_in_the_markdown_summary(tmp_path: Path, workspace: Path) -> None:
    plugin = write_plugin(tmp_path, "closing", SECTION)
    target = tmp_path / "summary.md"
    code, _, err = run(
        "--plugin", str(plugin), "export", str(workspace), "--format", "markdown",
        "--out", str(target),
    )  # fmt: skip
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert "qwertyuiop" in text
    assert "Avslutning" in text or "Closing words" in text


def test_a_plugin_section_is_in_the_html_report(tmp_path: Path, workspace: Path) -> None:
    pytest.importorskip("mio_report")
    plugin = write_plugin(tmp_path, "closing", SECTION)
    target = tmp_path / "report.html"
    code, _, err = run(
        "--plugin", str(plugin), "export", str(workspace), "--format", "html",
        "--out", str(target),
    )  # fmt: skip
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert '<section id="closing">' in page
    assert "qwertyuiop" in page


def test_a_section_with_an_id_the_view_has_is_refused_naming_the_plugin(example: Path) -> None:
    class Clashing:
        @m.hookimpl
        def mio_report_sections(self, view: EvaluationView) -> list[Section]:
            return [attrs_copy(view.sections[0])]

    def attrs_copy(section: Section) -> Section:
        return Section(id=section.id, title="again")

    workspace = m.load_workspace(example)
    registry = make_registry(Clashing(), builtins=True, strict=False)
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "en")
    assert [s.title for s in view.sections].count("again") == 0
    assert any(
        note.startswith("Plugin Clashing left out: its section") and "already" in note
        for note in view.notes
    )


def test_a_section_hook_gets_only_the_arguments_it_names(example: Path) -> None:
    seen: list[str] = []

    class Language:
        @m.hookimpl
        def mio_report_sections(self, language: str) -> list[Section]:
            seen.append(language)
            table = Table(
                id="t",
                caption="c",
                columns=(Column(key="k", label="k"),),
                rows=(Row(cells=(ViewCell(value=1),)),),
            )
            return [Section(id="lang", title=language, tables=(table,))]

    workspace = m.load_workspace(example)
    registry = make_registry(Language(), builtins=True)
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "sv")
    assert seen == ["sv"]
    assert view.sections[-1].title == "sv"


# --- the examples of docs/hooks.md, run with their context ------------------------------


def hook_example(hook: str) -> types.ModuleType:
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    chapter = text.split(f"## `{hook}()`", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", chapter, flags=re.S)
    module = types.ModuleType(f"example_{hook}")
    exec(block, module.__dict__)
    return module


def test_the_register_commands_example_counts_the_managers(example: Path) -> None:
    registry = make_registry(hook_example("mio_register_commands"))
    [call] = registry.calls("mio_register_commands")
    group = click.Group()
    call(cli=group)
    result = CliRunner().invoke(group, ["count-managers", str(example)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{len(m.load_workspace(example).participants)}\n"


def test_the_analyses_example_counts_managers_per_organisation(example: Path) -> None:
    workspace = m.load_workspace(example)
    registry = make_registry(hook_example("mio_evaluation_analyses"), builtins=True)
    result = m.evaluate(workspace, registry)
    counts = Counter(p.organisation for p in workspace.participants)
    figures = result.analyses["managers-per-organisation"].figures
    assert [f.label for f in figures] == sorted(counts)
    for figure in figures:
        small = counts[figure.label] < result.min_group_size
        assert (figure.value, figure.suppressed) == (
            (None, "primary") if small else (counts[figure.label], None)
        )


def test_the_report_sections_example_lists_the_modules(example: Path) -> None:
    workspace = m.load_workspace(example)
    registry = make_registry(hook_example("mio_report_sections"), builtins=True)
    view = m.build_view(m.evaluate(workspace, registry), workspace, registry, "sv")
    section = view.section("acme-modules")
    assert section.title == "Moduler"
    [table] = section.tables
    assert [row.cells[0].value for row in table.rows] == [
        module.id for module in workspace.concept.modules
    ]
