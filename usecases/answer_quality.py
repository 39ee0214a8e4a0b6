"""The advisory score of how generic each written answer reads (``domain.answer_quality``,
kept by ``projections.answer_quality``), for those who judge answers: beside each answer
on the petition page, in the report of answers, and measured against the flags the cell
secretaries gave (``evaluate``). It is advice only: no command reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.answer_quality import THRESHOLD, WEIGHTS
from domain.vocabulary import QualityFlag
from usecases import access
from usecases.access import UseCase

if TYPE_CHECKING:
    from domain.actors import Actor
    from projections.answer_quality import AnswerQualityView
    from projections.base import Row
    from usecases.queries import PetitionQueries


def shown(row: Row) -> dict[str, Any]:
    """An answer's row as the API and the pages show it."""
    return {
        "petition_id": row["petition_id"],
        "seq": row["seq"],
        "answer_number": row["answer_number"],
        "organisation": row["organisation"],
        "department": row["department"],
        "answered_on": row["answered_on"],
        "score": row["score"],
        "likely_generic": row["likely_generic"],
        "components": {k: row[k] for k in WEIGHTS},
        "likeness": row["likeness"],
        "details": list(row["details"]),
        "words": row["words"],
        "verified_on": row["verified_on"],
        "verdict": row["verdict"],
        "flags": list(row["flags"] or []),
    }


@dataclass(frozen=True)
class Evaluation:
    """ "Likely generic" against "flagged generic by the secretaries", over the verified
    written answers: how many of each, and of both."""

    verified: int
    likely_generic: int
    flagged_generic: int
    both: int

    @property
    def precision(self) -> float | None:
        """Of the answers the score calls likely generic, the share the secretaries flagged."""
        return self.both / self.likely_generic if self.likely_generic else None

    @property
    def recall(self) -> float | None:
        """Of the answers the secretaries flagged generic, the share the score calls so."""
        return self.both / self.flagged_generic if self.flagged_generic else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "likely_generic": self.likely_generic,
            "flagged_generic": self.flagged_generic,
            "both": self.both,
            "precision": None if self.precision is None else round(self.precision, 4),
            "recall": None if self.recall is None else round(self.recall, 4),
            "threshold": THRESHOLD,
        }


def evaluate(rows: list[Row]) -> Evaluation:
    """The evaluation of the verified answers' rows (each its ``likely_generic`` and the
    secretaries' ``flags``), read from the view: nothing of how the answers were written."""
    scored = [r for r in rows if r["verdict"] is not None and r["likely_generic"] is not None]
    flagged = [QualityFlag.GENERIC.value in (r["flags"] or []) for r in scored]
    likely = [bool(r["likely_generic"]) for r in scored]
    return Evaluation(
        verified=len(scored),
        likely_generic=sum(likely),
        flagged_generic=sum(flagged),
        both=sum(a and b for a, b in zip(likely, flagged, strict=True)),
    )


class AnswerQuality:
    """The reads of the answers' advisory score, each with its rule (``usecases.access``)."""

    def __init__(self, queries: PetitionQueries) -> None:
        self.queries = queries

    @property
    def view(self) -> AnswerQualityView:
        return self.queries.views.answer_quality

    def may(self, actor: Actor) -> bool:
        return access.may(actor, UseCase.ANSWER_QUALITY)

    def of_petition(self, actor: Actor, petition_id: UUID) -> list[dict[str, Any]]:
        """The scores of the petition's written answers, first answer first (the caller
        may read the petition: ``PetitionQueries.petition`` checked it)."""
        access.check(actor, UseCase.ANSWER_QUALITY)
        return [shown(r) for r in self.view.of_petition(petition_id)]

    def report(
        self,
        actor: Actor,
        *,
        start: date | None = None,
        end: date | None = None,
        likely_generic: bool | None = None,
        organisation: str | None = None,
        limit: int = 100,
        offset: int = 0,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        """The written answers of the organisations the actor sees (or the one asked)
        answered from ``start`` to ``end``, the most generic first, with the evaluation of
        the score against the secretaries' flags over the same organisations."""
        access.check(actor, UseCase.ANSWER_QUALITY)
        queries = self.queries
        organisations = queries.asked(actor, organisation)
        queries.checked_dates(**{"from": start, "to": end})
        view = queries.caught_up(self.view, min_position)
        total, rows = view.answers(
            start=start,
            end=end,
            likely_generic=likely_generic,
            organisations=organisations,
            limit=limit,
            offset=offset,
        )
        return {
            "advisory": True,
            "weights": dict(WEIGHTS),
            "threshold": THRESHOLD,
            "total": total,
            "answers": [shown(r) for r in rows],
            "evaluation": evaluate(view.verified(organisations=organisations)).as_dict(),
        }
