"""Importing the minutes: a validated plan of petitions, each raised with an idempotency key
made of its content, so a file imported twice records each petition once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.errors import DomainError
from usecases.commands import Context, PetitionDraft, RaisePetition
from usecases.petitions import Petitions


@dataclass(frozen=True)
class RowError:
    """One fault: where (row as the spreadsheet numbers it, column heading) and why."""

    row: int | None
    column: str | None
    field: str
    message: str  # Vietnamese
    message_en: str

    def as_dict(self, english: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {"field": self.field, "in": "file"}
        if self.row is not None:
            found["row"] = self.row
        if self.column is not None:
            found["column"] = self.column
        found["message"] = self.message_en if english else self.message
        return found


@dataclass(frozen=True)
class Planned:
    row: int
    draft: PetitionDraft

    @property
    def key(self) -> str:
        """The idempotency key: the row's content (the same petition in any file, in any
        format, at any row), never the bytes of the file as a whole."""
        return f"import:{self.draft.fingerprint()}"


@dataclass
class Plan:
    format: str
    sha256: str
    petitions: list[Planned] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    row: int
    id: Any
    position: int | None
    replayed: bool


def record(app: Petitions, plan: Plan, ctx: Context) -> list[Imported]:
    """Raise each petition of a valid plan; rows recorded before are answered as then
    (the application answers a replayed raise with its first write's position)."""
    assert not plan.errors, "only a file without faults is recorded"
    done: list[Imported] = []
    for planned in plan.petitions:
        try:
            command = RaisePetition(draft=planned.draft, idempotency_key=planned.key)
            result = app.execute(command, ctx)
        except DomainError as error:
            # Not expected after ``validate``; the rows before are kept, and importing
            # the file again once it is corrected records only the rest.
            error.details.setdefault("row", planned.row)
            error.details.setdefault("recorded_rows", len(done))
            raise
        done.append(Imported(planned.row, result.id, result.position, result.replayed))
    return done
