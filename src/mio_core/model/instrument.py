"""Evaluation instruments (questionnaires) and the responses to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .common import (
    InvalidField,
    Text,
    extensions_field,
    occasion,
    occasion_specs,
    optional_slug,
    optional_text_field,
    slug,
    slugs,
    text_field,
    tuple_field,
)
from .enums import EvaluationLevel, Respondent, ScoreMethod


@attrs.frozen(kw_only=True)
class ScaleLabel:
    """The label of one value on a response scale, e.g. 1 = "Instämmer inte alls"."""

    value: int = attrs.field(validator=attrs.validators.instance_of(int))
    text: Text = text_field()


def to_labels(value: Any) -> tuple[ScaleLabel, ...]:
    """attrs converter: ``{1: "Not at all", 5: "Fully"}`` (the YAML form) or ScaleLabels."""
    if isinstance(value, Mapping):
        return tuple(ScaleLabel(value=number, text=text) for number, text in value.items())
    return tuple(value)


def _scale_labels(attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for label in value:
        if not isinstance(label, ScaleLabel):
            raise InvalidField(
                attribute.name,
                f"{attribute.name} must be ScaleLabel values or a mapping of values to texts "
                f"such as {{1: 'Not at all', 5: 'Fully'}}, not {label!r}",
            )


def _scale_max(instance: ResponseScale, attribute: attrs.Attribute[Any], value: int) -> None:
    if value <= instance.min:
        raise InvalidField(attribute.name, f"max {value} must be greater than min {instance.min}")


def _labels_on_scale(
    instance: ResponseScale, attribute: attrs.Attribute[Any], value: tuple[ScaleLabel, ...]
) -> None:
    _scale_labels(attribute, value)
    for label in value:
        if not instance.min <= label.value <= instance.max:
            raise InvalidField(
                attribute.name,
                f"label for {label.value} lies outside the scale {instance.min}-{instance.max}",
            )


def _missing_off_scale(
    instance: ResponseScale, attribute: attrs.Attribute[Any], value: tuple[ScaleLabel, ...]
) -> None:
    _scale_labels(attribute, value)
    for label in value:
        if instance.min <= label.value <= instance.max:
            raise InvalidField(
                attribute.name,
                f"missing code {label.value} lies on the scale {instance.min}-{instance.max}; "
                "a 'don't know' code must lie outside it (e.g. 9 or -1)",
            )


@attrs.frozen(kw_only=True)
class ResponseScale:
    """A numeric answer scale (e.g. 1-5) with value labels and codes that mean 'no answer'."""

    id: str = attrs.field(validator=slug)
    min: int
    max: int = attrs.field(validator=_scale_max)
    labels: tuple[ScaleLabel, ...] = attrs.field(
        default=(), converter=to_labels, validator=_labels_on_scale
    )
    missing: tuple[ScaleLabel, ...] = attrs.field(
        default=(), converter=to_labels, validator=_missing_off_scale
    )

    def label(self, value: int) -> Text | None:
        """Return the label of ``value`` (on the scale or a missing code), or None."""
        for label in (*self.labels, *self.missing):
            if label.value == value:
                return label.text
        return None

    def is_missing_code(self, value: float) -> bool:
        """Return whether ``value`` is one of this scale's 'no answer' codes."""
        return any(label.value == value for label in self.missing)


@attrs.frozen(kw_only=True)
class Item:
    """One question or statement; ``scale`` names a scale of the instrument (default: first)."""

    id: str = attrs.field(validator=slug)
    text: Text = text_field()
    scale: str | None = attrs.field(default=None, validator=optional_slug)


def _share(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0 < value <= 1:
        raise InvalidField(
            attribute.name, f"{attribute.name} must be a share above 0 and at most 1, not {value}"
        )


def _reverse_in_items(
    instance: Subscale, attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    slugs(instance, attribute, value)
    stray = [item for item in value if item not in instance.items]
    if stray:
        raise InvalidField(
            attribute.name, f"reverse-coded items {stray} are not among the subscale's items"
        )


@attrs.frozen(kw_only=True)
class Subscale:
    """A score made from some of the items: their mean or sum, some items reverse-coded."""

    id: str = attrs.field(validator=slug)
    title: Text = text_field()
    items: tuple[str, ...] = attrs.field(converter=tuple, validator=slugs)
    reverse: tuple[str, ...] = tuple_field(_reverse_in_items)
    method: ScoreMethod = attrs.field(default=ScoreMethod.MEAN, converter=ScoreMethod)
    min_answered: float = attrs.field(default=2 / 3, validator=_share)


@attrs.frozen(kw_only=True, cache_hash=True)
class Instrument:
    """A questionnaire: items on response scales, scored in subscales, at an evaluation level."""

    id: str = attrs.field(validator=slug)
    title: Text = text_field()
    version: str = "1"
    description: Text | None = optional_text_field()
    level: EvaluationLevel = attrs.field(converter=EvaluationLevel)
    target: Respondent = attrs.field(default=Respondent.PARTICIPANT, converter=Respondent)
    occasions: tuple[str, ...] = tuple_field(occasion_specs)
    scales: tuple[ResponseScale, ...] = attrs.field(converter=tuple)
    items: tuple[Item, ...] = attrs.field(converter=tuple)
    subscales: tuple[Subscale, ...] = tuple_field()
    source: Text | None = optional_text_field()
    licence: str | None = None
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()

    def item(self, item_id: str) -> Item | None:
        """Return the item called ``item_id``, or None."""
        return next((item for item in self.items if item.id == item_id), None)

    def scale_of(self, item: Item) -> ResponseScale | None:
        """Return the response scale an item is answered on, or None if it names no scale."""
        if item.scale is None:
            return self.scales[0] if self.scales else None
        return next((scale for scale in self.scales if scale.id == item.scale), None)

    def allows(self, occasion_name: str) -> bool:
        """Return whether the instrument may be answered on ``occasion_name``."""
        if not self.occasions or occasion_name in self.occasions:
            return True
        return occasion_name.startswith("module:") and "module:*" in self.occasions


def _answers(value: Mapping[str, float | None]) -> Mapping[str, float | None]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Response:
    """One respondent's answers to one instrument on one occasion; None is an empty answer."""

    respondent: str = attrs.field(validator=slug)
    instrument: str = attrs.field(validator=slug)
    occasion: str = attrs.field(validator=occasion)
    date: dt.date | None = None
    answers: Mapping[str, float | None] = attrs.field(
        factory=dict, converter=_answers, eq=attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b))
    )
