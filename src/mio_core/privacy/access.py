"""Access: everything a workspace holds about one person, for a request under GDPR Art. 15."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from ..io.converter import unstructure
from ..io.jsonio import dumps
from ..io.layout import IMPORTS, PEOPLE, entity_file, responses_file
from ..io.workspace import load_workspace, response_key
from ..model import Participant, Workspace, retention_end, text_in
from ..problems import MioError

#: the survey tool's access tokens (docs/importing.md#tokens): personal data like people.yaml
TOKENS_FILE = f"{IMPORTS}/tokens.csv"

__all__ = ["access_report", "write_access_report"]

#: The version of the access report's layout.
REPORT_VERSION = 1


def _workspace(workspace_or_dir: Workspace | str | os.PathLike[str]) -> Workspace:
    if isinstance(workspace_or_dir, Workspace):
        return workspace_or_dir
    return load_workspace(workspace_or_dir)


def access_report(
    workspace_or_dir: Workspace | str | os.PathLike[str], person: str
) -> dict[str, Any]:
    """Return everything the workspace holds about ``person`` (a participant's, coach's or
    facilitator's id) as plain values, each record with the file it came from.

    The report holds: the people entries (one per role), the cohorts they belong to with
    the attendance register of every session (and the sessions they led), their coaching
    engagements as coachee and as coach (goals, sessions and notes), the projects they own,
    every answer they gave, their survey access tokens (``imports/tokens.csv``), and
    the workspace's legal basis and retention. Raises
    :class:`MioError` for an id that is no person in the workspace.
    """
    workspace = _workspace(workspace_or_dir)
    origin = workspace.origin

    def source(kind: str, entity_id: str, default: str) -> dict[str, Any]:
        location = origin.locations.get((kind, entity_id)) if origin else None
        if location is None:
            return {"file": default}
        found: dict[str, Any] = {"file": location.file}
        if location.path:
            found["path"] = list(location.path)
        if location.line is not None:
            found["line"] = location.line
        return found

    people = [
        {
            "role": role,
            "source": source(role, entry.id, PEOPLE),
            "entry": unstructure(entry),
            # Said outright: the entry leaves research_consent out when it is the default.
            **(
                {"in_research_exports": entry.research_consent}
                if isinstance(entry, Participant)
                else {}
            ),
        }
        for role, entries in (
            ("participant", workspace.participants),
            ("coach", workspace.coaches),
            ("facilitator", workspace.facilitators),
        )
        for entry in entries
        if entry.id == person
    ]
    if not people:
        raise MioError(
            f"no participant, coach or facilitator {person!r} in the workspace; "
            "give the id people.yaml uses"
        )

    cohorts = []
    for cohort in workspace.cohorts:
        roles = [
            role
            for role, members in (("participant", cohort.participants), ("coach", cohort.coaches))
            if person in members
        ]
        sessions = []
        for session in cohort.sessions:
            led = person in session.facilitators
            attended = person in session.attended
            if not (roles or led or attended):
                continue
            record: dict[str, Any] = {"module": session.module, "date": session.date}
            if session.place is not None:
                record["place"] = session.place
            if not session.held:  # planned or cancelled: nobody could attend it yet
                record["status"] = session.status.value
            elif "participant" in roles or attended:
                record["attended"] = attended
            if led:
                record["facilitated"] = True
            sessions.append(record)
        if roles or sessions:
            cohorts.append(
                {
                    "cohort": cohort.id,
                    "title": text_in(cohort.title, workspace.manifest.language) or None,
                    "roles": roles,
                    **{
                        field: dates[person]
                        for field, dates in (("joined", cohort.joined), ("left", cohort.left))
                        if person in dates
                    },
                    "source": source("cohort", cohort.id, entity_file("cohorts", cohort.id)),
                    "sessions": sessions,
                }
            )

    coaching = [
        {
            "role": "coachee" if engagement.participant == person else "coach",
            "source": source("engagement", engagement.id, "coaching/"),
            "engagement": unstructure(engagement),
        }
        for engagement in workspace.engagements
        if person in (engagement.participant, engagement.coach)
    ]
    projects = [
        {"source": source("project", project.id, "projects/"), "project": unstructure(project)}
        for project in workspace.projects
        if project.owner == person
    ]
    responses = [
        {
            "instrument": response.instrument,
            "occasion": response.occasion,
            "date": response.date,
            "answers": dict(response.answers),
            "source": source(
                "response",
                response_key(response),
                responses_file(response.instrument, response.occasion),
            ),
        }
        for response in workspace.responses
        if response.respondent == person
    ]
    tokens = [
        {"token": token, "source": {"file": TOKENS_FILE}}
        for token, owner in _tokens(origin.root if origin else None).items()
        if owner == person
    ]
    privacy = workspace.manifest.privacy
    ends = [c.end for c in workspace.cohorts]
    keep_until = (
        retention_end(privacy.retention, max(ends) if ends else None) if privacy.retention else None
    )
    return {
        "mio_core_access_report": REPORT_VERSION,
        "person": person,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "workspace": {
            "title": text_in(workspace.manifest.title, workspace.manifest.language),
            "legal_basis": privacy.legal_basis.value if privacy.legal_basis else None,
            "legal_basis_article": privacy.legal_basis.article if privacy.legal_basis else None,
            "retention": privacy.retention,
            "retained_until": keep_until,
        },
        "people": people,
        "cohorts": cohorts,
        "coaching": coaching,
        "projects": projects,
        "responses": responses,
        "tokens": tokens,
        "counts": {
            "cohorts": len(cohorts),
            "coaching_engagements": len(coaching),
            "projects": len(projects),
            "responses": len(responses),
        },
    }


def _tokens(root: str | os.PathLike[str] | None) -> dict[str, str]:
    """The workspace's survey access tokens (token → participant); none without a list."""
    from ..importing.mapping import read_tokens

    if root is None or not (Path(root) / TOKENS_FILE).is_file():
        return {}
    return read_tokens(root)[0]


def write_access_report(
    workspace_or_dir: Workspace | str | os.PathLike[str],
    person: str,
    out: str | os.PathLike[str],
    *,
    force: bool = False,
) -> Path:
    """Write :func:`access_report` as JSON to ``out`` and return the path.

    The file appears whole or not at all, readable by its owner only (it is personal
    data). A path inside the workspace is refused, and so is an existing file unless
    ``force`` is given and the file is an earlier access report. When the workspace is a folder the
    audit log records that an access report was written, with counts but not the person
    or the file.
    """
    target = Path(out)
    root = (
        workspace_or_dir
        if not isinstance(workspace_or_dir, Workspace)
        else (workspace_or_dir.origin.root if workspace_or_dir.origin else None)
    )
    if root is not None and _inside(target, Path(root)):
        raise MioError(
            f"{target} is inside the workspace {root}; an access report is personal data "
            "for one request: write it outside the workspace"
        )
    if target.is_dir():
        raise MioError(f"{target} is a folder; give a file name for the access report")
    if target.exists() and not force:
        raise MioError(_exists(target))
    if target.exists() and not _is_access_report(target):
        raise MioError(
            f"{target} exists and is not an access report mio wrote; --force replaces only "
            "such a report: give another file"
        )
    report = access_report(workspace_or_dir, person)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(dumps(report) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)  # fails if the file appeared meanwhile: no clobber
            except FileExistsError:
                raise MioError(_exists(target)) from None
            except OSError:  # a file system without hard links
                if target.exists():
                    raise MioError(_exists(target)) from None
                os.replace(temporary, target)
            else:
                os.unlink(temporary)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if root is not None:
        from .audit import record

        record(root, "access", (), report["counts"])
    return target


def _exists(target: Path) -> str:
    return f"{target} exists; give another file or --force (Python: force=True) to replace it"


def _inside(target: Path, root: Path) -> bool:
    real, workspace = target.resolve(), root.resolve()
    return real == workspace or workspace in real.parents


def _is_access_report(path: Path) -> bool:
    """Whether ``path`` starts as :func:`write_access_report` writes (an empty file too)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(256)
    except OSError:
        return False
    return not head or head.startswith(b'{\n  "mio_core_access_report": ')
