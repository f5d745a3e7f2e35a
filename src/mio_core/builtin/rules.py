"""Built-in plugin: the core validation rules."""

from __future__ import annotations

from ..plugins.interfaces import Rule
from ..plugins.manager import hookimpl
from ..validate import core_rules, extension_rules, response_rules, text_rules

CORE_RULES = (
    Rule(name="unique-ids", title="Ids are unique", check=core_rules.unique_ids),
    Rule(name="concept", title="The concept is consistent", check=core_rules.concept_structure),
    Rule(
        name="organisations",
        title="Organisations carry real SCB codes",
        check=core_rules.organisations,
    ),
    Rule(name="people", title="People belong to known organisations", check=core_rules.people),
    Rule(
        name="vocabularies",
        title="Levels, sectors and kinds are the concept's values",
        check=core_rules.vocabularies,
    ),
    Rule(name="cohorts", title="Cohorts refer to what exists", check=core_rules.cohorts),
    Rule(name="coaching", title="Coaching refers to what exists", check=core_rules.coaching),
    Rule(name="projects", title="Projects and their stages", check=core_rules.projects),
    Rule(
        name="instruments",
        title="Local instruments are consistent",
        check=response_rules.instruments,
    ),
    Rule(name="responses", title="Answers fit their instrument", check=response_rules.responses),
    Rule(
        name="extensions",
        title="Extensions fit their plugin's schema",
        check=extension_rules.extensions,
    ),
    Rule(
        name="control-characters",
        title="Text holds no control or bidi-override characters",
        check=text_rules.control_characters,
    ),
)


@hookimpl
def mio_register_rules() -> list[Rule]:
    """The rules every workspace is checked against."""
    return list(CORE_RULES)
