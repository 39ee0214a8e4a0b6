"""Co-signing: another cell of the organisation that raised the same matter is recorded
on the open petition (``Petition.cosign``) instead of as a duplicate."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Stamp
from domain.errors import IllegalTransition, InvalidCommand
from domain.lifecycle import LIFECYCLE
from domain.petition import Cosigner, Petition
from domain.vocabulary import Command, Status
from tests.unit.builders import CLERK, COMMITTEE, RAISED_ON, answered, assigned, raised

ON = date(2026, 3, 10)


def cosign(p: Petition, *, on: date = ON, **overrides: object) -> None:
    fields: dict[str, object] = dict(
        organisation="huyen",
        cell="c-2",
        commune="xa-b",
        raised_by="  Lê Văn Bình ",
        channel="meeting",
        meeting="Giao ban khu 1 tháng 3",
        note="Thôn 5 cũng thiếu nước",
    )
    fields.update(overrides)
    p.cosign(**fields, stamp=Stamp(CLERK, on))  # type: ignore[arg-type]


def test_a_cosigning_cell_is_kept_in_order_and_changes_nothing_else() -> None:
    p = assigned()
    status, department, due_on, clock = p.status, p.department, p.due_on, p.last_business_date
    cosign(p)
    cosign(p, cell="c-3", commune="xa-a", channel="written_report", meeting=None, note=None)
    assert p.cosigners == [
        Cosigner("c-2", "xa-b", "Lê Văn Bình", "meeting", "Giao ban khu 1 tháng 3",
                 "Thôn 5 cũng thiếu nước", ON),
        Cosigner("c-3", "xa-a", "Lê Văn Bình", "written_report", None, None, ON),
    ]
    assert (p.status, p.department, p.due_on) == (status, department, due_on)
    assert p.last_business_date == clock  # no step of its handling
    event = p.collect_events()[-1]
    assert isinstance(event, Petition.Cosigned) and event.cell == "c-3"


def test_the_cosigning_is_replayed_from_the_events() -> None:
    p = raised()
    cosign(p)
    copy: Petition | None = None
    for event in p.collect_events():
        copy = event.mutate(copy)
    assert isinstance(copy, Petition)
    assert copy.cosigners == p.cosigners and len(copy.cosigners) == 1


def test_a_briefing_before_the_petition_s_later_steps_still_cosigns() -> None:
    """The clerk enters a briefing held before the petition was assigned and answered."""
    p = answered()
    assert p.last_business_date > RAISED_ON
    cosign(p, on=RAISED_ON)
    assert [c.cosigned_on for c in p.cosigners] == [RAISED_ON]


@pytest.mark.parametrize("status", sorted(set(Status) - LIFECYCLE[Command.COSIGN].statuses))
def test_an_ended_petition_takes_no_cosigning(status: Status) -> None:
    p = raised()
    stamp = Stamp(COMMITTEE, ON)
    if status is Status.CLOSED:
        p.close(reason="Đã xong", stamp=stamp)
    elif status is Status.WITHDRAWN:
        p.withdraw(reason="Chi bộ rút", stamp=stamp)
    else:
        p.merge_into(target=raised(), reason=None, stamp=stamp)
    assert p.status is status
    version = p.version
    with pytest.raises(IllegalTransition, match="cannot record a co-signing of a petition"):
        cosign(p)
    assert p.version == version and p.cosigners == []


def test_the_open_statuses_take_it() -> None:
    assert LIFECYCLE[Command.COSIGN].statuses == {Status.RAISED, Status.ASSIGNED, Status.ANSWERED}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cell": "c-1"}, "raised the petition itself"),
        ({"organisation": "xa-khac"}, "is of another organisation"),
        ({"meeting": None}, "names the meeting"),
        ({"channel": "phone"}, "channel: not one of the accepted values"),
        ({"raised_by": "  "}, "raised_by: must not be empty"),
    ],
)
def test_refused_cosignings_record_nothing(overrides: dict[str, object], message: str) -> None:
    p = raised()
    version = p.version
    with pytest.raises(InvalidCommand, match=message):
        cosign(p, **overrides)
    assert p.version == version and p.cosigners == []


def test_a_cell_cosigns_once() -> None:
    p = raised()
    cosign(p)
    version = p.version
    with pytest.raises(InvalidCommand, match="already co-signed"):
        cosign(p, raised_by="Người khác")
    assert p.version == version and len(p.cosigners) == 1


def test_a_cell_that_raised_it_at_an_earlier_meeting_cosigns_too() -> None:
    """Each cell raised the matter at its own meeting: the earlier one co-signs as well."""
    p = raised()
    cosign(p, on=date(2026, 3, 2))
    assert [c.cosigned_on for c in p.cosigners] == [date(2026, 3, 2)]
    assert p.last_business_date == RAISED_ON
