"""The hooks a mio_core plugin implements. Each docstring is the hook's reference.

The hooks that contribute values (instruments, exporters, importers, rules, lifecycles,
extension schemas) take no arguments and return a list of values; they are called once, when the
plugins load. The lists of all plugins are collected (no hook stops at a first result), and
each contribution's name must be unique across all plugins: a clash is reported naming
both plugins, and the first one registered (built-ins first, then installed plugins in
name order, then local ones) is kept.

The hooks with context (`mio_register_commands`, `mio_evaluation_analyses`,
`mio_report_sections`) are called when their context exists — the `mio` command, an
evaluation, an evaluation view — with named arguments. As in pluggy, an implementation
takes only the arguments it needs, by name (`def mio_report_sections(view):` is fine).
Each plugin's implementation is called on its own: one that raises, or returns something
malformed or clashing, is reported naming the plugin and left out, and the rest is used
(with `--strict` / `MIO_STRICT_PLUGINS=1` it is an error instead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from ..evaluation.results import Analysis, EvaluationResult
    from ..evaluation.view import EvaluationView, Section
    from ..model import Instrument, Workspace
    from ..model.lifecycle import Lifecycle
    from .interfaces import Exporter, ExtensionSchema, Importer, Indicator, Rule
    from .registry import Registry

hookspec = pluggy.HookspecMarker("mio_core")


@hookspec
def mio_register_instruments() -> list[Instrument]:  # type: ignore[empty-body]
    """Contribute evaluation instruments (questionnaires).

    Returns a list of `mio_core.model.Instrument`. Each instrument's `id` must be unique among
    all plugins and the workspace's own `instruments/` folder. Answers to it go in
    `responses/<id>.<occasion>.csv`, and `mio validate` checks them against its items and
    scales.

    Example::

        from mio_core import hookimpl
        from mio_core.model import Instrument, Item, ResponseScale

        @hookimpl
        def mio_register_instruments():
            scale = ResponseScale(id="agree5", min=1, max=5)
            return [Instrument(id="team-pulse", title="Team pulse", level="reaction",
                               scales=[scale], items=[Item(id="q1", text="I feel heard")])]
    """


@hookspec
def mio_register_exporters() -> list[Exporter]:  # type: ignore[empty-body]
    """Contribute export formats.

    Returns a list of `mio_core.Exporter`. Each `name` (lowercase, e.g. `csv`) is what
    `mio export --format NAME` takes and must be unique among all plugins. The exporter's
    `write(source, target, options)` gets a `mio_core.ExportSource` (the workspace, the
    registry, the language, and whether names may be included) and an open stream, or a
    folder for `kind="folder"`; mio_core makes the write atomic around it.

    Example::

        import json
        from mio_core import Exporter, hookimpl

        def write_ids(source, stream, options):
            json.dump(sorted(p.id for p in source.workspace.participants), stream)

        @hookimpl
        def mio_register_exporters():
            return [Exporter(name="ids", title="Participant ids", suffix=".json",
                             media_type="application/json", write=write_ids)]
    """


@hookspec
def mio_register_importers() -> list[Importer]:  # type: ignore[empty-body]
    """Contribute importers of survey answers (a survey tool's CSV or spreadsheet export).

    Returns a list of `mio_core.Importer`. Each `name` is what `mio import --importer NAME`
    takes and must be unique among all plugins. The importer's `read(data, file)` gets the
    raw bytes of the file and the file as the user named it (its path, for the problems it
    reports), and returns a `mio_core.ImportedTable`: the header and the rows as text
    cells. mio_core then checks every cell against the workspace and the instrument, and
    writes nothing unless all of it is right.

    Example::

        import csv, io
        from mio_core import ImportedTable, Importer, hookimpl

        def read_tab_separated(data, file):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter="\\t"))
            return ImportedTable(header=rows[0], rows=rows[1:])

        @hookimpl
        def mio_register_importers():
            return [Importer(name="tab-separated", title="Tab-separated text",
                             read=read_tab_separated, suffixes=[".tsv", ".txt"])]
    """


@hookspec
def mio_register_rules() -> list[Rule]:  # type: ignore[empty-body]
    """Contribute validation rules that ``mio validate`` runs over a whole workspace.

    Returns a list of `mio_core.Rule`. A rule's `check(workspace, context)` yields
    `mio_core.Problem` values, best made with `context.problem(kind, id, field_path, code,
    message)` so that they point at the file and line of the entity concerned. The
    workspace it gets is immutable; `context` (a `mio_core.RuleContext`) also holds the
    registry and all instruments by id. A rule that raises is reported by name and the
    other rules still run.

    Example::

        from mio_core import Rule, hookimpl

        def check_email(workspace, context):
            for person in workspace.participants:
                if person.email is None:
                    yield context.problem("participant", person.id, ("email",),
                                          "acme-no-email", "every participant needs an email",
                                          severity="warning")

        @hookimpl
        def mio_register_rules():
            return [Rule(name="acme-email", title="Participants have an email",
                         check=check_email)]
    """


@hookspec
def mio_register_lifecycles() -> list[Lifecycle]:  # type: ignore[empty-body]
    """Contribute lifecycle models: the ordered stages an innovation project moves through.

    Returns a list of `mio_core.model.Lifecycle`. A concept chooses one by `name` with its
    `lifecycle` key (default `opsi`), and validation checks every project's stage and stage
    history against it. `implementation_stage` names the stage from which a project is put
    into practice: the indicator `implementation-share` counts the managers with a project
    at it or past it (without one, that indicator has no value for the concept).

    Example::

        from mio_core import hookimpl
        from mio_core.model import Lifecycle, Stage

        @hookimpl
        def mio_register_lifecycles():
            return [Lifecycle(name="pdsa", title="Plan-Do-Study-Act",
                              stages=[Stage(id="plan", title="Plan"), Stage(id="do", title="Do"),
                                      Stage(id="study", title="Study"),
                                      Stage(id="act", title="Act")],
                              implementation_stage="do")]
    """


@hookspec
def mio_extension_schemas() -> list[ExtensionSchema]:  # type: ignore[empty-body]
    """Describe the fields your plugin keeps in `extensions:` of workspace entities.

    Returns a list of `mio_core.plugins.ExtensionSchema`. Each `name` must be unique among
    all plugins; the concept, an organisation, participant, coach, facilitator, cohort,
    coaching engagement, project or workspace instrument of a kind in `entities` may then
    hold `extensions: {NAME: value}` in its YAML file. mio_core keeps the value on save,
    exports it (identified exports, or pseudonymised ones with `--with-text`) as the JSON
    text column `extensions` of the tidy tables that have one, and `mio validate` checks it
    against `schema`, a subset of JSON Schema (see `ExtensionSchema`), naming file, line and
    field: `extension-invalid`, `extension-not-here`, and the warning `extension-unknown`
    for a name no installed plugin describes (kept, unchecked). Evaluation ignores
    extensions.

    Example::

        from mio_core import hookimpl
        from mio_core.plugins import ExtensionSchema

        @hookimpl
        def mio_extension_schemas():
            return [ExtensionSchema(
                name="acme-hr", title="ACME HR fields", entities=["participant"],
                schema={"type": "object", "additionalProperties": False,
                        "required": ["cost-centre"],
                        "properties": {"cost-centre": {"type": "string", "pattern": "^K[0-9]+$"},
                                       "fte": {"type": "number", "minimum": 0, "maximum": 1}}})]
    """


@hookspec
def mio_register_indicators() -> list[Indicator]:  # type: ignore[empty-body]
    """Contribute indicators: named figures a concept's goal can be followed up with.

    Returns a list of `mio_core.plugins.Indicator`. Each `name` must be unique among all
    plugins (the built-ins are `intermediary-led-share`, `implementation-share`,
    `utilisation-mean`, `attendance-rate` and `response-rate`). A goal in `concept.yaml`
    names one with `indicator: NAME` and may set a `target:`; `mio validate` reports a name
    no plugin gives (`unknown-indicator`, with file and line). `compute(context)` gets a
    `mio_core.plugins.IndicatorContext` (`workspace`, `registry`, `instruments` by id,
    `scores` — one `mio_core.evaluation.Score` per respondent, instrument, occasion and
    subscale, with `respondent`, `instrument`, `occasion`, `subscale` and `value` (None when
    too few items were answered) — and `participation`) and returns a
    `mio_core.plugins.IndicatorValue`: the value and the people it rests on, which mio_core
    audits like every published figure (the value is suppressed when they are fewer than
    the minimum group size). `mio evaluate`, the reports and the tidy export
    (`goal_indicators`) show each goal's value against its target. `compute` is called only
    for indicators a goal names. Unlike the hooks with context, a `compute` that raises
    stops the evaluation (`mio: a plugin failed (file, line, function): ...`, exit 1), and
    one that returns anything but an `IndicatorValue` is refused naming the indicator: give
    `IndicatorValue(value=None, note=...)` when there is nothing to compute from.

    Example::

        from mio_core import hookimpl
        from mio_core.plugins import Indicator, IndicatorValue

        def coached_share(context):
            people = {p for c in context.workspace.cohorts for p in c.participants}
            coached = {e.participant for e in context.workspace.engagements if e.sessions}
            share = len(coached & people) / len(people) if people else None
            return IndicatorValue(value=share, members=people)

        @hookimpl
        def mio_register_indicators():
            return [Indicator(name="coached-share", unit="share",
                              title={"en": "Share of managers coached",
                                     "sv": "Andel chefer med coachning"},
                              compute=coached_share)]
    """


@hookspec
def mio_register_commands(cli: click.Group) -> None:
    """Add subcommands to the `mio` command, as `llm` and `datasette` plugins do.

    `cli` is a `click.Group`: add commands to it with `@cli.command()` or
    `cli.add_command(command)`. They appear in `mio --help` and run as `mio NAME`, with the
    `mio` group's options (`--plugin`, `--no-plugin`, `--strict`) before the name. Nothing is
    returned. A command named like a built-in command (`evaluate`) or like another plugin's
    is refused, naming the plugin; a plugin that fails to import or raises here is reported
    as a warning and `mio` keeps working. Plugins load only when `mio` is given a name that
    is not a built-in command, so `mio evaluate` pays nothing; `mio --help` lists the
    plugins' commands from an index it keeps in the user's cache directory, and loads them
    only when that index is missing or stale (see plugins.md).

    A command does its work through the library (`mio_core.load_workspace`, …) and reports
    a user's mistake by raising `click.ClickException` (or `click.UsageError`, exit 2).

    Example::

        import click
        from mio_core import hookimpl, load_workspace

        @hookimpl
        def mio_register_commands(cli):
            @cli.command(name="count-managers")
            @click.argument("directory", type=click.Path(exists=True, file_okay=False))
            def count_managers(directory):
                \"\"\"Print how many managers the workspace in DIRECTORY has.\"\"\"
                workspace = load_workspace(directory)
                click.echo(len(workspace.participants))
    """


@hookspec
def mio_evaluation_analyses(  # type: ignore[empty-body]
    workspace: Workspace, result: EvaluationResult, registry: Registry
) -> list[Analysis]:
    """Add results of your own to an evaluation.

    Called by `mio_core.evaluate` after the built-in figures are computed and audited, with
    the `workspace`, the `result` so far and the `registry`. Returns a list of
    `mio_core.evaluation.Analysis`, each with a `name` unique across plugins; they end up in
    `result.analyses` (by name), in `mio evaluate --format json` (`analyses`) and, as a
    section each, in the evaluation view that `mio evaluate`, the Markdown summary and the
    HTML report show.

    **Disclosure control is the plugin's part too.** Every `AnalysisFigure` says which
    respondents it rests on (`members`, participant ids); mio_core runs the disclosure
    audit over the analysis' figures with the workspace's minimum group size and publishes
    only what passes: a figure on fewer respondents is suppressed (`primary`), and so is one
    whose respondents differ from another figure's by fewer than the minimum (`secondary`).
    A figure with no `members` is taken as model-level (an estimate over the whole
    programme, such as a regression coefficient) and published as given — give a group's
    figure (a mean, a count, a share) with its members, always. The audit runs over the
    analysis' own figures, not together with the built-in ones: do not publish a figure
    that, subtracted from a built-in one (a cohort's mean, a module's count), would reveal a
    smaller group. Never put names, free text or a single respondent's answer in a label.

    Example::

        from mio_core import hookimpl
        from mio_core.evaluation import Analysis, AnalysisFigure

        @hookimpl
        def mio_evaluation_analyses(workspace, result):
            by_organisation = {}
            for person in workspace.participants:
                by_organisation.setdefault(person.organisation, set()).add(person.id)
            return [Analysis(name="managers-per-organisation", title="Managers per organisation",
                             figures=[AnalysisFigure(label=org, value=len(ids), members=ids)
                                      for org, ids in sorted(by_organisation.items())])]
    """


@hookspec
def mio_report_sections(  # type: ignore[empty-body]
    view: EvaluationView, result: EvaluationResult, workspace: Workspace, language: str
) -> list[Section]:
    """Add sections to the evaluation view that every renderer shares.

    Called by `mio_core.build_view` with the `view` built so far (its built-in sections and
    any `extra_sections`), the audited `result`, the `workspace` and the view's `language`.
    Returns a list of `mio_core.evaluation.Section`, appended in plugin order; they show in
    `mio evaluate`, the Markdown summary (`markdown` export) and the HTML report alike. A
    section's `id` must be new in the view (a clash is refused, naming the plugin).

    Show only audited figures: values from `result` (suppressed cells stay suppressed — copy
    `suppressed`, never a value) or counts that are not about people. Texts are in
    `language`.

    Example::

        from mio_core import hookimpl
        from mio_core.evaluation import Column, Row, Section, Table, ViewCell

        @hookimpl
        def mio_report_sections(workspace, language):
            heading = "Moduler" if language == "sv" else "Modules"
            table = Table(id="acme-modules", caption=heading,
                          columns=(Column(key="module", label=heading),),
                          rows=tuple(Row(cells=(ViewCell(value=module.id),))
                                     for module in workspace.concept.modules))
            return [Section(id="acme-modules", title=heading, tables=(table,))]
    """
