"""Mappings kept in the workspace: a survey tool's export (question texts, label answers,
e-mail addresses) imported as ``imports/<name>.yaml`` says, and mappings proposed from the
export's headers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import mio_core as m
from mio_core.importing import (
    ColumnRef,
    ImportMapping,
    RespondentColumn,
    import_mapped,
    import_responses,
    load_mapping,
    propose_mapping,
    save_mapping,
)
from mio_core.importing.mapping import apply_mapping, read_mapping
from mio_core.importing.propose import MappingProposal
from mio_core.model import Instrument, Participant, text_in
from mio_core.plugins import ImportedTable
from mio_core.testing import make_registry

from ..helpers import snapshot

FORMS_COLUMNS = ["ID", "Start time", "Completion time", "Email", "Name"]


@pytest.fixture(scope="module")
def registry() -> m.Registry:
    return make_registry(builtins=True)


def occasion_for(instrument: Instrument) -> str:
    occasion = instrument.occasions[0] if instrument.occasions else "post"
    return "module:m1" if occasion == "module:*" else occasion


def expected_codes(instrument: Instrument, row: int) -> dict[str, int]:
    """The code each item gets in row ``row`` of a generated export: every value and every
    'no answer' code of each item's scale turns up across the rows."""
    codes = {}
    for position, item in enumerate(instrument.items):
        scale = instrument.scale_of(item)
        assert scale is not None
        values = [label.value for label in (*scale.labels, *scale.missing)]
        codes[item.id] = values[(row + position) % len(values)]
    return codes


def forms_export(
    instrument: Instrument, people: list[Participant], language: str = "sv"
) -> tuple[str, dict[str, dict[str, int]]]:
    """Return a Microsoft Forms-like CSV export (question texts as headers, answers as label
    texts, the respondent's e-mail) and the codes it should import as, by participant."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*FORMS_COLUMNS, *(text_in(i.text, language) for i in instrument.items)])
    expected = {}
    for row, person in enumerate(people):
        codes = expected_codes(instrument, row)
        labels = []
        for item in instrument.items:
            scale = instrument.scale_of(item)
            assert scale is not None
            labels.append(text_in(scale.label(codes[item.id]), language))
        when = ("2024-03-05 14:00:01", "2024-03-05 14:22:09")
        writer.writerow([row + 1, *when, person.email, person.name, *labels])
        expected[person.id] = codes
    return buffer.getvalue(), expected


def read_responses(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as stream:
        return {row["respondent"]: row for row in csv.DictReader(stream)}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def mapping_yaml(**changes: str) -> str:
    """A mapping for a small coaching export; ``changes`` replace or add top-level keys."""
    keys = {
        "importer": "csv",
        "instrument": "mio-coaching",
        "occasion": "post",
        "respondent": "{column: E-post, match: email}",
        "date": "{column: Datum, format: '%d/%m/%Y'}",
        "items": "{rel1: {column: Förtroende}, rel2: {key: Q2}, rel3: {pattern: '^Behov'}}",
        "ignore": "[Namn]",
    }
    keys.update(changes)
    return "".join(f"{key}: {value}\n" for key, value in keys.items() if value)


SMALL_HEADER = "E-post,Namn,Datum,Förtroende,Q2,Behov (3)"


def small_export(folder: Path, rows: list[str], header: str = SMALL_HEADER) -> Path:
    return write(folder / "export.csv", "\n".join([header, *rows]) + "\n")


@pytest.fixture
def coaching(workspace: Path) -> Path:
    """The example workspace without answers to the coaching instrument after the programme."""
    (workspace / "responses/mio-coaching.post.csv").unlink()
    (workspace / "imports").mkdir()
    return workspace


# The proposal for a Microsoft Forms export of a built-in instrument


@pytest.mark.parametrize(
    "instrument_id",
    ["mio-coaching", "mio-innovation-leadership", "mio-module-evaluation", "mio-utilisation"],
)
def test_a_proposed_mapping_imports_a_forms_export_of_a_builtin_instrument_unedited(
    workspace: Path, registry: m.Registry, instrument_id: str
) -> None:
    loaded = m.load_workspace(workspace)
    instrument = registry.instruments_for(loaded)[instrument_id]
    occasion = occasion_for(instrument)
    target = workspace / f"responses/{instrument_id}.{occasion.replace(':', '.')}.csv"
    target.unlink(missing_ok=True)
    people = [p for p in loaded.participants if p.email][:6]
    text, expected = forms_export(instrument, people)
    export = write(workspace.parent / "forms.csv", text)
    table = registry.importer("csv").read(export.read_bytes(), export.name)

    proposal = propose_mapping(table, instrument, occasion, "csv", export.name)
    assert proposal.unmatched == ()
    assert dict(proposal.unknown_labels) == {}
    assert set(proposal.mapping.items) == {item.id for item in instrument.items}
    save_mapping(workspace, "forms", proposal)
    reports = import_mapped(workspace, export, "forms", registry)

    assert [r.added for r in reports] == [len(people)]
    imported = read_responses(target)
    assert {
        person: {item: int(imported[person][item]) for item in codes}
        for person, codes in ((p, expected[p]) for p in expected)
    } == expected


def test_the_proposal_reads_back_as_the_mapping_it_proposes(
    workspace: Path, registry: m.Registry
) -> None:
    instrument = registry.instrument("mio-coaching")
    people = list(m.load_workspace(workspace).participants[:2])
    text, _ = forms_export(instrument, people, "en")
    table = registry.importer("csv").read(text.encode(), "forms.csv")
    proposal = propose_mapping(table, instrument, "post", "csv", "forms.csv")
    save_mapping(workspace, "english", proposal)

    assert load_mapping(workspace, "english") == proposal.mapping


@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_header_text_survives_a_written_proposal(header: str) -> None:
    mapping = ImportMapping(
        instrument="mio-coaching",
        occasion="post",
        respondent=RespondentColumn(column=header),
        items={"rel1": ColumnRef(column=header)},
    )
    text = MappingProposal(mapping=mapping, source="x.csv").render()
    from mio_core.io.converter import structure
    from mio_core.io.yamlio import parse_yaml

    assert structure(parse_yaml(text, "x.yaml"), ImportMapping) == mapping


def test_the_proposal_marks_the_guessed_respondent_and_a_near_match_for_checking(
    registry: m.Registry,
) -> None:
    instrument = registry.instrument("mio-coaching")
    header = [
        "E-post",
        "1. Jag har förtroende för min coach",
        "Q3. Min coach och jag är överens om vad coachningen ska ge",
    ]
    table = ImportedTable(header=header, rows=[["a@b.se", "Instämmer helt", "Vet ej"]])

    proposal = propose_mapping(table, instrument, "post")

    assert proposal.mapping.respondent.match.value == "email"
    assert proposal.mapping.items["rel2"].column == header[1]
    assert "respondent" in proposal.notes
    assert "rel2" not in proposal.notes  # numbering and punctuation are left aside
    assert "rel1" in proposal.notes  # a text with a word changed is only alike
    assert "# check:" in proposal.render()


def test_a_proposal_finds_the_respondent_and_date_by_the_readers_keys(
    registry: m.Registry,
) -> None:
    # a plugin's importer names its columns' roles by key under headers in any language
    # (Webropol in Finnish): the proposal used to look at the English and Swedish headers only
    table = ImportedTable(
        header=["Sähköposti", "Vastausaika", "Luottamus valmentajaan"],
        keys=["email", "submitted", "q1"],
        rows=[["a@b.fi", "2024-03-05", "4"]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.respondent.key == "email"
    assert proposal.mapping.respondent.match.value == "email"
    assert proposal.mapping.date is not None and proposal.mapping.date.key == "submitted"


def test_a_legacy_qualtrics_emailaddress_column_is_proposed_as_the_respondent(
    registry: m.Registry,
) -> None:
    # Qualtrics' legacy export: tags V1…V10 in row 1, "EmailAddress" as the header text.
    table = ImportedTable(
        header=["ResponseID", "EmailAddress", "Jag har förtroende för min coach."],
        keys=["V1", "V5", "Q1_2"],
        rows=[["R_1", "a@b.se", "4"]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post", "qualtrics")

    assert proposal.mapping.respondent.key == "V5"
    assert proposal.mapping.respondent.match.value == "email"


def test_an_email_column_empty_in_every_row_is_not_proposed_as_the_respondent(
    registry: m.Registry,
) -> None:
    # Qualtrics' anonymous link: Recipient Email is there, empty; each participant's token
    # travels in embedded data.
    table = ImportedTable(
        header=["Recipient Email", "token", "Jag har förtroende för min coach."],
        rows=[["", "x7Kq2Pz", "4"], ["", "b8Lm3Qa", "5"]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.respondent.column == "token"
    assert proposal.mapping.respondent.match.value == "token"


def test_a_header_only_export_is_proposed_a_respondent_by_its_header(
    registry: m.Registry,
) -> None:
    table = ImportedTable(header=["Email", "Jag har förtroende för min coach."], rows=[])

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.respondent.column == "Email"


def test_a_renamed_questions_old_column_left_out_with_answers_is_marked_for_checking(
    registry: m.Registry,
) -> None:
    # A question reworded in Google Forms after two answers came in: the old text keeps
    # those answers in a column of its own, which the proposal would leave out unnoticed.
    table = ImportedTable(
        header=["E-post", "Jag har förtroende för min coach.", "Jag har tillit till min coach"],
        rows=[
            ["a@b.se", "Instämmer helt", ""],
            ["c@d.se", "", "Instämmer delvis"],
        ],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.items["rel2"].column == "Jag har förtroende för min coach."
    assert "'Jag har tillit till min coach' answers this scale" in proposal.notes["rel2"]
    assert ColumnRef(column="Jag har tillit till min coach") not in proposal.mapping.ignore


def test_a_second_column_answering_an_item_is_left_for_a_person_to_decide(
    registry: m.Registry,
) -> None:
    # Qualtrics' Loop & Merge: the same question per loop, both answered.
    text = "Jag har förtroende för min coach."
    table = ImportedTable(
        header=["E-post", text, text],
        keys=["RecipientEmail", "1_Q2", "2_Q2"],
        rows=[["a@b.se", "Instämmer helt", "Varken eller"]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert proposal.mapping.items["rel2"] == ColumnRef(key="1_Q2")
    assert "'2_Q2' also answers this item" in proposal.notes["rel2"]
    assert ColumnRef(key="2_Q2") not in proposal.mapping.ignore


def test_an_empty_second_column_for_an_item_is_ignored_without_a_note(
    registry: m.Registry,
) -> None:
    text = "Jag har förtroende för min coach."
    table = ImportedTable(
        header=["E-post", text, text],
        keys=["RecipientEmail", "1_Q2", "2_Q2"],
        rows=[["a@b.se", "Instämmer helt", ""]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert "rel2" not in proposal.notes
    assert ColumnRef(key="2_Q2") in proposal.mapping.ignore


def test_a_left_out_column_answered_in_the_same_rows_is_no_renamed_question(
    registry: m.Registry,
) -> None:
    table = ImportedTable(
        header=["E-post", "Jag har förtroende för min coach.", "Hur nöjd är du totalt?"],
        rows=[["a@b.se", "Instämmer helt", "Instämmer helt"], ["c@d.se", "Vet ej", ""]],
    )

    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    assert "rel2" not in proposal.notes


def test_save_mapping_refuses_to_replace_a_mapping_unless_forced(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/forms.yaml", "# mine\n")
    table = ImportedTable(header=["Email"], rows=[["a@b.se"]])
    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")

    with pytest.raises(m.MioError, match="exists already"):
        save_mapping(coaching, "forms", proposal)
    assert (coaching / "imports/forms.yaml").read_text() == "# mine\n"
    save_mapping(coaching, "forms", proposal, force=True)
    assert "Mapping proposed" in (coaching / "imports/forms.yaml").read_text()


def test_save_mapping_refused_from_python_names_the_python_argument(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/forms.yaml", "# mine\n")
    table = ImportedTable(header=["Email"], rows=[["a@b.se"]])
    proposal = propose_mapping(table, registry.instrument("mio-coaching"), "post")
    with pytest.raises(m.MioError, match=r"\(Python: force=True\)"):
        save_mapping(coaching, "forms", proposal)


# Applying a mapping


def test_labels_are_read_in_swedish_and_english_whatever_their_case_and_spaces(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(
        coaching.parent,
        [
            "anna.lundin@linkoping.example,A,05/03/2024,  instämmer HELT ,Strongly disagree,Vet ej",
            "ERIK.EKVALL@norrkoping.example ,Erik,06/03/2024,Varken eller,agree,4",
        ],
    )

    import_mapped(coaching, export, "small", registry)

    rows = read_responses(coaching / "responses/mio-coaching.post.csv")
    assert {p: (r["date"], r["rel1"], r["rel2"], r["rel3"]) for p, r in rows.items()} == {
        "p01": ("2024-03-05", "5", "1", "9"),
        "p02": ("2024-03-06", "3", "4", "4"),
    }


def test_an_unknown_label_is_located_by_row_header_and_column_letter(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    mapping = load_mapping(coaching, "small")
    table = ImportedTable(
        header=SMALL_HEADER.split(","),
        rows=[["anna.lundin@linkoping.example", "A", "05/03/2024", "Kanske", "4", "4"]],
        lines=[7],
    )
    loaded = m.load_workspace(coaching)
    instrument = registry.instrument("mio-coaching")

    mapped = apply_mapping(mapping, table, "export.xlsx", instrument, "post", loaded)

    [problem] = mapped.problems
    assert (problem.code, problem.line, problem.column) == ("unknown-label", 7, 4)
    assert problem.path == ("Förtroende (column D)",)
    assert "'Kanske'" in problem.message
    assert "'Instämmer helt'" in problem.message and "'Strongly agree'" in problem.message


def test_extra_labels_and_missing_texts_of_a_mapping_are_read(
    coaching: Path, registry: m.Registry
) -> None:
    write(
        coaching / "imports/small.yaml",
        mapping_yaml(labels="{agree5: {Ganska bra: 4}}", missing="{all: [-99], agree5: [Avstår]}"),
    )
    export = small_export(
        coaching.parent, ["anna.lundin@linkoping.example,A,05/03/2024,ganska bra,-99,Avstår"]
    )

    import_mapped(coaching, export, "small", registry)

    row = read_responses(coaching / "responses/mio-coaching.post.csv")["p01"]
    assert (row["rel1"], row["rel2"], row["rel3"]) == ("4", "", "")


def test_an_unknown_email_is_refused_with_its_cell_and_nothing_is_written(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(
        coaching.parent,
        [
            "anna.lundin@linkoping.example,A,05/03/2024,1,2,3",
            "nobody@example.org,N,05/03/2024,1,2,3",
        ],
    )
    before = snapshot(coaching)

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.path) == ("unknown-respondent", 3, ("E-post",))
    assert "nobody@example.org" in problem.message
    assert snapshot(coaching) == before


def test_a_bad_cell_is_refused_with_its_row_and_header_and_nothing_is_written(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(
        coaching.parent,
        [
            "anna.lundin@linkoping.example,A,05/03/2024,1,2,3",
            "erik.ekvall@norrkoping.example,E,05/03/2024,1,7,3",
        ],
    )
    before = snapshot(coaching)

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.path) == (3, 5, ("Q2",))
    assert snapshot(coaching) == before


def test_respondents_match_by_token_from_the_workspace_token_list(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/tokens.csv", "token,participant\nx7Kq2,p03\n")
    write(
        coaching / "imports/small.yaml",
        mapping_yaml(respondent="{column: Token, match: token}", date="", ignore="[Namn]"),
    )
    header = "Token,Namn,Förtroende,Q2,Behov"
    export = small_export(coaching.parent, [" x7Kq2 ,M,1,2,3"], header)

    import_mapped(coaching, export, "small", registry)

    assert list(read_responses(coaching / "responses/mio-coaching.post.csv")) == ["p03"]


def test_an_unknown_token_is_refused_without_showing_the_token(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/tokens.csv", "token,participant\nx7Kq2,p03\n")
    write(
        coaching / "imports/small.yaml",
        mapping_yaml(respondent="{column: Token, match: token}", date=""),
    )
    export = small_export(coaching.parent, ["secret9,M,1,2,3"], "Token,Namn,Förtroende,Q2,Behov")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    [problem] = raised.value.problems
    assert problem.code == "unknown-respondent" and "secret9" not in problem.message


def test_an_unknown_token_says_where_to_add_it(coaching: Path, registry: m.Registry) -> None:
    write(coaching / "imports/tokens.csv", "token,participant\nx7Kq2,p03\n")
    write(
        coaching / "imports/small.yaml",
        mapping_yaml(respondent="{column: Token, match: token}", date=""),
    )
    export = small_export(coaching.parent, ["secret9,M,1,2,3"], "Token,Namn,Förtroende,Q2,Behov")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    [problem] = raised.value.problems
    assert "add a line with the token and the participant's id to imports/tokens.csv" in (
        problem.message
    )


def test_matching_by_token_without_a_token_list_is_refused(
    coaching: Path, registry: m.Registry
) -> None:
    write(
        coaching / "imports/small.yaml",
        mapping_yaml(respondent="{column: Token, match: token}", date=""),
    )
    export = small_export(coaching.parent, ["x7Kq2,M,1,2,3"], "Token,Namn,Förtroende,Q2,Behov")

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    assert any(p.file == "imports/tokens.csv" for p in raised.value.problems)


def test_an_ambiguous_name_is_a_problem_never_a_guess(coaching: Path, registry: m.Registry) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml(respondent="{column: Namn, match: name}"))
    mapping = load_mapping(coaching, "small")
    loaded = m.load_workspace(coaching)
    anna = loaded.participants[0]
    twin = attrs.evolve(anna, id="p99", email=None)
    loaded = attrs.evolve(loaded, participants=(*loaded.participants, twin))
    table = ImportedTable(
        header=SMALL_HEADER.split(","),
        rows=[
            ["", anna.name, "05/03/2024", "1", "2", "3"],
            ["", "Anna", "05/03/2024", "1", "2", "3"],
        ],
    )
    mapping = attrs.evolve(mapping, ignore=(ColumnRef(column="E-post"),))

    mapped = apply_mapping(
        mapping, table, "e.csv", registry.instrument("mio-coaching"), "post", loaded
    )

    assert [(p.code, p.line) for p in mapped.problems] == [
        ("unknown-respondent", 2),
        ("unknown-respondent", 3),
    ]
    assert "p01, p99" in mapped.problems[0].message


def test_an_unmapped_column_is_a_problem_unless_unmapped_columns_are_ignored(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml(ignore=""))
    export = small_export(coaching.parent, ["anna.lundin@linkoping.example,A,05/03/2024,1,2,3"])

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)
    [problem] = raised.value.problems
    assert (problem.code, problem.line, problem.path) == ("unmapped-column", 1, ("Namn",))

    write(coaching / "imports/small.yaml", mapping_yaml(ignore="", ignore_unmapped="true"))
    assert [r.added for r in import_mapped(coaching, export, "small", registry)] == [1]


def test_a_pattern_matching_two_columns_is_a_problem(coaching: Path, registry: m.Registry) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml(items="{rel1: {pattern: 'ö|Q'}}"))
    export = small_export(coaching.parent, ["anna.lundin@linkoping.example,A,05/03/2024,1,2,3"])

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    assert any(
        p.code == "mapping-column" and "2 columns match" in p.message for p in raised.value.problems
    )


def test_an_occasion_column_imports_each_event_into_its_own_occasion(
    workspace: Path, registry: m.Registry
) -> None:
    for occasion in ("pre", "post"):
        (workspace / f"responses/mio-innovation-leadership.{occasion}.csv").unlink()
    items = ["edi1", "edi2"]
    (workspace / "imports").mkdir()
    write(
        workspace / "imports/redcap.yaml",
        "instrument: mio-innovation-leadership\n"
        "occasion: {column: redcap_event_name, values: {baseline_arm_1: pre, end_arm_1: post}}\n"
        "respondent: {column: record_id}\n"
        "items: {edi1: {column: edi1}, edi2: {column: edi2}}\n",
    )
    export = small_export(
        workspace.parent,
        [
            "p01,baseline_arm_1,2,3",
            "p01,screening_arm_1,,",
            "p01,end_arm_1,4,5",
            "p02,baseline_arm_1,1,1",
        ],
        "record_id,redcap_event_name," + ",".join(items),
    )

    reports = import_mapped(workspace, export, "redcap", registry)

    assert [(r.file, r.added) for r in reports] == [
        ("responses/mio-innovation-leadership.pre.csv", 2),
        ("responses/mio-innovation-leadership.post.csv", 1),
    ]
    post = read_responses(workspace / "responses/mio-innovation-leadership.post.csv")
    assert (post["p01"]["edi1"], post["p01"]["edi2"]) == ("4", "5")


def test_an_import_by_mapping_and_a_hand_written_file_give_the_same_responses(
    coaching: Path, registry: m.Registry, tmp_path: Path
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(
        coaching.parent,
        [
            "anna.lundin@linkoping.example,A,05/03/2024,Instämmer helt,agree,Vet ej",
            "erik.ekvall@norrkoping.example,E,06/03/2024,1,Varken eller,",
        ],
    )
    import_mapped(coaching, export, "small", registry)
    by_mapping = m.load_workspace(coaching).responses
    (coaching / "responses/mio-coaching.post.csv").unlink()
    hand = write(
        tmp_path / "hand.csv",
        "respondent,date,rel1,rel2,rel3\np01,2024-03-05,5,4,9\np02,2024-03-06,1,3,\n",
    )

    import_responses(coaching, hand, "mio-coaching", "post", registry)

    assert m.load_workspace(coaching).responses == by_mapping


def test_a_second_cohort_imported_by_the_same_mapping_adds_its_respondents(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    first = small_export(coaching.parent, ["anna.lundin@linkoping.example,A,05/03/2024,1,2,3"])
    import_mapped(coaching, first, "small", registry)
    target = coaching / "responses/mio-coaching.post.csv"
    before = target.read_text(encoding="utf-8")
    second = small_export(coaching.parent, ["erik.ekvall@norrkoping.example,E,05/03/2024,3,3,3"])

    [report] = import_mapped(coaching, second, "small", registry)

    assert report.added == 1
    assert target.read_text(encoding="utf-8").startswith(before)


# Mapping files: read with located problems, checked by mio validate


def test_a_mistake_in_a_mapping_file_is_located_by_line_and_field(coaching: Path) -> None:
    write(
        coaching / "imports/small.yaml",
        mapping_yaml(respondent="{column: E-post, match: mail}", items="{rel1: {colum: x}}"),
    )

    mapping, problems = read_mapping(coaching, "small")

    assert mapping is None
    assert sorted((p.line, p.path) for p in problems) == [
        (4, ("respondent", "match")),
        (6, ("items", "rel1", "colum")),
    ]


def test_mio_validate_reports_a_mapping_naming_an_unknown_item(coaching: Path) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml(items="{rel9: {column: x}}"))

    problems = m.validate_workspace(coaching, make_registry(builtins=True))

    assert [(p.file, p.line, p.code) for p in problems] == [
        ("imports/small.yaml", 6, "unknown-name")
    ]


def test_the_imports_folder_is_not_read_as_part_of_the_workspace(coaching: Path) -> None:
    write(coaching / "imports/notes.txt", "anything")
    write(coaching / "imports/tokens.csv", "token,participant\nabc,p01\n")

    assert m.validate_workspace(coaching, make_registry(builtins=True)) == []


# The command line


def test_mio_import_save_mapping_writes_a_proposal_and_imports_nothing(
    workspace: Path, tmp_path: Path
) -> None:
    from mio_core.cli import main

    registry = make_registry(builtins=True)
    instrument = registry.instrument("mio-coaching")
    people = list(m.load_workspace(workspace).participants[:3])
    text, _ = forms_export(instrument, people)
    export = write(tmp_path / "forms.csv", text)
    before = snapshot(workspace / "responses")

    result = CliRunner().invoke(
        main,
        [
            "import",
            str(workspace),
            str(export),
            "--instrument",
            "mio-coaching",
            "--occasion",
            "post",
            "--save-mapping",
            "forms",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "nothing was imported" in result.output and "--mapping forms" in result.output
    assert (workspace / "imports/forms.yaml").is_file()
    assert snapshot(workspace / "responses") == before


def test_mio_import_with_a_mapping_and_instrument_is_refused(coaching: Path) -> None:
    from mio_core.cli import main

    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(coaching.parent, ["anna.lundin@linkoping.example,A,05/03/2024,1,2,3"])

    result = CliRunner().invoke(
        main,
        ["import", str(coaching), str(export), "--mapping", "small", "--instrument", "x"],
    )

    assert result.exit_code == 1 and "leave out" in result.output


def test_mio_import_mapping_dry_run_writes_nothing(coaching: Path) -> None:
    from mio_core.cli import main

    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(coaching.parent, ["anna.lundin@linkoping.example,A,05/03/2024,1,2,3"])
    before = snapshot(coaching)

    result = CliRunner().invoke(
        main, ["import", str(coaching), str(export), "--mapping", "small", "--dry-run"]
    )

    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    assert snapshot(coaching) == before


def test_mio_importers_lists_the_readers_as_json() -> None:
    from mio_core.cli import main

    result = CliRunner().invoke(main, ["importers", "--format", "json"])

    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["csv"]["suffixes"] == [".csv", ".txt"]
    assert set(rows["csv"]) == {"name", "title", "suffixes", "description"}


def test_erasing_a_participant_removes_their_tokens_and_keeps_the_other_lines(
    coaching: Path,
) -> None:
    write(coaching / "imports/tokens.csv", "token,participant\r\nabc,p01\r\nx7Kq2 , p03\r\n")

    report = m.erase_participant(coaching, "p03")

    assert (coaching / "imports/tokens.csv").read_bytes() == b"token,participant\r\nabc,p01\r\n"
    assert "imports/tokens.csv" in report.files


def test_duplicate_header_texts_are_told_apart_by_the_tools_keys(
    coaching: Path, registry: m.Registry
) -> None:
    table = ImportedTable(
        header=["Email", "Hur väl?", "Hur väl?"],
        keys=["RecipientEmail", "Q1", "Q2"],
        rows=[["anna.lundin@linkoping.example", "1", "5"]],
    )
    instrument = registry.instrument("mio-coaching")
    mapping = ImportMapping(
        instrument="mio-coaching",
        occasion="post",
        respondent=RespondentColumn(key="RecipientEmail", match="email"),
        items={"rel1": ColumnRef(key="Q2"), "rel2": ColumnRef(key="Q1")},
    )

    mapped = apply_mapping(mapping, table, "q.csv", instrument, "post", m.load_workspace(coaching))

    assert mapped.problems == ()
    assert mapped.mapping.columns == {1: "respondent", 2: "rel2", 3: "rel1"}
    assert mapped.table.rows == (("p01", "1", "5"),)


def test_a_row_of_an_unknown_respondent_still_has_its_labels_checked(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(coaching.parent, ["nobody@example.org,N,05/03/2024,Kanske,2,3"])

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    assert sorted(p.code for p in raised.value.problems) == ["unknown-label", "unknown-respondent"]


def test_erasing_a_participant_from_a_token_list_saved_by_excel_keeps_its_other_bytes(
    coaching: Path,
) -> None:
    (coaching / "imports").mkdir(exist_ok=True)
    (coaching / "imports/tokens.csv").write_bytes(b"token,participant\r\nx\xe5,p01\r\nabc,p03\r\n")

    m.erase_participant(coaching, "p03")

    assert (coaching / "imports/tokens.csv").read_bytes() == b"token,participant\r\nx\xe5,p01\r\n"


def test_a_token_list_saved_by_excel_is_a_warning_not_a_crash(coaching: Path) -> None:
    (coaching / "imports").mkdir(exist_ok=True)
    (coaching / "imports/tokens.csv").write_bytes(b"token,participant\r\nx\xe5,p01\r\n")

    problems = m.validate_workspace(coaching)

    assert [(p.file, p.code, str(p.severity)) for p in problems] == [
        ("imports/tokens.csv", "not-utf8", "warning")
    ]


def test_a_folder_named_like_a_mapping_is_named_a_folder(coaching: Path) -> None:
    (coaching / "imports/small.yaml").mkdir()

    problems = m.validate_workspace(coaching)

    assert [(p.file, p.code) for p in problems] == [("imports/small.yaml", "unreadable")]
    assert "is a folder, not a file" in problems[0].message


def test_a_name_in_a_respondent_column_matched_by_email_asks_whether_it_is_the_column(
    coaching: Path, registry: m.Registry
) -> None:
    write(coaching / "imports/small.yaml", mapping_yaml())
    export = small_export(coaching.parent, ["Anna Lundin,A,05/03/2024,1,2,3"])

    with pytest.raises(m.WorkspaceError) as raised:
        import_mapped(coaching, export, "small", registry)

    [problem] = raised.value.problems
    assert problem.code == "unknown-respondent"
    assert problem.message == (
        "'Anna Lundin' is not an e-mail address: is the mapping's respondent the column with "
        "the addresses?"
    )
