"""Builds docs/reference.md, the model reference, from the attrs definitions (run as a module).

Every public model class (``mio_core.model.__all__``) and every type of the plugin contract
gets its docstring, a table of its fields (type, default, what is checked, in words taken
from the validators' docstrings and the messages they raise) and a Python example. The
example is the one in :data:`EXAMPLES` where there is one, else a value of that class found
in the bundled example workspace or the built-in plugins, written back as Python. Every
example is run while the page is built, and again by the docs tests.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import model
from ..problems import Problem, Severity
from . import interfaces

HEADER = """# Model reference

<!-- Generated from the attrs classes by
     `python -m mio_core.plugins.modelref > docs/reference.md`; a test fails when it is stale. -->

Every value a plugin builds or is given, with its fields. All are frozen
[attrs](https://www.attrs.org) classes built with keyword arguments: change one with
`attrs.evolve(value, field=new)`. A field with no default is required. "Converted" says
what else a field accepts and turns into its type (a list becomes a tuple, a mapping of
languages a `Translations`); "checked" says what is refused. A refused value raises
`mio_core.model.InvalidField` (a `ValueError` naming the field) or, for a wrong type,
`TypeError`/`ValueError`. A text (`Text`) is a string or a `Translations` of
languages, e.g. `{"sv": "Modul 1", "en": "Module 1"}`. A type checker (`mypy --strict`)
sees each field's own type, not what is converted: give tuples where the field is a
tuple, as the examples do (a list works at run time but does not type-check).

The examples run, in order, after these imports (the docs tests run them from a folder
holding a copy of the repository's `examples/`):

```python
{prelude}```

The YAML files of a workspace hold the same fields, in the same words; see
[workspace](workspace.md). The hooks that return these values are in the
[hook reference](hooks.md), and how to write a plugin in [plugins](plugins.md).
"""

#: The plugin contract, after the model classes.
CONTRACT: tuple[type, ...] = (
    interfaces.Exporter,
    interfaces.Importer,
    interfaces.ImportedTable,
    interfaces.Rule,
    interfaces.RuleContext,
    interfaces.ExportSource,
    Problem,
    Severity,
)

#: Hand-written examples, for the contract and for values the example workspace lacks.
EXAMPLES: dict[str, str] = {
    "Term": """
        Term(id="nurse-manager", label={"en": "Nurse manager", "sv": "Sjuksköterskechef"})
    """,
    "Vocabularies": """
        Vocabularies(
            manager_levels=(
                Term(id="nurse-manager", label={"en": "Nurse manager"}),
                Term(id="ward-manager", label={"en": "Ward manager"}),
            ),
            sectors=(Term(id="acute-care", label="Acute care"),),
        )
    """,
    "Exporter": """
        def write(source, stream, options):
            for participant in source.workspace.participants:
                stream.write(f"{participant.id}\\n")

        Exporter(name="acme-ids", title="Participant ids", suffix=".txt",
                 media_type="text/plain", write=write,
                 description="One pseudonymised participant id a line.")
    """,
    "Importer": """
        def read(data, file):
            rows = [line.split(";") for line in data.decode("utf-8-sig").splitlines()]
            return ImportedTable(header=rows[0], rows=rows[1:])

        Importer(name="acme-survey", title="Acme survey", read=read, suffixes=[".txt"])
    """,
    "ImportedTable": """
        ImportedTable(
            header=["Respondent", "I feel heard"],
            keys=["respondent", "q1"],
            rows=[["p01", "4"], ["p02", "5"]],
            lines=[3, 4],  # the tool's file has two header lines
            problems=[Problem(file="export.csv", line=1, code="acme-old-export",
                              message="exported by an old version", severity="warning")],
        )
    """,
    "Rule": """
        def every_cohort_has_a_coach(workspace, context):
            for cohort in workspace.cohorts:
                if not cohort.coaches:
                    yield context.problem("cohort", cohort.id, ("coaches",), "acme-no-coach",
                                          "every cohort needs at least one coach")

        Rule(name="acme-coach", title="Every cohort has a coach", check=every_cohort_has_a_coach)
    """,
    "RuleContext": """
        import mio_core as m

        workspace = m.generate_workspace(municipalities_count=1, managers_per_municipality=2)
        registry = m.load_registry(entry_points=False)
        context = RuleContext(workspace=workspace, registry=registry,
                              instruments=registry.instruments_for(workspace))
        problem = context.problem("cohort", workspace.cohorts[0].id, ("coaches",),
                                  "acme-no-coach", "every cohort needs a coach",
                                  severity="warning")
        # a response's id is "instrument|occasion|respondent":
        context.problem("response", "mio-coaching|post|p01", ("q1",), "acme-odd", "odd answer")
    """,
    "ExportSource": """
        import mio_core as m

        workspace = m.generate_workspace(municipalities_count=1, managers_per_municipality=2)
        registry = m.load_registry(entry_points=False)
        # prepare_source pseudonymises unless identified=True; a key file is needed for that
        source = m.prepare_source(workspace, registry, language="en", identified=True)
        assert isinstance(source, ExportSource) and source.identified
    """,
    "Indicator": """
        from mio_core.plugins import Indicator, IndicatorValue

        def cohorts(context):
            people = {p for c in context.workspace.cohorts for p in c.participants}
            return IndicatorValue(value=len(context.workspace.cohorts), members=people)

        Indicator(name="acme-cohorts", title={"en": "Deliveries", "sv": "Leveranser"},
                  unit="count", compute=cohorts)
    """,
    "IndicatorValue": """
        from mio_core.plugins import IndicatorValue

        IndicatorValue(value=0.75, members={"p01", "p02", "p03", "p04"})
        IndicatorValue(value=None, note="no answers at a follow-up yet")
    """,
    "Option": """
        Option(code="bus", text="By bus")
        # on an item, as in YAML: a mapping of codes to texts
        Item(id="mode", text="How did you travel?", kind="choice",
             options={"bus": "By bus", "car": "By car"})
    """,
    "Problem": """
        Problem(file="people.yaml", line=12, column=5, path=("participants", 3, "email"),
                code="acme-email", message="not an email address", severity="warning")
    """,
    # the export's Table (the evaluation view has a Table too)
    "mio_core.export.tables.Table": """
        from mio_core.export import Field, Table

        def rows(source):
            for participant in source.workspace.participants:
                yield (participant.id, participant.organisation)

        Table(name="acme_people", description="One row per participant.",
              fields=(Field(name="participant", type="string", description="Pseudonym"),
                      Field(name="organisation", type="string", description="Organisation id")),
              rows=rows, primary_key=("participant",))
    """,
    "Field": """
        from mio_core.export import Field

        Field(name="agree", type="integer", description="I feel heard (1-5)",
              categories=((1, "Strongly disagree"), (5, "Strongly agree")))
    """,
    "Workspace": """
        import mio_core as m

        workspace = m.generate_workspace(municipalities_count=1, managers_per_municipality=2)
        assert isinstance(workspace, Workspace)
        smaller = attrs.evolve(workspace, projects=())
    """,
    "Translations": """
        title = Translations({"sv": "Modul 1", "en": "Module 1"})
        assert title["en"] == "Module 1" and text_in(title, "de") == "Module 1"
    """,
    "InvalidField": """
        try:
            Item(id="Q 1", text="Heard")
        except InvalidField as error:
            assert error.field == "id"
    """,
    "Location": """
        Location(file="people.yaml", path=("participants", 0), line=3)
    """,
    "Section": """
        from mio_core.evaluation import Column, Row, Section, Table, ViewCell

        Section(
            id="acme-modules",
            title="Modules",
            tables=(
                Table(
                    id="acme-modules-hours",
                    caption="Hours per module",
                    columns=(
                        Column(key="module", label="Module"),
                        Column(key="hours", label="Hours", kind="number"),
                    ),
                    rows=(
                        Row(cells=(ViewCell(value="Module 1"), ViewCell(value=7.0))),
                        Row(cells=(ViewCell(value="Module 2"), ViewCell(suppressed="primary"))),
                    ),
                ),
            ),
        )
    """,
    "Origin": """
        import mio_core as m

        origin = m.load_workspace("examples/mio").origin
        assert isinstance(origin, Origin) and ("concept", "mio") in origin.locations
    """,
}

PRELUDE = (
    "import datetime as dt\n"
    "import attrs\n"
    "from mio_core.model import *\n"
    "from mio_core import (Exporter, Importer, ImportedTable, Rule, RuleContext, ExportSource,\n"
    "                      Problem, Severity)\n"
)


#: The evaluation's classes a plugin reads (an exporter, an analysis, an indicator), and
#: those of the view a section or a renderer builds or lays out, by the name they are
#: imported by (the view's ``Cell`` is ``ViewCell``); the audit's cells are internal.
RESULTS = (
    "EvaluationResult",
    "Score",
    "GroupResult",
    "Summary",
    "Reliability",
    "ItemTotal",
    "Change",
    "ResponseRate",
    "ChoiceResult",
    "OptionCount",
    "Participation",
    "Count",
    "Attendance",
    "ModuleAttendance",
    "CoachingDose",
    "GoalAttainment",
    "GoalIndicator",
    "ParticipantHours",
    "Analysis",
    "AnalysisFigure",
)
VIEW = ("EvaluationView", "Section", "Table", "Column", "Row", "ViewCell", "Figure", "Series")


def groups() -> list[tuple[str, str, list[type]]]:
    """Return the documented classes by group: (title, the namespace to import from, classes)."""
    from .. import evaluation
    from ..export import Field, Table

    seen = {id(c) for c in CONTRACT}
    found = [getattr(model, name) for name in model.__all__]
    found = [c for c in found if isinstance(c, type) and id(c) not in seen]
    return [
        ("Model", "mio_core.model", found),
        ("Plugin contract", "mio_core", list(CONTRACT)),
        (
            "Indicators and extensions",
            "mio_core.plugins",
            [
                interfaces.Indicator,
                interfaces.IndicatorValue,
                interfaces.IndicatorContext,
                interfaces.ExtensionSchema,
            ],
        ),
        ("Export tables", "mio_core.export", [Table, Field]),
        ("Evaluation results", "mio_core.evaluation", [getattr(evaluation, n) for n in RESULTS]),
        ("Evaluation view", "mio_core.evaluation", [getattr(evaluation, n) for n in VIEW]),
    ]


def _name(cls: type, module: str) -> str:
    """Return the name ``cls`` is imported by from ``module`` (``ViewCell`` for the view's
    ``Cell``)."""
    import importlib

    namespace = importlib.import_module(module)
    if getattr(namespace, cls.__name__, None) is cls:
        return str(cls.__name__)
    return str(next(n for n in dir(namespace) if getattr(namespace, n) is cls))


def _plain(text: str) -> str:
    """Return ``text`` with Sphinx roles and double backticks as plain Markdown code."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def _type_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, type) and not getattr(value, "__args__", None):
        return value.__name__
    return re.sub(r"\b(?:[a-z_][\w]*\.)+(\w+)", r"\1", repr(value)).replace("NoneType", "None")


def _first_sentence(doc: str | None) -> str:
    text = _plain(" ".join((doc or "").split()))
    for prefix in ("attrs validator: ", "attrs converter: "):
        text = text.removeprefix(prefix)
    sentence = text.split(". ")[0].rstrip(".")
    return sentence


def _messages(function: Callable[..., Any]) -> list[str]:
    """Return the messages ``function`` raises, with its ``{…}`` parts as ``…``."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                text = _literal(arg)
                if text and " " in text:
                    found.append(text)
    return found


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            str(part.value) if isinstance(part, ast.Constant) else "…" for part in node.values
        )
        return re.sub(r"…(?:[ .]…)+", "…", text)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None or right is None else left + right
    return None


def describe_validator(validator: Any) -> list[str]:
    """Return what ``validator`` checks, in words."""
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)
    if inner is not None:  # attrs.validators.and_
        return [text for v in inner for text in describe_validator(v)]
    name = type(validator).__name__
    if name == "_InstanceOfValidator":
        types = validator.type if isinstance(validator.type, tuple) else (validator.type,)
        return ["an instance of " + " or ".join(f"`{t.__name__}`" for t in types)]
    if name == "_InValidator":
        return ["one of " + ", ".join(f"`{v}`" for v in validator.options)]
    if name == "_OptionalValidator":
        return [f"None or {text}" for text in describe_validator(validator.validator)]
    if name in ("_DeepIterable", "_DeepIterableValidator"):
        return [f"each member: {t}" for t in describe_validator(validator.member_validator)]
    texts = []
    doc = _first_sentence(getattr(validator, "__doc__", None))
    if doc and not isinstance(validator, type):
        texts.append(doc)
    messages = _messages(validator)
    if messages:
        texts.append("refused with “" + "”, “".join(messages) + "”")
    return texts or [getattr(validator, "__name__", name).strip("_").replace("_", " ")]


def describe_converter(converter: Any) -> str:
    """Return what ``converter`` accepts besides the field's own type, in words."""
    if converter is None:
        return ""
    if converter in (tuple, list):
        return "any list, kept as a tuple"
    if converter is str:
        return "any value becomes its text (`str(value)`)"
    if isinstance(converter, type) and issubclass(converter, enum.Enum):
        return f"the text of a `{converter.__name__}`, e.g. `{next(iter(converter)).value!r}`"
    return _first_sentence(getattr(converter, "__doc__", None)) or getattr(
        converter, "__name__", ""
    ).strip("_").replace("_", " ")


def field_comments(cls: type) -> dict[str, str]:
    """Return the ``#:`` comments written above the fields of ``cls``."""
    try:
        lines = inspect.getsource(cls).splitlines()
    except (OSError, TypeError):
        return {}
    comments: dict[str, str] = {}
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        if pending and ":" in stripped:
            name = stripped.split(":", 1)[0].strip()
            if name.isidentifier():
                comments[name] = " ".join(pending)
        pending = []
    return comments


def _default_value(field: attrs.Attribute[Any]) -> Any:
    """Return the default of ``field`` (a factory's value), or attrs.NOTHING if required."""
    default: Any = field.default
    factory = getattr(default, "factory", None)
    if factory is not None and not getattr(default, "takes_self", False):
        return factory()
    return default


def _default(field: attrs.Attribute[Any]) -> str:
    value = _default_value(field)
    if value is attrs.NOTHING:
        return "required"
    if isinstance(value, enum.Enum):
        return f"`{value.value!r}`"
    return f"`{value!r}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_table(cls: type) -> str:
    """Return the Markdown table of the fields of the attrs class ``cls``."""
    comments = field_comments(cls)
    rows = ["| field | type | default | converted, checked |", "|---|---|---|---|"]
    for field in attrs.fields(cls):
        notes = []
        if field.name in comments:
            notes.append(_plain(comments[field.name]))
        converted = describe_converter(field.converter)
        if converted:
            notes.append(f"converted: {converted}")
        checks = describe_validator(field.validator)
        if checks:
            notes.append("checked: " + "; ".join(checks))
        rows.append(
            f"| `{field.name}` | `{_cell(_type_text(field.type))}` | {_cell(_default(field))} "
            f"| {_cell('. '.join(notes))} |"
        )
    return "\n".join(rows)


def _python(value: Any, trim: bool, indent: int = 0) -> str:
    """Return Python source that builds ``value`` (model values, texts, enums, dates)."""
    pad = " " * (indent + 4)
    if attrs.has(type(value)):
        parts = []
        for field in attrs.fields(type(value)):
            if not field.init:
                continue
            item = getattr(value, field.name)
            default = _default_value(field)
            if default is not attrs.NOTHING and item == default:
                continue
            parts.append(f"{field.name}={_python(item, trim, indent + 4)}")
        inline = f"{type(value).__name__}({', '.join(parts)})"
        if len(inline) + indent <= 88 and "\n" not in inline:
            return inline
        return (
            f"{type(value).__name__}(\n"
            + "".join(f"{pad}{p},\n" for p in parts)
            + " " * indent
            + ")"
        )
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, model.Translations):
        return repr(dict(value))
    if isinstance(value, dt.datetime):
        return f"dt.datetime.fromisoformat({value.isoformat()!r})"
    if isinstance(value, dt.date):
        return f"dt.date({value.year}, {value.month}, {value.day})"
    if isinstance(value, tuple | list):
        items = list(value)[:2] if trim else list(value)
        parts = [_python(item, trim, indent + 4) for item in items]
        inline = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        if len(inline) + indent <= 88 and "\n" not in inline:
            return inline
        return "(\n" + "".join(f"{pad}{p},\n" for p in parts) + " " * indent + ")"
    if isinstance(value, Mapping):
        parts = [f"{key!r}: {_python(item, trim, indent + 4)}" for key, item in value.items()]
        return "{" + ", ".join(parts) + "}"
    return repr(value)


def _values(value: Any) -> Iterator[Any]:
    """Yield ``value`` and every model value inside it, depth first."""
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from _values(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _values(item)
    elif isinstance(value, Mapping) and not isinstance(value, model.Translations):
        for item in value.values():
            yield from _values(item)


def _samples() -> dict[type, Any]:
    """Return a value of each model class, from the example workspace and the built-ins."""
    from ..io import load_workspace
    from .manager import load_registry

    root = Path(__file__).resolve().parents[3] / "examples" / "mio"
    registry = load_registry(entry_points=False)
    found: dict[type, Any] = {}
    sources = [
        load_workspace(root),
        sorted(registry.instruments.values(), key=lambda i: i.id),
        sorted(registry.lifecycles.values(), key=lambda lc: lc.name),
    ]
    for source in sources:
        for value in _values(source):
            found.setdefault(type(value), value)
    return found


def runs(code: str) -> bool:
    """Return whether ``code`` runs after the reference's imports (from the repository)."""
    namespace: dict[str, Any] = {"__name__": "reference_example"}
    try:
        exec(PRELUDE, namespace)
        exec(code, namespace)
    except Exception:
        return False
    return True


def example(cls: type, samples: Mapping[type, Any]) -> str | None:
    """Return the Python example of ``cls``: hand-written (by its name, or by module and
    name where two classes share one), an enum's, or from a sample."""
    for key in (f"{cls.__module__}.{cls.__name__}", cls.__name__):
        if key in EXAMPLES:
            return textwrap.dedent(EXAMPLES[key]).strip()
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        member = next(iter(cls))
        return f"assert {cls.__name__}({member.value!r}) is {cls.__name__}.{member.name}"
    sample = samples.get(cls)
    if sample is None:
        return None
    for trim in (True, False):
        code = f"value = {_python(sample, trim)}"
        if runs(code):
            return code
    return None


class _Shown:
    """A default value shown as the Python that names it (``Severity.ERROR``)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        if isinstance(self.value, enum.Enum):
            return f"{type(self.value).__name__}.{self.value.name}"
        return repr(self.value)


def _signature(function: Callable[..., Any]) -> str:
    """Return ``function``'s parameters without annotations and without ``self``."""
    empty = inspect.Parameter.empty
    parameters = [
        parameter.replace(
            annotation=empty,
            default=empty if parameter.default is empty else _Shown(parameter.default),
        )
        for parameter in inspect.signature(function).parameters.values()
        if parameter.name != "self"
    ]
    return str(inspect.Signature(parameters))


def methods(cls: type) -> str:
    """Return the Markdown list of the public methods and properties ``cls`` defines."""
    lines = []
    for name, member in vars(cls).items():
        if name.startswith("_") or isinstance(cls, enum.EnumType):
            continue
        if isinstance(member, property):
            lines.append(f"- `{name}` (property): {_first_sentence(member.__doc__)}.")
        elif isinstance(member, staticmethod | classmethod) or inspect.isfunction(member):
            function = member.__func__ if hasattr(member, "__func__") else member
            lines.append(f"- `{name}{_signature(function)}`: {_first_sentence(function.__doc__)}.")
    return ("Methods:\n\n" + "\n".join(lines) + "\n") if lines else ""


def section(cls: type, module: str, samples: Mapping[type, Any]) -> str:
    """Return the Markdown section of ``cls``, importable from ``module``."""
    name = _name(cls, module)
    parts = [f"## `{name}`\n", f"`{module}.{name}`\n"]
    doc = inspect.getdoc(cls)
    if doc:
        parts.append(_plain(doc.replace("::\n", ":\n")) + "\n")
    if attrs.has(cls):
        parts.append(field_table(cls) + "\n")
    elif isinstance(cls, type) and issubclass(cls, enum.Enum):
        values = ", ".join(f"`{member.value}`" for member in cls)
        parts.append(f"Values: {values}. Given as text in YAML and to the classes that use it.\n")
    listed = methods(cls)
    if listed:
        parts.append(listed)
    code = example(cls, samples)
    if code is not None:
        parts.append(f"```python\n{code}\n```\n")
    return "\n".join(parts)


def model_reference() -> str:
    """Return the Markdown reference of every public model class and contract type."""
    samples = _samples()
    parts = [HEADER.replace("{prelude}", PRELUDE), "## Contents\n"]
    seen: dict[str, int] = {}  # a heading met before gets "_1", "_2"… in its anchor (mkdocs)
    for title, module, classes in groups():
        links = []
        for cls in classes:
            name = _name(cls, module)
            anchor = name.lower()
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            links.append(f"[`{name}`](#{anchor}{f'_{count}' if count else ''})")
        parts.append(f"{title} (`{module}`): {', '.join(links)}\n")
    for _, module, classes in groups():
        parts.extend(section(cls, module, samples) for cls in classes)
    return "\n".join(parts)


if __name__ == "__main__":
    print(model_reference(), end="")
