"""Evaluation instruments (questionnaires) and the responses to them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from .common import (
    InvalidField,
    Text,
    extensions_field,
    id_tuple,
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


class ItemKind(StrEnum):
    """How an item is answered: on a numeric scale, in free text, or by choosing options."""

    SCALE = "scale"
    TEXT = "text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi-choice"


#: Item kinds answered by choosing among labelled options.
CHOICE_KINDS = frozenset((ItemKind.CHOICE, ItemKind.MULTI_CHOICE))

#: What separates the codes of a multi-choice answer in a responses file cell (``a;c``).
CHOICE_SEPARATOR = ";"

_NUMBER_LIKE = re.compile(r"[+\-\u2212]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")


@attrs.frozen(kw_only=True)
class Option:
    """One labelled option of a choice item: the ``code`` a cell holds and its ``text``."""

    code: str = attrs.field(validator=slug)
    text: Text = text_field()

    @code.validator
    def _canonical(self, attribute: attrs.Attribute[Any], value: str) -> None:
        # A code that reads as a number must read back as itself (01 would come back as 1).
        if _NUMBER_LIKE.fullmatch(value) and not (
            value == "0" or (value.isdigit() and value[0] != "0")
        ):
            raise InvalidField(
                attribute.name,
                f"option code {value!r} reads as a number written another way; "
                "write a whole number without leading zeros, or a code with a letter",
            )


def to_options(value: Any) -> tuple[Option, ...]:
    """attrs converter: ``{"yes": "Yes", "no": "No"}`` (the YAML form) or Options."""
    if isinstance(value, Mapping):
        return tuple(Option(code=str(code), text=text) for code, text in value.items())
    return tuple(value)


def _options(instance: Item, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for option in value:
        if not isinstance(option, Option):
            raise InvalidField(
                attribute.name,
                "options must be Option values or a mapping of codes to texts "
                f"such as {{'yes': 'Yes', 'no': 'No'}}, not {option!r}",
            )
    if instance.kind in CHOICE_KINDS and not value:
        raise InvalidField(attribute.name, f"a {instance.kind.value} item needs options")
    if instance.kind not in CHOICE_KINDS and value:
        raise InvalidField(
            attribute.name,
            f"only choice and multi-choice items have options, not a {instance.kind.value} item",
        )
    codes = [option.code for option in value]  # type: ignore[attr-defined]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise InvalidField(attribute.name, f"the option codes {twice} are used twice")


def _scale_for_scale_items(instance: Item, attribute: attrs.Attribute[Any], value: object) -> None:
    optional_slug(instance, attribute, value)
    if value is not None and instance.kind is not ItemKind.SCALE:
        raise InvalidField(
            attribute.name, f"a {instance.kind.value} item is not answered on a scale"
        )


@attrs.frozen(kw_only=True)
class Item:
    """One question or statement.

    A ``scale`` item (the default) is answered with a number on a response scale of the
    instrument (``scale`` names it; default: the first). A ``text`` item is answered in free
    text; a ``choice`` item with the code of one of its ``options``, a ``multi-choice`` item
    with any number of them. Only scale items enter scores and statistics of scores.
    """

    id: str = attrs.field(validator=slug)
    text: Text = text_field()
    kind: ItemKind = attrs.field(default=ItemKind.SCALE, converter=ItemKind)
    scale: str | None = attrs.field(default=None, validator=_scale_for_scale_items)
    options: tuple[Option, ...] = attrs.field(default=(), converter=to_options, validator=_options)

    def option(self, code: str) -> Option | None:
        """Return the option with ``code``, or None."""
        return next((option for option in self.options if option.code == code), None)


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
    items: tuple[str, ...] = attrs.field(converter=id_tuple, validator=slugs)
    reverse: tuple[str, ...] = tuple_field(_reverse_in_items)
    method: ScoreMethod = attrs.field(default=ScoreMethod.MEAN, converter=ScoreMethod)
    min_answered: float = attrs.field(default=2 / 3, validator=_share)


def _scales(value: Iterable[ResponseScale]) -> tuple[ResponseScale, ...]:
    """attrs converter: any list, kept as a tuple. Typed, unlike ``tuple``."""
    return tuple(value)


def _items(value: Iterable[Item]) -> tuple[Item, ...]:
    """attrs converter: any list, kept as a tuple. Typed, unlike ``tuple``."""
    return tuple(value)


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
    scales: tuple[ResponseScale, ...] = attrs.field(converter=_scales)
    items: tuple[Item, ...] = attrs.field(converter=_items)
    subscales: tuple[Subscale, ...] = tuple_field()
    source: Text | None = optional_text_field()
    licence: str | None = None
    #: fields a plugin adds, by the name of its extension schema (``mio_extension_schemas``)
    extensions: Mapping[str, Any] = extensions_field()

    def item(self, item_id: str) -> Item | None:
        """Return the item called ``item_id``, or None."""
        return next((item for item in self.items if item.id == item_id), None)

    def scale_of(self, item: Item) -> ResponseScale | None:
        """Return the response scale an item is answered on, or None if it names no scale
        (or is not a scale item)."""
        if item.kind is not ItemKind.SCALE:
            return None
        if item.scale is None:
            return self.scales[0] if self.scales else None
        return next((scale for scale in self.scales if scale.id == item.scale), None)

    def allows(self, occasion_name: str) -> bool:
        """Return whether the instrument may be answered on ``occasion_name``."""
        if not self.occasions or occasion_name in self.occasions:
            return True
        return occasion_name.startswith("module:") and "module:*" in self.occasions


#: One answer as a responses file holds it: a number, text (a text answer, the code or codes
#: of a choice, or a cell that is not a number), or None for no answer.
Answer = float | str | None


def _answers(value: Mapping[str, Answer]) -> Mapping[str, Answer]:
    return MappingProxyType(dict(value))


def answer_text(value: Answer) -> str:
    """Return an answer as the text a responses file holds ("" for no answer)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def choice_codes(value: Answer) -> tuple[str, ...]:
    """Return the option codes a choice answer names, in the order written (none if empty).

    A multi-choice cell separates codes with ``;`` (``a;c``); spaces around a code are
    ignored and empty parts are skipped. A number is the code written as that number.
    """
    text = answer_text(value)
    return tuple(part.strip() for part in text.split(CHOICE_SEPARATOR) if part.strip())


@attrs.frozen(kw_only=True)
class Response:
    """One respondent's answers to one instrument on one occasion; None is an empty answer."""

    respondent: str = attrs.field(validator=slug)
    instrument: str = attrs.field(validator=slug)
    occasion: str = attrs.field(validator=occasion)
    date: dt.date | None = None
    answers: Mapping[str, Answer] = attrs.field(
        factory=dict, converter=_answers, eq=attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b))
    )
