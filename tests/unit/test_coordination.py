"""Lead and coordinating departments: the assignment names them, each coordinating one
sends its contribution, and the lead's written answer waits for every contribution or the
committee's waiver of the missing ones (``domain.coordination``)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor, Role, Stamp
from domain.coordination import Contribution, Coordinator
from domain.errors import IllegalTransition, InvalidCommand, WrongDepartment
from domain.lifecycle import LIFECYCLE, check_allowed
from domain.messages import say
from domain.petition import Petition
from domain.vocabulary import Command, Status
from tests.unit.builders import (
    COMMITTEE,
    WATER,
    assert_refused,
    assert_replay_rebuilds,
    assign_to,
    raised,
    write_answer,
)

PARKS = Actor("parks-head", Role.DEPARTMENT, "parks")
ON = date(2026, 3, 5)
WATER_DUE, PARKS_DUE = date(2026, 3, 20), date(2026, 3, 25)
BOTH = [("water", WATER_DUE), ("parks", PARKS_DUE)]


def coordinated() -> Petition:
    """Roads leads, due 3 April; water (due 20 March) and parks (25 March) coordinate."""
    p = raised()
    assign_to(p, coordinating=BOTH)
    return p


def contribute(
    p: Petition, actor: Actor = WATER, on: date = date(2026, 3, 18), **kw: object
) -> None:
    fields: dict[str, object] = dict(
        department=actor.department,
        text="Phòng đã khảo sát hiện trường.",
        document_number="5/TNMT",
        document_date=on,
        signer="Trưởng phòng",
    )
    fields.update(kw)
    p.send_contribution(**fields, stamp=Stamp(actor, on))  # type: ignore[arg-type]


def waive(p: Petition, departments: list[str], on: date = date(2026, 3, 28)) -> None:
    p.waive_contributions(
        departments=departments, reason="Quá hạn, đã đủ thông tin", stamp=Stamp(COMMITTEE, on)
    )


def test_the_assign_command_names_the_coordinators_right_after_the_assignment() -> None:
    p = coordinated()
    kinds = [type(e) for e in p.collect_events()]
    assert kinds == [Petition.Raised, Petition.Assigned, Petition.CoordinatorsNamed]
    assert p.department == "roads"
    assert p.coordinators == [
        Coordinator("water", WATER_DUE, ON),
        Coordinator("parks", PARKS_DUE, ON),
    ]
    assert p.departments == ["roads", "water", "parks"]  # each sees the petition


def test_an_assignment_without_coordinators_records_no_naming() -> None:
    p = raised()
    assign_to(p)
    assert [type(e) for e in p.collect_events()][-1] is Petition.Assigned
    assert p.coordinators == []


@pytest.mark.parametrize(
    ("coordinating", "key"),
    [
        ([("roads", WATER_DUE)], "coordination.lead_named"),
        ([("water", WATER_DUE), ("water", PARKS_DUE)], "coordination.twice"),
        ([("water", ON)], "due.before_assignment"),
        ([("water", date(2026, 4, 4))], "coordination.after_lead"),
    ],
)
def test_the_coordinators_named_are_checked_and_a_refusal_records_nothing(
    coordinating: list[tuple[str, date]], key: str
) -> None:
    p = raised()
    assert_refused(p, InvalidCommand, lambda q: assign_to(q, coordinating=coordinating))
    with pytest.raises(InvalidCommand) as refused:
        assign_to(p, coordinating=coordinating)
    assert refused.value.field == "coordinating" and refused.value.message.key == key


def test_a_reassignment_names_its_own_coordinators() -> None:
    p = coordinated()
    contribute(p)
    assign_to(p, department="water", on=date(2026, 3, 19), coordinating=[("parks", PARKS_DUE)])
    assert p.department == "water"
    assert p.coordinators == [Coordinator("parks", PARKS_DUE, date(2026, 3, 19))]
    assign_to(p, department="parks", on=date(2026, 3, 20))
    assert p.coordinators == []  # none named: none owes anything


def test_a_coordinator_sends_its_contribution_once() -> None:
    p = coordinated()
    contribute(p)
    water = p.coordinators[0]
    assert water.contribution == Contribution(
        "Phòng đã khảo sát hiện trường.",
        "5/TNMT",
        date(2026, 3, 18),
        "Trưởng phòng",
        date(2026, 3, 18),
    )
    assert not water.outstanding and p.coordinators[1].outstanding
    assert p.status is Status.ASSIGNED
    assert_refused(p, InvalidCommand, lambda q: contribute(q, on=date(2026, 3, 19)))


def test_only_a_coordinator_contributes() -> None:
    p = coordinated()
    roads = Actor("roads-head", Role.DEPARTMENT, "roads")
    assert_refused(p, InvalidCommand, lambda q: contribute(q, actor=roads))
    with pytest.raises(InvalidCommand) as refused:
        contribute(p, actor=roads)
    assert refused.value.message.key == "coordination.not_coordinator"


def test_a_contribution_s_letter_is_dated_by_its_sending_at_the_latest() -> None:
    p = coordinated()
    assert_refused(p, InvalidCommand, lambda q: contribute(q, document_date=date(2026, 3, 19)))
    assert_refused(p, InvalidCommand, lambda q: contribute(q, document_date=date(2026, 3, 1)))
    assert_refused(p, InvalidCommand, lambda q: contribute(q, text="  "))


def test_the_written_answer_waits_for_every_contribution() -> None:
    p = coordinated()
    contribute(p)
    assert_refused(p, IllegalTransition, lambda q: write_answer(q, document_date=date(2026, 3, 19)))
    with pytest.raises(IllegalTransition) as refused:
        write_answer(p, document_date=date(2026, 3, 19))
    assert refused.value.message == say("coordination.missing", departments="parks")
    contribute(p, actor=PARKS, on=date(2026, 3, 20))
    write_answer(p)
    assert p.status is Status.ANSWERED


def test_the_committee_waives_the_missing_contributions() -> None:
    p = coordinated()
    contribute(p)
    assert_refused(p, InvalidCommand, lambda q: waive(q, ["water"]))  # sent already
    assert_refused(p, InvalidCommand, lambda q: waive(q, []))
    assert_refused(p, InvalidCommand, lambda q: waive(q, ["roads"]))
    waive(p, ["parks"])
    assert p.coordinators[1].waived == "Quá hạn, đã đủ thông tin"
    assert_refused(p, InvalidCommand, lambda q: contribute(q, actor=PARKS, on=date(2026, 3, 28)))
    write_answer(p, on=date(2026, 3, 28))
    assert p.status is Status.ANSWERED


def test_the_commands_rules_are_the_lifecycle_s() -> None:
    assert LIFECYCLE[Command.CONTRIBUTE].roles == {Role.DEPARTMENT}
    assert LIFECYCLE[Command.WAIVE_CONTRIBUTIONS].roles == {Role.COMMITTEE}
    p = raised()
    with pytest.raises(IllegalTransition):
        check_allowed(Command.CONTRIBUTE, p.status, WATER, p.department)
    # no department in charge needed: the coordinator is not the lead
    check_allowed(Command.CONTRIBUTE, Status.ASSIGNED, WATER, "roads")
    with pytest.raises(WrongDepartment):
        check_allowed(Command.ANSWER_IN_WRITING, Status.ASSIGNED, WATER, "roads")


def test_the_coordination_is_replayed_from_the_events() -> None:
    p = coordinated()
    contribute(p)
    waive(p, ["parks"])
    write_answer(p, on=date(2026, 3, 28))
    assert_replay_rebuilds(p, p.collect_events())


def test_a_lead_giving_the_petition_back_lifts_the_parts() -> None:
    p = coordinated()
    roads = Actor("roads-head", Role.DEPARTMENT, "roads")
    p.decline_assignment(reason="Không thuộc thẩm quyền", stamp=Stamp(roads, date(2026, 3, 6)))
    assert p.status is Status.RAISED and p.coordinators == []
    assert "water" in p.departments  # it saw the petition: it still does
