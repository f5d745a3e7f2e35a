"""What a validation rule is given besides the workspace: look-ups and a way to point."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..model import Instrument, Location, Workspace
from ..plugins.interfaces import Lifecycle
from ..plugins.registry import Registry
from ..problems import Problem, Severity


@attrs.frozen(kw_only=True)
class RuleContext:
    """Look-ups shared by all rules of one validation run.

    ``instruments`` holds the plugins' instruments and the workspace's own, by id.
    ``broken`` holds (kind, id) of entities present in the files but unreadable: a
    reference to one of them is not reported again.
    """

    workspace: Workspace
    registry: Registry
    instruments: Mapping[str, Instrument]
    broken: frozenset[tuple[str, str]] = frozenset()

    def location(self, kind: str, entity_id: str) -> Location | None:
        """Return the file and path an entity was loaded from, or None."""
        origin = self.workspace.origin
        return origin.locations.get((kind, entity_id)) if origin else None

    def lifecycle(self) -> Lifecycle | None:
        """Return the lifecycle model the concept names, or None if no plugin gives it."""
        return self.registry.lifecycles.get(self.workspace.concept.lifecycle)

    def problem(
        self,
        kind: str,
        entity_id: str,
        path: tuple[str | int, ...],
        code: str,
        message: str,
        *,
        severity: Severity | str = Severity.ERROR,
        ref: tuple[str, str] | None = None,
    ) -> Problem:
        """Return a problem about a field of an entity, pointing at its file and line.

        ``kind`` is one of organisation, participant, coach, facilitator, cohort,
        engagement, project, instrument, concept, manifest or response (whose id is
        ``instrument|occasion|respondent``); ``path`` is the field inside the entity, e.g.
        ``("sessions", 0, "module")``. ``ref`` marks a reference to (kind, id).
        """
        location = self.location(kind, entity_id)
        if kind == "concept" and location is None and self.workspace.origin:
            location = Location(file="concept.yaml")
        if kind == "manifest":
            location = Location(file="mio.yaml")
        line = column = None
        file = None
        full_path = path
        if location is not None:
            file = location.file
            if location.line is not None:
                line = location.line
                full_path = path  # a CSV row: the path names the column
            else:
                full_path = location.path + path
        return Problem(
            file=file,
            line=line,
            column=column,
            path=full_path,
            code=code,
            message=message,
            severity=Severity(severity),
            ref=ref,
        )
