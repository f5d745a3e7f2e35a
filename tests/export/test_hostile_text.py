"""Hostile text in a workspace is data in every export format: never a formula, markup or an
invisible control character. The checks here parse each output with its own reader."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import itertools
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mio_core as m
from mio_core.export import make_options
from mio_core.model import Translations, Workspace, text_in
from mio_core.textsafety import (
    has_control_characters,
    markdown_text,
    show_controls,
    spreadsheet_text,
    workbook_text,
)

from ..helpers import EXAMPLE, INSTRUMENT_FORMATS, mixed_models_fitted_once
from ..readback import STATS_SUFFIXES, stats_file_text

CALC = "=1+2+cmd|' /C calc'!A0"
HYPERLINK = '=HYPERLINK("http://evil.example","klicka")'

#: Spreadsheet triggers, ASCII and full-width (OWASP CSV injection).
TRIGGERS = set("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")

FREE_TEXT_FIELDS = {
    "name",
    "unit",
    "title",
    "description",
    "challenge",
    "idea",
    "note",
    "text",
    "evidence",
    "manager_needs",
    "organisation_needs",
    "purpose",
    "target_group",
    "approach",
    "contribution",
    "follow_up",
}

STARTS = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "<script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "# ",
    "[klicka](http://evil.example)",
    "`code`",
    "| a | b |",
    "\u202e",
    "\u2066",
    "\x00",
    "\x1b[31m",
    "\x85",
    "1. ",
    "> ",
    "",
]
HOSTILE_ALPHABET = st.sampled_from(
    [
        *"=+-@;,\"'|<>&#[]()`*_!\\/ \t\nabcÅö0123456789",
        *["\u202a", "\u202e", "\u2067", "\u2069", "\x00", "\x07", "\x7f", "\x9b", "\r", "\uff20"],
    ]
)
HOSTILE = st.one_of(
    st.sampled_from([CALC, HYPERLINK, "-1.5", "x;=cmd|' /C calc'!A0", 'a";=1+2']),
    st.builds(
        lambda start, body, end: f"{start}x{body}{end}",
        st.sampled_from(STARTS),
        st.text(HOSTILE_ALPHABET, max_size=24),
        st.sampled_from(["", "</td>", "\n- list", ";@SUM(1)", "]]>", "\u202c"]),
    ),
)


def _replace_texts(value: Any, texts: Iterator[str]) -> Any:
    """Return ``value`` with every free-text field (however deep) set to the next text."""
    if isinstance(value, tuple):
        return tuple(_replace_texts(item, texts) for item in value)
    if not attrs.has(type(value)):
        return value
    changes = {}
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        if field.name in FREE_TEXT_FIELDS and isinstance(current, str | Translations):
            changes[field.name] = next(texts)
        elif field.name in FREE_TEXT_FIELDS and isinstance(current, tuple):
            changes[field.name] = tuple(next(texts) for _ in current)
        elif isinstance(current, tuple) or attrs.has(type(current)):
            changes[field.name] = _replace_texts(current, texts)
    return attrs.evolve(value, **changes)


def hostile_workspace(folder: Path, texts: list[str]) -> Workspace:
    """Copy the example to ``folder`` with every free text hostile, and a local instrument
    (a copy of the module evaluation) whose labels are hostile too; return it as saved."""
    shutil.copytree(EXAMPLE, folder, dirs_exist_ok=True)
    loaded = m.load_workspace(folder)
    cycle = itertools.cycle(texts)
    registry = m.load_registry()
    instrument = attrs.evolve(registry.instruments["mio-module-evaluation"], id="hostile-form")
    changed = attrs.evolve(
        loaded,
        manifest=_replace_texts(loaded.manifest, cycle),
        concept=_replace_texts(loaded.concept, cycle),
        organisations=_replace_texts(loaded.organisations, cycle),
        participants=_replace_texts(loaded.participants, cycle),
        coaches=_replace_texts(loaded.coaches, cycle),
        cohorts=_replace_texts(loaded.cohorts, cycle),
        engagements=_replace_texts(loaded.engagements, cycle),
        projects=_replace_texts(loaded.projects, cycle),
        instruments=(*loaded.instruments, _replace_texts(instrument, cycle)),
    )
    m.save_workspace(changed, folder)
    return m.load_workspace(folder)


#: Formats that refuse an identified source.
RESEARCH_ONLY = ("analysis",)


def export_all(
    workspace: Workspace, out: Path, registry: m.Registry, key_file: Path, **values: str
) -> dict[str, Path]:
    """Export ``workspace`` identified in every installed format to fresh paths in ``out``.

    Formats for research only (``analysis``) refuse identified data: they get the
    source pseudonymised with the key in ``key_file``, with its free text.
    """
    source = m.prepare_source(workspace, registry, identified=True, language="en")
    research = m.prepare_source(
        workspace, registry, with_text=True, language="en", key_file=key_file
    )
    written = {}
    for name, exporter in sorted(registry.exporters.items()):
        given = {"instrument": "hostile-form"} if name in INSTRUMENT_FORMATS else {}
        options_type = exporter.options_type
        if options_type is not None:
            known = {f.name for f in attrs.fields(options_type)}
            given.update({k: v for k, v in values.items() if k in known})
        options = make_options(exporter, given)
        given_source = research if name in RESEARCH_ONLY else source
        written[name] = m.run_export(
            exporter, given_source, out / f"{name}{exporter.suffix}", options
        )
    return written


# --- independent checks -------------------------------------------------------------------


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def cell_is_inert(cell: str) -> bool:
    """No piece of ``cell`` — the whole, or after any separator a spreadsheet may split
    on — starts like a formula, unless it is a plain number."""
    pieces = [cell]
    for separator in ",;\t\r\n":
        pieces += [part for piece in pieces for part in piece.split(separator)[1:]]
    for piece in pieces:
        stripped = piece.lstrip(' "') if piece is not cell else piece.lstrip(" ")
        if stripped and stripped[0] in TRIGGERS and not _is_number(stripped):
            return False
    return True


class Markup(HTMLParser):
    """Every element and attribute name in an HTML text, and its character data."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.data: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def render_markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def workbook_cells(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """The values of one sheet of a workbook, as openpyxl reads them."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()


def sheets_xml(path: Path) -> dict[str, str]:
    """The raw XML of every sheet (and shared strings) of a workbook."""
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith(("xl/worksheets/", "xl/sharedStrings"))
        }


def formulas(path: Path) -> list[str]:
    """The sheets that hold a formula: an ``<f>`` (or ``<f ...>``) element."""
    return [name for name, xml in sheets_xml(path).items() if re.search(r"<f[ >/]", xml)]


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return m.load_registry(strict=True)  # every installed format, first-party plugins too


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, registry: m.Registry) -> dict[str, Markup]:
    """The markup of the HTML and Markdown outputs of the clean example."""
    folder = tmp_path_factory.mktemp("clean")
    shutil.copytree(EXAMPLE, folder, dirs_exist_ok=True)
    source = m.prepare_source(m.load_workspace(folder), registry, identified=True, language="en")
    out = tmp_path_factory.mktemp("clean-out")
    html = m.run_export(registry.exporter("html"), source, out / "r.html")
    md = m.run_export(registry.exporter("markdown"), source, out / "r.md")
    return {
        "html": Markup(html.read_text(encoding="utf-8")),
        "markdown": Markup(render_markdown(md.read_text(encoding="utf-8"))),
    }


# --- the property over every format -------------------------------------------------------


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(HOSTILE, min_size=6, max_size=12), long=st.booleans())
def test_hostile_text_is_data_in_every_installed_format(
    tmp_path_factory: pytest.TempPathFactory,
    registry: m.Registry,
    baseline: dict[str, Markup],
    key_file: Path,
    fits: dict[tuple[str, ...], Any],
    texts: list[str],
    long: bool,
) -> None:
    if long:
        texts = [*texts, "=" + "x<\u202e;=" * 9000]  # beyond a workbook cell's 32 767
    workspace = hostile_workspace(tmp_path_factory.mktemp("ws"), texts)
    with mixed_models_fitted_once(fits):  # texts never reach a model: fit each once
        written = export_all(workspace, tmp_path_factory.mktemp("out"), registry, key_file)
    assert set(written) == set(registry.exporters)
    names = [p.name for p in workspace.participants]

    for name, path in written.items():
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".xlsx":
                assert not formulas(file), (name, file)
                for xml in sheets_xml(file).values():
                    assert not has_control_characters(xml), (name, file)
                continue
            if file.suffix == ".docx":  # mio-docx: text only as run text, never a field
                with zipfile.ZipFile(file) as archive:
                    for member in archive.namelist():
                        if member.startswith("word/") and member.endswith(".xml"):
                            xml = archive.read(member).decode("utf-8")
                            assert not has_control_characters(xml), (name, member)
                            assert not re.search(
                                r"<w:(fldSimple|instrText|fldChar|hyperlink)\b", xml
                            ), (name, member)
                continue
            if file.suffix in STATS_SUFFIXES:  # values and labels, read back
                text = stats_file_text(file)
            else:
                text = file.read_text(encoding="utf-8")
            assert not has_control_characters(text), (name, file.name)
            if file.suffix == ".csv":
                csv.field_size_limit(
                    max(csv.field_size_limit(), len(text))
                )  # a long text is one cell
                cells = {cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row}
                for cell in cells:
                    assert cell_is_inert(cell), (name, file.name, cell)

    participants = list(
        csv.DictReader((written["csv"] / "participants.csv").open(encoding="utf-8"))
    )
    assert [row["name"] for row in participants] == [spreadsheet_text(n) for n in names]
    sheet = workbook_cells(written["xlsx"], "participants")
    column = sheet[0].index("name")
    assert [row[column] for row in sheet[1:]] == [workbook_text(n) for n in names]

    document = json.loads(written["json"].read_text(encoding="utf-8"))
    assert [p["name"] for p in document["workspace"]["participants"]] == names
    # libyaml's parser (PyYAML's C loader), not PyYAML's pure-Python one: the same YAML
    # 1.1 safe loading, an independent reader, and ten seconds less per example
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded = yaml.load(written["yaml"].read_text(encoding="utf-8"), Loader=loader)
    assert [p["name"] for p in loaded["workspace"]["participants"]] == names
    statements = [json.loads(line) for line in written["xapi"].read_text("utf-8").splitlines()]
    assert {s["actor"]["name"] for s in statements if "name" in s["actor"]} <= set(names)

    for name in ("html", "markdown"):
        text = written[name].read_text(encoding="utf-8")
        markup = Markup(text if name == "html" else render_markdown(text))
        assert markup.tags <= baseline[name].tags, (name, markup.tags - baseline[name].tags)
        extra = markup.attributes - baseline[name].attributes
        assert not extra, (name, extra)

    labels = [row[2] for row in workbook_cells(written["xlsform"], "survey")[3:]]
    items = workspace.instruments[-1].items
    assert labels == [workbook_text(text_in(item.text, "en")) for item in items]


def test_exact_csv_keeps_hostile_text_as_it_is(tmp_path: Path, registry: m.Registry) -> None:
    workspace = hostile_workspace(tmp_path / "ws", [CALC, "\u202eabc", "a\x00b", "-x"])
    source = m.prepare_source(workspace, registry, identified=True)
    exporter = registry.exporter("csv")
    out = m.run_export(
        exporter, source, tmp_path / "exact", make_options(exporter, {"exact": "true"})
    )
    rows = list(csv.DictReader((out / "participants.csv").open(encoding="utf-8", newline="")))
    assert [r["name"] for r in rows] == [p.name for p in workspace.participants]


# --- the two examples of the issue --------------------------------------------------------


@pytest.fixture
def issue_workspace(tmp_path: Path) -> Workspace:
    """The example with participant p01 named CALC and every project titled HYPERLINK."""
    folder = tmp_path / "ws"
    shutil.copytree(EXAMPLE, folder)
    loaded = m.load_workspace(folder)
    first, *rest = loaded.participants
    changed = attrs.evolve(
        loaded,
        participants=(attrs.evolve(first, name=CALC), *rest),
        projects=tuple(attrs.evolve(p, title=HYPERLINK) for p in loaded.projects),
    )
    m.save_workspace(changed, folder)
    return m.load_workspace(folder)


def test_a_formula_name_and_title_are_string_cells_in_the_workbook(
    issue_workspace: Workspace, tmp_path: Path, registry: m.Registry
) -> None:
    source = m.prepare_source(issue_workspace, registry, identified=True)
    out = m.run_export(registry.exporter("xlsx"), source, tmp_path / "r.xlsx")
    assert not formulas(out)
    with zipfile.ZipFile(out) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/work"))
    assert b"<t>=1+2+cmd|' /C calc'!A0</t>" in xml
    assert workbook_cells(out, "participants")[1][1] == CALC
    projects = workbook_cells(out, "projects")
    titles = {row[projects[0].index("title")] for row in projects[1:]}
    assert titles == {HYPERLINK}


def test_a_formula_name_and_title_are_neutralised_in_the_csv(
    issue_workspace: Workspace, tmp_path: Path, registry: m.Registry
) -> None:
    source = m.prepare_source(issue_workspace, registry, identified=True)
    out = m.run_export(registry.exporter("csv"), source, tmp_path / "csv")
    people = list(csv.DictReader((out / "participants.csv").open(encoding="utf-8")))
    assert people[0]["name"] == "'" + CALC
    projects = list(csv.DictReader((out / "projects.csv").open(encoding="utf-8")))
    assert {p["title"] for p in projects} == {"'" + HYPERLINK}


def test_the_datapackage_with_neutralised_text_passes_frictionless_validate(
    issue_workspace: Workspace, tmp_path: Path, registry: m.Registry
) -> None:
    from frictionless import validate

    source = m.prepare_source(issue_workspace, registry, identified=True)
    out = m.run_export(registry.exporter("datapackage"), source, tmp_path / "pkg")
    report = validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    people = list(csv.DictReader((out / "participants.csv").open(encoding="utf-8")))
    assert people[0]["name"] == "'" + CALC


def test_numbers_in_the_csv_stay_numbers(tmp_path: Path) -> None:
    from mio_core.export.formats.csvfolder import write_table

    path = tmp_path / "t.csv"
    rows = [(-1.5, "=x", -2, "-1.5"), (0.25, "-y", 3, "+46 70")]
    types = ["number", "string", "integer", "string"]
    write_table(path, ["a", "b", "c", "d"], rows, types, spreadsheet_safe=True)
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        "-1.5,'=x,-2,-1.5",
        "0.25,'-y,3,'+46 70",
    ]


def test_the_markdown_summary_shows_a_script_as_text(
    issue_workspace: Workspace, tmp_path: Path, registry: m.Registry
) -> None:
    title = "<script>alert('x')</script> [klicka](http://evil.example) | # `x`"
    changed = attrs.evolve(
        issue_workspace, manifest=attrs.evolve(issue_workspace.manifest, title=title)
    )
    source = m.prepare_source(changed, registry, identified=True, key_file=tmp_path / "key")
    out = m.run_export(registry.exporter("markdown"), source, tmp_path / "r.md")
    markup = Markup(render_markdown(out.read_text(encoding="utf-8")))
    assert "script" not in markup.tags and "a" not in markup.tags
    assert title in "".join(markup.data)


# --- the text functions themselves --------------------------------------------------------


@given(st.text(HOSTILE_ALPHABET, max_size=40))
def test_spreadsheet_text_leaves_no_cell_that_starts_a_formula(text: str) -> None:
    assert cell_is_inert(spreadsheet_text(text))


@given(st.text(st.characters(exclude_characters="=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")))
def test_spreadsheet_text_changes_text_without_formula_starts_only_to_show_controls(
    text: str,
) -> None:
    assert spreadsheet_text(text) == show_controls(text)


@given(st.text(HOSTILE_ALPHABET, max_size=40) | st.text())
def test_spreadsheet_texts_quick_match_changes_no_result(text: str) -> None:
    # The one-match fast path returns text unchanged only where the full rules would too.
    from mio_core.textsafety import _guarded

    assert spreadsheet_text(text) == _guarded(text)


# Cells of every type the tables hold, and the ones a cell cache could mix up: 1, 1.0 and
# True are equal, so are 0.0 and -0.0; a datetime is a date; a str subclass is not a str.
class _Text(str):
    pass


CELLS = st.one_of(
    st.text(HOSTILE_ALPHABET, max_size=12),
    st.sampled_from(["1", "-1", "", " ", '"', "a,b", "=1+1", "+A1", "@x", "-2"]),
    st.none(),
    st.integers(-3, 3),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1.0, -1.0]),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2020, 1, 3)),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2020, 1, 2)),
    st.sampled_from([_Text("=1"), _Text("a")]),
)


@settings(max_examples=300)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.tuples(*[CELLS] * width) | st.lists(CELLS, max_size=4).map(tuple), max_size=12
        )
    ),
    st.booleans(),
    st.integers(1, 5),
)
def test_the_csv_fast_path_writes_what_csv_writer_writes(
    rows: list[tuple[object, ...]], safe: bool, batch: int
) -> None:
    # The batched, column-wise writer is checked against csv.writer on the same rows, text
    # made safe by spreadsheet_text cell by cell: the same characters, every batch size.
    from mio_core.export.formats import csvfolder

    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(
        [
            tuple(spreadsheet_text(c) if safe and c.__class__ is str else c for c in row)
            for row in rows
        ]
    )
    written = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfolder, "_BATCH", batch)
        csvfolder._write_rows(written, rows, spreadsheet_safe=safe)
    assert written.getvalue() == expected.getvalue()


@pytest.mark.parametrize("number", ["-1.5", "+3", "-0,25", "2e-3", "-7"])
def test_spreadsheet_text_keeps_a_plain_number(number: str) -> None:
    assert spreadsheet_text(number) == number


@given(st.text(HOSTILE_ALPHABET, max_size=40).filter(str.strip))
def test_markdown_text_renders_as_exactly_that_text(text: str) -> None:
    markup = Markup(render_markdown(markdown_text(text)))
    assert markup.tags <= {"p"}
    assert "".join(markup.data).strip() == " ".join(show_controls(text).split())


@given(st.text(HOSTILE_ALPHABET, min_size=1, max_size=40).filter(str.strip))
def test_markdown_text_stays_in_its_table_cell(text: str) -> None:
    rendered = render_markdown(f"| a | b |\n|---|---|\n| {markdown_text(text)} | end |\n")
    assert Markup(rendered).tags <= {"table", "thead", "tbody", "tr", "th", "td"}
    cells = [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", rendered, re.S)]
    assert cells == [" ".join(show_controls(text).split()), "end"]


def test_show_controls_writes_bidi_and_nul_as_escapes() -> None:
    assert show_controls("a\u202eb\x00c\td\ne") == "a\\u202eb\\u0000c\td\ne"


def test_workbook_text_cuts_visibly_at_excels_limit() -> None:
    text = workbook_text("x" * 40_000)
    assert len(text) == 32_767 and text.endswith("[…]")


def test_a_bidi_override_in_a_name_is_a_located_validation_warning(workspace: Path) -> None:
    path = workspace / "people.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Anna Lundin", 'name: "Anna \\u202eLundin"', 1), "utf-8")
    problems = [p for p in m.validate_workspace(workspace) if p.code == "control-character"]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.line, problem.path) == (
        "people.yaml",
        3,
        ("participants", 0, "name"),
    )
    assert problem.severity is m.Severity.WARNING and "U+202E" in problem.message
