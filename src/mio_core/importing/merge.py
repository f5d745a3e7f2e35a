"""Merging an import's responses into a responses file: rows already there keep their bytes.

New respondents are appended; one already there with the same answers is left alone, with
other answers it is a conflict (refused, or updated in place when asked). Replacing the
whole file counts the respondents it drops.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import attrs

from ..io import layout
from ..io.cells import CellError, parse_answer, parse_cell, parse_date
from ..io.responses import RawResponses, format_cell, render_row, split_rows, write_responses
from ..model import Response
from ..problems import Problem, WorkspaceError
from ..textsafety import one_line


@attrs.frozen(kw_only=True)
class CellChange:
    """One answer an import changes: the item (or ``date``), the text in the file and the new."""

    item: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class ImportConflict:
    """A respondent of the import who has other answers in the responses file already.

    ``line`` is the respondent's line in the imported file, ``existing_line`` in the
    responses file; ``cells`` are the answers that differ.
    """

    respondent: str
    line: int
    existing_line: int
    cells: tuple[CellChange, ...]

    def describe(self) -> str:
        """Return the differing cells as ``item old → new``, separated by commas, on one
        line: a text answer's line break is shown as ``\\u000a``."""
        return ", ".join(
            f"{c.item} {one_line(c.old) or '(empty)'} → {one_line(c.new) or '(empty)'}"
            for c in self.cells
        )


class Merge:
    """Merges an import's responses into the text of a responses file, counting as it goes."""

    def __init__(
        self,
        responses: list[Response],
        lines: dict[str, int],
        *,
        with_date: bool,
        update: bool,
        text_items: Iterable[str] = (),
    ) -> None:
        self.responses = responses
        self.lines = lines
        self.with_date = with_date
        self.update = update
        self.text_items = frozenset(text_items)
        self.items = list(dict.fromkeys(i for r in responses for i in r.answers))
        self.added = self.updated = self.unchanged = self.refused = self.dropped = 0
        self.conflicts: list[ImportConflict] = []
        self.added_columns: list[str] = []

    def _new_cells(self, response: Response) -> dict[str, str]:
        cells = {layout.RESPONDENT_COLUMN: response.respondent}
        if self.with_date:
            cells[layout.DATE_COLUMN] = response.date.isoformat() if response.date else ""
        for item in self.items:
            cells[item] = format_cell(response.answers.get(item))
        return cells

    def _conflict(
        self, response: Response, old: dict[str, str], columns: Iterable[str], line: int
    ) -> ImportConflict | None:
        new = self._new_cells(response)
        changes = [
            CellChange(item=column, old=old.get(column, "").strip(), new=new.get(column, ""))
            for column in columns
            if column != layout.RESPONDENT_COLUMN
            and not _same(old.get(column, ""), new.get(column, ""), column, self.text_items)
        ]
        if not changes:
            return None
        return ImportConflict(
            respondent=response.respondent,
            line=self.lines.get(response.respondent, 0),
            existing_line=line,
            cells=tuple(changes),
        )

    def _count(self, conflict: ImportConflict | None) -> None:
        if conflict is None:
            self.unchanged += 1
            return
        self.conflicts.append(conflict)
        if self.update:
            self.updated += 1
        else:
            self.refused += 1

    def add(self, existing: bytes | None, file: str) -> str | None:
        """Return the responses file with the import added (None: nothing to change)."""
        raw = _split(existing, file)
        if raw is None:
            self.added = len(self.responses)
            return _fresh(self.responses)
        columns = list(raw.columns)
        wanted = [*([layout.DATE_COLUMN] if self.with_date else []), *self.items]
        self.added_columns = [column for column in wanted if column not in columns]
        columns += self.added_columns
        newline = raw.newline
        pieces = [raw.bom + _extend(raw.header.text, self.added_columns)]
        rows: dict[str, int] = {}
        for row in raw.rows:
            if any(cell.strip() for cell in row.cells):
                rows.setdefault(row.cells[0].strip(), len(pieces))
                pieces.append(_extend(row.text, [""] * len(self.added_columns)))
            else:
                pieces.append(row.text)
        by_piece = {index: raw.rows[index - 1] for index in rows.values()}
        changed = False
        for response in self.responses:
            index = rows.get(response.respondent)
            new = self._new_cells(response)
            if index is None:
                self.added += 1
                pieces.append(render_row([new.get(c, "") for c in columns], newline))
                changed = True
                continue
            row = by_piece[index]
            old = dict(zip(raw.columns, row.cells, strict=False))
            conflict = self._conflict(response, old, new, row.line)
            self._count(conflict)
            if conflict is not None and self.update:
                cells = {**old, **new}
                ending = row.text[len(row.text.rstrip("\r\n")) :]
                pieces[index] = render_row([cells.get(c, "") for c in columns], ending)
                changed = True
        if not changed:
            return None
        for index in range(len(pieces) - 1):
            if not pieces[index].endswith(("\n", "\r")):
                pieces[index] += newline
        return "".join(pieces)

    def replace(self, existing: bytes | None, file: str) -> str | None:
        """Return the import as the whole responses file (None: the file is that already)."""
        text = _fresh(self.responses)
        raw = _split(existing, file)
        if raw is None:
            self.added = len(self.responses)
            return text
        old_rows = {
            row.cells[0].strip(): row for row in raw.rows if any(c.strip() for c in row.cells)
        }
        columns = list(dict.fromkeys([*raw.columns, *self._new_cells(self.responses[0])]))
        for response in self.responses:
            row = old_rows.pop(response.respondent, None)
            if row is None:
                self.added += 1
                continue
            old = dict(zip(raw.columns, row.cells, strict=False))
            self._count(self._conflict(response, old, columns, row.line))
        self.dropped = len(old_rows)
        return None if existing == text.encode("utf-8") else text


def _split(existing: bytes | None, file: str) -> RawResponses | None:
    if existing is None:
        return None
    try:
        return split_rows(existing.decode("utf-8"))
    except (UnicodeDecodeError, csv.Error) as exc:
        # The workspace was loaded without errors, so this file changed under our feet.
        raise WorkspaceError(
            [Problem(file=file, code="unreadable", message=f"cannot read the file: {exc}")]
        ) from None


def _fresh(responses: list[Response]) -> str:
    buffer = io.StringIO()
    write_responses(responses, buffer)
    return buffer.getvalue()


def _extend(text: str, cells: Sequence[str]) -> str:
    """Return a row's text with ``cells`` (empty, or column names) added at its end, keeping
    the rest as it was."""
    if not cells:
        return text
    body = text.rstrip("\r\n")
    return f"{body},{','.join(cells)}{text[len(body) :]}"


def _same(old: str, new: str, column: str, text_items: frozenset[str]) -> bool:
    """Return whether two cells hold the same answer (or date), however each is written; a
    text item's answer is its text, so ``7`` and ``007`` differ there."""
    old = old.strip()
    if old == new:
        return True
    if column in text_items:
        return parse_cell(old) == parse_cell(new)
    try:
        if column == layout.DATE_COLUMN:
            return parse_date(old) == parse_date(new)
        return parse_answer(old) == parse_answer(new)
    except CellError:
        return False
