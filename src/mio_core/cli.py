"""The ``mio`` command: parses arguments and calls the library; no logic of its own.

Exit codes: 0 success, 1 the workspace or input has problems, 2 a bad invocation.
Library modules are imported inside the commands so that ``mio --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from collections.abc import Callable, Collection, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from .plugins.registry import Registry

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off, then restore it as it was.

    Reading or evaluating a national programme creates millions of small objects and no
    reference cycles; the collector would scan the growing heap again and again for nothing
    (15–20 % of the time at 14 500 managers). Reference counting still frees everything.
    Only the ``mio`` command does this, around each command: it owns the process. The
    library never touches the collector (threads, notebooks and servers share it).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def visible_controls() -> Iterator[None]:
    """Run the block with standard output and error showing control characters as ``\\uXXXX``.

    Every message of a command quotes workspace text somewhere (an id, a title, a file or
    column name, a plugin's reason), so the rule is kept where all of them pass, not at each
    quote: no escape sequence, carriage return or bidi override from a workspace reaches
    the terminal (docs/security.md). Only mio's own progress line writes past it.
    """
    from .textsafety import VisibleControls

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleControls(out), VisibleControls(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def _raw_stderr() -> Any:
    """Standard error past :func:`visible_controls`, for the progress line's own ``\\r``."""
    from .textsafety import VisibleControls

    stream = sys.stderr
    return stream.target if isinstance(stream, VisibleControls) else stream


def _os_error(exc: OSError) -> str:
    """Say what went wrong with a file, naming it; a file where mio makes a folder (such as
    ``.mio``) is said to be in the way, not that it 'exists'."""
    name = exc.filename
    if isinstance(exc, FileExistsError | NotADirectoryError) and name:
        path = Path(os.fsdecode(name))
        blocking = next((p for p in (path, *path.parents) if p.is_file()), None)
        if blocking is not None:
            return f"{blocking} is a file where mio needs a folder: move it away and try again"
    return f"{exc.strerror or exc}: {name or ''}".rstrip(": ")


def _friendly_errors(function: F) -> F:
    """Turn errors into a message and an exit code instead of a traceback.

    mio_core's own errors (:class:`~mio_core.MioError`) and file errors exit 1, a request
    for a format, option or importer that does not exist 2. Any other exception is a bug,
    most often in a plugin: it is reported in one line naming the code that raised it, with
    exit 1; ``MIO_DEBUG=1`` shows the traceback instead.
    """

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .problems import InvocationError, MioError

        try:
            return function(*args, **kwargs)
        except InvocationError as exc:
            click.echo(f"mio: {exc}", err=True)
            sys.exit(2)
        except MioError as exc:
            click.echo(f"mio: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            click.echo(f"mio: {_os_error(exc)}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            if _debugging():
                raise
            click.echo(f"mio: {unexpected_error(exc)}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _debugging() -> bool:
    import os

    return os.environ.get("MIO_DEBUG", "").strip().lower() in ("1", "true", "yes")


def unexpected_error(exc: BaseException) -> str:
    """Return the one line ``mio`` prints for an exception that is not a MioError.

    It names where the exception left mio_core's code: the plugin's (or other library's)
    module, file, line and function that raised it.
    """
    import traceback
    from pathlib import Path

    package = str(Path(__file__).resolve().parent)
    frames = traceback.extract_tb(exc.__traceback__)
    culprit = None
    for frame in frames:
        if not str(Path(frame.filename).resolve()).startswith(package):
            culprit = frame
            break
    what = f"{type(exc).__name__}: {exc}"
    hint = "run again with MIO_DEBUG=1 to see the traceback"
    if culprit is None:
        return f"internal error: {what}; please report it ({hint})"
    where = f"{Path(culprit.filename).name}, line {culprit.lineno}, in {culprit.name}"
    return f"a plugin failed ({where}): {what}; {hint}"


#: ``--format text|json``, the same on every command that prints results.
OUTPUT_FORMAT = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Readable text, or JSON for tools.",
)


#: ``--language``: the language of texts people read (default: the workspace's).
LANGUAGE = click.option(
    "--language",
    default="",
    help="Language of the texts, e.g. sv or en: mio's own or one of mio.yaml's languages.",
)


class _Settings:
    def __init__(
        self,
        plugins: tuple[str, ...],
        disabled: tuple[str, ...],
        strict: bool,
        cache: bool = True,
        verbose: bool = False,
        quiet: bool = False,
    ) -> None:
        self.plugins = plugins
        self.disabled = disabled
        self.strict = strict
        self.cache = cache
        self.verbose = verbose
        self.quiet = quiet
        self._registry: Registry | None = None
        self._commands: dict[str, click.Command] | None = None
        self._listed: dict[str, click.Command] | None = None
        self.warnings: list[str] = []

    def progress(self) -> _Progress:
        """Return what reports reading on stderr: the files parsed with --verbose, and a
        progress line on a terminal when reading takes more than a second."""
        return _Progress(verbose=self.verbose and not self.quiet, live=not self.quiet)

    def registry(self, report: bool = True) -> Registry:
        if self._registry is None:
            from .plugins.manager import load_registry

            self._registry = load_registry(
                extra=self.plugins, disabled=self.disabled, strict=self.strict or None
            )
            if report:
                for failure in self._registry.failures:
                    self._warn(f"mio: warning: {failure.describe()}")
        return self._registry

    def _warn(self, line: str) -> None:
        self.warnings.append(line)
        click.echo(line, err=True)

    def commands(self, reserved: Collection[str]) -> dict[str, click.Command]:
        """The plugins' commands (loading the plugins once); refused ones are warned about."""
        if self._commands is None:
            from .plugins.commands import plugin_commands
            from .problems import MioError

            try:
                self._commands, failures = plugin_commands(self.registry(), reserved)
            except MioError as exc:  # --strict and a broken plugin
                click.echo(f"mio: {exc}", err=True)
                sys.exit(1)
            for plugin, reason in failures:
                self._warn(f"mio: warning: plugin {plugin!r}: {reason}")
        return self._commands

    def listed_commands(self, reserved: Collection[str]) -> dict[str, click.Command]:
        """The plugins' commands as ``mio --help`` lists them: from the index of plugin
        commands when it is current (no plugin is imported), else loaded and indexed."""
        if self._commands is not None:
            return self._commands
        if self._listed is None:
            # (not ``from . import commandindex``: that asks mio_core's lazy __getattr__ first)
            from .commandindex import read_index, usable, write_index

            if not usable(self.plugins, self.disabled, self.strict):
                return self.commands(reserved)
            found = read_index(reserved)
            if found is None:
                path = list(sys.path)  # as the next run reads the index: before the plugins
                write_index(reserved, self.commands(reserved), self.warnings, path)
                return self.commands(reserved)
            self._listed, warnings = found
            for line in warnings:
                click.echo(line, err=True)
        return self._listed


#: ``ctx.meta`` key: list only the built-in commands (the generated docs/cli.md).
BUILTIN_ONLY = "mio_core.builtin_only"

#: ``ctx.meta`` key: the commands are being listed for help, not run.
_LISTING = "mio_core.listing"


def _settings(ctx: click.Context) -> _Settings:
    """The settings of this ``mio`` run, made once from the group's options."""
    settings = ctx.meta.get("mio_core.settings")
    if settings is None:
        settings = _Settings(
            tuple(ctx.params.get("plugins") or ()),
            tuple(ctx.params.get("disabled") or ()),
            bool(ctx.params.get("strict")),
            cache=not ctx.params.get("no_cache"),
            verbose=bool(ctx.params.get("verbose")),
            quiet=bool(ctx.params.get("quiet")),
        )
        ctx.meta["mio_core.settings"] = settings
    return settings


class _MioGroup(click.Group):
    """The ``mio`` group: the built-in commands, and the plugins' (hook
    ``mio_register_commands``), which are loaded only when a name is not a built-in
    command, or to list them in ``mio --help`` when the index of plugin commands is not
    current."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        settings = _settings(ctx)
        if ctx.meta.get(_LISTING):
            return settings.listed_commands(self.commands)
        return settings.commands(self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        if ctx.meta.get(BUILTIN_ONLY):
            return sorted(self.commands)
        return sorted({*self.commands, *self._plugin_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or ctx.meta.get(BUILTIN_ONLY):
            return self.commands.get(cmd_name)
        return self._plugin_commands(ctx).get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands in ``mio --help``; the plugins' come from the index of plugin
        commands (:mod:`mio_core.commandindex`) when it is current."""
        ctx.meta[_LISTING] = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            del ctx.meta[_LISTING]


@click.group(cls=_MioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mio_core", prog_name="mio")
@click.option(
    "--plugin",
    "plugins",
    multiple=True,
    metavar="MODULE_OR_PATH",
    is_eager=True,  # read before --help, which lists the plugins' commands
    help="Load a local plugin (a module name or a .py file); may be repeated.",
)
@click.option(
    "--no-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    is_eager=True,
    help="Leave out a plugin by name.",
)
@click.option("--strict", is_flag=True, is_eager=True, help="Stop on the first broken plugin.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file and compute every result afresh; use and write no .mio/cache/ "
    "(also MIO_NO_CACHE=1).",
)
@click.option("--verbose", is_flag=True, help="Name on stderr each file read from disk.")
@click.option("--quiet", is_flag=True, help="Show no progress on stderr.")
@click.pass_context
def main(
    ctx: click.Context,
    plugins: tuple[str, ...],
    disabled: tuple[str, ...],
    strict: bool,
    no_cache: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Run and evaluate development concepts such as MIO (Mer Innovation i Offentlig sektor).

    A workspace is a folder of YAML and CSV files; see `mio init`.
    """
    ctx.obj = _settings(ctx)
    ctx.with_resource(paused_gc())
    ctx.with_resource(visible_controls())


class _Progress:
    """Reports reading files on stderr: a live line on a terminal after a second, and with
    --verbose each file parsed (not taken from the cache)."""

    def __init__(self, verbose: bool, live: bool) -> None:
        import time

        self.verbose = verbose
        self.live = live and sys.stderr.isatty()
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, file: str, done: int, total: int, parsed: bool) -> None:
        import time

        if self.verbose and parsed:
            self.clear()
            from .textsafety import one_line

            click.echo(f"mio: read {one_line(file)}", err=True)
        if self.live and (self.shown or time.monotonic() - self.start > 1.0):
            _raw_stderr().write(f"\rmio: reading files {done}/{total}")
            _raw_stderr().flush()
            self.shown = True
        if done == total:
            self.clear()

    def clear(self) -> None:
        if self.shown:
            _raw_stderr().write("\r\x1b[K")
            _raw_stderr().flush()
            self.shown = False


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--template",
    type=click.Choice(["blank", "mio"]),
    default="mio",
    show_default=True,
    help="blank: a minimal valid workspace; mio: the MIO concept.",
)
@click.option(
    "--language",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help="The language of the new workspace.",
)
@_friendly_errors
def init(directory: str, template: str, language: str) -> None:
    """Create a new workspace in DIRECTORY from a template (blank or mio, sv or en)."""
    from .generate.template import init_workspace

    written = init_workspace(directory, template, language)
    click.echo(f"Created a workspace in {directory} ({len(written)} files):")
    for file in written:
        click.echo(f"  {file}")
    click.echo(
        f"Next: add participants to {directory}/people.yaml, then run: mio validate {directory}"
    )


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--municipalities", default=4, show_default=True, help="How many municipalities.")
@click.option("--managers-per-municipality", default=6, show_default=True, help="Managers in each.")
@click.option("--seed", default=2017, show_default=True, help="The same seed, the same programme.")
@click.option(
    "--county",
    default=None,
    metavar="CODE",
    help="Take the municipalities from one county (SCB code, e.g. 05 = Östergötland).",
)
@click.option(
    "--known-effects",
    is_flag=True,
    help="Generate the answers from declared true effects (the defaults) and write truth.yaml.",
)
@click.option(
    "--effects",
    "effects_file",
    default=None,
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Like --known-effects, with the effects in a YAML file (see docs/research.md).",
)
@_friendly_errors
def generate(
    directory: str,
    municipalities: int,
    managers_per_municipality: int,
    seed: int,
    county: str | None,
    known_effects: bool,
    effects_file: str | None,
) -> None:
    """Create a synthetic programme in DIRECTORY: real municipalities, invented people.

    Cohorts, attendance, coaching, projects and answers, all valid and deterministic for a
    seed. For examples, teaching and benchmarks; never overwrites.
    """
    from .generate.synthetic import read_effects, write_synthetic_workspace

    effects = read_effects(effects_file) if effects_file or known_effects else None
    summary = write_synthetic_workspace(
        directory,
        municipalities_count=municipalities,
        managers_per_municipality=managers_per_municipality,
        seed=seed,
        county=county,
        effects=effects,
    )
    click.echo(f"Created a synthetic programme in {directory}: {summary}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@OUTPUT_FORMAT
@click.pass_obj
@_friendly_errors
def validate(settings: _Settings, directory: str, output: str) -> None:
    """Check every file of the workspace in DIRECTORY; exit 1 if there are errors."""
    from .validate import has_errors, validate_workspace

    problems = validate_workspace(
        directory, settings.registry(), cache=settings.cache, progress=settings.progress()
    )
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if output == "json":
        click.echo(
            json.dumps(
                {
                    "valid": not has_errors(problems),
                    "errors": errors,
                    "warnings": warnings,
                    "problems": [p.to_dict() for p in problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for problem in problems:
            click.echo(problem.format())
        if problems:
            click.echo(
                f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
            )
        else:
            click.echo(f"{directory}: valid, no problems found")
    sys.exit(1 if has_errors(problems) else 0)


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@LANGUAGE
@click.pass_obj
@_friendly_errors
def show(settings: _Settings, directory: str, language: str) -> None:
    """Print an overview of the workspace in DIRECTORY."""
    from .evaluation.words import require_language
    from .io import load_workspace
    from .programme.overview import format_overview, overview

    registry = settings.registry()
    workspace = load_workspace(
        directory, cache=settings.cache, progress=settings.progress(), registry=registry
    )
    require_language(workspace, language)
    click.echo(format_overview(overview(workspace, registry, language)), nl=False)


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--from",
    "since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="List sessions on or after this date (YYYY-MM-DD; default: today).",
)
@OUTPUT_FORMAT
@LANGUAGE
@click.pass_obj
@_friendly_errors
def schedule(settings: _Settings, directory: str, since: Any, output: str, language: str) -> None:
    """List the planned module sessions of the workspace in DIRECTORY, by date."""
    from .evaluation.words import require_language
    from .io import load_workspace
    from .programme.schedule import format_schedule, schedule_json, upcoming_sessions

    workspace = load_workspace(directory, cache=settings.cache, progress=settings.progress())
    require_language(workspace, language)
    sessions = upcoming_sessions(workspace, since.date() if since else None, language)
    if output == "json":
        click.echo(json.dumps(schedule_json(sessions), ensure_ascii=False, indent=2))
    else:
        language = language or workspace.manifest.language
        click.echo(format_schedule(sessions, language), nl=False)


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@OUTPUT_FORMAT
@LANGUAGE
@click.pass_obj
@_friendly_errors
def evaluate(settings: _Settings, directory: str, output: str, language: str) -> None:
    """Print the evaluation of the workspace in DIRECTORY, per evaluation level."""
    from .evaluation import evaluate as run_evaluation
    from .evaluation.headline import headline
    from .evaluation.view import build_view
    from .evaluation.words import require_language
    from .io import load_workspace
    from .io.cache import cached_result
    from .io.jsonio import dumps
    from .render.text import render_text

    registry = settings.registry()

    def render() -> str:
        workspace = load_workspace(
            directory, cache=settings.cache, progress=settings.progress(), registry=registry
        )
        require_language(workspace, language)
        result = run_evaluation(workspace, registry)
        for plugin, reason in result.plugin_failures:
            click.echo(f"mio: warning: plugin {plugin!r} left out: {reason}", err=True)
        if output == "json":
            return dumps(headline(result)) + "\n"
        view = build_view(result, workspace, registry, language)
        return render_text(view)

    options = {"format": output, "language": language}
    text = (
        cached_result(
            directory,
            "evaluate",
            options,
            registry,
            render,
            str,
            _text,
            progress=settings.progress(),
        )
        if settings.cache
        else render()
    )
    click.echo(text, nl=False)


@main.command(name="import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--instrument", default=None, help="The instrument answered, e.g. mio-utilisation.")
@click.option(
    "--occasion", default=None, help="pre, post, module:<module-id> or follow-up:<months>m."
)
@click.option("--importer", default="csv", show_default=True, help="The importer (mio importers).")
@click.option(
    "--mapping",
    "mapping_name",
    default=None,
    metavar="NAME",
    help="Import as the workspace's mapping imports/NAME.yaml says (its importer, instrument, "
    "occasion, columns and labels).",
)
@click.option(
    "--save-mapping",
    "save_name",
    default=None,
    metavar="NAME",
    help="Propose a mapping for FILE to --instrument on --occasion and write it to "
    "imports/NAME.yaml for you to check; imports nothing.",
)
@click.option("--force", is_flag=True, help="With --save-mapping: replace imports/NAME.yaml.")
@click.option(
    "--respondent-column",
    default="respondent",
    show_default=True,
    help="The column with the respondents' ids.",
)
@click.option("--date-column", default="date", show_default=True, help="The column with dates.")
@click.option(
    "--ignore-column",
    "ignore",
    multiple=True,
    metavar="NAME",
    help="A column of the export that is not an item (may be repeated).",
)
@click.option(
    "--update", is_flag=True, help="Replace the answers of respondents already in the workspace."
)
@click.option(
    "--replace", is_flag=True, help="Replace all answers imported before for this occasion."
)
@click.option("--yes", is_flag=True, help="Do not ask before --replace drops answers.")
@click.option("--dry-run", is_flag=True, help="Show what the import would do; write nothing.")
@click.pass_obj
@_friendly_errors
def import_(
    settings: _Settings,
    directory: str,
    file: str,
    instrument: str | None,
    occasion: str | None,
    importer: str,
    mapping_name: str | None,
    save_name: str | None,
    force: bool,
    respondent_column: str,
    date_column: str,
    ignore: tuple[str, ...],
    update: bool,
    replace: bool,
    yes: bool,
    dry_run: bool,
) -> None:
    """Check a survey export FILE and add its answers to the workspace in DIRECTORY.

    Every problem is listed with its row and column, and nothing is written unless the
    whole file is right. Respondents already in the workspace with other answers are
    listed and refused unless --update; --replace replaces the whole responses file.
    A survey tool's export (question texts as headers, answers as labels, e-mail
    addresses) is imported with --mapping NAME; --save-mapping NAME proposes one.
    """
    from functools import partial

    from .importing import import_mapped, import_responses, propose_for_file, save_mapping
    from .problems import MioError

    if save_name or not mapping_name:
        missing = [
            name for name, v in (("--instrument", instrument), ("--occasion", occasion)) if not v
        ]
        if missing:
            raise MioError(f"give {' and '.join(missing)} (or --mapping NAME)")
    if save_name:
        assert instrument is not None and occasion is not None
        proposal = propose_for_file(
            directory,
            file,
            settings.registry(),
            instrument=instrument,
            occasion=occasion,
            importer=importer,
        )
        path = save_mapping(directory, save_name, proposal, force=force)
        click.echo(f"Wrote a proposed mapping to {path}; nothing was imported.")
        for part, note in proposal.notes.items():
            click.echo(f"  check {part}: {note}")
        if proposal.unmatched:
            click.echo(f"  no column found for: {', '.join(proposal.unmatched)}")
        for scale, texts in proposal.unknown_labels.items():
            click.echo(f"  labels not on {scale}: {', '.join(repr(t) for t in texts)}")
        click.echo(
            f"Check and edit it, then: mio import {directory} {file} --mapping {save_name} "
            "--dry-run"
        )
        return
    if mapping_name:
        if instrument or occasion:
            raise MioError(
                "--mapping names the instrument and occasion; leave out --instrument and --occasion"
            )
        mapped = partial(
            import_mapped,
            directory,
            file,
            mapping_name,
            settings.registry(),
            update=update,
            replace=replace,
        )
        if replace and not yes and not dry_run:
            previews = mapped(dry_run=True)
            click.confirm(
                f"Replace the answers in {', '.join(p.file for p in previews)}? "
                f"{sum(p.dropped for p in previews)} respondents' answers not in {file} will be "
                "dropped",
                abort=True,
            )
        for report in mapped(dry_run=dry_run):
            _echo_import(report, directory, file, dry_run=dry_run, update=update, replace=replace)
        return
    assert instrument is not None and occasion is not None

    run = partial(
        import_responses,
        directory,
        file,
        instrument,
        occasion,
        settings.registry(),
        importer=importer,
        respondent_column=respondent_column,
        date_column=date_column,
        ignore_columns=ignore,
        update=update,
        replace=replace,
    )
    expected = None
    if replace and not yes and not dry_run:
        preview = run(dry_run=True)
        if preview.fingerprint is not None:
            click.confirm(
                f"Replace {directory}/{preview.file}? {preview.dropped} respondents' answers "
                f"in it are not in {file} and will be dropped, {len(preview.conflicts)} changed",
                abort=True,
            )
        expected = preview.fingerprint or ""
    report = run(dry_run=dry_run, expected_fingerprint=expected)
    _echo_import(report, directory, file, dry_run=dry_run, update=update, replace=replace)


def _echo_import(
    report: Any, directory: str, file: str, *, dry_run: bool, update: bool, replace: bool
) -> None:
    for warning in report.warnings:
        click.echo(f"mio: warning: {warning.format()}", err=True)
    if dry_run:
        click.echo(f"Dry run, nothing was written. Importing {file} into {report.file} would give:")
    elif report.written:
        click.echo(
            f"Imported {report.respondents} respondents' answers to {len(report.items)} items "
            f"into {directory}/{report.file}:"
        )
    else:
        click.echo(f"Nothing to import: {directory}/{report.file} has these answers already:")
    counts = f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged"
    if report.refused:
        counts += f", {report.refused} refused (other answers already; --update replaces them)"
    if report.replaced:
        counts += f", {report.dropped} dropped"
    click.echo(f"  {counts}")
    verb = "updated" if update or replace else "refused"
    for conflict in report.conflicts:
        click.echo(f"  {verb}: {conflict.respondent} (line {conflict.line}): {conflict.describe()}")
    if report.added_columns:
        click.echo(f"New columns in {report.file}: {', '.join(report.added_columns)}")
    if report.missing_items:
        click.echo(f"Items without a column in the file: {', '.join(report.missing_items)}")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "format_name", required=True, help="An export format (mio formats).")
@click.option("--out", required=True, type=click.Path(), help="The file or folder to write.")
@LANGUAGE
@click.option(
    "--identified",
    is_flag=True,
    help="Keep names, emails and people's ids (default: pseudonymised, for research).",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The pseudonymisation key (default: DIR/.mio/pseudonym.key, created on first use).",
)
@click.option(
    "--with-text",
    is_flag=True,
    help="Keep free texts (project titles, challenges, notes) in a pseudonymised export.",
)
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="An option of the format (mio formats lists them); may be repeated.",
)
@click.option("--instrument", default=None, help="Short for --option instrument=ID.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace what an earlier export of the same format wrote at --out (nothing else).",
)
@click.pass_obj
@_friendly_errors
def export(
    settings: _Settings,
    directory: str,
    format_name: str,
    out: str,
    language: str,
    identified: bool,
    key_file: str | None,
    with_text: bool,
    options: tuple[str, ...],
    instrument: str | None,
    force: bool,
) -> None:
    """Export the workspace in DIRECTORY in a format, pseudonymised unless --identified.

    The workspace must validate without errors; the output appears whole or not at all.
    --out must be a new path outside the workspace, or (with --force) what an earlier export
    of the same format wrote there.
    A pseudonymised export leaves out participants without research consent, and free
    texts unless --with-text. The audit log records every export.
    """
    from .export import export_workspace, make_options
    from .problems import MioError

    registry = settings.registry()
    exporter = registry.exporter(format_name)
    values = dict(option.partition("=")[::2] for option in options)
    if any("=" not in option for option in options):
        raise MioError("write each --option as KEY=VALUE")
    if instrument is not None:
        values["instrument"] = instrument
    chosen = make_options(exporter, values)
    written = export_workspace(
        directory,
        registry,
        exporter,
        out,
        chosen,
        language=language or None,
        identified=identified,
        key_file=key_file,
        with_text=with_text,
        force=force,
        cache=settings.cache,
        progress=settings.progress(),
    )
    what = "identified" if identified else "pseudonymised"
    click.echo(f"Wrote {exporter.title} ({what}) to {written}")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


@main.command()
@OUTPUT_FORMAT
@click.pass_obj
@_friendly_errors
def importers(settings: _Settings, output: str) -> None:
    """List the importers: the survey tools' export formats mio import reads."""
    from .importing import describe_importers

    rows = describe_importers(settings.registry())
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']:<18} {row['title']}; reads {', '.join(row['suffixes'])}")
        if row["description"]:
            click.echo(f"{'':<18} {row['description']}")


@main.command()
@OUTPUT_FORMAT
@click.pass_obj
@_friendly_errors
def formats(settings: _Settings, output: str) -> None:
    """List the export formats and their options."""
    from .export import describe_formats

    rows = describe_formats(settings.registry())
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    for row in rows:
        target = "a folder" if row["kind"] == "folder" else f"a {row['suffix']} file"
        click.echo(f"{row['name']:<14} {row['title']}; writes {target}")
        if row["description"]:
            click.echo(f"{'':<14} {row['description']}")
        for option in row["options"]:
            click.echo(f"{'':<14} option {option['name']} (default {option['default']!r})")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_friendly_errors
def erase(directory: str, person: str, yes: bool) -> None:
    """Erase the participant PERSON (an id) and everything that identifies them.

    Removes the people entry, attendance, coaching engagements and answers, and keeps their
    innovation projects without an owner. Prints every change.
    """
    from .privacy.erasure import erase_participant

    question = f"Erase {person} from {directory}? This cannot be undone"
    if not yes and not click.confirm(question):
        click.echo(f"Nothing was erased; {person} is still in {directory}.")
        sys.exit(1)
    report = erase_participant(directory, person)
    for change in report.changes:
        click.echo(change)
    count = len(report.files)
    click.echo(f"Erased {person}: {count} file{'s' * (count != 1)} changed.")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.argument("person")
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Write to FILE (default: print)."
)
@click.option("--force", is_flag=True, help="Replace FILE if it is an earlier access report.")
@_friendly_errors
def access(directory: str, person: str, out: str | None, force: bool) -> None:
    """Write everything the workspace in DIRECTORY holds about PERSON (an id) as JSON.

    For a subject access request (GDPR Art. 15): the people entry, cohorts and attendance,
    coaching, projects and every answer, each with the file it came from, and the
    workspace's legal basis and retention.
    """
    from .io.jsonio import dumps
    from .privacy.access import access_report, write_access_report

    if out is None:
        click.echo(dumps(access_report(directory, person)))
        return
    written = write_access_report(directory, person, out, force=force)
    click.echo(f"Wrote everything held about {person} to {written}")


@main.command()
@OUTPUT_FORMAT
@click.pass_obj
@_friendly_errors
def plugins(settings: _Settings, output: str) -> None:
    """List the plugins, their versions, origins and what each contributes."""
    registry = settings.registry(report=False)
    if output == "json":
        click.echo(
            json.dumps(
                {
                    "plugins": [
                        {
                            "name": info.name,
                            "version": info.version,
                            "origin": info.origin,
                            "contributes": {k: list(v) for k, v in info.contributions.items()},
                            "hooks": list(info.hooks),
                        }
                        for info in registry.plugins
                    ],
                    "broken": [
                        {
                            "name": failure.name,
                            "version": failure.version,
                            "origin": failure.origin,
                            "error": failure.reason,
                        }
                        for failure in registry.failures
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for info in registry.plugins:
        click.echo(f"{info.name} {info.version or ''}".rstrip() + f"  ({info.origin})")
        for kind, names in info.contributions.items():
            if names:
                click.echo(f"  {kind}: {', '.join(names)}")
        if info.hooks:
            click.echo(f"  hooks: {', '.join(info.hooks)}")
    for failure in registry.failures:
        state = "BROKEN" if failure.whole else "PARTLY LEFT OUT"
        click.echo(f"{failure.name}  {state} ({failure.origin}): {failure.reason}")
