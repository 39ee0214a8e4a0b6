"""An answer's commitment: made with the written answer, owed from the satisfied verdict,
followed by the department that answered until it is done."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor, Stamp
from domain.errors import IllegalTransition, InvalidCommand, NotPermitted, WrongDepartment
from domain.lifecycle import check_permitted, commands_for
from domain.petition import Petition
from domain.vocabulary import Command, Role, Status
from stores.attachments import Letter
from tests.unit.builders import (
    COMMITTEE,
    ROADS,
    WATER,
    assert_refused,
    assert_replay_rebuilds,
    assigned,
    commit,
    give_verdict,
    write_answer,
)
from tests.unit.test_business_dates import CLERK as CLERK_CTX
from tests.unit.test_business_dates import COMMITTEE as COMMITTEE_CTX
from tests.unit.test_business_dates import ROADS as ROADS_CTX
from tests.unit.test_business_dates import TODAY, application, draft
from usecases.commands import AnswerInWriting, Pledge, Verify
from usecases.commitments import FulfilCommitment, RecordProgress
from usecases.errors import Refused

ANSWERED_ON = date(2026, 3, 21)
DUE = date(2026, 6, 30)
DIGEST = "ab" * 32


def committed(**overrides: object) -> Petition:
    """Roads answers in writing on 21 March with its commitment (``builders.commit``)."""
    p = assigned()
    write_answer(p)
    commit(p, **overrides)
    return p


def progress(
    p: Petition, percent: int = 40, on: date = date(2026, 5, 2), actor: Actor = ROADS
) -> None:
    p.record_commitment_progress(percent=percent, note="Đã thi công 2 km", stamp=Stamp(actor, on))


def test_the_answer_s_commitment_is_recorded_right_after_it() -> None:
    p = committed()
    names = [type(e).__name__ for e in p.pending_events]
    assert names[-2:] == ["AnsweredInWriting", "CommitmentMade"]
    (c,) = p.commitments
    assert (c.department, c.due_on, c.cost, c.answer_number) == ("roads", DUE, 450_000_000, 1)
    assert c.binding_from is None and c.is_open and p.status is Status.ANSWERED


def test_a_commitment_is_made_only_in_the_answer_s_command() -> None:
    p = committed()
    p.collect_events()  # saved: the answer's command is over
    assert_refused(
        p,
        InvalidCommand,
        lambda q: q.make_commitment(
            text="Thêm", due_on=DUE, cost=None, stamp=Stamp(ROADS, ANSWERED_ON)
        ),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": ANSWERED_ON}, "commitment_due_on"),
        ({"cost": -1}, "commitment_cost"),
        ({"cost": 1.5}, "commitment_cost"),
        ({"text": "  "}, "commitment_text"),
    ],
)
def test_a_commitment_s_values_are_checked(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        committed(**overrides)
    assert refused.value.field == field


def test_a_satisfied_verdict_closes_the_petition_and_makes_the_commitment_owed() -> None:
    p = committed()
    give_verdict(p)
    assert p.status is Status.CLOSED
    assert p.commitments[-1].binding_from == date(2026, 4, 3)
    assert Command.RECORD_PROGRESS in commands_for(Status.CLOSED, Role.DEPARTMENT, in_charge=True)
    progress(p, 40, date(2026, 5, 2))
    assert (p.commitments[-1].percent, p.status) == (40, Status.CLOSED)
    p.fulfil_commitment(
        note="Đã thảm xong",
        attachments=[{"name": "nghiem-thu.pdf", "sha256": DIGEST, "size": 10}],
        stamp=Stamp(ROADS, date(2026, 6, 20)),
    )
    done = p.commitments[-1]
    assert (done.percent, done.fulfilled_on, done.kept_on_time) == (100, date(2026, 6, 20), True)
    assert done.evidence[0].name == "nghiem-thu.pdf"
    assert_refused(p, IllegalTransition, lambda q: progress(q, 50, date(2026, 6, 21)))
    assert_replay_rebuilds(p, p.collect_events())


def test_another_verdict_lets_the_commitment_lapse_with_its_answer() -> None:
    p = committed()
    give_verdict(p, verdict="unsatisfied", reopen_with=("roads", date(2026, 5, 3)))
    assert p.commitments[-1].lapsed and not p.commitments[-1].is_open
    assert_refused(p, IllegalTransition, lambda q: progress(q))


def test_only_the_department_that_answered_follows_it() -> None:
    p = committed()
    give_verdict(p)
    assert_refused(p, WrongDepartment, lambda q: progress(q, actor=WATER))
    with pytest.raises(NotPermitted):
        check_permitted(COMMITTEE, Command.FULFIL_COMMITMENT)


@pytest.mark.parametrize("percent", [-1, 100, True])
def test_progress_is_short_of_done(percent: int) -> None:
    p = committed()
    give_verdict(p)
    assert_refused(p, InvalidCommand, lambda q: progress(q, percent))


def test_a_petition_without_a_commitment_has_nothing_to_follow() -> None:
    p = assigned()
    write_answer(p)
    give_verdict(p)
    assert_refused(p, IllegalTransition, lambda q: progress(q))


def test_a_commitment_of_a_petition_the_committee_closed_unverified_is_not_owed() -> None:
    p = committed()
    p.close(reason="Trùng lặp", stamp=Stamp(COMMITTEE, date(2026, 3, 25)))
    assert_refused(p, IllegalTransition, lambda q: progress(q))


def test_progress_may_be_recorded_before_the_verdict() -> None:
    p = committed()
    progress(p, 10, date(2026, 3, 28))
    give_verdict(p)
    assert (p.commitments[-1].percent, p.commitments[-1].binding_from) == (10, date(2026, 4, 3))


# ---- through the use cases ---------------------------------------------------------------


def test_the_answer_command_records_its_commitment_and_the_department_follows_it() -> None:
    app = application()
    pid = app.raise_petition(draft(date(2026, 5, 4)), CLERK_CTX).id
    app.assign(pid, COMMITTEE_CTX, department="roads", on=date(2026, 5, 5))
    app.execute(
        AnswerInWriting(
            petition_id=pid,
            text="Sẽ sửa cầu.",
            document_number="5/KT",
            document_date=date(2026, 5, 20),
            signer="Trưởng phòng",
            on=date(2026, 5, 20),
            commitment=Pledge(text="Sửa cầu tràn", due_on=date(2026, 7, 31), cost=90_000_000),
        ),
        ROADS_CTX,
    )
    app.execute(Verify(petition_id=pid, verdict="satisfied", on=date(2026, 6, 3)), CLERK_CTX)
    with pytest.raises(Refused):
        app.execute(RecordProgress(petition_id=pid, percent=5, note="x"), COMMITTEE_CTX)
    app.execute(RecordProgress(petition_id=pid, percent=60, note="Đã đổ móng"), ROADS_CTX)
    letter = Letter(name="anh.png", content=b"\x89PNG\r\n\x1a\n", content_type="image/png")
    app.execute(FulfilCommitment(petition_id=pid, note="Xong", letters=(letter,)), ROADS_CTX)
    state = app.state(pid)
    (commitment,) = state["commitments"]
    assert state["status"] == "closed"
    assert (commitment["percent"], commitment["fulfilled_on"]) == (100, TODAY)
    assert commitment["evidence"][0]["name"] == "anh.png"
    names = [e["type"] for e in app.history(pid)]
    assert names[-5:] == [
        "AnsweredInWriting",
        "CommitmentMade",
        "Verified",
        "CommitmentProgressed",
        "CommitmentFulfilled",
    ]


def test_an_answer_whose_commitment_is_refused_records_nothing() -> None:
    """The answer and its commitment are one command: a commitment due before the answer's
    day refuses the answer too."""
    app = application()
    pid = app.raise_petition(draft(date(2026, 5, 4)), CLERK_CTX).id
    app.assign(pid, COMMITTEE_CTX, department="roads", on=date(2026, 5, 5))
    head = app.recorder.max_notification_id()
    with pytest.raises(InvalidCommand) as refused:
        app.execute(
            AnswerInWriting(
                petition_id=pid,
                text="Sẽ sửa cầu.",
                document_number="5/KT",
                document_date=date(2026, 5, 20),
                signer="Trưởng phòng",
                on=date(2026, 5, 20),
                commitment=Pledge(text="Sửa cầu", due_on=date(2026, 5, 20)),
            ),
            ROADS_CTX,
        )
    assert refused.value.field == "commitment_due_on"
    assert app.recorder.max_notification_id() == head
    assert app.state(pid)["status"] == "assigned"
