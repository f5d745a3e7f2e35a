"""parse_yaml (one pass over libyaml's events) equals a plain reference: PyYAML's pure-Python
composer, then each node built on its own, with the reader's documented exceptions (a time
and an impossible date stay text, a lone ``=`` is text)."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml import nodes

from mio_core.io.yamlio import YamlProblem, parse_yaml

_SAFE = yaml.SafeLoader("")
_STANDARD = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}


class _Duplicate(Exception):
    pass


def _build(node: nodes.Node) -> Any:
    if isinstance(node, nodes.ScalarNode):
        if node.tag not in _STANDARD:
            return node.value
        if ":" in node.value and node.tag != "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            return _SAFE.construct_object(node, deep=True)
        except ValueError:
            return node.value
    if isinstance(node, nodes.SequenceNode):
        return [_build(child) for child in node.value]
    built: dict[Any, Any] = {}
    merged: list[dict[Any, Any]] = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            value = _build(value_node)
            merged.extend(value if isinstance(value, list) else [value])
            continue
        key = _build(key_node)
        if key in built:
            raise _Duplicate
        built[key] = _build(value_node)
    for mapping in merged:
        for key, value in mapping.items():
            built.setdefault(key, value)
    return built


def reference(text: str) -> Any:
    """What the document ``text`` holds, built node by node from the composed tree."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if node is None else _build(node)


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to itself, the same types and the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


#: Plain scalars YAML 1.1 reads as many types, and some it reads as text.
PLAIN = [
    "a", "mio-1", "Linköping", "13:30", "12:30:15", "1:2", "2017-02-30", "2024-03-05",
    "2024-03-05 14:22:01", "2024-03-05T14:22:01Z", "=", "~", "null", "Null", "yes", "No",
    "on", "true", "FALSE", "0x1f", "0o17", "017", "007", "1_000", "3.5", "4.0", "-2", "+4",
    "1e3", "1.0e+3", ".nan", ".inf", "-.inf", "0", "-0", "y", "n", "<<x", "0b101",
]  # fmt: skip
scalars = st.one_of(st.sampled_from(PLAIN), st.sampled_from(PLAIN).map(lambda text: f"'{text}'"))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(st.tuples(scalars, children), max_size=4),
    ),
    max_leaves=12,
)


def flow(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value and isinstance(value[0], tuple):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value) + "}"
    if value == []:
        return "[]"
    return "[" + ", ".join(flow(v) for v in value) + "]"


def block(value: Any, indent: str = "") -> str:
    if isinstance(value, str) or not value:
        return " " + flow(value) + "\n"
    lines = []
    for entry in value:
        if isinstance(entry, tuple):
            lines.append(f"{indent}{entry[0]}:" + _nested(entry[1], indent))
        else:
            lines.append(f"{indent}-" + _nested(entry, indent))
    return "\n" + "".join(lines)


def _nested(value: Any, indent: str) -> str:
    if isinstance(value, str) or not value:
        return block(value)
    return block(value, indent + "  ")


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "value", read(text)
    except _Duplicate:
        return "duplicate-key", None
    except YamlProblem as problem:
        return problem.problem.code, None


@settings(max_examples=300, deadline=None)
@given(values, st.booleans())
def test_parse_yaml_equals_building_each_composed_node(value: Any, as_block: bool) -> None:
    text = block(value).lstrip("\n") if as_block else flow(value)
    expected = _outcome(reference, text)
    found = _outcome(lambda t: parse_yaml(t, "f.yaml"), text)
    assert found[0] == expected[0], text
    assert _same(found[1], expected[1]), text


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n",
        "a: &a [1, 2]\nb: [*a, *a]\n",
        "a: &s 13:30\nb: *s\n",
        "bases: [&p {x: 1}, &q {y: 2}]\nc: {<<: [*p, *q], z: 3}\n",
        "- &m {a: [x, {b: c}]}\n- *m\n- {<<: *m, d: e}\n",
        "",
        "# only a comment\n",
        "'quoted': \"13:30\"\n",
    ],
)
def test_anchors_aliases_and_merges_read_as_the_reference(text: str) -> None:
    assert _same(parse_yaml(text, "f.yaml"), reference(text))


def test_a_key_twice_is_a_problem_on_its_line() -> None:
    with pytest.raises(YamlProblem) as raised:
        parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    assert (raised.value.problem.code, raised.value.problem.line) == ("duplicate-key", 4)


def test_a_list_as_a_key_is_a_problem() -> None:
    with pytest.raises(YamlProblem) as raised:
        parse_yaml("? [a, b]\n: 1\n", "f.yaml")
    assert raised.value.problem.code == "complex-key"


def test_a_tab_that_stops_the_parser_is_named_on_its_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("participants:\n\t- id: p01\n", "people.yaml")
    problem = caught.value.problem
    assert (problem.code, problem.line) == ("yaml-syntax", 2)
    assert "it is a tab: indent YAML with spaces" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "advice"),
    [
        ("title: Mål: fler idéer\n", 1, "put a text that holds ': ' in quotes"),
        ("participants: [p01, p02\nname: x\n", 2, "a list opened with [ is not closed"),
        ("title: 'Mål\nx: 1\n", 3, "a quote (' or \") is opened and not closed"),
        ("a:\n  - x\n - y\n", 3, "not indented as the lines above it"),
        ("id: x\nname\nother: 1\n", 3, "neither 'key: value' nor a list item"),
        ("email: @kommun.se\n", 1, "put the text in quotes"),
        ("title: *Viktigt*\n", 1, "a value starts with *: put the text in quotes"),
        ("id: [\n", 2, "close the [ or {"),
    ],
)
def test_a_syntax_error_says_what_to_do_before_the_parser_s_words(
    text: str, line: int, advice: str
) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, "concept.yaml")
    problem = caught.value.problem
    assert (problem.code, problem.line) == ("yaml-syntax", line)
    advice_given, _, parser_words = problem.message.partition(" (the YAML parser: ")
    assert advice in advice_given and parser_words


def test_an_unknown_alias_says_to_quote_a_text_that_starts_with_a_star() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("title: *x\n", "concept.yaml")
    assert "put a text that starts with * in quotes" in caught.value.problem.message
