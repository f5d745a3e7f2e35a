"""``extensions:`` fields checked against the schemas plugins contribute."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..model import Workspace
from ..plugins.interfaces import RuleContext
from ..problems import Problem, Severity

Path = tuple[str | int, ...]


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dt.datetime | dt.date):
        return "date"
    return type(value).__name__


def _fits(value: object, expected: str) -> bool:
    found = _json_type(value)
    return found == expected or (expected == "number" and found == "integer")


def check_value(
    value: object, schema: Mapping[str, Any], path: Path = ()
) -> Iterator[tuple[Path, str]]:
    """Yield (path, message) for each way ``value`` does not fit ``schema`` (the subset that
    :class:`~mio_core.plugins.ExtensionSchema` allows)."""
    if "type" in schema:
        types = [schema["type"]] if isinstance(schema["type"], str) else list(schema["type"])
        if not any(_fits(value, t) for t in types):
            hint = "; put it in quotes to make it text" if _json_type(value) == "date" else ""
            yield path, f"expected {' or '.join(types)}, found {_json_type(value)} {value!r}{hint}"
            return
    if "enum" in schema and value not in schema["enum"]:
        yield path, f"{value!r} is not one of {', '.join(map(repr, schema['enum']))}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield path, f"{value} is below the minimum {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            yield path, f"{value} is above the maximum {schema['maximum']}"
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            yield path, f"{value!r} is shorter than {schema['minLength']} characters"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield path, f"{value!r} is longer than {schema['maxLength']} characters"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield path, f"{value!r} does not match {schema['pattern']!r}"
    if isinstance(value, Mapping):
        properties = schema.get("properties") or {}
        for key in schema.get("required") or ():
            if key not in value:
                yield path, f"{key!r} is required"
        for key, item in value.items():
            if key in properties:
                yield from check_value(item, properties[key], (*path, key))
            elif schema.get("additionalProperties") is False:
                known = ", ".join(sorted(properties)) or "none"
                yield (*path, key), f"{key!r} is not a field of this extension (known: {known})"
    if isinstance(value, list | tuple) and "items" in schema:
        for index, item in enumerate(value):
            yield from check_value(item, schema["items"], (*path, index))


def _entities(workspace: Workspace) -> Iterable[tuple[str, Any]]:
    yield ("concept", workspace.concept)
    yield from (("organisation", e) for e in workspace.organisations)
    yield from (("participant", e) for e in workspace.participants)
    yield from (("coach", e) for e in workspace.coaches)
    yield from (("facilitator", e) for e in workspace.facilitators)
    yield from (("cohort", e) for e in workspace.cohorts)
    yield from (("engagement", e) for e in workspace.engagements)
    yield from (("project", e) for e in workspace.projects)
    yield from (("instrument", e) for e in workspace.instruments)


def extensions(workspace: Workspace, context: RuleContext) -> Iterator[Problem]:
    """Every ``extensions:`` value fits the schema its name refers to."""
    schemas = context.registry.extension_schemas
    for kind, entity in _entities(workspace):
        for name, value in entity.extensions.items():
            where = ("extensions", name)
            schema = schemas.get(name)
            if schema is None:
                known = ", ".join(sorted(schemas)) or "none installed"
                yield context.problem(
                    kind,
                    entity.id,
                    where,
                    "extension-unknown",
                    f"no plugin describes the extension {name!r} (known: {known}); it is kept "
                    "as it is, unchecked",
                    severity=Severity.WARNING,
                )
                continue
            if kind not in schema.entities:
                yield context.problem(
                    kind,
                    entity.id,
                    where,
                    "extension-not-here",
                    f"the extension {name!r} is for {', '.join(schema.entities)} only, "
                    f"not for this {kind}",
                )
                continue
            for path, message in check_value(value, schema.schema):
                yield context.problem(
                    kind, entity.id, (*where, *path), "extension-invalid", message
                )
