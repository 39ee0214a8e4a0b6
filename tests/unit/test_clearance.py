"""The clearance of written answers (``domain.clearance``): where the organisation asks
for it, a written answer waits for the office or the committee, which accepts it or
returns it to the department; until then the petition is not answered."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Stamp
from domain.clearance import ReturnedAnswer, clearance_of
from domain.errors import IllegalTransition, InvalidCommand
from domain.lifecycle import LIFECYCLE, WHILE_HELD
from domain.petition import Petition
from domain.vocabulary import Clearance, Command, ReturnReason, Role, Status
from tests.unit.builders import (
    CLERK,
    COMMITTEE,
    ROADS,
    assert_refused,
    assign_to,
    assigned,
    give_verdict,
    write_answer,
)


def held(clearance: str = Clearance.OFFICE) -> Petition:
    p = assigned()
    write_answer(p, clearance=clearance)
    return p


def clear(p: Petition, on: date = date(2026, 3, 23), verify_by: date = date(2026, 5, 3)) -> None:
    p.clear_answer(verify_by=verify_by, stamp=Stamp(CLERK, on))


def send_back(p: Petition, on: date = date(2026, 3, 23), reason: str = "generic") -> None:
    p.return_answer(reason=reason, note=" Chưa nêu thời hạn sửa ", stamp=Stamp(CLERK, on))


def test_without_the_setting_an_answer_counts_at_once() -> None:
    p = assigned()
    write_answer(p)
    assert p.status is Status.ANSWERED and p.held_by is None and len(p.answers) == 1
    assert [type(e) for e in p.collect_events()][-1] is Petition.AnsweredInWriting


def test_a_held_answer_is_recorded_after_the_answer_and_is_not_answered() -> None:
    p = held()
    events = p.collect_events()
    assert [type(e) for e in events][-2:] == [Petition.AnsweredInWriting, Petition.AnswerHeld]
    assert events[-1].clearer == "office" and events[-1].department == "roads"
    assert p.status is Status.ASSIGNED and p.held_by is Clearance.OFFICE
    assert p.answers == [] and p.held_answer is not None
    assert p.held_answer.document_number == "12/CV-KTHT"
    assert p.due_on == date(2026, 4, 3) and p.department == "roads"


def test_clearing_makes_it_answered_to_be_verified_after_the_clearance() -> None:
    p = held()
    clear(p)
    assert p.status is Status.ANSWERED and p.held_by is None and p.held_answer is None
    (answer,) = p.answers
    assert answer.answered_on == date(2026, 3, 21) and answer.verify_by == date(2026, 5, 3)
    give_verdict(p, on=date(2026, 5, 3))
    assert p.status is Status.CLOSED and p.verifications[0].answer_number == 1


def test_a_return_goes_back_to_the_department_with_the_same_due_date() -> None:
    p = held()
    send_back(p, reason="missing_document")
    assert p.status is Status.ASSIGNED and p.held_by is None and p.answers == []
    assert p.due_on == date(2026, 4, 3) and p.department == "roads"
    assert p.returns == [
        ReturnedAnswer(
            "roads",
            Clearance.OFFICE,
            ReturnReason.MISSING_DOCUMENT,
            "Chưa nêu thời hạn sửa",
            date(2026, 3, 21),
            date(2026, 3, 23),
        )
    ]
    # the department answers again (late: after the due date), and it is held again
    write_answer(
        p,
        on=date(2026, 4, 10),
        document_date=date(2026, 4, 10),
        verify_by=date(2026, 5, 3),
        clearance="office",
    )
    assert p.held_by is Clearance.OFFICE and p.due_on == date(2026, 4, 3)
    clear(p, on=date(2026, 4, 11))
    assert p.status is Status.ANSWERED and len(p.answers) == 1 and len(p.returns) == 1


def test_the_state_is_replayed_from_the_events() -> None:
    p = held()
    send_back(p)
    write_answer(p, on=date(2026, 3, 25), document_date=date(2026, 3, 25), clearance="office")
    clear(p, on=date(2026, 3, 26))
    replayed = None
    for event in p.collect_events():
        replayed = event.mutate(replayed)
    assert isinstance(replayed, Petition)
    assert (replayed.status, replayed.answers, replayed.returns, replayed.held_by) == (
        p.status,
        p.answers,
        p.returns,
        None,
    )


@pytest.mark.parametrize(
    "command",
    [
        lambda p: write_answer(p, on=date(2026, 3, 22)),
        lambda p: assign_to(p, department="water", on=date(2026, 3, 22)),
        lambda p: p.decline_assignment(reason="Không thuộc", stamp=Stamp(ROADS, date(2026, 3, 22))),
        lambda p: p.close(reason="Xong", stamp=Stamp(COMMITTEE, date(2026, 3, 22))),
        lambda p: p.withdraw(reason="Rút", stamp=Stamp(COMMITTEE, date(2026, 3, 22))),
    ],
)
def test_a_held_answer_is_cleared_or_returned_before_anything_else(command: object) -> None:
    p = held()
    p.collect_events()
    assert_refused(p, IllegalTransition, command)  # type: ignore[arg-type]


def test_a_held_petition_still_takes_a_later_due_date_and_a_note() -> None:
    p = held()
    p.extend_deadline(
        due_on=date(2026, 5, 3), reason="Chờ kinh phí", stamp=Stamp(COMMITTEE, date(2026, 3, 22))
    )
    p.add_note(text="Đã nhắc", stamp=Stamp(COMMITTEE, date(2026, 3, 22)))
    assert p.held_by is Clearance.OFFICE and p.due_on == date(2026, 5, 3)


def test_nothing_held_is_nothing_to_clear() -> None:
    p = assigned()
    assert_refused(p, IllegalTransition, clear)
    assert_refused(p, IllegalTransition, send_back)


def test_a_return_names_a_listed_reason_and_a_note() -> None:
    p = held()
    assert_refused(p, InvalidCommand, lambda q: send_back(q, reason="rude"))
    assert_refused(
        p,
        InvalidCommand,
        lambda q: q.return_answer(
            reason="generic", note="  ", stamp=Stamp(CLERK, date(2026, 3, 23))
        ),
    )


def test_clearing_gives_a_verification_after_the_day() -> None:
    p = held()
    assert_refused(p, InvalidCommand, lambda q: clear(q, verify_by=date(2026, 3, 23)))


def test_an_unknown_setting_is_refused() -> None:
    p = assigned()
    assert_refused(p, InvalidCommand, lambda q: write_answer(q, clearance="mayor"))


def test_the_clearers_are_the_office_s_clerks_and_the_committee() -> None:
    assert LIFECYCLE[Command.CLEAR].roles == {Role.CLERK, Role.COMMITTEE}
    assert Command.ANSWER_IN_WRITING not in WHILE_HELD and Command.CLEAR in WHILE_HELD
    assert clearance_of(None) is Clearance.NONE and clearance_of("committee") is Clearance.COMMITTEE
