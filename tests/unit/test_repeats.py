"""Repeats: a petition that raises again the matter of an earlier one of its organisation
is linked to it (``Petition.link_repeat``), once, recording whether the cells' satisfied
verdict had closed the earlier one and on whose answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from domain.actors import Stamp
from domain.errors import IllegalTransition, InvalidCommand
from domain.lifecycle import LIFECYCLE
from domain.petition import Petition, RepeatOf
from domain.vocabulary import Command, Role, Status
from tests.unit.builders import (
    CLERK,
    COMMITTEE,
    ROADS,
    answer_at_meeting,
    answered,
    assert_refused,
    give_verdict,
    raised,
)

LATER = date(2026, 6, 1)


def closed_satisfied() -> Petition:
    p = answered()
    give_verdict(p)
    return p


def again(**overrides: object) -> Petition:
    return raised(raised_on=LATER, summary="Ống nước thôn 3 lại vỡ", **overrides)


def test_a_repeat_of_a_satisfied_closure_names_its_department_and_changes_nothing_else() -> None:
    earlier, p = closed_satisfied(), again()
    status, clock = p.status, p.last_business_date
    p.link_repeat(earlier=earlier, number="KN-2026-0001", stamp=Stamp(CLERK, LATER))
    assert p.repeat_of == RepeatOf(earlier.id, "KN-2026-0001", True, "roads", LATER)
    assert (p.status, p.last_business_date) == (status, clock)  # no step of its handling
    event = p.collect_events()[-1]
    assert isinstance(event, Petition.RepeatLinked) and event.satisfied


def test_the_link_is_replayed_from_the_events() -> None:
    earlier, p = closed_satisfied(), again()
    p.link_repeat(earlier=earlier, number=None, stamp=Stamp(COMMITTEE, LATER))
    copy: Petition | None = None
    for event in p.collect_events():
        copy = event.mutate(copy)
    assert isinstance(copy, Petition) and copy.repeat_of == p.repeat_of


def test_an_open_or_answered_on_the_spot_earlier_petition_names_no_department() -> None:
    p = again()
    p.link_repeat(earlier=answered(), number=None, stamp=Stamp(CLERK, LATER))
    assert p.repeat_of is not None and (p.repeat_of.satisfied, p.repeat_of.department) == (
        False,
        None,
    )
    spot = raised()
    answer_at_meeting(spot)
    give_verdict(spot, on=date(2026, 4, 3))
    q = again()
    q.link_repeat(earlier=spot, number=None, stamp=Stamp(CLERK, LATER))
    assert q.repeat_of is not None and q.repeat_of.satisfied and q.repeat_of.department is None


def test_a_committee_close_is_no_satisfied_closure() -> None:
    earlier = answered()
    earlier.close(reason="Trùng", stamp=Stamp(COMMITTEE, date(2026, 4, 1)))
    p = again()
    p.link_repeat(earlier=earlier, number=None, stamp=Stamp(CLERK, LATER))
    assert p.repeat_of is not None and not p.repeat_of.satisfied


@pytest.mark.parametrize(
    ("earlier", "key"),
    [
        (lambda p: p, "repeat.self"),
        (lambda p: raised(organisation="tinh"), "repeat.other_organisation"),
        (lambda p: raised(raised_on=date(2026, 7, 1)), "repeat.later"),
    ],
    ids=["itself", "another organisation", "raised after"],
)
def test_what_is_no_earlier_petition_of_the_organisation_is_refused(
    earlier: Callable[[Petition], Petition], key: str
) -> None:
    p = again()
    other = earlier(p)
    with pytest.raises(InvalidCommand) as refused:
        p.link_repeat(earlier=other, number=None, stamp=Stamp(CLERK, LATER))
    assert refused.value.field == "repeats" and refused.value.message.key == key
    assert p.repeat_of is None and len(p.collect_events()) == 1


def test_a_petition_is_linked_once() -> None:
    p = again()
    p.link_repeat(earlier=closed_satisfied(), number="KN-2026-0001", stamp=Stamp(CLERK, LATER))
    assert_refused(
        p,
        InvalidCommand,
        lambda q: q.link_repeat(earlier=raised(), number=None, stamp=Stamp(CLERK, LATER)),
    )


def test_an_ended_petition_is_not_linked_and_a_department_does_not_link() -> None:
    p = closed_satisfied()
    with pytest.raises(IllegalTransition):
        p.link_repeat(earlier=raised(), number=None, stamp=Stamp(CLERK, LATER))
    assert LIFECYCLE[Command.LINK_REPEAT].statuses == {
        Status.RAISED,
        Status.ASSIGNED,
        Status.ANSWERED,
    }
    assert LIFECYCLE[Command.LINK_REPEAT].roles == {Role.CLERK, Role.COMMITTEE}
    assert ROADS.role not in LIFECYCLE[Command.LINK_REPEAT].roles
