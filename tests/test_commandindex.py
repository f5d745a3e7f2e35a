"""`mio --help` lists the plugins' commands from an index in the user's cache directory.

The index stands in for loading the plugins only while it is current; its output is the
same as loading them; a plugin installed, edited or broken shows at once; a damaged index
file is ignored and written again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mio_core import commandindex
from mio_core.cli import main


def plugin_env(cache: Path, *paths: Path) -> dict[str, str]:
    """The environment of a `mio` run: no MIO_ setting but the cache folder, and `paths`
    in front of the Python path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIO_")}
    python_path = [str(path) for path in paths] + env.get("PYTHONPATH", "").split(os.pathsep)
    return {
        **env,
        "XDG_CACHE_HOME": str(cache),
        "PYTHONPATH": os.pathsep.join(entry for entry in python_path if entry),
    }


def mio(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `mio ARGS` in a fresh process, in a folder of its own: with `python -m` the
    working folder is on `sys.path`, so a file written there would renew the index."""
    folder = Path(env["XDG_CACHE_HOME"]).parent / "work"
    folder.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "mio_core", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
    )


def mio_help(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return mio("--help", env=env)


def install(site: Path, name: str, source: str) -> Path:
    """Install a plugin module `name` into the folder `site` with a `mio_core` entry point."""
    module = site / f"{name}.py"
    module.write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[mio_core]\n{name} = {name}\n")
    return module


def command_plugin(command: str, summary: str) -> str:
    return f"""
        import click
        from mio_core import hookimpl

        @hookimpl
        def mio_register_commands(cli):
            @cli.command()
            def {command}():
                \"\"\"{summary}\"\"\"
    """


def test_the_index_gives_the_same_help_as_loading_the_plugins(tmp_path: Path) -> None:
    env = plugin_env(tmp_path / "cache")
    loaded = mio_help({**env, "MIO_NO_CACHE": "1"})
    first = mio_help(env)  # writes the index
    indexed = mio_help(env)
    assert list((tmp_path / "cache" / "mio").glob("commands-*.json"))
    assert "analyse" in indexed.stdout
    assert (indexed.returncode, indexed.stdout, indexed.stderr) == (
        loaded.returncode,
        loaded.stdout,
        loaded.stderr,
    )
    assert (first.stdout, first.stderr) == (loaded.stdout, loaded.stderr)


def test_an_installed_plugin_command_appears_at_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    env = plugin_env(tmp_path / "cache", site)
    assert "greet" not in mio_help(env).stdout
    install(site, "acme_greet", command_plugin("greet", "Greet the managers."))
    assert "Greet the managers." in mio_help(env).stdout


def test_an_edited_plugin_shows_its_new_command(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    module = install(site, "acme_greet", command_plugin("greet", "Greet the managers."))
    env = plugin_env(tmp_path / "cache", site)
    assert "Greet the managers." in mio_help(env).stdout
    module.write_text(textwrap.dedent(command_plugin("welcome", "Welcome them.")))
    stamp = module.stat().st_mtime_ns + 10**9
    os.utime(module, ns=(stamp, stamp))
    out = mio_help(env).stdout
    assert ("Welcome them." in out, "greet" in out) == (True, False)


def test_a_broken_plugin_is_warned_about_also_when_the_index_is_used(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install(site, "acme_broken", "raise RuntimeError('acme is broken')\n")
    env = plugin_env(tmp_path / "cache", site)
    first, second = mio_help(env), mio_help(env)
    assert (first.returncode, second.returncode) == (0, 0)
    assert "acme is broken" in first.stderr
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)


def test_with_a_current_index_no_plugin_is_imported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    imports = tmp_path / "imports.txt"
    source = command_plugin("greet", "Greet the managers.")
    install(
        site,
        "acme_greet",
        f"""
        import sys
        with open({str(imports)!r}, "a") as log:
            log.write("imported\\n")
        sys.path.append({str(tmp_path / "elsewhere")!r})  # a plugin may change sys.path
        {textwrap.dedent(source).strip().replace(chr(10), chr(10) + " " * 8)}
    """,
    )
    env = plugin_env(tmp_path / "cache", site)
    outputs = {mio_help(env).stdout for _ in range(3)}
    assert len(outputs) == 1 and "Greet the managers." in outputs.pop()
    assert imports.read_text().splitlines() == ["imported"]


def test_a_malformed_entry_point_leaves_help_working(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install(site, "acme_greet", command_plugin("greet", "Greet the managers."))
    info = site / "acme_bad-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme_bad\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[mio_core]\nacme_bad = not a :: module\n")
    env = plugin_env(tmp_path / "cache", site)
    first, second = mio_help(env), mio_help(env)
    assert (first.returncode, "Greet the managers." in first.stdout) == (0, True)
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)


def test_a_plugin_command_still_runs_when_the_index_is_current(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install(
        site,
        "acme_greet",
        command_plugin("greet", "Greet the managers.").replace(
            '"""\n', '"""\n                click.echo("hej")\n', 1
        ),
    )
    env = plugin_env(tmp_path / "cache", site)
    mio_help(env)
    result = mio("greet", env=env)
    assert (result.returncode, result.stdout) == (0, "hej\n")


def help_in_process() -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--help"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def indexing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The index in use (the suite turns it off with MIO_NO_CACHE); returns its file."""
    monkeypatch.delenv("MIO_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return Path(commandindex.index_file())


_HELP_FROM_AN_INDEX: dict[Path, tuple[int, str, str]] = {}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(content=st.binary(max_size=300))
def test_a_damaged_index_file_is_ignored_and_written_again(indexing: Path, content: bytes) -> None:
    # `indexing` lives across the examples: the help as read from a sound index is found
    # once (the first call writes the index, the second reads it), then each example damages
    # the index that the example before it wrote again
    if indexing not in _HELP_FROM_AN_INDEX:
        help_in_process()
        _HELP_FROM_AN_INDEX[indexing] = help_in_process()
    expected = _HELP_FROM_AN_INDEX[indexing]
    indexing.write_bytes(content)
    assert help_in_process() == expected
    assert commandindex.read_index(main.commands) is not None  # written again


def test_an_index_with_a_foreign_key_is_ignored(indexing: Path) -> None:
    help_in_process()
    text = indexing.read_text(encoding="utf-8")
    indexing.write_text(text.replace('"analyse"', '"forged"'), encoding="utf-8")
    assert "forged" in indexing.read_text(encoding="utf-8")
    stale = indexing.read_text(encoding="utf-8").replace('"mio_core": "', '"mio_core": "0.0.')
    indexing.write_text(stale, encoding="utf-8")
    out = help_in_process()[1]
    assert ("forged" in out, "analyse" in out) == (False, True)


def test_with_a_local_plugin_no_index_is_read_or_written(indexing: Path, tmp_path: Path) -> None:
    plugin = tmp_path / "hello_plugin.py"
    plugin.write_text(textwrap.dedent(command_plugin("hello", "Say hello.")), encoding="utf-8")
    result = CliRunner().invoke(main, ["--plugin", str(plugin), "--help"])
    assert "Say hello." in result.stdout
    assert not indexing.exists()


def test_an_unwritable_cache_folder_leaves_help_working(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MIO_NO_CACHE")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    code, out, _ = help_in_process()
    assert (code, "analyse" in out) == (0, True)
