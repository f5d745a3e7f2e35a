"""Organisations and people: municipalities and other bodies, participants, coaches."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from .common import InvalidField, extensions_field, optional_slug, slug

MUNICIPALITY_CODE = re.compile(r"[0-9]{4}")
COUNTY_CODE = re.compile(r"[0-9]{2}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _code(pattern: re.Pattern[str], what: str, example: str) -> Any:
    # YAML reads an unquoted 0580 as a string but 0114 as the octal number 76: insist on quotes.
    def check(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            raise InvalidField(
                attribute.name,
                f"{attribute.name} {value!r} is not {what}; write it in quotes, e.g. '{example}'",
            )

    return check


def _email(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not EMAIL.fullmatch(value):
        raise InvalidField(attribute.name, f"email {value!r} is not an email address")


def _name(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise InvalidField(attribute.name, f"{attribute.name} may not be empty")


@attrs.frozen(kw_only=True)
class Organisation:
    """A municipality, region, university, intermediary or other organisation."""

    id: str = attrs.field(validator=slug)
    name: str = attrs.field(validator=_name)
    #: an id of the concept's ``organisation_kinds`` (MIO's: :class:`OrganisationKind`)
    kind: str = attrs.field(converter=str, validator=slug)
    municipality_code: str | None = attrs.field(
        default=None,
        validator=_code(MUNICIPALITY_CODE, "a four-digit SCB municipality code", "0580"),
    )
    county_code: str | None = attrs.field(
        default=None, validator=_code(COUNTY_CODE, "a two-digit SCB county code", "05")
    )
    parent: str | None = attrs.field(default=None, validator=optional_slug)
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()


@attrs.frozen(kw_only=True)
class Participant:
    """A manager taking part in a concept (personal data: kept in people.yaml only)."""

    id: str = attrs.field(validator=slug)
    name: str = attrs.field(validator=_name)
    email: str | None = attrs.field(default=None, validator=_email)
    organisation: str = attrs.field(validator=slug)
    unit: str | None = None
    #: an id of the concept's ``manager_levels`` (MIO's: :class:`ManagerLevel`)
    level: str = attrs.field(converter=str, validator=slug)
    #: an id of the concept's ``sectors`` (any id when it declares none)
    sector: str | None = attrs.field(default=None, validator=optional_slug)
    #: False: left out of every pseudonymised research export (still in the programme's own
    #: evaluation and identified exports); absent means true
    research_consent: bool = True
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()


@attrs.frozen(kw_only=True)
class Coach:
    """A coach who works with participants (personal data: kept in people.yaml only)."""

    id: str = attrs.field(validator=slug)
    name: str = attrs.field(validator=_name)
    email: str | None = attrs.field(default=None, validator=_email)
    organisation: str = attrs.field(validator=slug)
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()


@attrs.frozen(kw_only=True)
class Facilitator:
    """Someone who leads module sessions (personal data: kept in people.yaml only)."""

    id: str = attrs.field(validator=slug)
    name: str = attrs.field(validator=_name)
    email: str | None = attrs.field(default=None, validator=_email)
    organisation: str = attrs.field(validator=slug)
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()
