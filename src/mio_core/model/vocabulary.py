"""The value lists a concept declares: manager levels, sectors and organisation kinds.

A concept owns the words its participants and organisations are described with: a region's
programme for nurse managers has ``nurse-manager`` where MIO has ``first-line``. Each value
is an id with a label per language. A list the concept leaves out falls back to MIO's
(:data:`DEFAULT_VOCABULARIES`); sectors have no default list, so any id is accepted until
the concept declares its sectors.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from .common import Text, Translations, slug, text_field, text_in, tuple_field


@attrs.frozen(kw_only=True)
class Term:
    """One value of a vocabulary: its id (what the YAML files say) and its label."""

    id: str = attrs.field(validator=slug)
    label: Text = text_field()


@attrs.frozen(kw_only=True)
class Vocabularies:
    """``vocabularies:`` of a concept; an empty list means MIO's default (or, for sectors,
    any id)."""

    manager_levels: tuple[Term, ...] = tuple_field()
    sectors: tuple[Term, ...] = tuple_field()
    organisation_kinds: tuple[Term, ...] = tuple_field()


def _terms(*pairs: tuple[str, str, str]) -> tuple[Term, ...]:
    return tuple(Term(id=i, label=Translations({"en": en, "sv": sv})) for i, en, sv in pairs)


#: MIO's value lists: what a concept gets for a list it does not declare.
DEFAULT_VOCABULARIES: Mapping[str, tuple[Term, ...]] = MappingProxyType(
    {
        "manager_levels": _terms(
            ("first-line", "first-line manager", "enhetschef (första linjen)"),
            ("middle", "middle manager", "mellanchef"),
            ("senior", "senior manager", "förvaltningschef eller högre"),
        ),
        "sectors": (),
        "organisation_kinds": _terms(
            ("municipality", "municipality", "kommun"),
            ("region", "region", "region"),
            ("university", "university", "universitet"),
            ("intermediary", "intermediary", "intermediär"),
            ("government-agency", "government agency", "statlig myndighet"),
            ("company", "company", "företag"),
            ("other", "other", "annan"),
        ),
    }
)

#: The vocabularies by name, with the field they govern, as the validation reports them.
VOCABULARY_FIELDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "manager_levels": ("participant", "level"),
        "sectors": ("participant", "sector"),
        "organisation_kinds": ("organisation", "kind"),
    }
)


def terms(vocabularies: Vocabularies, name: str) -> tuple[Term, ...]:
    """Return the values of the vocabulary ``name`` (e.g. ``manager_levels``): the concept's
    own, else MIO's default; empty for sectors nobody declared (any id goes)."""
    declared: tuple[Term, ...] = getattr(vocabularies, name)
    return declared or DEFAULT_VOCABULARIES[name]


def term_label(vocabularies: Vocabularies, name: str, value: str, language: str) -> str:
    """Return the label of ``value`` in ``language`` (falling back as :func:`text_in` does),
    or ``value`` itself when the vocabulary has no such value."""
    for term in terms(vocabularies, name):
        if term.id == value:
            return text_in(term.label, language)
    return value
