"""Editing a file's text so that it holds new values while everything unchanged keeps its text.

A workspace is edited by hand and kept in git: a save must give a diff that shows only
what changed. :func:`edit_yaml` takes the text of a YAML file, the plain values that text
held and the plain values it should hold, and returns the text with only the differing
parts replaced; :func:`edit_responses` does the same for a responses CSV file, row by row.

What is kept and what is not (docs/workspace.md says the same to users):

- A mapping key whose value did not change keeps its lines exactly: comments, quoting,
  folded or literal text, flow or block style. Keys are compared as the model writes them,
  so a key that spells out a default (``lifecycle: opsi``) is kept as long as it holds.
- A list of entities (or of plain values such as ``attended``) is compared item by item;
  an unchanged item keeps its lines, a removed item loses its lines, a new item is written
  where the list places it, and an item that changed is edited key by key in the same way.
- A one-line flow list of plain values (``attended: [p01, p03]``) stays a one-line flow
  list: the text between its brackets is written afresh.
- The lines of a changed value are written afresh in the canonical style (block style,
  plain scalars where YAML allows them): comments *inside* that value are lost.
- A removed item or key takes with it the comment lines directly above it (no blank
  line between): such a comment is about that entry. Other comments stay.

The editor works on lines and on the node marks of PyYAML's composer; it is used only when
writing, and only for a file whose values changed, so reading is not slowed. It never
decides alone: the caller parses the result back and keeps it only when it reloads to
exactly the intended values.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import io
import itertools
from collections.abc import Iterable
from typing import Any

import yaml
from yaml import nodes

from ..model import Response
from .responses import _cell, read_responses
from .yamlio import compose_yaml, dump_flow_yaml, dump_yaml

_MISSING: Any = object()

#: An edit of a file's lines: replace lines [start, end) with text ("" deletes; start == end
#: inserts before line start).
_Edit = tuple[int, int, str]


class _CannotEdit(Exception):
    """This part of the text cannot be edited in place; its parent is rewritten instead."""


def edit_yaml(text: str, old: Any, new: Any) -> str | None:
    """Return ``text`` edited to hold ``new``, where it held ``old``; None when not possible.

    ``old`` and ``new`` are plain values (mappings, lists, scalars) as the model writes
    them. Only parts where they differ are rewritten. None means the file's structure does
    not allow an edit in place (flow style at the top, aliases, several documents): the
    caller writes the file whole.
    """
    if old == new:
        return text
    try:
        root = compose_yaml(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, nodes.MappingNode) or root.flow_style or _has_aliases(root):
        return None
    editor = _Editor(text)
    if editor.lines and editor.lines[0].endswith("\r\n"):
        editor.newline = "\r\n"
    try:
        edits = editor.mapping(root, old, new)
    except _CannotEdit:
        return None
    return editor.apply(edits)


def _has_aliases(root: nodes.Node) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, nodes.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, nodes.SequenceNode):
            stack.extend(node.value)
    return False


def _key(item: Any) -> Any:
    """What identifies a list item when two lists are matched: its id, or its value."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return ("id", item["id"])
    return ("value", repr(item))


class _Editor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.newline = "\n"
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    # -- where things are --------------------------------------------------------------

    def line_of(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index) - 1

    def last_line(self, node: nodes.Node) -> int:
        """The last line holding any of ``node``'s own text."""
        while isinstance(node, nodes.CollectionNode) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, nodes.MappingNode) else last
        index = node.end_mark.index - 1
        while index > node.start_mark.index and self.text[index] in " \t\r\n":
            index -= 1
        return self.line_of(max(index, node.start_mark.index))

    def blank(self, line: int) -> bool:
        return 0 <= line < len(self.lines) and not self.lines[line].strip()

    def comments_above(self, line: int) -> int:
        """The first line of the comment lines directly above ``line`` (no blank between)."""
        while line > 0 and self.lines[line - 1].lstrip().startswith("#"):
            line -= 1
        return line

    def own_line(self, line: int, column: int) -> str:
        """What stands before ``column`` on ``line``: indentation, perhaps with a dash."""
        prefix = self.lines[line][:column]
        if prefix.strip() not in ("", "-"):
            raise _CannotEdit
        return prefix

    def dash(self, item: nodes.Node) -> tuple[int, int]:
        """The (line, column) of the dash that starts a block sequence item."""
        index = item.start_mark.index - 1
        while index >= 0 and self.text[index] in " \t\r\n":
            index -= 1
        if index < 0 or self.text[index] != "-":
            raise _CannotEdit
        line = self.line_of(index)
        return line, index - self.starts[line]

    # -- writing new text --------------------------------------------------------------

    def block(self, value: Any, first: str, indent: int) -> str:
        """``value`` dumped, its first line after ``first``, the others indented."""
        lines = dump_yaml(value).replace("\n", self.newline).splitlines(keepends=True)
        pad = " " * indent
        out = [first + lines[0]]
        out.extend(pad + line if line.strip() else line for line in lines[1:])
        return "".join(out)

    def delete(self, first: int, last: int) -> _Edit:
        """Remove lines first..last and the comments directly above them; a blank line
        left doubled by the removal goes too."""
        start = self.comments_above(first)
        end = last + 1
        if (start == 0 or self.blank(start - 1)) and self.blank(end):
            end += 1
        return (start, end, "")

    # -- edits -------------------------------------------------------------------------

    def mapping(self, node: nodes.MappingNode, old: Any, new: Any) -> list[_Edit]:
        if node.flow_style:
            return self.flow(node, new)
        if not isinstance(old, dict) or not isinstance(new, dict):
            raise _CannotEdit
        by_text = {str(key): key for key in (*old, *new)}
        edits: list[_Edit] = []
        present = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, nodes.ScalarNode):
                raise _CannotEdit
            key = by_text.get(key_node.value, _MISSING)
            present.add(key)
            before = old.get(key, _MISSING) if key is not _MISSING else _MISSING
            after = new.get(key, _MISSING) if key is not _MISSING else _MISSING
            if before == after:
                continue
            first, column = key_node.start_mark.line, key_node.start_mark.column
            last = self.last_line(value_node)
            prefix = self.own_line(first, column)
            if after is _MISSING:
                if prefix.strip():  # the first key of a list item carries the item's dash
                    raise _CannotEdit
                edits.append(self.delete(first, last))
                continue
            try:
                edits.extend(self.value(value_node, before, after))
            except _CannotEdit:
                edits.append((first, last + 1, self.block({key: after}, prefix, column)))
        added = {key: value for key, value in new.items() if key not in present}
        added = {k: v for k, v in added.items() if old.get(k, _MISSING) != v}
        if added:
            last_key = node.value[-1][0]
            column = last_key.start_mark.column
            end = self.last_line(node) + 1
            edits.append((end, end, self.block(added, " " * column, column)))
        return self.checked(edits)

    def value(self, node: nodes.Node, old: Any, new: Any) -> list[_Edit]:
        if isinstance(node, nodes.MappingNode):
            return self.mapping(node, old, new)
        if isinstance(node, nodes.SequenceNode):
            return self.sequence(node, old, new)
        raise _CannotEdit

    def flow_list(self, node: nodes.SequenceNode, new: Any) -> list[_Edit]:
        """A one-line flow list of plain values (``attended: [p01, p03]``) stays one:
        the list between its brackets is written afresh, the rest of the line kept."""
        line = node.start_mark.line
        if (
            node.end_mark.line != line
            or not isinstance(new, list)
            or not all(isinstance(item, nodes.ScalarNode) for item in node.value)
            or not all(_plain_in_flow(item) for item in new)
        ):
            raise _CannotEdit
        start = node.start_mark.index - self.starts[line]
        end = node.end_mark.index - self.starts[line]
        text = self.lines[line]
        return [(line, line + 1, f"{text[:start]}[{', '.join(new)}]{text[end:]}")]

    def flow(self, node: nodes.CollectionNode, new: Any) -> list[_Edit]:
        """A one-line flow mapping or list (``- {id: c1, name: ...}``, as the docs write
        coaches and sessions) stays one line: it is written afresh in flow style between
        its brackets, the rest of the line kept."""
        line = node.start_mark.line
        if isinstance(node, nodes.MappingNode) and isinstance(new, dict):
            # The keys stay in the file's order; a new key goes last.
            by_text = {str(key): key for key in new}
            keys = (by_text.get(key.value) for key, _ in node.value)
            new = {**{key: new[key] for key in keys if key is not None}, **new}
        text = dump_flow_yaml(new) if isinstance(new, dict | list) else None
        if node.end_mark.line != line or text is None:
            raise _CannotEdit
        start = node.start_mark.index - self.starts[line]
        end = node.end_mark.index - self.starts[line]
        own = self.lines[line]
        return [(line, line + 1, f"{own[:start]}{text}{own[end:]}")]

    def sequence(self, node: nodes.SequenceNode, old: Any, new: Any) -> list[_Edit]:
        if node.flow_style:
            try:
                return self.flow_list(node, new)
            except _CannotEdit:
                return self.flow(node, new)
        if (
            node.flow_style
            or not isinstance(old, list)
            or not isinstance(new, list)
            or len(old) != len(node.value)
            or not new
        ):
            raise _CannotEdit
        old_keys = [_key(item) for item in old]
        new_keys = [_key(item) for item in new]
        matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
        edits: list[_Edit] = []
        spans = [(*self.dash(item), self.last_line(item)) for item in node.value]
        column = spans[0][1]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    if old[i] != new[j]:
                        edits.extend(self.item(node.value[i], spans[i], old[i], new[j]))
                continue
            for i in range(i1, i2):
                edits.append(self.delete(spans[i][0], spans[i][2]))
            if j2 > j1:
                at = self.comments_above(spans[i1][0]) if i1 < len(old) else spans[-1][2] + 1
                edits.append((at, at, self.block(new[j1:j2], " " * column, column)))
        return self.checked(edits)

    def item(self, node: nodes.Node, span: tuple[int, int, int], old: Any, new: Any) -> list[_Edit]:
        first, column, last = span
        try:
            return self.value(node, old, new)
        except _CannotEdit:
            return [(first, last + 1, self.block([new], self.own_line(first, column), column))]

    @staticmethod
    def checked(edits: list[_Edit]) -> list[_Edit]:
        edits.sort(key=lambda edit: (edit[0], edit[1]))
        for before, after in itertools.pairwise(edits):
            if after[0] < before[1]:
                raise _CannotEdit
        return edits

    def apply(self, edits: Iterable[_Edit]) -> str:
        lines = list(self.lines)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += self.newline
        for start, end, text in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
            lines[start:end] = [text] if text else []
        return "".join(lines)


def _plain_in_flow(item: Any) -> bool:
    """Whether ``item`` is text that reads back as itself, unquoted, in a flow list."""
    if not isinstance(item, str) or not item or item != item.strip():
        return False
    if any(char in item for char in ",[]{}#:&*!|>'\"%@`\n") or item.startswith(("-", "?")):
        return False
    try:
        return bool(yaml.safe_load(f"[{item}]") == [item])
    except yaml.YAMLError:
        return False


def _same(a: Response, b: Response) -> bool:
    """Whether two answers rows hold the same: an empty cell is no answer."""

    def given(response: Response) -> dict[str, float | str]:
        return {k: v for k, v in response.answers.items() if v is not None}

    return a.respondent == b.respondent and a.date == b.date and given(a) == given(b)


def edit_responses(
    text: str, file: str, instrument: str, occasion: str, responses: list[Response]
) -> str | None:
    """Return the responses file ``text`` edited to hold ``responses``, row by row.

    Rows of respondents whose answers did not change keep their text; removed respondents
    lose their rows; changed rows are written afresh in the file's own columns; new
    respondents are added at the end. None when the file cannot be edited in place (it
    has problems, or the new answers need columns it lacks): the caller writes it whole.
    """
    rows, problems = read_responses(text, file, instrument, occasion)
    if problems or not rows:
        return None
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    columns = [name.strip() for name in next(csv.reader([lines[0]]))]
    items = [name for name in columns[1:] if name != "date"]
    wanted = {response.respondent: response for response in responses}
    if len(wanted) != len(responses) or len({r.respondent for r, _ in rows}) != len(rows):
        return None
    for response in responses:
        extra = {k for k, v in response.answers.items() if v is not None} - set(items)
        if extra or (response.date is not None and "date" not in columns):
            return None

    def row_text(response: Response) -> str:
        buffer = io.StringIO()
        cells = [
            response.respondent
            if index == 0
            else (response.date.isoformat() if response.date else "")
            if name == "date"
            else _cell(response.answers.get(name))
            for index, name in enumerate(columns)
        ]
        csv.writer(buffer, lineterminator=newline).writerow(cells)
        return buffer.getvalue()

    starts = [line for _, line in rows]
    out = lines[: starts[0] - 1]
    for index, (response, line) in enumerate(rows):
        end = starts[index + 1] - 1 if index + 1 < len(rows) else len(lines)
        own = lines[line - 1 : end]
        after = wanted.pop(response.respondent, None)
        if after is None:
            continue
        if _same(response, after):
            if not own[-1].endswith(("\n", "\r")):
                own = [*own[:-1], own[-1] + newline]
            out.extend(own)
        else:
            out.append(row_text(after))
    out.extend(row_text(response) for response in responses if response.respondent in wanted)
    return "".join(out)


def same_responses(a: Iterable[Response], b: Iterable[Response]) -> bool:
    """Whether two lists of rows of one responses file hold the same answers, in any order."""
    first = {r.respondent: r for r in a}
    second = {r.respondent: r for r in b}
    return first.keys() == second.keys() and all(_same(first[k], second[k]) for k in first)
