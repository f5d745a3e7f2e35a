"""The plugin contract as docs/plugins.md states it: the values, the errors, the exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.cli import main
from mio_core.model import InvalidField, ResponseScale, ScaleLabel
from mio_core.testing import make_registry

ROOT = Path(__file__).resolve().parents[2]
ITEMS = "ops1,ops2,ops3,proj1,proj2,beyond1,beyond2"


def hook_example(hook: str) -> types.ModuleType:
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    section = text.split(f"## `{hook}()`", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    module = types.ModuleType(f"example_{hook}")
    exec(block, module.__dict__)
    return module


def test_the_importer_example_in_hooks_md_reads_tab_separated_text() -> None:
    importer = make_registry(hook_example("mio_register_importers")).importer("tab-separated")
    table = importer.read(b"respondent\tops1\np01\t4\n", "answers.tsv")
    assert table.header == ("respondent", "ops1")
    assert table.rows == (("p01", "4"),)


def test_scale_labels_take_the_yaml_mapping_form() -> None:
    scale = ResponseScale(id="agree5", min=1, max=5, labels={1: "No", 5: {"en": "Yes"}})
    assert scale.labels == (ScaleLabel(value=1, text="No"), ScaleLabel(value=5, text={"en": "Yes"}))
    assert scale.label(5) == {"en": "Yes"}


def test_missing_codes_take_the_yaml_mapping_form() -> None:
    scale = ResponseScale(id="agree5", min=1, max=5, missing={9: "Don't know"})
    assert scale.is_missing_code(9) and scale.label(9) == "Don't know"


def test_scale_labels_that_are_not_labels_are_refused_with_the_field_named() -> None:
    with pytest.raises(InvalidField, match=r"labels must be ScaleLabel values.*not 1"):
        ResponseScale(id="agree5", min=1, max=5, labels=[1, 5])


def test_a_problem_severity_given_as_text_becomes_a_severity() -> None:
    problem = m.Problem(file=None, code="acme-x", message="m", severity="warning")
    assert problem.severity is m.Severity.WARNING
    assert problem.format() == "<workspace>: acme-x (warning): m"


def test_a_problem_severity_that_is_not_a_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="'fatal' is not a valid Severity"):
        m.Problem(file=None, code="acme-x", message="m", severity="fatal")


def test_an_importers_warning_given_as_text_reaches_mio_import(
    workspace: Path, tmp_path: Path
) -> None:
    def read(data: bytes, file: str) -> m.ImportedTable:
        rows = [line.split(",") for line in data.decode().splitlines()]
        warning = m.Problem(file=file, code="acme-old", message="old export", severity="warning")
        return m.ImportedTable(header=rows[0], rows=rows[1:], problems=[warning])

    plugin = types.ModuleType("acme_import")
    plugin.mio_register_importers = m.hookimpl(  # type: ignore[attr-defined]
        lambda: [m.Importer(name="acme", title="Acme", read=read)]
    )
    plugin.mio_register_importers.__name__ = "mio_register_importers"
    export = tmp_path / "export.csv"
    export.write_text(f"respondent,date,{ITEMS}\np01,2018-05-30,4,3,5,4,,2,9\n", encoding="utf-8")
    registry = make_registry(plugin, builtins=True)
    report = m.import_responses(
        workspace,
        export,
        "mio-utilisation",
        "follow-up:6m",
        registry,
        importer="acme",
        replace=True,
    )
    assert [p.code for p in report.warnings] == ["acme-old"]


def test_make_registry_imports_without_pytest() -> None:
    code = (
        "import sys; sys.modules['pytest'] = None\n"
        "from mio_core.testing import make_registry\n"
        "print(sorted(make_registry(builtins=True).lifecycles))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "opsi" in result.stdout


PACKAGE = """
    import mio_core as m
    from mio_core.model import Lifecycle, Stage

    @m.hookimpl
    def mio_register_lifecycles():
        stages = (Stage(id="idea", title="Idea"),)
        return [Lifecycle(name="acme-cycle", title="Acme", stages=stages)]
"""


@pytest.mark.parametrize("given", ["folder", "init"])
def test_a_plugin_loaded_from_a_package_path_is_named_after_its_folder(
    tmp_path: Path, given: str
) -> None:
    package = tmp_path / "acme_mio"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(PACKAGE), encoding="utf-8")
    spec = str(package if given == "folder" else package / "__init__.py")
    registry = m.load_registry(extra=[spec], builtins=False, entry_points=False, strict=True)
    assert [p.name for p in registry.plugins] == ["acme_mio"]
    assert registry.contributors("lifecycles", "acme-cycle") == ("acme_mio",)


def test_an_unknown_export_format_exits_two(example: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", str(example), "--format", "pdff", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "no exporter called 'pdff'" in result.output and "Traceback" not in result.output


def test_an_unknown_export_option_exits_two(example: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "export",
            str(example),
            "--format",
            "csv",
            "--option",
            "colour=red",
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert result.exit_code == 2
    assert "no option 'colour'" in result.output


def test_an_unknown_importer_exits_two(example: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("respondent\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(example),
            str(export),
            "--instrument",
            "mio-utilisation",
            "--occasion",
            "follow-up:6m",
            "--importer",
            "qualtrix",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "no importer called 'qualtrix'" in result.output


BROKEN_EXPORTER = """
    import mio_core as m

    def write(source, stream, options):
        raise {error}

    @m.hookimpl
    def mio_register_exporters():
        return [m.Exporter(name="acme-broken", title="Broken", suffix=".txt",
                           media_type="text/plain", write=write)]
"""


def export_with(tmp_path: Path, example: Path, error: str, **env: str) -> tuple[int, str]:
    plugin = tmp_path / "acme_broken.py"
    plugin.write_text(textwrap.dedent(BROKEN_EXPORTER.format(error=error)), encoding="utf-8")
    workspace = tmp_path / "ws"
    from mio_core.testing import copy_workspace

    copy_workspace(example, workspace)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mio_core",
            "--plugin",
            str(plugin),
            "export",
            str(workspace),
            "--format",
            "acme-broken",
            "--out",
            str(tmp_path / "out.txt"),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
    )
    assert not (tmp_path / "out.txt").exists()
    return result.returncode, result.stderr


def test_a_plugin_raising_a_mio_error_prints_its_message_and_exits_one(
    tmp_path: Path, example: Path
) -> None:
    code, err = export_with(tmp_path, example, "m.MioError('the logo file is missing')")
    assert code == 1
    assert err.strip().splitlines()[-1] == "mio: the logo file is missing"
    assert "Traceback" not in err


def test_a_plugin_raising_another_exception_is_named_in_one_line_and_exits_one(
    tmp_path: Path, example: Path
) -> None:
    code, err = export_with(tmp_path, example, "ValueError('bad colour')")
    assert code == 1
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "mio: a plugin failed (acme_broken.py, line 5, in write): ValueError: bad colour; "
        "run again with MIO_DEBUG=1 to see the traceback"
    )


def test_mio_debug_shows_the_traceback_of_a_failing_plugin(tmp_path: Path, example: Path) -> None:
    code, err = export_with(tmp_path, example, "ValueError('bad colour')", MIO_DEBUG="1")
    assert code == 1
    assert "Traceback" in err and 'acme_broken.py", line 5, in write' in err


def test_an_error_in_mio_itself_is_reported_as_internal() -> None:
    from mio_core.cli import unexpected_error

    try:
        {}["x"]
    except KeyError as exc:
        error = exc
    # raised here, outside mio_core: the test is the "plugin"
    assert unexpected_error(error).startswith("a plugin failed (test_contract.py")
    assert unexpected_error(KeyError("x")) == (
        "internal error: KeyError: 'x'; please report it "
        "(run again with MIO_DEBUG=1 to see the traceback)"
    )


def test_options_with_string_annotations_become_typed_values() -> None:
    from mio_core.export import make_options

    namespace: dict[str, object] = {}
    exec(
        "from __future__ import annotations\n"
        "import attrs\n"
        "@attrs.frozen\n"
        "class Options:\n"
        "    charts: bool = True\n"
        "    digits: int | None = None\n"
        "    scale: float = 1.0\n"
        "    title: str = ''\n",
        namespace,
    )
    exporter = m.Exporter(
        name="acme-x",
        title="X",
        suffix=".txt",
        media_type="text/plain",
        write=lambda source, stream, options: None,
        options_type=namespace["Options"],  # type: ignore[arg-type]
    )
    options = make_options(
        exporter, {"charts": "no", "digits": "2", "scale": "0.5", "title": "Q1 2026"}
    )
    assert (options.charts, options.digits, options.scale, options.title) == (
        False,
        2,
        0.5,
        "Q1 2026",
    )


def test_an_option_value_that_does_not_convert_is_an_invocation_error() -> None:
    from mio_core.export import make_options
    from mio_core.problems import InvocationError

    exporter = m.Exporter(
        name="acme-x",
        title="X",
        suffix=".txt",
        media_type="text/plain",
        write=lambda source, stream, options: None,
        options_type=_Options,
    )
    with pytest.raises(InvocationError, match="option charts='maybe': expected true or false"):
        make_options(exporter, {"charts": "maybe"})


@attrs.frozen
class _Options:
    charts: bool = True


def test_plugins_md_names_every_built_in_plugin() -> None:
    from mio_core.plugins import DEFAULT_PLUGINS

    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert [name for name in DEFAULT_PLUGINS if f"`{name}`" not in text] == []
    shown = [p.name for p in make_registry(builtins=True).plugins]
    assert shown == list(DEFAULT_PLUGINS)


@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=7),
        st.text(alphabet="abcdefgh xyzåäö", min_size=1).filter(str.strip),
        max_size=7,
    )
)
def test_labels_given_in_python_as_a_mapping_equal_the_yaml_form(labels: dict[int, str]) -> None:
    from mio_core.io.converter import structure, unstructure

    built = ResponseScale(id="s7", min=1, max=7, labels=labels)
    read = structure({"id": "s7", "min": 1, "max": 7, "labels": labels}, ResponseScale)
    assert built == read
    assert unstructure(built).get("labels", {}) == labels
