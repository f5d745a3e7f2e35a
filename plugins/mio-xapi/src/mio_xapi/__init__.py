"""mio-xapi: the workspace's learning records as xAPI 1.0.3 statements (JSON lines)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

import attrs

import mio_core as m
from mio_core.model import Text, Translations
from mio_core.textsafety import show_controls

__version__ = "0.1.0"

ADL = "http://adlnet.gov/expapi"
VERBS = {
    "attended": {"en-US": "attended", "sv-SE": "deltog i"},
    "completed": {"en-US": "completed", "sv-SE": "slutförde"},
    "answered": {"en-US": "answered", "sv-SE": "besvarade"},
}


@attrs.frozen
class XapiOptions:
    """Options of the xAPI export."""

    #: The home page of the system where the participants' accounts live (an IRL).
    home_page: str = "https://mio-core.example"


def _time(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _language_map(text: Text | None, fallback: str) -> dict[str, str]:
    if text is None:
        return {}
    if isinstance(text, str):
        return {fallback: text}
    return dict(text)


def _in_languages(texts: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """Keep the texts in the workspace's languages (``sv-SE`` counts as ``sv``), so an
    English-only workspace gets no Swedish; English when none of them is there."""
    kept = {tag: text for tag, text in texts.items() if tag.split("-")[0] in languages}
    if kept:
        return kept
    return {tag: text for tag, text in texts.items() if tag.split("-")[0] == "en"} or texts


class _Statements:
    def __init__(self, source: m.ExportSource, options: XapiOptions) -> None:
        self.source = source
        self.home = options.home_page.rstrip("/")
        self.base = f"{self.home}/xapi"
        workspace = source.workspace
        self.concept = workspace.concept
        self.languages = tuple(workspace.manifest.languages) or (source.language,)
        self.concept_iri = f"{self.base}/concepts/{quote(self.concept.id)}"
        self.names = {p.id: p.name for p in workspace.participants}
        self.names.update({c.id: c.name for c in workspace.coaches})

    def actor(self, person: str) -> dict[str, Any]:
        agent: dict[str, Any] = {
            "objectType": "Agent",
            "account": {"homePage": self.home, "name": person},
        }
        if self.source.identified and person in self.names:
            agent["name"] = self.names[person]
        return agent

    def cohort_iri(self, cohort: str) -> str:
        return f"{self.concept_iri}/cohorts/{quote(cohort)}"

    def statement(
        self,
        person: str,
        verb: str,
        activity: str,
        activity_type: str,
        name: Text | None,
        cohort: str | None,
        timestamp: str,
        result: dict[str, Any] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        verb_id = f"{ADL}/verbs/{verb}"
        statement: dict[str, Any] = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{activity}|{verb_id}|{person}|{timestamp}")),
            "actor": self.actor(person),
            "verb": {"id": verb_id, "display": _in_languages(VERBS[verb], self.languages)},
            "object": {
                "objectType": "Activity",
                "id": activity,
                "definition": {
                    "type": f"{ADL}/activities/{activity_type}",
                    **(
                        {
                            "name": _in_languages(
                                _language_map(name, self.source.language), self.languages
                            )
                        }
                        if name
                        else {}
                    ),
                },
            },
            "timestamp": timestamp,
            "version": "1.0.3",
        }
        context: dict[str, Any] = {
            "language": self.source.language,
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": self.concept_iri}]},
        }
        if cohort is not None:
            context["registration"] = str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"{self.cohort_iri(cohort)}|{person}")
            )
            context["contextActivities"]["parent"] = [
                {"objectType": "Activity", "id": self.cohort_iri(cohort)}
            ]
        if extensions:
            context["extensions"] = extensions
        statement["context"] = context
        if result is not None:
            statement["result"] = result
        return statement

    def __iter__(self) -> Iterator[dict[str, Any]]:
        workspace = self.source.workspace
        modules = {module.id: module for module in self.concept.modules}
        for cohort in workspace.cohorts:
            for session in cohort.sessions:
                module = modules.get(session.module)
                title = module.title if module else session.module
                session_iri = (
                    f"{self.cohort_iri(cohort.id)}/sessions/{quote(session.module)}-"
                    f"{session.date.isoformat()}"
                )
                module_iri = f"{self.concept_iri}/modules/{quote(session.module)}"
                for person in session.attended:
                    when = _time(session.date)
                    yield self.statement(
                        person, "attended", session_iri, "meeting", title, cohort.id, when
                    )
                    yield self.statement(
                        person,
                        "completed",
                        module_iri,
                        "module",
                        title,
                        cohort.id,
                        when,
                        result={"completion": True},
                    )
        for engagement in workspace.engagements:
            for number, meeting in enumerate(engagement.sessions, start=1):
                yield self.statement(
                    engagement.participant,
                    "attended",
                    f"{self.concept_iri}/coaching/{quote(engagement.id)}/sessions/{number}",
                    "meeting",
                    Translations({"en": "Coaching session", "sv": "Coachningssamtal"}),
                    engagement.cohort,
                    _time(meeting.date),
                    result={"completion": True, "duration": f"PT{meeting.minutes}M"},
                    extensions={f"{self.base}/extensions/mode": meeting.mode.value},
                )
        cohort_of: dict[str, str] = {}
        for cohort in workspace.cohorts:
            for person in cohort.participants:
                cohort_of.setdefault(person, cohort.id)
        instruments = self.source.instruments()
        for response in workspace.responses:
            instrument = instruments.get(response.instrument)
            cohort_id = cohort_of.get(response.respondent)
            date = response.date or next(
                (c.end for c in workspace.cohorts if c.id == cohort_id), None
            )
            if date is None:
                continue
            yield self.statement(
                response.respondent,
                "answered",
                f"{self.base}/instruments/{quote(response.instrument)}",
                "assessment",
                instrument.title if instrument else response.instrument,
                cohort_id,
                _time(date),
                result={"completion": True},
                extensions={f"{self.base}/extensions/occasion": response.occasion},
            )


def write_statements(source: m.ExportSource, stream: IO[str], options: XapiOptions | None) -> None:
    """Write one xAPI statement per line."""
    for statement in _Statements(source, options or XapiOptions()):
        # Bidi overrides and line separators as \u escapes: the same JSON value, shown.
        stream.write(
            show_controls(json.dumps(statement, ensure_ascii=False, separators=(",", ":")))
        )
        stream.write("\n")


XAPI = m.Exporter(
    name="xapi",
    title="xAPI 1.0.3 statements (JSON lines)",
    suffix=".jsonl",
    media_type="application/x-ndjson",
    write=write_statements,
    options_type=XapiOptions,
    description="attendance, module completion, coaching sessions and answered instruments, "
    "with ADL verbs and pseudonymous account actors",
)


@m.hookimpl
def mio_register_exporters() -> list[m.Exporter]:
    return [XAPI]
