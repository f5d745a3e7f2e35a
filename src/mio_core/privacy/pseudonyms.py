"""Pseudonymisation: stable keyed pseudonyms for people, and a workspace without identities.

A pseudonym is HMAC-SHA256 of the person's id under a secret key, so the same person gets
the same pseudonym in every export made with the same key, and nobody without the key can
link a pseudonym back to an id (GDPR Art. 4(5): pseudonymised data are still personal data;
the key is what must be kept apart). The key is created on first use in the workspace's
``.mio/pseudonym.key`` (readable by the owner only, and ignored by git through
``.mio/.gitignore``), or taken from ``MIO_PSEUDONYM_KEY_FILE`` or an explicit path.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import attrs

from ..io.atomic import atomic_write
from ..io.lock import workspace_lock
from ..model import (
    Coach,
    CoachingEngagement,
    Facilitator,
    Instrument,
    ItemKind,
    Participant,
    Workspace,
)
from ..model.common import replace_unchecked
from ..problems import MioError

Person = TypeVar("Person", Participant, Coach, Facilitator)

KEY_FOLDER = ".mio"
KEY_FILE = "pseudonym.key"
KEY_BYTES = 32


def key_path(workspace_root: str | os.PathLike[str]) -> Path:
    """Return where the pseudonymisation key of a workspace is kept."""
    override = os.environ.get("MIO_PSEUDONYM_KEY_FILE")
    return Path(override) if override else Path(workspace_root) / KEY_FOLDER / KEY_FILE


def refuse_new_key_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> None:
    """Raise :class:`MioError` when a key that does not exist yet would be created at
    ``path`` inside the workspace at ``root``: a team keeps the workspace in version control,
    and the key would be committed with the data it unlocks. The workspace's own
    ``.mio/pseudonym.key`` is the exception (``.mio/.gitignore`` keeps it out)."""
    path = Path(path)
    if os.path.lexists(path):
        return
    real, workspace = path.resolve(), Path(root).resolve()
    if real == workspace / KEY_FOLDER / KEY_FILE or workspace not in real.parents:
        return
    raise MioError(
        f"{path} is inside the workspace {root}: a new pseudonymisation key there would be "
        "committed to version control with the workspace; give a path outside it, or no key "
        f"file to use {KEY_FOLDER}/{KEY_FILE}, which git is told to ignore"
    )


def load_or_create_key(path: str | os.PathLike[str]) -> bytes:
    """Return the key in ``path``, creating a random one (owner-only) if there is none."""
    path = Path(path)
    if not path.exists() and path.parent.name == KEY_FOLDER:
        # Two first exports at once must not each create a key and lose one of them.
        with workspace_lock(path.parent.parent, "create-pseudonym-key"):
            return _load_or_create_key(path)
    return _load_or_create_key(path)


def _load_or_create_key(path: Path) -> bytes:
    if path.exists():
        try:
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except ValueError:  # also a UnicodeDecodeError: raw bytes, not hex digits
            raise MioError(f"{path} is not a pseudonymisation key (64 hex digits)") from None
        except OSError as error:
            raise MioError(
                f"{path}: cannot read the pseudonymisation key: {error.strerror}"
            ) from None
        if len(key) < 16:
            raise MioError(f"{path} holds a key of {len(key)} bytes; at least 16 are needed")
        return key
    ignore = path.parent / ".gitignore"
    if path.parent.name == KEY_FOLDER and not ignore.exists():
        from .audit import GIT_FILES

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(ignore, GIT_FILES[".gitignore"])  # first: the key is never there unignored
    key = secrets.token_bytes(KEY_BYTES)
    atomic_write(path, key.hex() + "\n")
    os.chmod(path, 0o600)
    if path.parent.name == KEY_FOLDER:
        from .audit import record

        record(path.parent.parent, "create-pseudonym-key", [f"{KEY_FOLDER}/{KEY_FILE}"])
    return key


#: The pseudonym's prefix says what it stands for.
PREFIXES = {
    "participant": "p",
    "coach": "c",
    "facilitator": "f",
    "engagement": "ce",
    "project": "ip",
}


@attrs.frozen
class Pseudonymiser:
    """Turns people's ids into stable keyed pseudonyms such as ``p-3f9c2a71d0e4``."""

    key: bytes = attrs.field(repr=False)

    def __call__(self, kind: str, person_id: str) -> str:
        """Return the pseudonym of ``person_id`` of ``kind`` (participant, coach, ...)."""
        digest = hmac.new(self.key, f"{kind}:{person_id}".encode(), hashlib.sha256).hexdigest()
        return f"{PREFIXES.get(kind, kind[:2])}-{digest[:12]}"


def pseudonymise(workspace: Workspace, pseudonym: Pseudonymiser) -> Workspace:
    """Return the workspace with every person replaced by a pseudonym and identities removed.

    Participants', coaches' and facilitators' ids become pseudonyms everywhere they are
    used, and so do the ids of coaching engagements and projects (teams often name them
    after the person); names become the pseudonym; emails and units are removed; the free
    texts of coaching (needs, topics, actions, goal texts) are removed, since they describe
    one person. Organisations, cohorts, modules, projects' descriptions and answers stay.
    """
    ids: dict[str, str] = {}
    for kind, people in (
        ("participant", workspace.participants),
        ("coach", workspace.coaches),
        ("facilitator", workspace.facilitators),
    ):
        for person in people:
            ids[person.id] = pseudonym(kind, person.id)

    def new(person_id: str) -> str:
        return ids.get(person_id, person_id)

    # Every record is copied with replace_unchecked, not attrs.evolve: a national workspace
    # has hundreds of thousands of them, and each new value is valid without checking. A
    # pseudonym is a slug ("p-" and 12 hex digits), so it is a valid id and a non-empty name;
    # new() gives a pseudonym or the id that was there (already checked); None is what an
    # optional field may hold, () an empty list of texts, a goal's id a non-empty text; the
    # tuples are tuples, as the converters would make them. Checks between fields (a
    # session's end after its start) concern fields left as they were.
    # tests/privacy/test_pseudonymise_fast.py holds the result to the same rule by evolve.
    copy = replace_unchecked

    def anonymous(person: Person) -> Person:
        return copy(person, id=new(person.id), name=new(person.id), email=None)

    def engagement(e: CoachingEngagement) -> CoachingEngagement:
        return copy(
            e,
            id=pseudonym("engagement", e.id),
            participant=new(e.participant),
            coach=new(e.coach),
            manager_needs=None,
            organisation_needs=None,
            goals=tuple(copy(g, text=g.id) for g in e.goals),
            sessions=tuple(copy(s, topics=(), actions=()) for s in e.sessions),
        )

    return attrs.evolve(
        workspace,
        participants=tuple(
            copy(p, id=new(p.id), name=new(p.id), email=None, unit=None)
            for p in workspace.participants
        ),
        coaches=tuple(anonymous(c) for c in workspace.coaches),
        facilitators=tuple(anonymous(f) for f in workspace.facilitators),
        cohorts=tuple(
            copy(
                c,
                participants=tuple(map(new, c.participants)),
                # replace_unchecked runs no converter: read-only, as Cohort makes them
                joined=MappingProxyType({new(p): day for p, day in c.joined.items()}),
                left=MappingProxyType({new(p): day for p, day in c.left.items()}),
                coaches=tuple(map(new, c.coaches)),
                sessions=tuple(
                    copy(
                        s,
                        facilitators=tuple(map(new, s.facilitators)),
                        attended=tuple(map(new, s.attended)),
                    )
                    for s in c.sessions
                ),
            )
            for c in workspace.cohorts
        ),
        engagements=tuple(engagement(e) for e in workspace.engagements),
        projects=tuple(
            copy(
                p,
                id=pseudonym("project", p.id),
                owner=None if p.owner is None else new(p.owner),
                unit=None,
            )
            for p in workspace.projects
        ),
        responses=tuple(copy(r, respondent=new(r.respondent)) for r in workspace.responses),
        origin=None,
    )


def without_research_refusals(workspace: Workspace) -> Workspace:
    """Return the workspace without the participants whose ``research_consent`` is false.

    Everything about them goes too, so that nothing a research export holds derives from
    them: their people entry, cohort memberships (with the days they joined or left) and
    attendance, coaching engagements (as
    coachee), the projects they own, and every answer they gave. The programme's own
    evaluation (``mio evaluate``) and identified exports use the whole workspace instead.
    """
    refused = {p.id for p in workspace.participants if not p.research_consent}
    if not refused:
        return workspace
    return attrs.evolve(
        workspace,
        participants=tuple(p for p in workspace.participants if p.id not in refused),
        cohorts=tuple(
            attrs.evolve(
                c,
                participants=tuple(p for p in c.participants if p not in refused),
                joined={p: day for p, day in c.joined.items() if p not in refused},
                left={p: day for p, day in c.left.items() if p not in refused},
                sessions=tuple(
                    attrs.evolve(s, attended=tuple(p for p in s.attended if p not in refused))
                    for s in c.sessions
                ),
            )
            for c in workspace.cohorts
        ),
        engagements=tuple(e for e in workspace.engagements if e.participant not in refused),
        projects=tuple(p for p in workspace.projects if p.owner not in refused),
        responses=tuple(r for r in workspace.responses if r.respondent not in refused),
    )


#: What a required free text becomes in a research export without ``with_text``.
WITHHELD = "[withheld]"


def without_free_text(workspace: Workspace) -> Workspace:
    """Return the workspace without the free texts people typed about people and units.

    A project's title becomes its id (pseudonymised first, so it names no one), its
    challenge and outcomes' descriptions become ``[withheld]``, and its idea, stage notes,
    outcomes' evidence and unit are removed; participants' units too. Coaching texts are
    removed by :func:`pseudonymise` already. The concept's, instruments', cohorts' and
    organisations' texts are the programme's own and stay.
    """
    # Copied unchecked, as in pseudonymise: an id is a non-empty text, so is WITHHELD, and
    # None is what these optional fields may hold (tests/privacy/test_pseudonymise_fast.py).
    copy = replace_unchecked
    return attrs.evolve(
        workspace,
        participants=tuple(copy(p, unit=None) for p in workspace.participants),
        projects=tuple(
            copy(
                p,
                title=p.id,
                challenge=WITHHELD,
                idea=None,
                unit=None,
                history=tuple(copy(h, note=None) for h in p.history),
                outcomes=tuple(copy(o, description=WITHHELD, evidence=None) for o in p.outcomes),
            )
            for p in workspace.projects
        ),
    )


def without_text_answers(workspace: Workspace, instruments: Mapping[str, Instrument]) -> Workspace:
    """Return the workspace without the answers to text items (free text a respondent
    typed); ``instruments`` says which items are text items (all of them, by id: the
    plugins' and the workspace's own, as :meth:`Registry.instruments_for` gives them).

    Choice answers are codes of the instrument's options and stay.
    """
    text_items = {
        instrument.id: {item.id for item in instrument.items if item.kind is ItemKind.TEXT}
        for instrument in instruments.values()
    }
    if not any(text_items.values()):
        return workspace
    kept = []
    for response in workspace.responses:
        drop = text_items.get(response.instrument)
        if drop and not drop.isdisjoint(response.answers):
            # unchecked, as in pseudonymise: fewer of the answers already checked, wrapped as
            # the converter would
            response = replace_unchecked(
                response,
                answers=MappingProxyType(
                    {k: v for k, v in response.answers.items() if k not in drop}
                ),
            )
        kept.append(response)
    return attrs.evolve(workspace, responses=tuple(kept))


__all__ = [
    "WITHHELD",
    "Pseudonymiser",
    "key_path",
    "load_or_create_key",
    "pseudonymise",
    "without_free_text",
    "without_research_refusals",
    "without_text_answers",
]
