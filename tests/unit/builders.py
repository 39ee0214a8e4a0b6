"""Small builders for domain unit tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from copy import deepcopy
from datetime import date
from typing import Any

import pytest

from domain.actors import Actor, Role, Stamp
from domain.petition import Petition

CLERK = Actor("clerk-1", Role.CLERK)
COMMITTEE = Actor("committee-1", Role.COMMITTEE)
ROADS = Actor("roads-head", Role.DEPARTMENT, "roads")
WATER = Actor("water-head", Role.DEPARTMENT, "water")
RAISED_ON = date(2026, 3, 3)


def stamped(fields: dict[str, Any], on: str = "on") -> dict[str, Any]:
    """A command's fields with its ``actor`` and business date (``on``) as the one Stamp
    the aggregate takes; a ``stamp`` given among the fields wins."""
    actor, day = fields.pop("actor"), fields.pop(on)
    return {"stamp": Stamp(actor, day), **fields}


def raised(**overrides: object) -> Petition:
    fields: dict[str, object] = dict(
        organisation="huyen",
        kind="reflection",
        category="services",
        summary="Đường ống nước bị vỡ",
        text="Đường ống nước sạch thôn 3 bị vỡ, 40 hộ thiếu nước.",
        cell="c-1",
        commune="xa-a",
        zone="khu-1",
        raised_by="Nguyễn Văn Hùng",
        channel="meeting",
        meeting="giao-ban-khu-1-2026-03-03",
        raised_on=RAISED_ON,
        actor=CLERK,
    )
    fields.update(overrides)
    return Petition.record(**stamped(fields, on="raised_on"))


def assign_to(p: Petition, **overrides: object) -> None:
    """The committee assigns ``p``: to roads, due 3 April, on 5 March unless told otherwise."""
    fields: dict[str, object] = dict(
        department="roads", due_on=date(2026, 4, 3), note=None, actor=COMMITTEE, on=date(2026, 3, 5)
    )
    fields.update(overrides)
    p.assign(**stamped(fields))


def write_answer(p: Petition, **overrides: object) -> None:
    """Roads answers ``p`` in writing: the letter of 20 March, recorded on the 21st, to be
    verified on 3 April, unless told otherwise."""
    fields: dict[str, object] = dict(
        text="Đã sửa xong.",
        document_number="12/CV-KTHT",
        document_date=date(2026, 3, 20),
        signer="Trưởng phòng",
        verify_by=date(2026, 4, 3),
        actor=ROADS,
        on=date(2026, 3, 21),
    )
    fields.update(overrides)
    p.answer_in_writing(**stamped(fields))


def commit(p: Petition, **overrides: object) -> None:
    """The written answer just given by roads on 21 March commits it to resurfacing the
    road by 30 June, at 450 million dong, unless told otherwise (in the answer's command)."""
    fields: dict[str, object] = dict(
        text="Thảm lại mặt đường thôn 3",
        due_on=date(2026, 6, 30),
        cost=450_000_000,
        actor=ROADS,
        on=date(2026, 3, 21),
    )
    fields.update(overrides)
    p.make_commitment(**stamped(fields))


def answer_at_meeting(p: Petition, **overrides: object) -> None:
    """The clerk records an answer given on the spot at the briefing of 3 March (the day
    ``raised`` raises), to be verified on 3 December, unless told otherwise."""
    fields: dict[str, object] = dict(
        text="Sẽ sửa trong tuần",
        answered_by="Phó Chủ tịch UBND huyện",
        meeting="giao-ban",
        verify_by=date(2026, 12, 3),
        actor=CLERK,
        on=RAISED_ON,
    )
    fields.update(overrides)
    p.answer_on_the_spot(**stamped(fields))


def give_verdict(p: Petition, **overrides: object) -> None:
    """The clerk records a verdict on ``p``: satisfied, without flags, meeting or comment, on
    3 April, unless told otherwise."""
    fields: dict[str, object] = dict(
        verdict="satisfied",
        flags=[],
        meeting=None,
        comment=None,
        reopen_with=None,
        actor=CLERK,
        on=date(2026, 4, 3),
    )
    fields.update(overrides)
    p.verify(**stamped(fields))


def assigned(department: str = "roads") -> Petition:
    p = raised()
    assign_to(p, department=department)
    return p


def answered() -> Petition:
    p = assigned()
    write_answer(p)
    return p


def assert_refused(
    p: Petition, error: type[Exception], command: Callable[[Petition], None]
) -> None:
    """The command raises ``error`` and leaves the petition exactly as it was."""
    version, pending, state = p.version, len(p.pending_events), deepcopy(vars(p))
    with pytest.raises(error):
        command(p)
    assert (p.version, len(p.pending_events), vars(p)) == (version, pending, state)


def state_of(p: Petition) -> dict[str, object]:
    return {k: v for k, v in vars(p).items() if k != "_pending_events"}


def assert_replay_rebuilds(p: Petition, events: Iterable[Any]) -> None:
    """Mutating nothing by ``events`` in turn gives back the state of ``p``."""
    copy: Petition | None = None
    for event in events:
        copy = event.mutate(copy)
    assert copy is not None
    assert state_of(copy) == state_of(p)
