"""Innovation-project lifecycle models: ordered stages (OPSI, Nesta, Double Diamond...).

Domain values like :class:`~mio_core.model.Instrument`; plugins contribute them through
``mio_register_lifecycles``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

from .common import Text, slug, text_field, to_text

_NAME = re.compile(r"[a-z][a-z0-9-]{0,40}")


def contribution_name(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    """Check the name of a contribution (lifecycle, exporter, importer, rule)."""
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ValueError(
            f"{type(instance).__name__} name {value!r} must be lowercase letters, digits and '-'"
        )


@attrs.frozen(kw_only=True)
class Stage:
    """One stage of a lifecycle model."""

    id: str = attrs.field(validator=slug)
    title: Text = text_field()
    description: Text | None = attrs.field(default=None, converter=to_text)


def _stages(instance: Lifecycle, attribute: attrs.Attribute[Any], value: tuple[Stage, ...]) -> None:
    if not value:
        raise ValueError(f"lifecycle {instance.name!r} has no stages")
    ids = [stage.id for stage in value]
    if len(set(ids)) != len(ids):
        raise ValueError(f"lifecycle {instance.name!r} names a stage twice")


def _stage_tuple(stages: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(stages)


def _implementation_stage(
    instance: Lifecycle, attribute: attrs.Attribute[Any], value: str | None
) -> None:
    if value is not None and instance.stage(value) is None:
        raise ValueError(
            f"lifecycle {instance.name!r}: implementation_stage {value!r} is none of its stages"
        )


@attrs.frozen(kw_only=True)
class Lifecycle:
    """An innovation-project lifecycle model: ordered stages, and where it comes from."""

    name: str = attrs.field(validator=contribution_name)
    title: Text = text_field()
    stages: tuple[Stage, ...] = attrs.field(converter=_stage_tuple, validator=_stages)
    source: str | None = None
    #: the stage from which a project is being put into practice (the indicator
    #: ``implementation-share`` counts projects at it or past it); None: the model has none
    implementation_stage: str | None = attrs.field(default=None, validator=_implementation_stage)

    def stage(self, stage_id: str) -> Stage | None:
        """Return the stage called ``stage_id``, or None."""
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def position(self, stage_id: str) -> int:
        """Return the 0-based position of a stage; raises ValueError for an unknown one."""
        return [stage.id for stage in self.stages].index(stage_id)
