"""Safe, bounded YAML reading with located problems, and YAML writing.

Documents are built straight from libyaml's event stream (PyYAML's C parser) rather than
through PyYAML's constructor: one pass that is faster than ``yaml.load`` and that enforces
the limits no loader has — nesting depth, alias expansion, duplicate keys — before any
value reaches the rest of the library. Only the standard YAML scalar types are built; any
other tag (``!!python/...`` among them) is a problem, never code.

Line numbers are found only when there is a problem to report: :func:`locate` composes
the document again with marks and follows a field path to its node.
"""

from __future__ import annotations

import sys
from typing import Any

import attrs
import yaml
from yaml import events as ev
from yaml import nodes
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..problems import Problem

try:  # libyaml's C parser when PyYAML was built with it
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = frozenset(
    {
        _STR,
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        _TIMESTAMP,
    }
)


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on what one input file may ask of the library; each is configurable."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_depth: int = 64
    #: how many nodes aliases may add beyond those written out (defeats "billion laughs")
    max_alias_expansion: int = 100_000
    max_csv_field_bytes: int = 64 * 1024
    max_csv_rows: int = 5_000_000


DEFAULT_LIMITS = Limits()


class YamlProblem(Exception):
    """A document could not be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Merge:
    """The ``<<`` key of a merge."""


_MERGE_KEY = _Merge()
_resolver = Resolver()
_constructor = SafeConstructor()


def _problem(file: str, code: str, message: str, mark: Any = None) -> YamlProblem:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return YamlProblem(Problem(file=file, code=code, message=message, line=line, column=column))


def decode(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the text of a UTF-8 file (a BOM is allowed) or raise :class:`YamlProblem`."""
    if len(data) > limits.max_file_bytes:
        raise _problem(
            file,
            "file-too-large",
            f"the file has {len(data):,} bytes; the limit is {limits.max_file_bytes:,}",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte-order mark
        excel = " (in Excel: 'CSV UTF-8')" if file.lower().endswith(".csv") else ""
        raise _problem(
            file,
            "not-utf8",
            f"the file is UTF-16 text, and mio reads UTF-8: save it as UTF-8{excel}",
        )
    if b"\x00" in data[:8192]:
        raise _problem(file, "not-text", "this is a binary file, not a text file")
    conflict = merge_conflict(data, file)
    if conflict is not None:
        raise YamlProblem(conflict)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            Problem(
                file=file,
                code="not-utf8",
                message=f"byte {exc.start} is not UTF-8; save the file as UTF-8",
                line=line,
            )
        ) from None


def merge_conflict(data: bytes, file: str) -> Problem | None:
    """Return a ``merge-conflict`` problem when ``data`` holds a merge conflict version
    control left unresolved (a line ``<<<<<<< ...``, then ``=======``, then
    ``>>>>>>> ...``); None when it holds none.

    Read as YAML or CSV such a file gives a puzzling syntax error (or worse, a row of
    text), so the markers are named instead, with the line each conflict starts on.
    """
    if b"<<<<<<<" not in data:
        return None
    starts: list[int] = []
    opened: int | None = None
    middle = False
    for number, line in enumerate(data.splitlines(), start=1):
        if _marker(line, b"<<<<<<<"):
            opened, middle = number, False
        elif opened is not None and line.rstrip(b"\r") == b"=======":
            middle = True
        elif opened is not None and middle and _marker(line, b">>>>>>>"):
            starts.append(opened)
            opened = None
    if not starts:
        return None
    if len(starts) == 1:
        conflicts = "an unresolved merge conflict"
    else:
        shown = ", ".join(str(line) for line in starts[:5]) + (", ..." if len(starts) > 5 else "")
        conflicts = f"{len(starts)} unresolved merge conflicts, starting on lines {shown}"
    return Problem(
        file=file,
        code="merge-conflict",
        message=f"{conflicts}: a merge left both versions between the markers <<<<<<<, "
        "======= and >>>>>>>; keep the lines you want, delete the marker lines, then check "
        "again",
        line=starts[0],
    )


def _marker(line: bytes, marker: bytes) -> bool:
    """Whether ``line`` is a conflict marker: ``marker`` alone or followed by a space."""
    return line.startswith(marker) and line[7:8] in (b"", b" ")


#: Plain scalars already seen in this document, and what they were read as. Dates, numbers
#: and booleans repeat a lot in a workspace (the same dates and minutes on every session)
#: and the values are immutable, so each distinct text is resolved and built once.
_Seen = dict[str, Any]
_UNSEEN = object()


def _scalar(event: ev.ScalarEvent, file: str, seen: _Seen) -> Any:
    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return value  # quoted: always a string
        built = seen.get(value, _UNSEEN)
        return _resolve_plain(value, seen) if built is _UNSEEN else built
    if tag not in _SCALAR_TAGS:
        raise _problem(file, "unsafe-tag", f"the tag {tag} is not allowed", event.start_mark)
    return _construct(tag, value)


#: The first characters of the plain scalars YAML may read as something else than text
#: (``Resolver.resolve`` looks its patterns up by the first character, as here).
_IMPLICIT = Resolver.yaml_implicit_resolvers


def _resolve_plain(value: str, seen: _Seen) -> Any:
    """Return what the plain scalar ``value`` is read as, and remember it in ``seen``."""
    if value and value[0] not in _IMPLICIT and None not in _IMPLICIT:
        # No pattern starts so (a name, an id): text, as resolve says. Interned, so that an
        # id named in many files (a person in cohorts, sessions, projects) is held once.
        built: Any = sys.intern(value)
    else:
        tag = _resolver.resolve(nodes.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if tag == _MERGE:
            built = _MERGE_KEY
        elif tag not in _SCALAR_TAGS or tag == _STR:
            # e.g. a lone "=" resolves to YAML's old !!value type: keep it as text
            built = sys.intern(value)
        elif ":" in value and tag != _TIMESTAMP:
            built = value  # YAML 1.1 reads 13:30 as the base-60 number 810: a time stays text
        else:
            built = _construct(tag, value)
    if len(seen) < 50_000:
        seen[value] = built
    return built


def _construct(tag: str, value: str) -> Any:
    try:
        return _constructor.yaml_constructors[tag](_constructor, nodes.ScalarNode(tag, value))
    except (ValueError, TypeError, yaml.YAMLError):
        # An impossible date such as 2017-02-30 stays text; the model names the field.
        return value


def _collection_tag(event: Any, file: str, wanted: str) -> None:
    if event.tag not in (None, "!", wanted):
        raise _problem(file, "unsafe-tag", f"the tag {event.tag} is not allowed", event.start_mark)


def _tab_hint(text: str, exc: yaml.MarkedYAMLError) -> str:
    """Say so when the parser stopped at a tab: its own message does not name it."""
    mark = exc.problem_mark
    if mark is None:
        return ""
    lines = text.split("\n", mark.line + 1)
    line = lines[mark.line] if mark.line < len(lines) else ""
    if mark.column < len(line) and line[mark.column] == "\t":
        return "; it is a tab: indent YAML with spaces"
    return ""


#: What the parser's words mean for someone editing a file by hand: (words in the parser's
#: message, what to do). The first that matches is said before the parser's own message.
_SYNTAX_HINTS = (
    (
        "expected ',' or ']'",
        "a list opened with [ is not closed: end it with ], or put a "
        "text that starts with [ in quotes",
    ),
    (
        "expected ',' or '}'",
        "a { is not closed: end it with }, or put a text that starts with { in quotes",
    ),
    (
        "mapping values are not allowed",
        "a colon followed by a space starts a new key here: "
        "put a text that holds ': ' in quotes ('Mål: fler idéer'), or indent this line as the "
        "lines above it",
    ),
    ("quoted scalar", "a quote (' or \") is opened and not closed: close it on the same text"),
    (
        "did not find expected key",
        "this line is not indented as the lines above it: give "
        "every key of one entry the same number of spaces",
    ),
    (
        "could not find expected ':'",
        "a line is neither 'key: value' nor a list item: add "
        "the colon, or join the line to the text above it",
    ),
    ("expected '-' indicator", "a list's items start with '- ', each at the same indentation"),
    (
        "cannot start any token",
        "a value starts with a character YAML reserves (@, ` or %): put the text in quotes",
    ),
    ("scanning an anchor", "a value starts with &: put the text in quotes"),
    ("scanning an alias", "a value starts with *: put the text in quotes"),
    (
        "scanning a block scalar",
        "a value starts with | or >, which begin a block of text: put the text in quotes",
    ),
    (
        "expected node content",
        "a value is missing after a [, { or comma, or starts with a character YAML "
        "reserves (], }, ,): close the [ or { or write the value, or put the text in quotes",
    ),
)


def _syntax_hint(message: str) -> str:
    """Return ``message`` (the parser's) with what to do said first, when it is known."""
    for words, hint in _SYNTAX_HINTS:
        if words in message:
            return f"{hint} (the YAML parser: {message})"
    return message


def parse_yaml(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Return the single document in ``text`` as plain Python values.

    Raises :class:`YamlProblem` for a syntax error, a tag other than the standard scalar
    ones, nesting deeper than ``limits.max_depth``, aliases that would expand past
    ``limits.max_alias_expansion`` nodes, a duplicate key, or more than one document.
    """
    # A national workspace sends millions of events through this loop, so it is written
    # for few Python calls per event: the open collection's state lives in local variables
    # (the enclosing ones are saved on ``stack``), a value is added to its collection in
    # one place at the end of the loop, and a plain scalar is looked up in ``seen`` before
    # anything else. Its results equal composing the document and building each node
    # (tests/io/test_yaml_reader.py compares them).
    stack: list[tuple[Any, bool, Any, int, list[Any] | None, str | None]] = []
    anchors: dict[str, tuple[Any, int]] = {}
    seen: _Seen = {}
    seen_get = seen.get
    unseen = _UNSEEN
    no_key = _NO_KEY
    merge_key = _MERGE_KEY
    scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
    mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    max_depth = limits.max_depth
    root: Any = None
    documents = 0
    expanded = 0
    # The open collection: None at the top level (then the value is the document).
    container: Any = None
    is_mapping = False
    key: Any = no_key
    size = 0  # the nodes in the open collection so far, itself included
    merges: list[Any] | None = None
    anchor: str | None = None

    loader = None
    try:
        loader = _Loader(text)
        get_event: Any = loader.get_event
        while True:
            event = get_event()
            kind = event.__class__
            if kind is scalar_event:
                value = event.value
                if event.tag is None and event.implicit[0]:
                    built = seen_get(value, unseen)
                    if built is unseen:
                        built = _resolve_plain(value, seen)
                    value = built
                elif event.tag is not None:
                    value = _scalar(event, file, seen)
                # else: quoted without a tag, always a string
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                added = 1
            elif kind is mapping_start or kind is sequence_start:
                is_map = kind is mapping_start
                _collection_tag(event, file, _MAP if is_map else _SEQ)
                if len(stack) >= max_depth:
                    raise _problem(
                        file,
                        "too-deep",
                        f"the data nest deeper than {max_depth} levels",
                        event.start_mark,
                    )
                stack.append((container, is_mapping, key, size, merges, anchor))
                container = {} if is_map else []
                is_mapping, key, size, merges, anchor = is_map, no_key, 1, None, event.anchor
                continue
            elif kind is mapping_end or kind is sequence_end:
                value, added = container, size
                for merged in merges or ():
                    if not isinstance(merged, dict):
                        raise _problem(
                            file, "bad-merge", "'<<' must merge a mapping", event.start_mark
                        )
                    for merged_key, merged_value in merged.items():
                        value.setdefault(merged_key, merged_value)
                if anchor is not None:
                    anchors[anchor] = (value, added)
                container, is_mapping, key, size, merges, anchor = stack.pop()
            elif kind is alias_event:
                if event.anchor not in anchors:
                    raise _problem(
                        file,
                        "yaml-syntax",
                        f"unknown alias *{event.anchor}: a value that starts with * names an "
                        "alias; put a text that starts with * in quotes",
                        event.start_mark,
                    )
                value, added = anchors[event.anchor]
                expanded += added
                if expanded > limits.max_alias_expansion:
                    raise _problem(
                        file,
                        "too-many-aliases",
                        "aliases in this file expand to more than "
                        f"{limits.max_alias_expansion:,} values",
                        event.start_mark,
                    )
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _problem(
                        file,
                        "many-documents",
                        "the file holds more than one YAML document (a second '---')",
                        event.start_mark,
                    )
                continue
            elif kind is ev.StreamEndEvent or event is None:
                break
            else:
                continue
            # Add ``value`` (``added`` nodes) to the open collection.
            if container is None:
                root = value
            elif not is_mapping:
                size += added
                container.append(value)
            elif key is no_key:
                size += added
                if value is merge_key:
                    key = merge_key
                    continue
                try:
                    duplicate = value in container
                except TypeError:
                    raise _problem(
                        file,
                        "complex-key",
                        "a key must be a plain value, not a list or mapping",
                        event.start_mark,
                    ) from None
                if duplicate:
                    raise _problem(
                        file, "duplicate-key", f"the key {value!r} appears twice", event.start_mark
                    )
                key = value
            else:
                size += added
                if key is merge_key:
                    merges = merges if merges is not None else []
                    merges.extend(value if isinstance(value, list) else [value])
                else:
                    container[key] = value
                key = no_key
    except yaml.MarkedYAMLError as exc:
        parts = [part for part in (exc.context, exc.problem) if part]
        # Newer libyaml builds stop deep nesting themselves; report it as our own limit.
        code = "too-deep" if "nesting depth" in str(exc.problem) else "yaml-syntax"
        tab = _tab_hint(text, exc)
        message = ", ".join(parts) + tab if tab else _syntax_hint(", ".join(parts))
        raise _problem(file, code, message, exc.problem_mark) from None
    except yaml.YAMLError as exc:
        raise _problem(file, "yaml-syntax", str(exc)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return root


class _NoKey:
    """Marks a mapping frame that waits for its next key."""


_NO_KEY = _NoKey()


class Locator:
    """Finds the line and column of field paths in one YAML text (composed once, on demand)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None
        self._composed = False

    def find(self, path: tuple[str | int, ...]) -> tuple[int, int] | None:
        """Return the 1-based (line, column) of ``path``, or of the nearest parent present.

        For a path that ends in a key that is present, the key itself is found, so an
        unknown key points at the key.
        """
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=_Loader)
            except yaml.YAMLError:
                self._root = None
        node = self._root
        if node is None:
            return None
        mark = node.start_mark
        for part in path:
            if isinstance(node, nodes.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, nodes.ScalarNode) and key_node.value == str(part):
                        mark = key_node.start_mark
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, nodes.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


def compose_yaml(text: str) -> nodes.Node | None:
    """Return the node tree of ``text``, with the marks of every node (slow: for writing and
    for locating problems, never for reading). Raises ``yaml.YAMLError`` on bad syntax."""
    node: nodes.Node | None = yaml.compose(text, Loader=_Loader)
    return node


class _Dumper(_BaseDumper):
    """Writes every value out: a value used twice (a shared date) gets no anchor or alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_flow_yaml(data: Any) -> str | None:
    """Return a mapping or list as one line of flow-style YAML (``{id: c1, name: ...}``),
    or None when it does not fit on one line."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=True,
        width=1 << 30,
    )
    text = text.removesuffix("\n")
    return None if "\n" in text or text.startswith("..") else text


def dump_yaml(data: Any) -> str:
    """Return ``data`` (plain values, dates allowed) as block-style UTF-8 YAML."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text
