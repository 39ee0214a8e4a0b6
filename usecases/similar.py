"""Before a petition is recorded: the open petitions of the same organisation, and those
closed in the last twelve months, that it may repeat. A petition of the same category and
commune whose text is close to it (``domain.vietnam.likeness``, without diacritics), or
one anywhere in the organisation whose summary and text are the same word for word."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.vietnam import fold_text, likeness
from usecases import access, organisations
from usecases.access import UseCase
from usecases.commands import Context
from usecases.queries import PetitionQueries
from usecases.records import IDEMPOTENCY_KEY_MAX, RaiseRequest

CLOSED_WITHIN = timedelta(days=365)  # a petition closed longer ago is not shown
CLOSE_ENOUGH = 0.6  # the likeness from which a petition is shown
SHOWN = 5  # at most, the closest first


def similar_petitions(
    queries: PetitionQueries, actor: Actor, *, category: str, cell: str, summary: str, text: str
) -> list[dict[str, Any]]:
    """The petitions a new one (as the clerk typed it) may repeat, the closest first: the
    word-for-word equal ones, then those of its own cell, then by likeness. Only what
    the actor may see; nothing for a cell its organisation does not have."""
    access.check(actor, UseCase.RAISE)
    app = queries.app
    organisation = organisations.raising_organisation(app.province, actor)
    found = app.province.reference(organisation.code).cells.get(cell)
    if found is None:
        return []
    typed = f"{summary.strip()}\n{text.strip()}"
    folded = fold_text(typed)
    rows = queries.views.petition_list.candidates(
        organisation=organisation.code,
        category=category,
        commune=found.commune,
        folded=folded,
        closed_since=app.today() - CLOSED_WITHIN,
    )
    shown = []
    for row in rows:
        if not access.sees(actor, row["organisation"], row["departments"], app.province):
            continue
        search = row.pop("search")
        exact = search.startswith(folded + "\n")
        score = 1.0 if exact else likeness(typed, search)
        if exact or score >= CLOSE_ENOUGH:
            same_cell = row["cell"] == cell
            shown.append(
                {**row, "likeness": round(score, 2), "exact": exact, "same_cell": same_cell}
            )
    shown.sort(key=lambda r: (not r["exact"], not r["same_cell"], -r["likeness"]))
    return shown[:SHOWN]


def recorded_under(queries: PetitionQueries, ctx: Context, key: str) -> UUID | None:
    """The petition already recorded under the idempotency ``key`` in this context (a
    form sent again): it is no repeat of another, it is the same."""
    if not key.strip() or len(key.strip()) > IDEMPOTENCY_KEY_MAX:
        return None
    request = queries.app.raise_request(RaiseRequest.id_for(ctx, key.strip()))
    return None if request is None else request.petition_id
