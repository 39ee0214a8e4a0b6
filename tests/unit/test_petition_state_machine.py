"""Random command sequences never reach a state the rules forbid (hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.actors import Actor, Role, Stamp
from domain.errors import DomainError
from domain.petition import OPEN_STATUSES, Status, Verdict
from tests.unit.builders import (
    CLERK,
    COMMITTEE,
    RAISED_ON,
    assert_replay_rebuilds,
    assign_to,
    give_verdict,
    raised,
    write_answer,
)

DEPARTMENTS = ["roads", "water", "police"]
department_actors = st.sampled_from([Actor(f"{d}-head", Role.DEPARTMENT, d) for d in DEPARTMENTS])
verdicts = st.sampled_from(["satisfied", "partially_satisfied", "unsatisfied"])
flag_sets = st.lists(st.sampled_from(["generic", "unpersuasive", "off_topic"]), unique=True)

# Which statuses each command may start from, written independently of the aggregate.
ALLOWED = {
    "assign": {Status.RAISED, Status.ASSIGNED},
    "decline": {Status.ASSIGNED},
    "extend": {Status.ASSIGNED},
    "answer": {Status.ASSIGNED},
    "answer_on_the_spot": {Status.RAISED},
    "verify": {Status.ANSWERED},
    "escalate": set(OPEN_STATUSES),
    "withdraw": set(OPEN_STATUSES),
    "close": set(OPEN_STATUSES),
    "reopen": {Status.CLOSED, Status.WITHDRAWN, Status.MERGED},
}
TERMINAL = {Status.CLOSED, Status.WITHDRAWN, Status.MERGED}
# The committee's endings, which a reopening undoes (a satisfied verdict is not undone).
UNDONE = {"withdraw", "close"}


class PetitionLifecycle(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.petition = raised()
        self.today = RAISED_ON
        self.refused = 0
        self.ended_from: Status | None = None  # the status the committee ended it from

    def attempt(self, command: str, action, *, valid: bool = True) -> None:  # type: ignore[no-untyped-def]
        before_status, before_version = self.petition.status, self.petition.version
        try:
            action()
        except DomainError:
            self.refused += 1
            assert self.petition.version == before_version, "a refused command changed the petition"
            assert self.petition.status == before_status
            allowed = before_status in ALLOWED[command] and valid
            # A refusal of an allowed command must come from a rule about its values, or
            # (reopen) about how the petition ended.
            if allowed:
                assert command in {"assign", "decline", "answer", "reopen"}, (
                    f"{command} wrongly refused"
                )
                if command == "reopen":
                    assert self.ended_from is None, "a committee's ending not undone"
            return
        assert before_status in ALLOWED[command], f"{command} accepted from {before_status}"
        assert valid, f"{command} accepted invalid values"
        if command in UNDONE:
            self.ended_from = before_status
        elif command == "reopen":
            assert self.ended_from is not None, "reopened what the cells' verdict closed"
            assert self.petition.status is self.ended_from, "not back where it ended from"
            self.ended_from = None
            del self.final_version

    @rule(days=st.integers(0, 20))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(department=st.sampled_from(DEPARTMENTS), due_in=st.integers(-3, 60))
    def assign(self, department: str, due_in: int) -> None:
        self.attempt(
            "assign",
            lambda: assign_to(
                self.petition,
                department=department,
                due_on=self.today + timedelta(days=due_in),
                on=self.today,
            ),
            valid=due_in > 0,
        )

    @rule(actor=department_actors)
    def decline(self, actor: Actor) -> None:
        self.attempt(
            "decline",
            lambda: self.petition.decline_assignment(
                reason="không thuộc thẩm quyền", stamp=Stamp(actor, self.today)
            ),
        )

    @rule(extra=st.integers(-5, 30))
    def extend(self, extra: int) -> None:
        due = self.petition.due_on or self.today
        self.attempt(
            "extend",
            lambda: self.petition.extend_deadline(
                due_on=due + timedelta(days=extra),
                reason="cần thêm thời gian",
                stamp=Stamp(COMMITTEE, self.today),
            ),
            valid=extra > 0,
        )

    @rule(actor=department_actors)
    def answer(self, actor: Actor) -> None:
        self.attempt(
            "answer",
            lambda: write_answer(
                self.petition,
                document_date=self.today,
                verify_by=self.today + timedelta(days=30),
                stamp=Stamp(actor, self.today),
            ),
        )

    @rule()
    def answer_on_the_spot(self) -> None:
        self.attempt(
            "answer_on_the_spot",
            lambda: self.petition.answer_on_the_spot(
                text="Trả lời tại hội nghị",
                answered_by="PCT",
                meeting=None,
                verify_by=self.today + timedelta(days=30),
                stamp=Stamp(CLERK, self.today),
            ),
        )

    @rule(verdict=verdicts, flags=flag_sets, department=st.none() | st.sampled_from(DEPARTMENTS))
    def verify(self, verdict: str, flags: list[str], department: str | None) -> None:
        reopen = (
            None
            if verdict == "satisfied" or department is None
            else (department, self.today + timedelta(days=30))
        )
        self.attempt(
            "verify",
            lambda: give_verdict(
                self.petition, verdict=verdict, flags=flags, reopen_with=reopen, on=self.today
            ),
        )

    @rule()
    def escalate(self) -> None:
        self.attempt(
            "escalate",
            lambda: self.petition.escalate(reason="quá hạn", stamp=Stamp(COMMITTEE, self.today)),
        )

    @rule()
    def withdraw(self) -> None:
        self.attempt(
            "withdraw",
            lambda: self.petition.withdraw(reason="rút", stamp=Stamp(COMMITTEE, self.today)),
        )

    @rule()
    def close(self) -> None:
        self.attempt(
            "close", lambda: self.petition.close(reason="đóng", stamp=Stamp(COMMITTEE, self.today))
        )

    @rule()
    def reopen(self) -> None:
        self.attempt(
            "reopen",
            lambda: self.petition.reopen(reason="nhầm", stamp=Stamp(COMMITTEE, self.today)),
        )

    @rule(days_back=st.integers(1, 30))
    def back_dated_command_is_refused(self, days_back: int) -> None:
        version = self.petition.version
        if self.petition.last_business_date - timedelta(days=days_back) < date.min + timedelta(1):
            return
        with contextlib.suppress(DomainError):
            self.petition.escalate(
                reason="x",
                stamp=Stamp(
                    COMMITTEE, self.petition.last_business_date - timedelta(days=days_back)
                ),
            )
        assert self.petition.version == version

    @invariant()
    def assigned_means_a_department_and_a_due_date(self) -> None:
        p = self.petition
        if p.status == Status.ASSIGNED:
            assert p.department is not None and p.due_on is not None
            assert p.department in p.departments
        if p.status == Status.RAISED:
            assert p.department is None and p.due_on is None

    @invariant()
    def answers_and_verifications_keep_step(self) -> None:
        p = self.petition
        assert len(p.verifications) <= len(p.answers)
        if p.status == Status.ANSWERED:
            assert len(p.answers) == len(p.verifications) + 1
        assert p.reopen_count == sum(
            1 for v in p.verifications if v.verdict is not Verdict.SATISFIED
        )

    @invariant()
    def terminal_states_are_final(self) -> None:
        """Nothing is recorded after the end but a reopening (which forgets the end)."""
        p = self.petition
        if p.status in TERMINAL:
            self.final_version = getattr(self, "final_version", p.version)
            assert p.version == self.final_version, "an event was recorded after the end"

    @invariant()
    def replay_gives_the_same_state(self) -> None:
        assert_replay_rebuilds(self.petition, self.petition.pending_events)
        assert self.petition.version == len(self.petition.pending_events)


PetitionLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=30, deadline=None
)
test_petition_lifecycle = PetitionLifecycle.TestCase
