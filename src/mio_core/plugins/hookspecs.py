"""The hooks a mio_core plugin implements. Each docstring is the hook's reference.

Every hook takes no arguments and returns a list of values; a plugin implements only the
hooks it needs. Every plugin's contributions are collected (no hook stops at a first
result), and each contribution's ``name`` must be unique across all plugins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ..model import Instrument
    from .interfaces import Exporter, Importer, Lifecycle, Rule

hookspec = pluggy.HookspecMarker("mio_core")


@hookspec
def mio_register_instruments() -> list[Instrument]:  # type: ignore[empty-body]
    """Contribute evaluation instruments (questionnaires).

    :return: a list of :class:`mio_core.Instrument`. Each instrument's ``id`` must be unique
        among all plugins and the workspace's own ``instruments/`` folder.

    All plugins' results are collected. Example::

        from mio_core import Instrument, Item, ResponseScale, hookimpl

        @hookimpl
        def mio_register_instruments():
            scale = ResponseScale(id="agree5", min=1, max=5)
            return [Instrument(id="team-pulse", title="Team pulse", level="reaction",
                               scales=[scale], items=[Item(id="q1", text="I feel heard")])]
    """


@hookspec
def mio_register_exporters() -> list[Exporter]:  # type: ignore[empty-body]
    """Contribute export formats.

    :return: a list of :class:`mio_core.Exporter`; each ``name`` (lowercase, e.g. ``"csv"``)
        is what ``mio export --format NAME`` takes and must be unique among all plugins.

    All plugins' results are collected. Example::

        import json
        from mio_core import Exporter, hookimpl

        def write_ids(source, stream, options):
            json.dump([p.id for p in source.workspace.participants], stream)

        @hookimpl
        def mio_register_exporters():
            return [Exporter(name="ids", title="Participant ids", suffix=".json",
                             media_type="application/json", write=write_ids)]
    """


@hookspec
def mio_register_importers() -> list[Importer]:  # type: ignore[empty-body]
    """Contribute importers of survey answers (a survey tool's CSV or spreadsheet export).

    :return: a list of :class:`mio_core.Importer`; each ``name`` is what
        ``mio import --importer NAME`` takes and must be unique among all plugins.

    All plugins' results are collected. Example::

        from mio_core import Importer, hookimpl

        @hookimpl
        def mio_register_importers():
            return [Importer(name="my-survey-tool", title="My survey tool (CSV)",
                             read=read_my_survey_tool)]
    """


@hookspec
def mio_register_rules() -> list[Rule]:  # type: ignore[empty-body]
    """Contribute validation rules that ``mio validate`` runs over a whole workspace.

    :return: a list of :class:`mio_core.Rule`. A rule's ``check(workspace, context)``
        yields :class:`mio_core.Problem` values, best made with ``context.problem(...)`` so
        they point at the file and line of the entity concerned.

    All plugins' results are collected. Example::

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

    :return: a list of :class:`mio_core.Lifecycle`; a concept chooses one by ``name`` with
        its ``lifecycle`` key (default ``opsi``), and validation checks every project's stage
        against it.

    All plugins' results are collected. Example::

        from mio_core import Lifecycle, Stage, hookimpl

        @hookimpl
        def mio_register_lifecycles():
            return [Lifecycle(name="pdsa", title="Plan-Do-Study-Act",
                              stages=[Stage(id="plan", title="Plan"), Stage(id="do", title="Do"),
                                      Stage(id="study", title="Study"),
                                      Stage(id="act", title="Act")])]
    """
