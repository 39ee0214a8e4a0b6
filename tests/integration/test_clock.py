"""The paused clock on real PostgreSQL: in the overdue view (its paused list and the answer's
intervals, as of any date), the scorecards' open overdue, the list and the packet; ended
by whatever ends the answer owed; and the log of pauses still rebuilds the same views
(``replay --verify``) and chains INTACT (``audit verify``)."""

from __future__ import annotations

from datetime import date

from domain.due_basis import ClockPause, resumed
from domain.vocabulary import PauseReason
from service.bootstrap import Service
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    assigned_to_infra,
    draft,
    run_cli,
    write_answer,
)
from usecases.clock import PauseClock, ResumeClock
from usecases.commands import Reopen
from workers import policy
from workers.runner import catch_up

D = date
INFRA = "kinh-te-ha-tang"
PAUSED_ON, RESUMED_ON = D(2026, 3, 20), D(2026, 4, 10)


def pause(service: Service, pid: object, on: date, reason: str = "site_visit") -> None:
    command = PauseClock(petition_id=pid, reason=reason, note="Khảo sát", on=on)  # type: ignore[arg-type]
    service.app.handle(command, COMMITTEE)


def on_board(service: Service, on: date) -> set[object]:
    return {r["petition_id"] for r in service.views["overdue"].board(on, limit=None).items}


def paused(service: Service, on: date) -> set[object]:
    return {r["petition_id"] for r in service.views["overdue"].paused(on)}


def test_a_paused_clock_in_the_views_through_replay_and_the_audit_chain(service: Service) -> None:
    app = service.app
    resumed_one = assigned_to_infra(app, summary="Đường ống vỡ thôn 3").id
    due = app.state(resumed_one)["due_on"]
    assert PAUSED_ON < due < RESUMED_ON
    pause(service, resumed_one, PAUSED_ON)
    app.handle(ResumeClock(petition_id=resumed_one, on=RESUMED_ON), COMMITTEE)
    reassigned = assigned_to_infra(app, summary="Đèn đường hỏng").id
    pause(service, reassigned, PAUSED_ON, "other_agency")
    app.assign(reassigned, COMMITTEE, department="cong-an", on=D(2026, 3, 25))
    reinstated = assigned_to_infra(app, summary="Rác thải chợ").id
    pause(service, reinstated, PAUSED_ON, "cell_information")
    app.close_petition(reinstated, COMMITTEE, reason="Nhầm", on=D(2026, 3, 22))
    app.handle(Reopen(petition_id=reinstated, reason="Đóng nhầm", on=D(2026, 3, 23)), COMMITTEE)
    answered = assigned_to_infra(app, summary="Cầu tạm xuống cấp").id
    pause(service, answered, PAUSED_ON)
    write_answer(app, answered, D(2026, 3, 24))
    catch_up(service.runners, app.recorder, app.mapper)

    four = {resumed_one, reassigned, reinstated, answered}
    assert paused(service, PAUSED_ON) == four  # paused from the day of the pause
    assert paused(service, D(2026, 3, 19)) == set()
    # each pause ended by what ended the answer owed: a new holder, a close, an answer
    assert paused(service, D(2026, 3, 26)) == {resumed_one}
    assert paused(service, RESUMED_ON) == set()
    # its old due date passed while paused: not late then; late before the pause, never
    old_late = D(2026, 4, 6)
    assert resumed_one not in on_board(service, old_late)
    assert reinstated in on_board(service, old_late)  # its clock runs again once reopened
    moved = app.state(resumed_one)["due_on"]
    reference = app.province.reference(app.state(resumed_one)["organisation"])
    pause_then = ClockPause(PauseReason.SITE_VISIT, "Khảo sát", PAUSED_ON, due)
    assert (moved, app.state(resumed_one)["due_basis"]) == resumed(
        pause_then, RESUMED_ON, reference.working_days
    )
    day_after = D.fromordinal(moved.toordinal() + 1)
    assert resumed_one not in on_board(service, moved) and resumed_one in on_board(
        service, day_after
    )
    (row,) = [
        r for r in service.views["overdue"].board(day_after, limit=None).items
        if r["petition_id"] == resumed_one
    ]  # fmt: skip
    assert row["due_on"] == moved and row["days_overdue"] == 1
    listed = service.views["petition_list"].get(resumed_one)
    assert listed is not None and listed["due_on"] == moved

    quality = service.views["quality"]
    cards = {c["department"]: c for c in quality.scorecards(D(2026, 3, 1), old_late)}
    # of the infrastructure office's answers open on 6 April, the reopened one is overdue;
    # the paused one is not, though its due date had passed
    assert cards[INFRA]["open_overdue"] == 1
    cards = {c["department"]: c for c in quality.scorecards(D(2026, 3, 1), day_after)}
    assert cards[INFRA]["open_overdue"] == 2

    verified = run_cli(service, "replay", "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "0 differences" in verified.stdout
    chain = run_cli(service, "audit", "verify")
    assert chain.returncode == 0, chain.stdout + chain.stderr
    assert "INTACT" in chain.stdout


def test_the_policy_worker_reminds_of_no_old_date_and_of_no_paused_clock(
    service: Service,
) -> None:
    """Due 22 April, extended on 15 April to 20 May: the worker's passes remind of 20 May
    only (due soon from 17 May), never of 22 April, nor as overdue after it. Due 10 April
    and paused on 5 April: neither reminded nor escalated while paused."""
    app = service.app
    app.today = lambda: D(2026, 4, 15)
    extended = app.assign(
        app.raise_petition(draft(summary="Ống nước vỡ"), CLERK).id,
        COMMITTEE,
        department=INFRA,
        due_on=D(2026, 4, 22),
        on=D(2026, 3, 5),
    ).id
    app.extend_deadline(
        extended, COMMITTEE, due_on=D(2026, 5, 20), reason="Chờ vật tư", on=D(2026, 4, 15)
    )
    stopped = app.assign(
        app.raise_petition(draft(summary="Đèn đường hỏng"), CLERK).id,
        COMMITTEE,
        department=INFRA,
        due_on=D(2026, 4, 10),
        on=D(2026, 3, 5),
    ).id
    pause(service, stopped, D(2026, 4, 5))
    for day in (D(2026, 4, 20), D(2026, 4, 23), D(2026, 5, 10)):
        app.today = lambda day=day: day  # type: ignore[misc]
        catch_up(service.runners, app.recorder, app.mapper)
        report = policy.run_once(service)
        assert (report.reminders, report.escalations, report.refused) == (0, 0, []), day
    app.today = lambda: D(2026, 5, 17)
    assert policy.run_once(service).reminders == 1
    reminders = [e for e in app.history(extended) if e["type"] == "ReminderIssued"]
    assert [(r["payload"]["kind"], r["payload"]["due_on"]) for r in reminders] == [
        ("due_soon", D(2026, 5, 20))
    ]
    assert "ReminderIssued" not in {e["type"] for e in app.history(stopped)}
    assert "Escalated" not in {e["type"] for e in app.history(stopped)}
