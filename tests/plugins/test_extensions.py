"""``extensions:`` fields and the schemas plugins contribute for them (mio_extension_schemas)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.export.tables import tables
from mio_core.plugins import ExtensionSchema
from mio_core.testing import copy_workspace, make_registry
from mio_core.validate.extension_rules import check_value

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mio"
HR = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cost-centre"],
    "properties": {
        "cost-centre": {"type": "string", "pattern": "^K[0-9]+$"},
        "fte": {"type": "number", "minimum": 0, "maximum": 1},
        "roles": {"type": "array", "items": {"enum": ["hr", "it"]}},
    },
}


class HrPlugin:
    @m.hookimpl
    def mio_extension_schemas(self) -> list[ExtensionSchema]:
        return [ExtensionSchema(name="acme-hr", title="HR", entities=["participant"], schema=HR)]


def registry() -> m.Registry:
    return make_registry(HrPlugin(), builtins=True)


def add_extension(workspace: Path, text: str) -> int:
    """Give participant p01 ``extensions:`` (YAML lines, indented under it); return the line
    number of the first added line."""
    path = workspace / "people.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("- id: p02"))
    added = ["  extensions:\n", *(f"    {line}\n" for line in text.strip("\n").splitlines())]
    path.write_text("".join(lines[:at] + added + lines[at:]), encoding="utf-8")
    return at + 1


def extension_problems(workspace: Path) -> list[m.Problem]:
    return [
        p for p in m.validate_workspace(workspace, registry()) if p.code.startswith("extension-")
    ]


def test_mio_extension_schemas(workspace: Path) -> None:
    add_extension(workspace, "acme-hr:\n  cost-centre: K123\n  fte: 0.5\n  roles: [hr]")
    assert "acme-hr" in registry().extension_schemas
    assert extension_problems(workspace) == []
    participant = m.load_workspace(workspace).participants[0]
    assert participant.extensions == {
        "acme-hr": {"cost-centre": "K123", "fte": 0.5, "roles": ["hr"]}
    }


def test_every_misfit_of_an_extension_is_reported_with_file_line_and_field(
    workspace: Path,
) -> None:
    first = add_extension(
        workspace, "acme-hr:\n  cost-centre: X1\n  fte: 2\n  roles: [hr, boss]\n  shoe-size: 44"
    )
    found = {(p.file, p.line, p.path, p.code, p.message) for p in extension_problems(workspace)}
    path = ("participants", 0, "extensions", "acme-hr")
    assert found == {
        ("people.yaml", first + 2, (*path, "cost-centre"), "extension-invalid",
         "'X1' does not match '^K[0-9]+$'"),
        ("people.yaml", first + 3, (*path, "fte"), "extension-invalid",
         "2 is above the maximum 1"),
        ("people.yaml", first + 4, (*path, "roles", 1), "extension-invalid",
         "'boss' is not one of 'hr', 'it'"),
        ("people.yaml", first + 5, (*path, "shoe-size"), "extension-invalid",
         "'shoe-size' is not a field of this extension (known: cost-centre, fte, roles)"),
    }  # fmt: skip


def test_an_extension_no_plugin_describes_is_a_warning_and_kept(workspace: Path) -> None:
    add_extension(workspace, "other-tool:\n  anything: [1, 2]")
    [problem] = extension_problems(workspace)
    assert (problem.code, problem.severity) == ("extension-unknown", m.Severity.WARNING)
    assert "'other-tool'" in problem.message
    assert m.load_workspace(workspace).participants[0].extensions == {
        "other-tool": {"anything": [1, 2]}
    }


def test_an_extension_on_a_kind_its_schema_is_not_for_is_an_error(workspace: Path) -> None:
    path = workspace / "organisations.yaml"
    text = path.read_text(encoding="utf-8")
    second = text.index("\n- id:", text.index("\n- id:") + 1)  # after the first entry
    path.write_text(
        text[:second] + "\n  extensions:\n    acme-hr: {cost-centre: K1}" + text[second:],
        encoding="utf-8",
    )
    [problem] = extension_problems(workspace)
    assert problem.code == "extension-not-here"
    assert problem.file == "organisations.yaml"
    assert "is for participant only, not for this organisation" in problem.message


def test_a_schema_with_a_keyword_mio_core_does_not_check_leaves_the_plugin_out() -> None:
    class Loose:
        @m.hookimpl
        def mio_extension_schemas(self) -> list[ExtensionSchema]:
            schema = {"type": "object", "oneOf": [{"type": "string"}]}
            return [ExtensionSchema(name="loose", title="L", entities=["cohort"], schema=schema)]

    reg = make_registry(Loose(), strict=False)
    [failure] = reg.failures
    assert failure.name == "Loose"
    assert "uses 'oneOf', which mio_core does not check" in failure.reason


def test_a_schema_with_a_broken_pattern_leaves_the_plugin_out() -> None:
    class Broken:
        @m.hookimpl
        def mio_extension_schemas(self) -> list[ExtensionSchema]:
            schema = {"type": "string", "pattern": "K[0-9"}
            return [ExtensionSchema(name="broken", title="B", entities=["project"], schema=schema)]

    [failure] = make_registry(Broken(), strict=False).failures
    assert "schema.pattern is not a regular expression" in failure.reason


def test_extensions_that_are_not_a_mapping_are_a_located_problem(workspace: Path) -> None:
    first = add_extension(workspace, "- 1\n- 2")
    problems = [p for p in m.validate_workspace(workspace, registry()) if p.code == "wrong-type"]
    assert [(p.file, p.line, p.path) for p in problems] == [
        ("people.yaml", first, ("participants", 0, "extensions"))
    ]
    assert "expected a mapping of extension names to values, found a list" in problems[0].message


def test_the_access_report_holds_a_participants_extensions(workspace: Path) -> None:
    add_extension(workspace, "acme-hr: {cost-centre: K123}")
    [entry] = m.access_report(workspace, "p01")["people"]
    assert entry["entry"]["extensions"] == {"acme-hr": {"cost-centre": "K123"}}


def test_extensions_are_kept_when_the_entity_is_saved_with_another_change(
    workspace: Path,
) -> None:
    add_extension(workspace, "acme-hr:\n  cost-centre: K123  # from HR\n  fte: 0.5")
    loaded = m.load_workspace(workspace)
    changed = attrs.evolve(loaded.participants[0], unit="Another unit")
    m.save_workspace(
        attrs.evolve(loaded, participants=(changed, *loaded.participants[1:])), workspace
    )
    again = m.load_workspace(workspace).participants[0]
    assert (again.unit, again.extensions) == (
        "Another unit",
        {"acme-hr": {"cost-centre": "K123", "fte": 0.5}},
    )
    assert "cost-centre: K123  # from HR" in (workspace / "people.yaml").read_text("utf-8")


def export_tables(workspace: Path, **kwargs: bool) -> dict[str, tuple[list[str], list[tuple]]]:
    source = m.prepare_source(m.load_workspace(workspace), registry(), **kwargs)
    return {
        t.name: ([f.name for f in t.fields], list(t.rows(source)))
        for t in tables(source)
        if t.name in ("participants", "organisations", "projects")
    }


def test_an_identified_export_has_the_extensions_as_json_text(workspace: Path) -> None:
    add_extension(workspace, "acme-hr:\n  fte: 0.5\n  cost-centre: K123")
    found = export_tables(workspace, identified=True)
    for columns, _ in found.values():
        assert columns[-1] == "extensions"
    _, rows = found["participants"]
    assert json.loads(rows[0][-1]) == {"acme-hr": {"cost-centre": "K123", "fte": 0.5}}
    assert rows[0][-1] == '{"acme-hr": {"cost-centre": "K123", "fte": 0.5}}'
    assert all(row[-1] is None for row in rows[1:])


def test_a_pseudonymised_export_leaves_the_extensions_out(workspace: Path) -> None:
    add_extension(workspace, "acme-hr:\n  cost-centre: K123")
    for columns, rows in export_tables(workspace).values():
        assert "extensions" not in columns
        assert all("K123" not in str(row) for row in rows)


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ("a", {"type": ["string", "null"]}, []),
        (None, {"type": ["string", "null"]}, []),
        (3, {"type": "number"}, []),
        (True, {"type": "integer"}, [((), "expected integer, found boolean True")]),
        ({}, {"type": "object", "required": ["a", "b"]},
         [((), "'a' is required"), ((), "'b' is required")]),
        ("ab", {"minLength": 3, "maxLength": 1},
         [((), "'ab' is shorter than 3 characters"), ((), "'ab' is longer than 1 characters")]),
        ([1, "x"], {"items": {"type": "integer"}}, [((1,), "expected integer, found string 'x'")]),
    ],
)  # fmt: skip
def test_check_value_reports_every_misfit(value: object, schema: dict, expected: list) -> None:
    assert list(check_value(value, schema)) == expected


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(min_size=1, max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True), json_values, max_size=3))
def test_any_plain_extension_survives_save_and_load(extensions: dict[str, object]) -> None:
    loaded = m.load_workspace(EXAMPLE)
    changed = attrs.evolve(loaded.participants[0], extensions=extensions)
    with tempfile.TemporaryDirectory() as folder:
        copy_workspace(EXAMPLE, folder, dirs_exist_ok=True)
        m.save_workspace(
            attrs.evolve(loaded, participants=(changed, *loaded.participants[1:])), folder
        )
        assert m.load_workspace(folder).participants[0].extensions == extensions
