"""The organisations below the province compared, each a row of figures from the views
the scorecards, the category report and the overdue board read."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.actors import Actor
from projections.quality import Rate
from usecases import access
from usecases.access import UseCase

if TYPE_CHECKING:
    from usecases.queries import PetitionQueries


def compare(
    self: PetitionQueries,
    actor: Actor,
    *,
    start: date | None = None,
    end: date | None = None,
    min_position: int | None = None,
) -> dict[str, Any]:
    """Per organisation below the province, for the period ``start``..``end`` (default:
    this year to date): petitions raised (duplicates not counted), answers given and
    how many on time, what is overdue at the period's end (answers and verifications),
    and the first answers the cells were satisfied with. The province's committee and
    auditor see every organisation; anyone else of an organisation its own."""
    access.check(actor, UseCase.ORGANISATION_REPORT)
    scope = access.comparison_scope(actor, self.province)
    start, end = self.period(start, end)
    categories = self.caught_up(self.views.categories, min_position)
    quality = self.caught_up(self.views.quality, min_position)
    overdue = self.caught_up(self.views.overdue, min_position)
    on = min(end, self.app.today())
    rows = []
    for o in self.province.below():
        if scope is not None and o.code not in scope:
            continue
        only = frozenset({o.code})
        cards = quality.scorecards(start, end, min_answered=0, organisations=only)
        board = overdue.board(
            on, very_overdue_days=self.settings.very_overdue_days, limit=0, organisations=only
        )
        answered = sum(c["answered"] for c in cards)
        first = [c["first_answer_satisfied"] for c in cards]
        rows.append(
            {
                "organisation": o.code,
                "name": o.name,
                "level": str(o.level),
                "raised": categories.period_report(start, end, organisations=only)["total"],
                "answered": answered,
                "answered_on_time": Rate(
                    sum(c["on_time"]["count"] for c in cards), answered
                ).as_dict(),
                "overdue": board.total,
                "first_answer_satisfied": Rate(
                    sum(r["count"] for r in first), sum(r["total"] for r in first)
                ).as_dict(),
            }
        )
    return {"start": start, "end": end, "overdue_on": on, "organisations": rows}
