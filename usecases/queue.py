"""The committee's queue: what waits for it to act. New petitions awaiting assignment,
those a department declined (with its reason), referrals the province returned, and the
open petitions escalated. Each section holds only petitions the user's organisation
handles, as the lifecycle and the access rules say: those awaiting assignment that the
user may assign (a commune's committee not what is referred to the province, the
province's committee only that), the escalated ones that the user may act on at all."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from domain.actors import Actor
from domain.lifecycle import commands_for
from domain.vocabulary import Command, GiveBack, Status
from projections.base import Row
from usecases import access
from usecases.access import UseCase
from usecases.queries import PetitionQueries

# The queue's sections, in the page's order: what each holds.
SECTIONS = ("new", "declined", "returned", "escalated")
SECTION_OF_GIVE_BACK = {
    None: "new",
    str(GiveBack.DECLINED): "declined",
    str(GiveBack.REFERRAL_RETURNED): "returned",
}


def acts_on(actor: Actor, row: Row, queries: PetitionQueries) -> bool:
    """Whether the actor may assign the row's petition now, or, escalated, act on it."""
    province = queries.province
    referred = row["referred_to"] is not None
    allowed = commands_for(Status(row["status"]), actor.role, in_charge=False)
    if row["status"] == Status.RAISED:
        allowed = [c for c in allowed if c is Command.ASSIGN]
    return any(access.acts(actor, referred, command, province) for command in allowed)


def section_of(row: Row) -> str:
    if row["status"] == Status.RAISED:
        return SECTION_OF_GIVE_BACK[row["given_back"]]
    return "escalated"


def queue(
    queries: PetitionQueries, actor: Actor, *, min_position: int | None = None
) -> dict[str, Any]:
    """The queue's sections (``SECTIONS``), each a list of list rows: awaiting assignment
    oldest first, given back and escalated the latest first; ``full``: the read stopped
    at the view's limit, so there may be more."""
    access.check(actor, UseCase.QUEUE)
    view = queries.caught_up(queries.views.petition_list, min_position)
    rows = view.awaiting_committee(organisations=access.organisation_scope(actor, queries.province))
    queries.numbers.of_list_rows(rows)
    sections: dict[str, list[Row]] = {name: [] for name in SECTIONS}
    for row in rows:
        if acts_on(actor, row, queries):
            sections[section_of(row)].append(row)
    for name, key in (
        ("declined", "given_back_on"),
        ("returned", "given_back_on"),
        ("escalated", "escalated_on"),
    ):
        sections[name].sort(key=itemgetter(key), reverse=True)
    return {"sections": sections, "full": len(rows) >= view.max_queue}
