"""Choice answers as survey tools export them, read as option codes.

A choice item's cell holds one option's label (in any language the instrument writes it,
or a text the mapping's ``labels:`` gives) or its code. A multi-choice item's cell holds
several, joined as each tool joins them: ``A, B`` (Google Forms), ``A;B;`` (Microsoft
Forms), ``A,B`` or ``1,3`` (Qualtrics), ``a b`` (KoboToolbox's names), ``a;b`` (mio's own
cell). A label may itself hold a comma, so a cell is not split at every comma: it is read
as a sequence of known labels and codes with separators between them, the longest label
tried first, and a cell that reads two ways is refused rather than guessed.

A multi-choice item exported as a column per option (SurveyMonkey, Qualtrics' *split
multi-value fields into columns*, LimeSurvey, KoboToolbox's 1/0 columns) is read by
:func:`chosen`: whether one option's cell says it was chosen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ..model import Item, ItemKind
from ..model.common import Translations
from ..model.instrument import CHOICE_SEPARATOR

#: What a column per option holds when the option was not chosen (compared casefolded).
NOT_CHOSEN = frozenset({"0", "n", "no", "nej", "false", "unchecked", "not selected"})
#: What it holds when it was, besides the option's label or the tool's own choice text.
CHOSEN = frozenset({"1", "y", "yes", "ja", "true", "checked", "selected"})

#: Separators between the choices of one cell: after a choice, any run of these.
_SEPARATORS = frozenset(";, ")


def normalise(text: str) -> str:
    """Return ``text`` as labels and headers are compared: NFC, casefolded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class OptionReader:
    """Reads a choice or multi-choice item's cells as option codes."""

    def __init__(self, item: Item, labels: Iterable[tuple[str, str]] = ()) -> None:
        self.item = item
        #: the mapping's own labels of the item: text → option code
        self.labels = dict(labels)
        known: dict[str, str] = {}
        for option in item.options:
            known[normalise(option.code)] = option.code
        for option in item.options:
            texts = option.text.values() if isinstance(option.text, Translations) else [option.text]
            for text in texts:
                known.setdefault(normalise(text), option.code)
        for text, code in self.labels.items():
            known[normalise(text)] = code
        self.known = known
        # Longest first, so that "Coaching, group" is tried before "Coaching".
        self.texts = sorted(known, key=len, reverse=True)

    def expected(self) -> str:
        """Return the options as a message lists them: ``'Daily huddle' (huddle), ...``."""
        shown = []
        for option in self.item.options:
            text = option.text
            label = next(iter(text.values())) if isinstance(text, Translations) else text
            shown.append(f"{label!r} ({option.code})")
        return ", ".join(shown)

    def read(self, text: str) -> tuple[str, str]:
        """Return the cell ``text`` as the codes a responses file holds (``a;c``), and a
        problem text ("" when the cell reads one way only)."""
        cell = normalise(text)
        if not cell:
            return "", ""
        if self.item.kind is not ItemKind.MULTI_CHOICE:
            if cell in self.known:
                return self.known[cell], ""
            return "", (
                f"{self.item.id}: {text.strip()!r} is not one of its options; expected one of: "
                f"{self.expected()} (or add it under labels: {self.item.id}: in the mapping)"
            )
        readings = self._readings(cell)
        if not readings:
            return "", (
                f"{self.item.id}: {text.strip()!r} is not made of its options' labels or codes; "
                f"expected some of: {self.expected()}, separated by ';', ',' or spaces (or add "
                f"a label under labels: {self.item.id}: in the mapping)"
            )
        if len(readings) > 1:
            shown = " or ".join(
                "[" + ", ".join(repr(part) for part in reading) + "]" for reading in readings[:2]
            )
            return "", (
                f"{self.item.id}: {text.strip()!r} can be read as {shown}: a label holds "
                "another label and a separator, so mio cannot tell which options were chosen; "
                "reword the option in the survey, or export the answers as codes"
            )
        codes = list(dict.fromkeys(self.known[part] for part in readings[0]))
        return CHOICE_SEPARATOR.join(codes), ""

    def _readings(self, cell: str) -> list[list[str]]:
        """Return up to two ways of reading ``cell`` as known texts with separators between
        (longest text tried first)."""
        found: list[list[str]] = []
        # A choice ends at a separator or the end; dead ends are remembered.
        dead: set[int] = set()

        def walk(start: int, parts: list[str]) -> None:
            while start < len(cell) and cell[start] in _SEPARATORS:
                start += 1
            if start == len(cell):
                if parts:
                    found.append(list(parts))
                return
            if start in dead:
                return
            before = len(found)
            for text in self.texts:
                end = start + len(text)
                if cell.startswith(text, start) and (end == len(cell) or cell[end] in _SEPARATORS):
                    walk(end, [*parts, text])
                    if len(found) > 1:
                        return
            if len(found) == before:
                dead.add(start)

        walk(0, [])
        return found


def chosen(text: str, labels: Iterable[str] = ()) -> bool | None:
    """Return whether a column-per-option cell says its option was chosen: empty, ``0``,
    ``N``, ``No``, ``Unchecked``… is not; ``1``, ``Y``, ``Checked``… or one of ``labels``
    (the option's label or the tool's choice text) is; anything else is None (unknown)."""
    cell = normalise(text)
    if not cell or cell in NOT_CHOSEN:
        return False
    if cell in CHOSEN or cell in {normalise(label) for label in labels}:
        return True
    return None
