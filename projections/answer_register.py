"""The petitions a month's answer register reads: those of an organisation that may have
been answered in the month, from the petition list's rows (``usecases.register`` reads
each one's answers from its events)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from psycopg import sql

from projections.petition_list import PetitionListView

# Raised by the month's end, and answered (or changed at all) on or after its start: a
# petition answered in the month was changed then, whatever happened to it afterwards.
CANDIDATES = (
    "SELECT petition_id FROM {} WHERE organisation = %(organisation)s"
    " AND raised_on <= %(end)s"
    " AND (answered_on >= %(start)s OR last_business_date >= %(start)s)"
    " ORDER BY raised_on, petition_id"
)


def answered_candidates(
    view: PetitionListView, organisation: str, start: date, end: date
) -> list[UUID]:
    """The ids of the petitions of ``organisation`` that may hold an answer given from
    ``start`` to ``end`` (inclusive), oldest raised first."""
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL(CANDIDATES).format(view.table("petition_list")),
            {"organisation": organisation, "start": start, "end": end},
        )
        return [r["petition_id"] for r in curs.fetchall()]
