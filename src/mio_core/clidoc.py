"""Builds docs/cli.md from the click commands themselves (run as a module)."""

from __future__ import annotations

import click

from .cli import BUILTIN_ONLY, main


def cli_reference() -> str:
    """Return the Markdown reference of the ``mio`` command and each subcommand."""
    parts = [
        "# Command reference\n",
        "<!-- Generated from the click commands by `python -m mio_core.clidoc > docs/cli.md`;",
        "     a test fails when it is stale. -->\n",
        "Every command is one call into the library, so everything here can be done from Python",
        "as well (see the other pages). Exit codes: 0 success, 1 the workspace or input has",
        "problems (they are listed), 2 the command itself was wrong.\n",
    ]
    # The same width on every terminal, so that the page is the same everywhere.
    context = click.Context(
        main,
        info_name="mio",
        terminal_width=88,
        max_content_width=88,
        help_option_names=["-h", "--help"],
    )
    context.meta[BUILTIN_ONLY] = True  # the installed plugins' commands are not documented here
    parts.append("## `mio`\n\n```text\n" + main.get_help(context) + "\n```\n")
    for name in sorted(main.commands):
        command = main.commands[name]
        sub = click.Context(
            command, info_name=name, parent=context, terminal_width=88, max_content_width=88
        )
        parts.append(f"## `mio {name}`\n\n```text\n{command.get_help(sub)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(cli_reference(), end="")
