"""Workspace text as data in every output: visible control characters, inert spreadsheet
cells, escaped Markdown.

Text in a workspace comes from people and from survey tools, so any of it may be hostile: a
name that is a spreadsheet formula, a title that is HTML, a bidirectional override that
makes a report read differently from what it says. Every exporter passes workspace text
through one of these functions before a reader sees it (see docs/security.md).
"""

from __future__ import annotations

import html
import io
import re
from typing import IO, TextIO

__all__ = [
    "FORMULA_STARTS",
    "MAX_WORKBOOK_TEXT",
    "VisibleControls",
    "has_control_characters",
    "markdown_text",
    "one_line",
    "show_controls",
    "spreadsheet_text",
    "workbook_text",
]

#: Excel keeps at most 32 767 characters in a cell.
MAX_WORKBOOK_TEXT = 32_767
_CUT = " […]"

#: C0 controls except tab and newline (ESC starts every terminal escape sequence), DEL, C1
#: controls (U+009B is a one-character CSI to some terminals), the bidirectional embeddings,
#: overrides and isolates (U+202A–U+202E, U+2066–U+2069) of "Trojan Source" and the
#: invisible bidi marks (U+061C, U+200E, U+200F), the line and paragraph separators (U+2028,
#: U+2029) that split lines in some readers only, and the invisible characters that make
#: two texts look the same (zero-width space U+200B, word joiner and invisible operators
#: U+2060–U+2064, U+FEFF). The zero-width (non-)joiners U+200C/U+200D stay: Persian,
#: Indic scripts and emoji need them. And lone surrogates (U+D800–U+DFFF): a file name that
#: is not UTF-8 holds them (``\udcff`` for the byte 0xFF), and no UTF-8 output takes them.
#: And the noncharacters U+FFFE and U+FFFF, which XML (a workbook, a Word file) refuses.
_CONTROL_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff"
)
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
#: What :func:`one_line` shows besides: tab and the line end.
_LINE_BREAKING = re.compile(f"[{_CONTROL_CHARACTERS}\t\n]")

#: What makes a spreadsheet read a cell as a formula (OWASP CSV injection), with the
#: full-width forms some spreadsheets fold to ASCII.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")

#: What a spreadsheet may take as the end of a cell: the comma, the semicolon a Swedish
#: Excel splits on, tab and the line ends.
_CELL_BREAK = re.compile("[,;\t\r\n]")

#: Text that :func:`spreadsheet_text` returns unchanged, found by one match: leading spaces,
#: then (if anything) a first character that starts no formula, and nowhere a control
#: character or a cell break. Most cells of an export (ids, codes, titles) are such text,
#: and the export writes hundreds of thousands of them; anything else takes the full path.
_UNCHANGED = re.compile(
    f"(?: *[^ =+\\-@\uff1d\uff0b\uff0d\uff20,;\t\r\n{_CONTROL_CHARACTERS}]"
    f"[^,;\t\r\n{_CONTROL_CHARACTERS}]*)?",
)

#: A plain number (``-1.5``, ``+3``, ``2e-3``, ``-0,5``): never a formula, kept exact.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")

#: Characters that mean something to Markdown anywhere in a line.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#|~])")
#: What starts a block (list, quote, heading underline) at the beginning of a line.
_MARKDOWN_BLOCK_START = re.compile(r"^(\d*)([-+=.)])")


def has_control_characters(text: str) -> bool:
    """Return whether ``text`` holds a control or bidirectional-override character."""
    return _CONTROL.search(text) is not None


def show_controls(text: str) -> str:
    """Return ``text`` with each control and bidi-override character written as ``\\uXXXX``.

    Tab and newline stay. The result has no character that can hide or reorder what a
    reader sees, and shows where such a character was. Applied to JSON text it changes no
    value: these characters occur only inside strings, where ``\\uXXXX`` means the same.
    """
    if (len(text) < _LONG or _may_hold_controls(text)) and _CONTROL.search(text) is not None:
        return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text


#: Text this long is first checked by :func:`_may_hold_controls` (the ``mio`` command's
#: output passes through :class:`VisibleControls`: 79 MB of JSON for a national workspace).
_LONG = 1 << 16
#: What is never shown: printable ASCII, tab and newline, as bytes to delete.
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"


def _may_hold_controls(text: str) -> bool:
    """Whether ``text`` may hold a character :func:`show_controls` shows: the regular
    expression over every character costs about 7 ms per MB, this about a fifth of it.

    In UTF-8 an ASCII byte is never part of another character, so deleting the plain
    ASCII bytes leaves every other character whole and in order: the few that are left are
    searched. A lone surrogate cannot be encoded, and is shown."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    rest = data.translate(None, _PLAIN_ASCII)
    return bool(rest) and _CONTROL.search(rest.decode("utf-8")) is not None


def one_line(text: str) -> str:
    """Return ``text`` for quoting inside one line of a message: :func:`show_controls`, and
    tab and newline shown as ``\\u0009`` and ``\\u000a`` too.

    A file name, column name or id that holds a line end would otherwise start a line of
    its own in what mio prints, one that can pass for a line of mio's
    (``workspace: valid, no problems found``).
    """
    if _LINE_BREAKING.search(text) is None:
        return text
    return _LINE_BREAKING.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class VisibleControls(io.TextIOBase):
    """A text stream that writes to ``target`` with :func:`show_controls` applied.

    The ``mio`` command prints through it, so that no escape sequence (``ESC[2J``,
    ``ESC]0;title BEL``, an OSC 8 hyperlink), backspace, carriage return or bidi override
    from a workspace reaches the terminal, whichever message quotes it. JSON it prints
    stays the same JSON value (these characters occur only inside strings, where
    ``\\uXXXX`` means the same).
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.target.write(show_controls(text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    @property
    def buffer(self) -> IO[bytes]:
        """The target's byte stream: bytes (a file a command writes out) are not text."""
        buffer: IO[bytes] = self.target.buffer
        return buffer

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.target, "errors", None)


def workbook_text(text: str) -> str:
    """Return ``text`` for a workbook's string cell: control characters shown as
    ``\\uXXXX`` and, beyond Excel's 32 767 characters, cut with a visible `` […]``.

    The caller writes it as a string cell (openpyxl: ``cell.data_type = "s"``), never as
    a formula, so it needs no quote in front.
    """
    text = show_controls(text)
    if len(text) > MAX_WORKBOOK_TEXT:
        text = text[: MAX_WORKBOOK_TEXT - len(_CUT)] + _CUT
    return text


def _inert(part: str) -> bool:
    return not part or part[0] not in FORMULA_STARTS or _NUMBER.fullmatch(part) is not None


def spreadsheet_text(text: str) -> str:
    """Return ``text`` as a cell a spreadsheet shows and never runs (OWASP CSV injection).

    Control characters are shown as ``\\uXXXX``. A value that starts with ``=``, ``+``,
    ``-``, ``@`` (or their full-width forms), tab or a line end gets a leading ``'``, unless
    it is a plain number such as ``-1.5``. So does every such start after a comma,
    semicolon, tab, line end or quote inside the value, because a spreadsheet that splits
    cells on another separator (Excel with a Swedish list separator splits on ``;``) would
    begin a new cell there. Any other value is returned unchanged.
    """
    if _UNCHANGED.fullmatch(text) is not None:
        return text
    return _guarded(text)


def _guarded(text: str) -> str:
    """The full path of :func:`spreadsheet_text`, for text the quick match did not clear."""
    text = show_controls(text)
    lead = len(text) - len(text.lstrip(" "))
    if not _inert(text[lead:]):
        text = text[:lead] + "'" + text[lead:]
    if _CELL_BREAK.search(text) is None:
        return text
    parts = []
    start = 0
    for match in _CELL_BREAK.finditer(text):
        parts.append(text[start : match.end()])
        start = match.end()
        rest = text[start:]
        spaces = len(rest) - len(rest.lstrip(' "'))
        following = rest[spaces:]
        if following and following[0] in FORMULA_STARTS and not _inert(_cell_at(following)):
            parts.append(rest[:spaces] + "'")
            start += spaces
    parts.append(text[start:])
    return "".join(parts)


def _cell_at(text: str) -> str:
    match = _CELL_BREAK.search(text, 1)
    return text[: match.start()] if match else text


def markdown_text(text: str) -> str:
    """Return ``text`` as Markdown that renders as that text: no markup, link or HTML.

    Control characters are shown as ``\\uXXXX``; runs of white space (line breaks too)
    become one space, so a value stays in its table cell or heading; ``&``, ``<`` and
    ``>`` become character references; CommonMark punctuation (and a list or heading
    marker at the start) is escaped with a backslash.
    """
    text = show_controls(text)
    text = " ".join(text.split())
    text = html.escape(text, quote=False)
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _MARKDOWN_BLOCK_START.sub(r"\1\\\2", text)
