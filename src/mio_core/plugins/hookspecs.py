"""The hooks a mio_core plugin implements. Each docstring is the hook's reference.

Every hook takes no arguments and returns a list of values. The lists of all plugins are
collected (no hook stops at a first result), and each contribution's name must be unique
across all plugins: a clash is reported naming both plugins, and the first one registered
(built-ins first, then installed plugins in name order, then local ones) is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ..model import Instrument
    from ..model.lifecycle import Lifecycle
    from .interfaces import Exporter, Importer, Rule

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
    raw bytes of the file and its name, and returns a `mio_core.ImportedTable`: the header
    and the rows as text cells. mio_core then checks every cell against the workspace and
    the instrument, and writes nothing unless all of it is right.

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
    history against it.

    Example::

        from mio_core import hookimpl
        from mio_core.model import Lifecycle, Stage

        @hookimpl
        def mio_register_lifecycles():
            return [Lifecycle(name="pdsa", title="Plan-Do-Study-Act",
                              stages=[Stage(id="plan", title="Plan"), Stage(id="do", title="Do"),
                                      Stage(id="study", title="Study"),
                                      Stage(id="act", title="Act")])]
    """
