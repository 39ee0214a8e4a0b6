"""Before a petition is recorded: the open petitions of the same organisation, and those
closed in the last 24 months, that it may repeat. A petition of the same category and
commune whose summary and text are close to it (``domain.similarity.likeness``, folded and
with their diacritics), or one anywhere in the organisation whose summary and text are
the same word for word. The clerk then links the new petition as a repeat of one
(``usecases.repeats``), or records its cell as co-signing an open one instead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from domain.actors import Actor, Command
from domain.lifecycle import LIFECYCLE
from domain.similarity import CLOSE_ENOUGH, likeness
from domain.vietnam import fold_text
from usecases import access, organisations
from usecases.access import UseCase
from usecases.commands import Context
from usecases.queries import PetitionQueries
from usecases.records import IDEMPOTENCY_KEY_MAX, RaiseRequest

CLOSED_WITHIN = timedelta(days=730)  # a petition closed longer ago (24 months) is not shown
SHOWN = 5  # at most, the closest first
Row = dict[str, Any]


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
    return close_to(queries, actor, organisation.code, category, cell, found.commune, summary, text)


def earlier_like(queries: PetitionQueries, actor: Actor, petition: dict[str, Any]) -> list[Row]:
    """The earlier petitions a recorded one (its state) may repeat, as at its entry: raised
    on or before its own day, not itself, the closest first (for linking it later)."""
    access.check(actor, UseCase.LINK_REPEAT)
    p = petition
    close = close_to(
        queries, actor, p["organisation"], p["category"], p["cell"], p["commune"],
        p["summary"], p["text"], without=p["id"],
    )  # fmt: skip
    return [r for r in close if r["raised_on"] <= p["raised_on"]]


def close_to(
    queries: PetitionQueries,
    actor: Actor,
    organisation: str,
    category: str,
    cell: str,
    commune: str,
    summary: str,
    text: str,
    without: UUID | None = None,
) -> list[Row]:
    """The petitions of ``organisation`` close to ``summary`` and ``text`` (see
    ``similar_petitions``), but ``without``."""
    app = queries.app
    typed = f"{summary.strip()}\n{text.strip()}"
    folded = fold_text(typed)
    rows = queries.views.petition_list.candidates(
        organisation=organisation,
        category=category,
        commune=commune,
        folded=folded,
        closed_since=app.today() - CLOSED_WITHIN,
    )
    rows = [r for r in rows if r["petition_id"] != without]
    # The list keeps each petition's text folded: the closest by that first, then each of
    # those measured again against its own words, diacritics and all.
    close = []
    for row in rows:
        if not access.sees(actor, row["organisation"], row["departments"], app.province):
            continue
        search = row.pop("search")
        exact = search.startswith(folded + "\n")
        score = 1.0 if exact else likeness(typed, search)
        if exact or score >= CLOSE_ENOUGH:
            close.append((not exact, -score, row, exact))
    shown = []
    for _, _, row, exact in sorted(close, key=lambda c: c[:2])[: SHOWN * 2]:
        state = app.state(row["petition_id"])
        score = 1.0 if exact else likeness(typed, f"{state['summary']}\n{state['text']}")
        if exact or score >= CLOSE_ENOUGH:
            same_cell = row["cell"] == cell
            shown.append(
                {
                    **row,
                    "likeness": round(score, 2),
                    "exact": exact,
                    "same_cell": same_cell,
                    "offers": offers(actor, row["status"], same_cell),
                }
            )
    return shown[:SHOWN]


def offers(actor: Actor, status: str, same_cell: bool) -> list[str]:
    """What the actor may record of the new petition instead of a new one: raised as a
    repeat of the earlier one (``link_repeat``), or its cell co-signing the earlier one
    (``cosign``: open, and of another cell)."""
    found = [Command.LINK_REPEAT.value] if access.may(actor, UseCase.LINK_REPEAT) else []
    cosignable = status in LIFECYCLE[Command.COSIGN].statuses and not same_cell
    if cosignable and access.may(actor, UseCase.COSIGN):
        found.append(Command.COSIGN.value)
    return found


def recorded_under(queries: PetitionQueries, ctx: Context, key: str) -> UUID | None:
    """The petition already recorded under the idempotency ``key`` in this context (a
    form sent again): it is no repeat of another, it is the same."""
    if not key.strip() or len(key.strip()) > IDEMPOTENCY_KEY_MAX:
        return None
    request = queries.app.raise_request(RaiseRequest.id_for(ctx, key.strip()))
    return None if request is None else request.petition_id
