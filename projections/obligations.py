"""The overdue board's rows as the view builds them: a new open obligation, and the
coordinating departments' parts, each owed by its own department from its naming."""

from __future__ import annotations

from typing import Any

from domain.coordination import as_date
from domain.petition import Petition
from domain.vocabulary import Obligation
from projections.base import Row

CONTRIBUTION = Obligation.CONTRIBUTION.value
CONTRIBUTIONS = (
    Petition.CoordinatorsNamed,
    Petition.ContributionSent,
    Petition.ContributionsWaived,
)
ENDED = (Petition.Withdrawn, Petition.MergedInto, Petition.Closed)


def obligation(
    pid: Any, rows: list[Row], place: tuple[str, str], kind: str, department: str | None
) -> Row:
    """A new open obligation of the petition ``pid`` (due date and start to be set)."""
    zone, organisation = place
    return {
        "petition_id": pid,
        "seq": len(rows) + 1,
        "organisation": organisation,
        "kind": kind,
        "department": department,
        "zone": zone,
        "due_on": None,
        "valid_from": None,
        "valid_to": None,
        "lifted": False,
    }


def contributions(e: Any, rows: list[Row], place: tuple[str, str]) -> None:
    """A coordinating department's part: owed from its naming by its own due date, met by
    its sending or the committee's waiver (the lead's answer and due date untouched)."""
    day = e.business_date
    if isinstance(e, Petition.CoordinatorsNamed):
        for c in e.coordinators:
            rows.append(obligation(e.originator_id, rows, place, CONTRIBUTION, c["department"]))
            rows[-1].update(due_on=as_date(c["due_on"]), valid_from=day)
        return
    met = {e.department} if isinstance(e, Petition.ContributionSent) else set(e.departments)
    for row in rows:
        if row["valid_to"] is None and row["kind"] == CONTRIBUTION and row["department"] in met:
            row["valid_to"] = day
