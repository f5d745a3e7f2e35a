"""The shape of the code: no global side effects in the library, no import circles, one
small public API that the first-party plugins keep to."""

from __future__ import annotations

import ast
import gc
import importlib
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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _runtime_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports a module runs when it is imported: module level, also inside if/try,
    but not under ``if TYPE_CHECKING`` and not inside functions or classes."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _runtime_imports(node.body)
            yield from _runtime_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _runtime_imports(block)
            for handler in node.handlers:
                yield from _runtime_imports(handler.body)


def import_graph() -> dict[str, set[str]]:
    """Each mio_core module and the mio_core modules (and their packages) it imports."""
    modules = {_module_name(path): path for path in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{module}.{alias.name}"
                targets.add(full if full in modules else module)
        for target in list(targets):  # importing a.b.c runs a and a.b first
            parts = target.split(".")
            targets.update(".".join(parts[:i]) for i in range(2, len(parts)))
        graph[name] = {
            t for t in targets if t in modules and t != name and not name.startswith(t + ".")
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_import_graph_sees_relative_and_package_imports() -> None:
    graph = import_graph()
    assert "mio_core.plugins.interfaces" in graph["mio_core.validate.core_rules"]
    assert "mio_core.plugins" in graph["mio_core.validate.core_rules"]
    assert "mio_core.model" in graph["mio_core.plugins.interfaces"]


def test_no_import_circle_among_mio_core_modules() -> None:
    assert cycles(import_graph()) == []


#: The documented namespaces besides the top level, each with its own ``__all__``.
NAMESPACES = (
    "mio_core.model",
    "mio_core.io",
    "mio_core.evaluation",
    "mio_core.export",
    "mio_core.importing",
    "mio_core.plugins",
    "mio_core.privacy",
    "mio_core.render",
    "mio_core.programme",
    "mio_core.textsafety",
    "mio_core.testing",
)


def public_surface() -> dict[str, set[str]]:
    """{module: its public names} for mio_core and every documented namespace."""
    surface = {"mio_core": set(m.__all__)}
    for namespace in NAMESPACES:
        surface[namespace] = set(importlib.import_module(namespace).__all__)
    return surface


def test_top_level_names_are_the_type_checking_block() -> None:
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    [block] = [node for node in tree.body if isinstance(node, ast.If)]
    written = {
        alias.asname
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert set(m.__all__) == {"__version__", *written}
    # ``name as name`` everywhere: an explicit re-export for type checkers
    assert all(
        alias.asname == alias.name
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    )


def test_every_public_name_resolves() -> None:
    for module, names in public_surface().items():
        namespace = importlib.import_module(module)
        for name in names:
            assert getattr(namespace, name) is not None, f"{module}.{name}"


def test_top_level_is_small_and_holds_no_helpers() -> None:
    # about 30 names: the pipeline verbs, the plugin contract and the errors
    assert len(m.__all__) <= 34
    for helper in ("is_slug", "is_occasion", "text_in", "dump_yaml", "Instrument", "Workspace"):
        assert helper not in m.__all__
        with pytest.raises(AttributeError):
            getattr(m, helper)


def test_model_classes_live_in_the_model_namespace() -> None:
    import mio_core.model

    assert {"Workspace", "Instrument", "Lifecycle", "Stage", "Response"} <= set(
        mio_core.model.__all__
    )


def imported_mio_core_names(path: Path) -> Iterator[tuple[str, str, int]]:
    """(module, name, line) for every mio_core name a file imports or uses as ``alias.name``
    after ``import mio_core as alias``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mio_core"):
            for alias in node.names:
                yield str(node.module), alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "mio_core":
                    aliases.add(alias.asname or "mio_core")
                elif alias.name.startswith("mio_core."):
                    yield alias.name.rsplit(".", 1)[0], alias.name.rsplit(".", 1)[1], node.lineno
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            yield "mio_core", node.attr, node.lineno


def private_imports(paths: list[Path]) -> list[str]:
    """``module.name`` (with file and line) of every mio_core name outside the surface."""
    surface = public_surface()
    bad = []
    for path in paths:
        for module, name, line in sorted(imported_mio_core_names(path), key=lambda t: t[2]):
            if module == "mio_core" and (f"mio_core.{name}" in surface or name == "__version__"):
                continue  # ``from mio_core import model``, the version
            if name not in surface.get(module, set()):
                bad.append(f"{module}.{name} ({path.name}:{line})")
    return bad


FIRST_PARTY = sorted((REPO / "plugins").glob("*/src/**/*.py"))


def test_first_party_plugins_are_found() -> None:
    assert {path.parts[-2] for path in FIRST_PARTY} >= {"mio_report", "mio_xlsx"}


def test_private_imports_are_caught(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import mio_core as m\n"
        "from mio_core.evaluation.headline import instruments_by_level\n"
        "from mio_core.model import Workspace\n"
        "m.is_slug('x')\n"
        "m.load_workspace('x')\n",
        encoding="utf-8",
    )
    assert private_imports([sample]) == [
        "mio_core.evaluation.headline.instruments_by_level (sample.py:2)",
        "mio_core.is_slug (sample.py:4)",
    ]


def test_first_party_plugins_import_only_public_names() -> None:
    assert private_imports(FIRST_PARTY) == []


def test_layout_table_places_every_workspace_field() -> None:
    import attrs

    from mio_core.io import layout
    from mio_core.model import Workspace

    fields = {field.name for field in attrs.fields(Workspace)} - {"responses", "origin"}
    assert {entry.field for entry in layout.FILES} == fields


def test_a_new_entity_goes_to_the_file_the_layout_names() -> None:
    from mio_core.io import layout

    cohort = types.SimpleNamespace(id="c2027")
    project = types.SimpleNamespace(id="p1", cohort=None)
    assert layout.of_kind("cohort").default_file(cohort) == "cohorts/c2027.yaml"
    assert layout.of_kind("project").default_file(project) == "projects/projects.yaml"
    assert layout.of_kind("participant").default_file(project) == "people.yaml"
    assert layout.single_class("instruments/x.yaml") is layout.of_kind("instrument").cls
    assert layout.single_class("people.yaml") is None


def test_every_plugins_tests_are_in_the_suite_the_readme_runs() -> None:
    # mio-docx's tests were left out of testpaths, so no run of the README's command ran
    # them; the template's own tests run from a copy installed by a test of its own
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    folders = {
        str(folder.relative_to(REPO))
        for folder in (REPO / "plugins").glob("*/tests")
        if folder.parent.name != "mio-plugin-template"
    }
    assert folders - testpaths == set()
