"""The ``mio`` subcommands that plugins add (hook ``mio_register_commands``)."""

from __future__ import annotations

from collections.abc import Collection

import click

from .registry import Registry

HOOK = "mio_register_commands"


def plugin_commands(
    registry: Registry, reserved: Collection[str] = ()
) -> tuple[dict[str, click.Command], list[tuple[str, str]]]:
    """Return the commands the plugins add, by name, and the (plugin, reason) refused.

    Each plugin's ``mio_register_commands(cli)`` gets a group of its own, so that what it
    adds is known by plugin: a command named like one of ``reserved`` (the built-in
    commands) or like an earlier plugin's is refused naming the plugin; a plugin that
    raises is left out. With a strict registry either is a
    :class:`~mio_core.plugins.PluginError`.
    """
    commands: dict[str, click.Command] = {}
    owners: dict[str, str] = {}
    failures: list[tuple[str, str]] = []
    for call in registry.calls(HOOK):
        group = click.Group(name=call.plugin)
        try:
            call(cli=group)
        except Exception as exc:
            registry.refuse(failures, call.plugin, f"{HOOK} raised {type(exc).__name__}: {exc}")
            continue
        for name, command in group.commands.items():
            if name in reserved:
                registry.refuse(
                    failures,
                    call.plugin,
                    f"its command {name!r} has the name of a built-in mio command; left out",
                )
            elif name in commands:
                registry.refuse(
                    failures,
                    call.plugin,
                    f"its command {name!r} clashes with the one from plugin "
                    f"{owners[name]!r}; the one from {owners[name]!r} is kept",
                )
            else:
                commands[name] = command
                owners[name] = call.plugin
    return commands, failures
