"""The docs move with the code: hooks, problem codes, commands and code examples."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import mio_core as m
from mio_core.cli import main
from mio_core.model import Concept
from mio_core.plugins.reference import hook_reference
from mio_core.plugins.registry import HOOKS
from mio_core.testing import make_registry

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
KIND_WORDS = {
    "organisation",
    "participant",
    "coach",
    "facilitator",
    "cohort",
    "engagement",
    "project",
    "instrument",
    "concept",
    "manifest",
    "response",
}


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_reference_md_is_generated_from_the_current_model() -> None:
    from mio_core.plugins.modelref import model_reference

    assert (DOCS / "reference.md").read_text(encoding="utf-8") == model_reference(), (
        "docs/reference.md is stale: python -m mio_core.plugins.modelref > docs/reference.md"
    )


def test_reference_md_documents_every_public_model_class_and_contract_type() -> None:
    import mio_core.model as model

    text = (DOCS / "reference.md").read_text(encoding="utf-8")
    names = [n for n in model.__all__ if isinstance(getattr(model, n), type)]
    names += ["Exporter", "Importer", "ImportedTable", "Rule", "RuleContext", "ExportSource"]
    names += ["Problem", "Severity", "Lifecycle", "Stage", "Table", "Field"]
    for name in names:
        section = text.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        assert "```python" in section, f"{name} has no example in docs/reference.md"


def test_reference_md_describes_a_builtin_converter_in_words_not_by_its_docstring() -> None:
    # Participant.level and Organisation.kind convert with str: the table said
    # "str(object='') -> str str(bytes_or_buffer[, encoding[, errors]]) -> str ..."
    from mio_core.plugins.modelref import model_reference

    text = model_reference()
    for builtin in (str, int, float, bool):
        first_line = (builtin.__doc__ or "").splitlines()[0]
        assert first_line not in text, f"{builtin.__name__}'s docstring is in reference.md"


def test_a_marked_block_is_not_run_and_an_unmarked_one_is(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nx = 1\n```\n\n<!-- not run -->\n```python\nimport acme\n```\n",
        encoding="utf-8",
    )
    assert page_blocks(page) == [("x = 1\n", True), ("import acme\n", False)]


def test_hooks_md_is_generated_from_the_current_hookspecs() -> None:
    assert (DOCS / "hooks.md").read_text(encoding="utf-8") == hook_reference(), (
        "docs/hooks.md is stale: python -m mio_core.plugins.reference > docs/hooks.md"
    )


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_is_documented_and_tested(hook: str) -> None:
    assert f"## `{hook}()`" in (DOCS / "hooks.md").read_text(encoding="utf-8")
    tests = "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("test_*.py")
    )
    assert f"def test_{hook}(" in tests, f"{hook} has no test of its own (test_{hook})"


@pytest.mark.parametrize("index", range(len(python_blocks(DOCS / "hooks.md"))))
def test_each_hook_example_registers_cleanly(index: int) -> None:
    module = types.ModuleType(f"hook_example_{index}")
    exec(python_blocks(DOCS / "hooks.md")[index], module.__dict__)
    registry = make_registry(module)
    [info] = registry.plugins
    assert sum(len(names) for names in info.contributions.values()) + len(info.hooks) == 1


def emitted_codes() -> set[str]:
    """Every problem code a literal in mio_core's source passes where a code goes."""
    codes = set()
    calls = {"problem", "_problem", "InvalidValue", "FieldError", "Problem"}
    for path in (ROOT / "src" / "mio_core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", None)
            )
            if name not in calls:
                continue
            values = [*node.args[:4], *(k.value for k in node.keywords if k.arg == "code")]
            for value in values:
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", value.value)
                    and value.value not in KIND_WORDS
                ):
                    codes.add(value.value)
    return codes


def test_every_problem_code_is_documented() -> None:
    text = (DOCS / "validation.md").read_text(encoding="utf-8")
    codes = emitted_codes()
    assert len(codes) > 40
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert not missing, f"codes missing from docs/validation.md: {missing}"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in main.commands:
        assert f"`mio {command}" in readme, f"mio {command} is not in the README"


NOT_RUN = "<!-- not run -->"


def page_blocks(path: Path) -> list[tuple[str, bool]]:
    """Return each Python block of a page and whether it is meant to run.

    A block right after a ``<!-- not run -->`` line is an outline or needs what a reader
    has (their own plugin, a big programme): it is only compiled.
    """
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"(<!-- not run -->\n)?```python\n(.*?)```", text, flags=re.S)
    return [(code, not marker) for marker, code in found]


PAGES_WITH_CODE = sorted(p.name for p in DOCS.glob("*.md") if page_blocks(p))


def test_the_pages_with_python_are_found() -> None:
    assert {"concepts.md", "plugins.md", "hooks.md", "reference.md"} <= set(PAGES_WITH_CODE)


@pytest.mark.parametrize("page", PAGES_WITH_CODE)
def test_every_python_block_on_the_page_runs(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run a page's blocks in order in one namespace, from a folder with the examples."""
    from mio_core.testing import copy_workspace

    for example in (ROOT / "examples").iterdir():
        if example.is_dir():
            copy_workspace(example, tmp_path / "examples" / example.name)
    shutil.copytree(DOCS / "schemas", tmp_path / "docs" / "schemas")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"doc_{page}"}
    for index, (code, run) in enumerate(page_blocks(DOCS / page)):
        compiled = compile(code, f"{page}, python block {index + 1}", "exec")
        if run:
            exec(compiled, namespace)
    if any("hookimpl" in code for code, run in page_blocks(DOCS / page) if run):
        module = types.ModuleType(f"doc_plugin_{page}")
        module.__dict__.update(namespace)
        assert make_registry(module).failures == ()


def test_the_readme_taste_of_the_api_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    [block] = python_blocks(ROOT / "README.md")
    exec(block, {"__name__": "readme"})
    output = capsys.readouterr().out
    assert "24 managers in 2 cohorts" in output
    assert "mio-module-evaluation" in output


def test_the_example_workspace_uses_the_template_concept() -> None:
    template = ROOT / "src" / "mio_core" / "data" / "template" / "concept.yaml"
    from mio_core.io.converter import structure
    from mio_core.io.yamlio import parse_yaml

    shipped = structure(parse_yaml(template.read_text(encoding="utf-8"), "concept.yaml"), Concept)
    assert m.load_workspace(ROOT / "examples" / "mio").concept == shipped


def test_cli_md_is_generated_from_the_current_commands() -> None:
    from mio_core.clidoc import cli_reference

    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: python -m mio_core.clidoc > docs/cli.md"
    )


def test_mkdocs_build_strict_passes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "tutorial" / "index.html").is_file()


def test_every_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        assert page.name in nav, f"{page.name} is not in mkdocs.yml's nav"


def test_the_tutorial_works_as_written(tmp_path: Path) -> None:
    """Follow the tutorial: write each file it shows, run each command it gives."""
    text = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    steps = re.findall(r"(?:<!-- file: (\S+) -->\n)?```(\w+)\n(.*?)```", text, flags=re.S)
    ran = []
    for target, language, body in steps:
        if target:
            path = tmp_path / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        elif language == "sh":
            for line in body.strip().splitlines():
                args = shlex.split(line)
                assert args[0] == "mio"
                result = subprocess.run(
                    [sys.executable, "-m", "mio_core", *args[1:]],
                    cwd=tmp_path,
                    capture_output=True,
                    text=True,
                )
                assert result.returncode == 0, (line, result.stdout, result.stderr)
                ran.append((args[1], result.stdout))
    assert [name for name, _ in ran] == [
        "init",
        "validate",
        "import",
        "evaluate",
        "export",
        "export",
    ]
    assert "valid, no problems found" in ran[1][1]
    assert "Imported 5 respondents" in ran[2][1]
    assert "Perceived relevance" in ran[3][1]
    html = (tmp_path / "kinda-ydre-report.html").read_text(encoding="utf-8")
    assert "Karin Holm" not in html and "Perceived relevance: answers per module" in html
    assert (tmp_path / "kinda-ydre-data" / "datapackage.json").is_file()


def test_the_index_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    [block] = python_blocks(DOCS / "index.md")
    exec(block, {"__name__": "index"})
    assert "conditions" in capsys.readouterr().out
