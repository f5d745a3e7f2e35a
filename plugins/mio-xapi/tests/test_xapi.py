"""Every statement meets the xAPI 1.0.3 statement requirements, checked by a JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import mio_xapi
import pytest
from jsonschema import Draft202012Validator, FormatChecker

import mio_core as m
from mio_core.testing import copy_workspace, make_registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mio"
SCHEMA = json.loads((Path(__file__).parent / "xapi_statement.schema.json").read_text())
REGISTRY = make_registry(mio_xapi, builtins=True)

checker = FormatChecker()
# RFC 3987: a scheme, then no spaces; http(s) IRIs also need a host
checker.checks("iri")(
    lambda value: (
        bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+", value))
        and (not value.startswith("http") or bool(re.match(r"https?://[^/\s]+", value)))
    )
)
checker.checks("uuid", raises=ValueError)(lambda value: str(uuid.UUID(value)) == value)
checker.checks("date-time", raises=ValueError)(
    lambda value: dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
)
checker.checks("duration")(
    lambda value: bool(
        re.fullmatch(
            r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?", value
        )
    )
)
checker.checks("language-tag")(
    lambda value: bool(re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", value))
)
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=checker)


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    folder = tmp_path_factory.mktemp("ws") / "mio"
    copy_workspace(EXAMPLE, folder)
    source = m.prepare_source(m.load_workspace(folder), REGISTRY)
    out = m.run_export(
        REGISTRY.exporter("xapi"), source, tmp_path_factory.mktemp("out") / "s.jsonl"
    )
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_the_schema_rejects_what_the_specification_forbids() -> None:
    good = {
        "actor": {"account": {"homePage": "https://x.example", "name": "p-1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://x.example/a"},
    }
    assert VALIDATOR.is_valid(good)
    for bad in (
        {**good, "actor": {"name": "no identifier"}},
        {**good, "actor": {"mbox": "mailto:a@b.se", "account": good["actor"]["account"]}},
        {**good, "verb": {"id": "attended"}},
        {**good, "id": "not-a-uuid"},
        {**good, "timestamp": "2017-02-08"},
        {**good, "result": {"duration": "90 minutes"}},
        {**good, "extra": 1},
    ):
        assert not VALIDATOR.is_valid(bad), bad


def test_every_statement_is_valid(statements: list[dict]) -> None:
    assert statements
    for statement in statements:
        errors = [e.message for e in VALIDATOR.iter_errors(statement)]
        assert not errors, (statement, errors)


def test_statements_cover_attendance_completion_coaching_and_answers(
    statements: list[dict],
) -> None:
    kinds = {
        (s["verb"]["id"].rsplit("/", 1)[1], s["object"]["definition"]["type"].rsplit("/", 1)[1])
        for s in statements
    }
    assert kinds == {("attended", "meeting"), ("completed", "module"), ("answered", "assessment")}
    coaching = [s for s in statements if "/coaching/" in s["object"]["id"]]
    assert coaching and all(s["result"]["duration"].startswith("PT") for s in coaching)
    workspace = m.load_workspace(EXAMPLE)
    attended = sum(len(session.attended) for c in workspace.cohorts for session in c.sessions)
    assert sum(1 for s in statements if s["verb"]["id"].endswith("completed")) == attended
    assert sum(1 for s in statements if s["verb"]["id"].endswith("answered")) == len(
        workspace.responses
    )


def test_actors_are_pseudonymous_accounts_and_ids_unique(statements: list[dict]) -> None:
    people = m.load_workspace(EXAMPLE).participants
    names = {s["actor"]["account"]["name"] for s in statements}
    assert all(name.startswith("p-") for name in names)
    assert not names & {p.id for p in people}
    assert all("name" not in s["actor"] for s in statements)
    assert len({s["id"] for s in statements}) == len(statements)


def test_the_home_page_is_an_option() -> None:
    options = m.export.make_options(
        REGISTRY.exporter("xapi"), {"home_page": "https://lrs.region.example"}
    )
    assert options.home_page == "https://lrs.region.example"
