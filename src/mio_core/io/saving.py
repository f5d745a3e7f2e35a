"""The text a save writes for one file: the old text with only what changed edited, checked.

:func:`new_text` compares what a file holds on disk with what it should hold, as model
values. Equal: the file is not written at all. Different: the old text is edited in place
(:mod:`mio_core.io.minimal_edit`), the result is parsed back and kept only when it reloads
to exactly the intended values; otherwise the file is written whole in the canonical style
and a :class:`TextNotKeptWarning` says so.
"""

from __future__ import annotations

import codecs
import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import Response
from . import layout
from .converter import structure, unstructure
from .minimal_edit import edit_responses, edit_yaml, same_responses
from .responses import read_responses, write_responses
from .yamlio import YamlProblem, dump_yaml, parse_yaml

#: What each top-level list in organisations.yaml, people.yaml, coaching/ and projects/ holds.
LIST_KINDS: dict[str, tuple[str, type[Any]]] = layout.list_kinds()


class TextNotKeptWarning(UserWarning):
    """A changed file was written whole, so its comments and formatting were not kept."""


class _Unreadable(Exception):
    """The file on disk does not hold model values; it can only be written whole."""


def _single_class(file: str) -> type[Any] | None:
    return layout.single_class(file)


def _model_values(file: str, data: Any) -> Any:
    """Return the plain values the model writes for what ``data`` (a parsed file) holds.

    Lists that are empty are left out, as a missing list and an empty one read the same.
    """
    cls = _single_class(file)
    try:
        if cls is not None:
            return unstructure(structure(data, cls))
        if not isinstance(data, dict):
            raise _Unreadable
        values = {}
        for key, items in data.items():
            if key not in LIST_KINDS or not isinstance(items, list | None):
                raise _Unreadable
            if items:
                values[key] = [unstructure(structure(item, LIST_KINDS[key][1])) for item in items]
        return values
    except _Unreadable:
        raise
    except Exception as exc:  # any structuring error: the file is not the model's
        raise _Unreadable from exc


def _read(target: Path) -> tuple[str, bool] | None:
    """Return the text of ``target`` and whether it starts with a BOM; None if unreadable."""
    try:
        data = target.read_bytes()
        return data.decode("utf-8-sig"), data.startswith(codecs.BOM_UTF8)
    except (OSError, UnicodeDecodeError):
        return None


def new_text(target: Path, file: str, plan: Any) -> str | None:
    """Return the text to write to ``target`` so that it holds ``plan``; None when the file
    holds that already and must not be touched.

    ``plan`` is a YAML file's plain values, or a responses file's list of responses.
    """
    is_csv = file.endswith(".csv")
    canonical = canonical_text(file, plan)
    found = _read(target) if target.is_file() else None
    if found is None:
        return canonical
    old_text, bom = found
    try:
        edited = _edit_csv(old_text, file, plan) if is_csv else _edit_yaml(old_text, file, plan)
    except _Unreadable:
        edited = None  # the file could not be read as the model: there is nothing to keep
    else:
        if edited is None:
            warnings.warn(
                f"{file}: could not keep the file's comments and formatting; "
                "it was written whole in the standard style",
                TextNotKeptWarning,
                stacklevel=3,
            )
    if edited == old_text:
        return None
    text = edited if edited is not None else canonical
    return "\ufeff" + text if bom else text


def canonical_text(file: str, plan: Any) -> str:
    """Return ``plan`` written afresh in the standard style of ``file``'s kind."""
    if file.endswith(".csv"):
        buffer = io.StringIO()
        write_responses(plan, buffer)
        return buffer.getvalue()
    return dump_yaml(plan)


def _edit_yaml(old_text: str, file: str, plan: Any) -> str | None:
    try:
        old = _model_values(file, parse_yaml(old_text, file))
    except YamlProblem as exc:
        raise _Unreadable from exc
    wanted = plan if _single_class(file) else {k: v for k, v in plan.items() if v}
    if old == wanted:
        return old_text
    edited = edit_yaml(old_text, old, wanted)
    if edited is None:
        return None

    def reads_back(text: str) -> bool:
        try:
            return bool(_model_values(file, parse_yaml(text, file)) == wanted)
        except (YamlProblem, _Unreadable):
            return False

    return _reading_back(old_text, edited, reads_back)


def _edit_csv(old_text: str, file: str, responses: list[Response]) -> str | None:
    parsed = layout.parse_responses_file(file.split("/", 1)[1])
    if parsed is None:
        raise _Unreadable
    instrument, occasion = parsed
    rows, problems = read_responses(old_text, file, instrument, occasion)
    if problems:
        raise _Unreadable
    if len(rows) == len(responses) and same_responses((r for r, _ in rows), responses):
        return old_text
    edited = edit_responses(old_text, file, instrument, occasion, responses)
    if edited is None:
        return None

    def reads_back(text: str) -> bool:
        reloaded, problems = read_responses(text, file, instrument, occasion)
        return (
            not problems
            and len(reloaded) == len(responses)
            and same_responses((r for r, _ in reloaded), responses)
        )

    return _reading_back(old_text, edited, reads_back)


def _reading_back(old_text: str, edited: str, reads_back: Callable[[str], bool]) -> str | None:
    """Return ``edited`` if it reads back as intended, else None. When ``old_text`` had no
    line break after its last line, the edit has none either (if that reads back): a file
    saved so keeps it, and an unchanged last line stays out of ``git diff``."""
    candidates = [edited]
    if old_text and not old_text.endswith(("\n", "\r")) and edited.endswith(("\n", "\r")):
        candidates.insert(0, edited[: -2 if edited.endswith("\r\n") else -1])
    return next((text for text in candidates if reads_back(text)), None)
