"""The extension schemas of the Leading Nursing Teams example (examples/leading-nursing-teams).

    mio --plugin examples/leading_nursing_teams_plugin.py validate examples/leading-nursing-teams

The region keeps two fields of its own: the concept's funding stream and each participant's
year of nursing registration. This plugin describes them (hook ``mio_extension_schemas``),
so `mio validate` checks them; without it they are kept unchecked, with a warning.
"""

from __future__ import annotations

from mio_core import hookimpl
from mio_core.plugins import ExtensionSchema


@hookimpl
def mio_extension_schemas() -> list[ExtensionSchema]:
    """The region's own fields on the concept and on participants."""
    return [
        ExtensionSchema(
            name="ltn-programme",
            title="The region's programme fields",
            entities=["concept"],
            schema={
                "type": "object",
                "additionalProperties": False,
                "required": ["funding-stream"],
                "properties": {"funding-stream": {"type": "string", "pattern": "^[a-z-]+$"}},
            },
        ),
        ExtensionSchema(
            name="ltn-staff",
            title="A nurse manager's registration",
            entities=["participant"],
            schema={
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "registration-year": {"type": "integer", "minimum": 1950, "maximum": 2100}
                },
            },
        ),
    ]
