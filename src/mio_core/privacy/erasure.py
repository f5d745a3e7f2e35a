"""Erasure: remove a participant, and everything that identifies them, from a workspace."""

from __future__ import annotations

import os
import secrets

import attrs

from ..io import layout
from ..io.layout import responses_file
from ..io.lock import holding_workspace_lock
from ..io.workspace import load_workspace, save_workspace
from ..model import Workspace
from ..problems import MioError


@attrs.frozen(kw_only=True)
class ErasureReport:
    """What an erasure changed: one line per change, counts, and the files written."""

    changes: tuple[str, ...]
    counts: dict[str, int]
    files: tuple[str, ...]


def erase(workspace: Workspace, person: str) -> tuple[Workspace, ErasureReport]:
    """Return ``workspace`` without the participant ``person``, and what was changed.

    The people entry, their attendance and cohort membership, their coaching engagements,
    and every answer they gave are removed; their innovation projects stay (the work is the
    organisation's) but lose their owner and unit. Raises :class:`MioError` for an id that
    is not a participant.
    """
    found = [p for p in workspace.participants if p.id == person]
    if not found:
        kinds = {
            **{c.id: "coach" for c in workspace.coaches},
            **{f.id: "facilitator" for f in workspace.facilitators},
        }
        if person in kinds:
            raise MioError(
                f"{person!r} is a {kinds[person]}; erase participants with this command, and "
                f"remove a {kinds[person]} by editing people.yaml and the files that name them"
            )
        raise MioError(f"no participant {person!r} in the workspace")
    origin = workspace.origin

    def where(kind: str, entity: str, default: str) -> str:
        location = origin.locations.get((kind, entity)) if origin else None
        return location.file if location else default

    changes = [f"{where('participant', person, layout.PEOPLE)}: removed the participant {person}"]
    cohorts = []
    registers = 0
    for cohort in workspace.cohorts:
        if (
            person not in cohort.participants
            and person not in cohort.joined
            and person not in cohort.left
            and not any(person in s.attended for s in cohort.sessions)
        ):
            cohorts.append(cohort)
            continue
        sessions = []
        in_cohort = 0
        for session in cohort.sessions:
            if person in session.attended:
                in_cohort += 1
                session = attrs.evolve(
                    session, attended=tuple(p for p in session.attended if p != person)
                )
            sessions.append(session)
        cohorts.append(
            attrs.evolve(
                cohort,
                participants=tuple(p for p in cohort.participants if p != person),
                joined={p: day for p, day in cohort.joined.items() if p != person},
                left={p: day for p, day in cohort.left.items() if p != person},
                sessions=tuple(sessions),
            )
        )
        file = where("cohort", cohort.id, layout.of_kind("cohort").default_file(cohort))
        changes.append(
            f"{file}: removed from the cohort {cohort.id} and from {in_cohort} attendance registers"
        )
        registers += in_cohort
    engagements = []
    removed_engagements = 0
    for engagement in workspace.engagements:
        if engagement.participant == person:
            removed_engagements += 1
            file = where("engagement", engagement.id, "coaching/")
            held, goals = len(engagement.sessions), len(engagement.goals)
            changes.append(
                f"{file}: removed the coaching engagement {engagement.id} ({held} sessions, "
                f"{goals} goals)"
            )
        else:
            engagements.append(engagement)
    projects = []
    anonymised = 0
    for project in workspace.projects:
        if project.owner == person:
            anonymised += 1
            file = where("project", project.id, "projects/")
            # An id made from the person's id (p03-project) would still point at them.
            new_id = f"project-{secrets.token_hex(4)}" if person in project.id else project.id
            renamed = f", renamed {new_id}" if new_id != project.id else ""
            changes.append(
                f"{file}: the project {project.id} is kept without its owner and unit{renamed}; "
                "check that its title and texts do not name the person"
            )
            project = attrs.evolve(project, id=new_id, owner=None, unit=None)
        projects.append(project)
    responses = []
    removed_responses: dict[str, int] = {}
    for response in workspace.responses:
        if response.respondent == person:
            file = responses_file(response.instrument, response.occasion)
            removed_responses[file] = removed_responses.get(file, 0) + 1
        else:
            responses.append(response)
    for file, count in sorted(removed_responses.items()):
        changes.append(f"{file}: removed {count} response{'s' * (count != 1)}")
    erased = attrs.evolve(
        workspace,
        participants=tuple(p for p in workspace.participants if p.id != person),
        cohorts=tuple(cohorts),
        engagements=tuple(engagements),
        projects=tuple(projects),
        responses=tuple(responses),
    )
    counts = {
        "participants": 1,
        "attendance_registers": registers,
        "coaching_engagements": removed_engagements,
        "projects_anonymised": anonymised,
        "responses": sum(removed_responses.values()),
    }
    return erased, ErasureReport(changes=tuple(changes), counts=counts, files=())


@holding_workspace_lock("erase")
def erase_participant(path: str | os.PathLike[str], person: str) -> ErasureReport:
    """Erase the participant ``person`` from the workspace at ``path`` and save it.

    Only the files that held the person change, and in them only the person's entries and
    lines (see :func:`~mio_core.save_workspace`); each is replaced atomically. The report's
    ``files`` are exactly the files changed, and every one of them is named in ``changes``.
    The audit log records the counts, not the id.
    """
    workspace = load_workspace(path)
    erased, report = erase(workspace, person)
    # The token list of survey imports links a token to the person: their lines go too,
    # first, so that a failure after it leaves the person in people.yaml to erase again.
    from ..importing.mapping import TOKENS_FILE, forget_tokens

    tokens = forget_tokens(path, person)
    files = save_workspace(erased, path, command="erase", counts=report.counts)
    from ..io.cache import clear_cache

    clear_cache(path)  # it holds copies of the erased person's entries and answers
    named = {change.split(": ", 1)[0] for change in report.changes}
    # A file changed that no change names (say, written whole after a failed in-place
    # edit) is still listed, so the printed changes and the count agree.
    extra = tuple(f"{file}: rewritten" for file in files if file not in named)
    if tokens:
        extra += (f"{TOKENS_FILE}: removed the participant's access tokens",)
        files = [*files, TOKENS_FILE]
    return attrs.evolve(report, changes=report.changes + extra, files=tuple(files))
