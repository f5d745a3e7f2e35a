"""Every `--format json` output has a published JSON Schema (docs/schemas), and keeps to it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from mio_core.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
COMMANDS = ("evaluate", "validate", "plugins", "formats", "importers", "schedule")


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def output(*args: str, exit_code: int = 0) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


def check(name: str, value: Any) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]
    assert errors == []


@pytest.mark.parametrize("name", COMMANDS)
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))
    assert schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_command_with_json_output_has_a_schema() -> None:
    with_json = sorted(
        name
        for name, command in main.commands.items()
        if any(
            p.name == "output" and "json" in getattr(p.type, "choices", ()) for p in command.params
        )
    )
    assert with_json == sorted(COMMANDS)
    assert sorted(p.stem for p in SCHEMAS.glob("*.json")) == sorted(COMMANDS)


def test_the_schemas_are_linked_from_the_json_page() -> None:
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"schemas/{name}.json" in text


def test_evaluate_json_of_the_example_keeps_to_its_schema(example: Path) -> None:
    check("evaluate", output("evaluate", str(example), "--format", "json"))


def test_evaluate_json_of_a_synthetic_programme_keeps_to_its_schema(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    CliRunner().invoke(main, ["generate", str(target), "--municipalities", "3"])
    value = output("evaluate", str(target), "--format", "json")
    assert any(group["summary"] is not None for group in value["groups"])
    check("evaluate", value)


def test_the_evaluate_schema_refuses_a_key_it_does_not_know(example: Path) -> None:
    value = output("evaluate", str(example), "--format", "json")
    value["groups"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError, match="'colour' was unexpected"):
        jsonschema.validate(value, schema("evaluate"))


def test_validate_json_of_a_valid_workspace_keeps_to_its_schema(example: Path) -> None:
    check("validate", output("validate", str(example), "--format", "json"))


def test_validate_json_with_errors_keeps_to_its_schema(workspace: Path) -> None:
    people = workspace / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("  email:", "  emial:", 1), encoding="utf-8"
    )
    value = output("validate", str(workspace), "--format", "json", exit_code=1)
    assert value["problems"] and not value["valid"]
    check("validate", value)


def test_plugins_json_with_a_broken_plugin_keeps_to_its_schema(tmp_path: Path) -> None:
    plugin = tmp_path / "bad_import.py"
    plugin.write_text("raise RuntimeError('kaput')\n", encoding="utf-8")
    value = output("--plugin", str(plugin), "plugins", "--format", "json")
    assert value["broken"]
    check("plugins", value)


def test_importers_json_keeps_to_its_schema() -> None:
    value = output("importers", "--format", "json")
    assert "csv" in {row["name"] for row in value}
    check("importers", value)


def test_formats_json_keeps_to_its_schema() -> None:
    value = output("formats", "--format", "json")
    assert any(row["options"] for row in value)
    check("formats", value)


def test_schedule_json_keeps_to_its_schema(example: Path) -> None:
    import datetime as dt

    import attrs

    import mio_core as m
    from mio_core.model import ModuleSession
    from mio_core.programme import schedule_json, upcoming_sessions

    workspace = m.load_workspace(example)
    planned = (
        ModuleSession(module="m2", date=dt.date(2030, 3, 2), status="planned", place="Valla"),
        ModuleSession(
            module="m3",
            date=dt.date(2030, 4, 6),
            status="planned",
            start=dt.time(9),
            end=dt.time(16, 30),
            facilitators=("f1",),
        ),
    )
    cohort = attrs.evolve(workspace.cohorts[0], sessions=workspace.cohorts[0].sessions + planned)
    workspace = attrs.evolve(workspace, cohorts=(cohort, *workspace.cohorts[1:]))
    value = json.loads(json.dumps(schedule_json(upcoming_sessions(workspace, dt.date(2030, 1, 1)))))
    assert [s["start"] for s in value] == [None, "09:00"]
    check("schedule", value)


def test_schedule_json_of_the_example_keeps_to_its_schema(example: Path) -> None:
    check("schedule", output("schedule", str(example), "--from", "2000-01-01", "--format", "json"))


def test_a_schedule_session_without_times_keeps_to_its_schema() -> None:
    session = textwrap.dedent(
        """
        {"date": "2026-03-02", "start": null, "end": null, "timezone": "Europe/Stockholm",
         "cohort": "c1", "cohort_title": "Cohort 1", "module": "m1", "module_title": "M1",
         "occurrence": 1, "place": null, "facilitators": []}
        """
    )
    check("schedule", [json.loads(session)])
