"""The ``mio-analyse`` command, which is also ``mio analyse`` (hook ``mio_register_commands``)."""

from __future__ import annotations

import sys

import click

import mio_core as m


@click.command(name="mio-analyse")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--key-file",
    default=None,
    type=click.Path(dir_okay=False),
    help="The pseudonymisation key (default: MIO_PSEUDONYM_KEY_FILE, else .mio/pseudonym.key).",
)
def main(directory: str, output: str, key_file: str | None) -> None:
    """Run the analyses of the workspace in DIRECTORY on its research export.

    Linear mixed models of change by occasion, the municipality ICC, dose-response,
    attrition, Holm-adjusted p and follow-up persistence, each with its assumptions.
    """
    from .report import analyse_folder, to_json, to_text

    try:
        report = analyse_folder(directory, key_file=key_file)
    except m.MioError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(to_json(report) if output == "json" else to_text(report), nl=False)
