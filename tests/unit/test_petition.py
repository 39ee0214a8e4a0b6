"""Every transition of the Petition aggregate, and every illegal one (no database)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date
from typing import Any

import pytest

from domain.actors import Actor, Command, Role, Stamp, check_permitted
from domain.errors import (
    IllegalTransition,
    InvalidCommand,
    NotPermitted,
    WrongDepartment,
)
from domain.petition import AnswerMode, Attachment, Petition, QualityFlag, Status, Verdict
from tests.unit.builders import (
    CLERK,
    COMMITTEE,
    RAISED_ON,
    ROADS,
    WATER,
    answer_at_meeting,
    answered,
    assert_refused,
    assert_replay_rebuilds,
    assign_to,
    assigned,
    give_verdict,
    raised,
    write_answer,
)

D = date


def event_names(p: Petition) -> list[str]:
    return [type(e).__name__ for e in p.collect_events()]


# ---- raise ----------------------------------------------------------------------


def test_raise_records_who_what_and_when() -> None:
    p = raised()
    assert p.status == Status.RAISED
    assert p.raised_on == RAISED_ON
    (event,) = p.collect_events()
    assert isinstance(event, Petition.Raised)
    assert event.actor == CLERK
    assert event.business_date == RAISED_ON
    assert event.timestamp.tzinfo is not None  # the record time, in UTC
    assert event.stamp == Stamp(CLERK, RAISED_ON)
    # The stamp is stored as it always was: three attributes of the event's state.
    assert {"actor", "business_date", "request_id"} <= set(vars(event))
    assert not {"stamp", "on"} & set(vars(event))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "complaint"}, "kind"),
        ({"channel": "phone"}, "channel"),
        ({"summary": "   "}, "summary"),
        ({"text": ""}, "text"),
        ({"raised_by": ""}, "raised_by"),
        ({"summary": "x" * 301}, "summary"),
        ({"channel": "meeting", "meeting": None}, "meeting"),
    ],
)
def test_raise_rejects_bad_values(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidCommand) as caught:
        raised(**overrides)
    assert caught.value.field == field


def test_written_report_needs_no_meeting() -> None:
    assert raised(channel="written_report", meeting=None).meeting is None


# ---- assign, reassign, decline, extend -------------------------------------------


def test_assign_sets_department_and_due_date() -> None:
    p = assigned()
    assert (p.status, p.department, p.due_on, p.departments) == (
        Status.ASSIGNED,
        "roads",
        D(2026, 4, 3),
        ["roads"],
    )
    assert event_names(p) == ["Raised", "Assigned"]


def test_reassign_records_the_previous_department() -> None:
    p = assigned()
    assign_to(
        p, department="water", due_on=D(2026, 4, 10), note="đúng thẩm quyền", on=D(2026, 3, 6)
    )
    event = p.collect_events()[-1]
    assert isinstance(event, Petition.Reassigned)
    assert (event.from_department, event.department) == ("roads", "water")
    assert p.departments == ["roads", "water"]
    assert p.department == "water"


def test_reassign_to_the_same_department_is_refused() -> None:
    assert_refused(
        assigned(), InvalidCommand, lambda p: assign_to(p, due_on=D(2026, 4, 10), on=D(2026, 3, 6))
    )


def test_due_date_must_follow_the_assignment() -> None:
    assert_refused(
        raised(), InvalidCommand, lambda p: assign_to(p, due_on=D(2026, 3, 5), on=D(2026, 3, 5))
    )


def test_business_dates_cannot_go_back_in_time() -> None:
    assert_refused(
        raised(), InvalidCommand, lambda p: assign_to(p, due_on=D(2026, 4, 5), on=D(2026, 3, 1))
    )


def test_the_assigned_department_may_decline() -> None:
    p = assigned()
    p.decline_assignment(reason="Không thuộc thẩm quyền", stamp=Stamp(ROADS, D(2026, 3, 7)))
    assert (p.status, p.department, p.due_on) == (Status.RAISED, None, None)
    assert p.departments == ["roads"]  # it still saw the petition


def test_another_department_may_not_decline() -> None:
    assert_refused(
        assigned(),
        WrongDepartment,
        lambda p: p.decline_assignment(reason="x", stamp=Stamp(WATER, D(2026, 3, 7))),
    )


def test_extend_deadline_moves_the_due_date_forward_only() -> None:
    p = assigned()
    p.extend_deadline(
        due_on=D(2026, 4, 20), reason="cần khảo sát", stamp=Stamp(COMMITTEE, D(2026, 3, 30))
    )
    assert p.due_on == D(2026, 4, 20)
    assert_refused(
        p,
        InvalidCommand,
        lambda q: q.extend_deadline(
            due_on=D(2026, 4, 19), reason="x", stamp=Stamp(COMMITTEE, D(2026, 3, 30))
        ),
    )


def test_extend_deadline_of_unassigned_petition_is_illegal() -> None:
    assert_refused(
        raised(),
        IllegalTransition,
        lambda p: p.extend_deadline(
            due_on=D(2026, 4, 20), reason="x", stamp=Stamp(COMMITTEE, D(2026, 3, 30))
        ),
    )


# ---- answers ----------------------------------------------------------------------


def test_written_answer_by_the_assigned_department() -> None:
    p = answered()
    assert p.status == Status.ANSWERED
    (answer,) = p.answers
    assert answer.mode is AnswerMode.WRITTEN
    assert answer.document_number == "12/CV-KTHT"
    assert answer.department == "roads"
    assert answer.due_on == D(2026, 4, 3)


def test_answering_an_unassigned_petition_is_illegal() -> None:
    assert_refused(
        raised(),
        IllegalTransition,
        lambda p: write_answer(p, document_date=D(2026, 3, 4), on=D(2026, 3, 4)),
    )


def test_answering_as_the_wrong_department_is_refused() -> None:
    assert_refused(
        assigned(),
        WrongDepartment,
        lambda p: write_answer(p, actor=WATER),
    )


def test_answer_letter_dates_must_make_sense() -> None:
    assert_refused(
        assigned(),
        InvalidCommand,
        lambda p: write_answer(p, document_date=D(2026, 3, 25), on=D(2026, 3, 20)),
    )
    assert_refused(
        assigned(),
        InvalidCommand,
        lambda p: write_answer(p, document_date=D(2026, 1, 1), on=D(2026, 3, 20)),
    )


def test_attachments_carry_a_content_hash() -> None:
    p = assigned()
    good = {"name": "cv.pdf", "sha256": "a" * 64, "size": 1024}
    write_answer(p, attachments=[good])
    assert p.answers[0].attachments == (Attachment("cv.pdf", "a" * 64, 1024),)
    assert_refused(
        assigned(),
        InvalidCommand,
        lambda q: write_answer(q, attachments=[{"name": "cv.pdf"}]),
    )


@pytest.mark.parametrize("missing", ["name", "size"])
def test_an_attachment_names_its_file_and_size(missing: str) -> None:
    letter: dict[str, Any] = {"name": "cv.pdf", "sha256": "a" * 64, "size": 1024}
    del letter[missing]
    assert_refused(assigned(), InvalidCommand, lambda q: write_answer(q, attachments=[letter]))


def test_answers_and_verdicts_are_frozen_typed_values_rebuilt_by_replay() -> None:
    p = answered()
    give_verdict(p, verdict="unsatisfied", flags=["generic"])
    (answer,), (verification,) = p.answers, p.verifications
    assert verification.verdict is Verdict.UNSATISFIED  # the event stores the string
    assert verification.flags == (QualityFlag.GENERIC,)
    assert verification.answer_number == 1
    with pytest.raises(FrozenInstanceError):
        answer.text = "sửa lại"  # type: ignore[misc]
    assert_replay_rebuilds(p, p.collect_events())


def test_answer_on_the_spot_at_the_meeting() -> None:
    p = raised()
    answer_at_meeting(p, meeting="giao-ban", verify_by=D(2026, 12, 3))
    assert p.status == Status.ANSWERED
    assert p.answers[0].mode is AnswerMode.ON_THE_SPOT
    assert_refused(
        assigned(),
        IllegalTransition,
        lambda q: answer_at_meeting(q, meeting=None, on=D(2026, 3, 6)),
    )


# ---- verification -------------------------------------------------------------------


def test_satisfied_verdict_closes() -> None:
    p = answered()
    give_verdict(p, meeting="giao-ban-4")
    assert p.status == Status.CLOSED
    assert event_names(p)[-1] == "Verified"


@pytest.mark.parametrize("verdict", ["partially_satisfied", "unsatisfied"])
def test_other_verdicts_reopen_with_a_new_due_date(verdict: str) -> None:
    p = answered()
    give_verdict(
        p,
        verdict=verdict,
        flags=["generic", "off_topic"],
        meeting="giao-ban-4",
        comment="chung chung",
        reopen_with=("roads", D(2026, 5, 3)),
    )
    assert event_names(p)[-2:] == ["Verified", "Reopened"]
    assert (p.status, p.department, p.due_on, p.reopen_count) == (
        Status.ASSIGNED,
        "roads",
        D(2026, 5, 3),
        1,
    )
    assert p.verifications[0].flags == (QualityFlag.GENERIC, QualityFlag.OFF_TOPIC)


def test_reopening_without_a_department_goes_back_to_the_committee() -> None:
    p = raised()
    answer_at_meeting(p, meeting=None)
    give_verdict(p, verdict="unsatisfied")
    assert (p.status, p.department) == (Status.RAISED, None)


def test_verifying_twice_is_illegal() -> None:
    p = answered()
    give_verdict(p)
    assert_refused(p, IllegalTransition, give_verdict)


@pytest.mark.parametrize(
    ("verdict", "flags", "reopen_with"),
    [
        ("happy", [], None),
        ("unsatisfied", ["rude"], ("roads", D(2026, 5, 3))),
        ("unsatisfied", ["generic", "generic"], ("roads", D(2026, 5, 3))),
        ("satisfied", [], ("roads", D(2026, 5, 3))),
        ("unsatisfied", [], ("roads", D(2026, 4, 2))),
    ],
)
def test_bad_verdicts_are_refused(
    verdict: str, flags: list[str], reopen_with: tuple[str, date] | None
) -> None:
    assert_refused(
        answered(),
        InvalidCommand,
        lambda p: give_verdict(p, verdict=verdict, flags=flags, reopen_with=reopen_with),
    )


def test_verifying_before_an_answer_is_illegal() -> None:
    assert_refused(assigned(), IllegalTransition, give_verdict)


# ---- escalate, withdraw, merge, close -------------------------------------------------


def test_escalate_any_open_petition_and_count_escalations() -> None:
    for p in (raised(), assigned(), answered()):
        status = p.status
        p.escalate(reason="quá hạn", stamp=Stamp(COMMITTEE, D(2026, 5, 1)))
        p.escalate(reason="quá hạn lần 2", stamp=Stamp(COMMITTEE, D(2026, 5, 20)))
        assert (p.status, p.escalations) == (status, 2)


def test_withdrawn_petition_accepts_nothing_more() -> None:
    p = assigned()
    p.withdraw(reason="đã tự giải quyết", stamp=Stamp(COMMITTEE, D(2026, 3, 8)))
    assert p.status == Status.WITHDRAWN
    for command in (
        lambda q: q.escalate(reason="x", stamp=Stamp(COMMITTEE, D(2026, 4, 1))),
        lambda q: q.withdraw(reason="x", stamp=Stamp(COMMITTEE, D(2026, 4, 1))),
        lambda q: q.close(reason="x", stamp=Stamp(COMMITTEE, D(2026, 4, 1))),
        lambda q: assign_to(q, department="water", due_on=D(2026, 5, 1), on=D(2026, 4, 1)),
    ):
        assert_refused(p, IllegalTransition, command)


def test_merge_into_another_petition() -> None:
    p, target = assigned(), raised()
    p.merge_into(target=target, reason="trùng nội dung", stamp=Stamp(COMMITTEE, D(2026, 3, 9)))
    assert (p.status, p.merged_into) == (Status.MERGED, target.id)


def test_merge_into_itself_or_a_withdrawn_petition_is_refused() -> None:
    assert_refused(
        raised(),
        InvalidCommand,
        lambda p: p.merge_into(target=p, reason=None, stamp=Stamp(COMMITTEE, D(2026, 3, 9))),
    )
    gone = raised()
    gone.withdraw(reason="x", stamp=Stamp(COMMITTEE, D(2026, 3, 4)))
    assert_refused(
        raised(),
        InvalidCommand,
        lambda p: p.merge_into(target=gone, reason=None, stamp=Stamp(COMMITTEE, D(2026, 3, 9))),
    )


def test_committee_closes_with_a_reason() -> None:
    p = answered()
    p.close(reason="Chờ bố trí vốn năm sau", stamp=Stamp(COMMITTEE, D(2026, 4, 5)))
    assert (p.status, p.closing_reason) == (Status.CLOSED, "Chờ bố trí vốn năm sau")
    assert_refused(
        answered(),
        InvalidCommand,
        lambda q: q.close(reason=" ", stamp=Stamp(COMMITTEE, D(2026, 4, 5))),
    )


# ---- replay and actors ------------------------------------------------------------------


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    p = answered()
    give_verdict(p, verdict="unsatisfied", flags=["generic"], reopen_with=("water", D(2026, 5, 3)))
    assert_replay_rebuilds(p, p.collect_events())


@pytest.mark.parametrize(
    ("role", "command", "allowed"),
    [
        (Role.CLERK, Command.RAISE, True),
        (Role.DEPARTMENT, Command.RAISE, False),
        (Role.COMMITTEE, Command.ASSIGN, True),
        (Role.CLERK, Command.ASSIGN, False),
        (Role.AUDITOR, Command.VERIFY, False),
        (Role.CLERK, Command.VERIFY, True),
        (Role.DEPARTMENT, Command.ANSWER_IN_WRITING, True),
        (Role.COMMITTEE, Command.ANSWER_IN_WRITING, False),
        (Role.SYSTEM, Command.ESCALATE, True),
        (Role.ADMIN, Command.WITHDRAW, False),
    ],
)
def test_role_permissions(role: Role, command: Command, allowed: bool) -> None:
    actor = Actor("a", role, "roads" if role is Role.DEPARTMENT else None)
    if allowed:
        check_permitted(actor, command)
    else:
        with pytest.raises(NotPermitted):
            check_permitted(actor, command)


def test_department_actor_names_its_department() -> None:
    with pytest.raises(InvalidCommand):
        Actor("a", Role.DEPARTMENT)
    with pytest.raises(InvalidCommand):
        Actor("a", Role.CLERK, "roads")


def test_answers_record_when_they_will_be_verified() -> None:
    assert answered().answers[0].verify_by == D(2026, 4, 3)
    assert_refused(
        assigned(),
        InvalidCommand,
        lambda p: write_answer(p, verify_by=D(2026, 3, 20), on=D(2026, 3, 20)),
    )
