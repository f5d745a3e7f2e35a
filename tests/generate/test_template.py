"""`mio init --template blank|mio --language sv|en`: each form is a valid workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import mio_core as m
from mio_core.cli import main
from mio_core.generate.template import init_workspace

FORMS = [(t, lang) for t in ("blank", "mio") for lang in ("sv", "en")]


@pytest.mark.parametrize(("template", "language"), FORMS)
def test_every_template_in_every_language_is_a_valid_workspace(
    tmp_path: Path, template: str, language: str
) -> None:
    init_workspace(tmp_path / "new", template, language)
    assert m.validate_workspace(tmp_path / "new") == []
    assert m.load_workspace(tmp_path / "new").manifest.language == language


def test_the_blank_template_has_one_module_and_nobody(tmp_path: Path) -> None:
    init_workspace(tmp_path / "new", "blank", "en")
    workspace = m.load_workspace(tmp_path / "new")
    assert [module.id for module in workspace.concept.modules] == ["m1"]
    assert (workspace.participants, workspace.cohorts, workspace.responses) == ((), (), ())


def test_the_english_blank_template_holds_no_swedish_letter(tmp_path: Path) -> None:
    init_workspace(tmp_path / "new", "blank", "en")
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "new").glob("*.yaml"))
    assert not set(text) & set("åäöÅÄÖ")


@pytest.mark.parametrize("template", ["blank", "mio"])
def test_a_swedish_template_has_no_english_comment(tmp_path: Path, template: str) -> None:
    init_workspace(tmp_path / "sv", template, "sv")
    init_workspace(tmp_path / "en", template, "en")

    def comments(folder: Path) -> set[str]:
        return {
            line.strip()
            for path in folder.rglob("*.yaml")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith("#")
        }

    assert comments(tmp_path / "sv") & comments(tmp_path / "en") == set()


def test_the_english_mio_template_is_the_mio_concept(tmp_path: Path) -> None:
    init_workspace(tmp_path / "sv", "mio", "sv")
    init_workspace(tmp_path / "en", "mio", "en")
    swedish, english = m.load_workspace(tmp_path / "sv"), m.load_workspace(tmp_path / "en")
    assert english.concept == swedish.concept
    assert english.manifest.languages == ("en", "sv")


def test_the_default_is_today_s_swedish_mio_template(tmp_path: Path) -> None:
    init_workspace(tmp_path / "default")
    init_workspace(tmp_path / "mio-sv", "mio", "sv")
    for name in ("mio.yaml", "concept.yaml", "organisations.yaml", "people.yaml"):
        assert (tmp_path / "default" / name).read_bytes() == (
            tmp_path / "mio-sv" / name
        ).read_bytes()


def test_mio_init_takes_template_and_language(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["init", str(tmp_path / "new"), "--template", "blank", "--language", "en"]
    )
    assert result.exit_code == 0, result.output
    assert m.load_workspace(tmp_path / "new").concept.id == "my-concept"


def test_an_unknown_template_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new"), "--template", "nope"])
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()


def test_an_unknown_language_is_refused_from_python(tmp_path: Path) -> None:
    with pytest.raises(m.MioError, match="not 'de'"):
        init_workspace(tmp_path / "new", "blank", "de")
    assert not (tmp_path / "new").exists()


def test_mio_init_names_a_dangling_symbolic_link_and_writes_nothing(tmp_path: Path) -> None:
    link = tmp_path / "workspace"
    link.symlink_to(tmp_path / "gone")
    result = CliRunner().invoke(main, ["init", str(link)])
    assert result.exit_code == 1 and "which does not exist" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace"]


def test_mio_init_writes_into_a_new_git_repository(tmp_path: Path) -> None:
    # `git init team` (or a clone of an empty repository), then `mio init team`.
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")

    init_workspace(tmp_path, template="blank", language="en")

    assert m.validate_workspace(tmp_path) == []
    assert (tmp_path / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"


def test_mio_init_refuses_a_repository_with_files_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("ours\n", encoding="utf-8")

    with pytest.raises(m.MioError, match="not empty"):
        init_workspace(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "README.md"]


def test_the_mio_template_names_its_sectors_in_swedish(tmp_path: Path) -> None:
    from mio_core.generate.synthetic import SECTORS
    from mio_core.model import text_in

    init_workspace(tmp_path / "new", "mio", "sv")
    sectors = m.load_workspace(tmp_path / "new").concept.terms("sectors")
    labels = {t.id: text_in(t.label, "sv") for t in sectors}
    assert labels["elder-care"] == "äldreomsorg"  # not the id in a Swedish export's labels
    assert set(labels) == set(SECTORS)  # what `mio generate` gives people is declared
