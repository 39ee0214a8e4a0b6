"""The deadline policy worker on real PostgreSQL, delivering to a real SMTP server (aiosmtpd
on 127.0.0.1, started by the tests): its decisions as events, a second pass over the same
day recording nothing, one digest per department and day, and crashes between sending and
marking sent that lose no reminder and duplicate none unrecognisably."""

from __future__ import annotations

import email
import email.policy
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from psycopg import sql

from domain.actors import Stamp
from domain.errors import ConcurrentUpdate
from domain.vietnam import today_in_vietnam
from service.bootstrap import Service
from service.database import Database
from service.settings import Settings
from stores.outbox import Outbox
from tests.conftest import settings_in
from tests.integration.helpers import (
    CLERK,
    COMMITTEE,
    cli_env,
    draft,
    start_petitions,
    stored_event_count,
    write_answer,
)
from workers import policy
from workers.runner import catch_up

D = date
DAY = D(2026, 4, 20)  # the business day of the passes
DOMAIN = "huyen.example.vn"


class Inbox:
    """What the SMTP server accepted; ``on_data`` runs before it answers 250."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.on_data: Callable[[EmailMessage], None] | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        if self.on_data is not None:
            self.on_data(message)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [m for _, m in self.received]

    def message_ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def settings(tmp_path: Path, smtp: tuple[Inbox, int]) -> Settings:
    """The conftest settings, with the test's SMTP server and departments' mail domain."""
    return settings_in(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=smtp[1],
        smtp_sender=f"nhac-han@{DOMAIN}",
        reminder_domain=DOMAIN,
        reminder_recipients={"cong-an": f"vanphong@congan.{DOMAIN}"},
    )


def assigned(service: Service, department: str, due_on: date, summary: str) -> UUID:
    app = service.app
    pid = app.raise_petition(draft(summary=summary), CLERK).id
    app.assign(pid, COMMITTEE, department=department, due_on=due_on, on=D(2026, 3, 5))
    return pid


def answer(service: Service, pid: UUID, on: date) -> None:
    write_answer(
        service.app,
        pid,
        on,
        text="Đã khảo sát, sẽ sửa.",
        document_number=f"{on.day}/CV-KTHT",
        signer="Trưởng phòng Lê Văn A",
    )


@pytest.fixture
def district(service: Service) -> dict[str, UUID]:
    """Petitions in every situation the policy tells apart, on DAY, views caught up."""
    service.app.today = lambda: DAY
    p = {
        "very_overdue": assigned(service, "kinh-te-ha-tang", D(2026, 4, 3), "Ống nước vỡ"),
        "due_soon": assigned(service, "kinh-te-ha-tang", D(2026, 4, 22), "Đèn đường hỏng"),
        "overdue": assigned(service, "cong-an", D(2026, 4, 10), "Trộm cắp ban đêm"),
        "not_yet": assigned(service, "kinh-te-ha-tang", D(2026, 4, 30), "Cống tắc"),
        "twice": assigned(service, "kinh-te-ha-tang", D(2026, 3, 20), "Đường lầy lội"),
    }
    app, pid = service.app, p["twice"]
    answer(service, pid, D(2026, 3, 10))
    app.verify(pid, CLERK, verdict="unsatisfied", due_on=D(2026, 4, 5), on=D(2026, 3, 15))
    answer(service, pid, D(2026, 3, 25))
    app.verify(pid, CLERK, verdict="partially_satisfied", due_on=D(2026, 5, 20), on=D(2026, 4, 3))
    answered = assigned(service, "kinh-te-ha-tang", D(2026, 4, 3), "Trường học dột")
    answer(service, answered, D(2026, 3, 30))
    p["answered"] = answered
    catch_up(service.runners, service.app.recorder, service.app.mapper)
    return p


def event_types(service: Service, pid: UUID) -> list[str]:
    return [h["type"] for h in service.app.history(pid)]


def outbox_rows(service: Service) -> list[dict[str, Any]]:
    datastore = service.app.datastore
    with datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL("SELECT * FROM {} ORDER BY id").format(
                sql.Identifier(datastore.schema, "reminder_outbox")
            )
        )
        return [dict(r) for r in curs.fetchall()]


# ---- (a) decisions ----------------------------------------------------------------------


def test_the_policy_records_its_decisions_as_events(
    service: Service, district: dict[str, UUID]
) -> None:
    report = policy.run_once(service)
    assert (report.reminders, report.escalations) == (3, 2)
    app = service.app
    history = app.history(district["very_overdue"])
    assert [h["type"] for h in history[-2:]] == ["ReminderIssued", "Escalated"]
    reminder, escalation = history[-2:]
    assert reminder["payload"] == {
        "kind": "overdue",
        "due_on": D(2026, 4, 3),
        "department": "kinh-te-ha-tang",
    }
    assert reminder["actor"] == {
        "id": "policy-worker",
        "role": "system",
        "department": None,
        "name": None,
        "position": None,
    }
    assert reminder["business_date"] == DAY
    assert escalation["payload"]["rule"] == "overdue"
    assert "17" in escalation["payload"]["reason"]  # days overdue
    assert app.state(district["very_overdue"])["escalations"] == 1

    assert event_types(service, district["due_soon"])[-1] == "ReminderIssued"
    assert app.history(district["due_soon"])[-1]["payload"]["kind"] == "due_soon"
    overdue = app.history(district["overdue"])
    assert [h["type"] for h in overdue[-1:]] == ["ReminderIssued"]  # 10 days: no escalation
    assert overdue[-1]["payload"]["kind"] == "overdue"
    twice = app.history(district["twice"])
    assert twice[-1]["type"] == "Escalated"
    assert twice[-1]["payload"]["rule"] == "unsatisfied_twice"
    assert "ReminderIssued" not in event_types(service, district["twice"])  # due 20 May
    for untouched in ("not_yet", "answered"):
        types = event_types(service, district[untouched])
        assert not {"ReminderIssued", "Escalated"} & set(types), untouched

    # Every reminder has its outbox row; the views take the new events in their stride.
    rows = outbox_rows(service)
    assert {(r["petition_id"], r["kind"], r["department"], r["issued_on"]) for r in rows} == {
        (district["very_overdue"], "overdue", "kinh-te-ha-tang", DAY),
        (district["due_soon"], "due_soon", "kinh-te-ha-tang", DAY),
        (district["overdue"], "overdue", "cong-an", DAY),
    }
    catch_up(service.runners, service.app.recorder, service.app.mapper)
    listed = service.views["petition_list"].get(district["very_overdue"])  # type: ignore[attr-defined]
    assert listed["escalations"] == 1
    assert listed["version"] == app.state(district["very_overdue"])["version"]
    assert listed["last_business_date"] == D(2026, 3, 5)  # the system's events do not move it
    assert app.load(district["very_overdue"]).last_business_date == D(2026, 3, 5)
    counts = service.views["backdating"].counts_by_type()  # type: ignore[attr-defined]
    assert counts["ReminderIssued"] == 3 and counts["Escalated"] == 2


def test_a_failed_save_writes_no_outbox_row(service: Service, district: dict[str, UUID]) -> None:
    """The outbox row shares the event's transaction: a lost race leaves neither."""
    app, pid = service.app, district["due_soon"]
    stale = app.load(pid)
    stale.issue_reminder(kind="due_soon", stamp=Stamp(policy.POLICY_ACTOR, DAY))
    app.escalate(pid, COMMITTEE, reason="Ban Thường vụ theo dõi", on=DAY)  # wins the race
    with pytest.raises(ConcurrentUpdate):
        app.save_petition(stale)
    assert outbox_rows(service) == []
    assert "ReminderIssued" not in event_types(service, pid)


# ---- (b) a second pass over the same day ----------------------------------------------


def test_a_second_pass_over_the_same_day_records_nothing_new(
    service: Service, district: dict[str, UUID], smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    first = policy.run_once(service)
    assert first.reminders + first.escalations == 5
    head, events, rows = (
        service.app.recorder.max_notification_id(),
        stored_event_count(service),
        len(outbox_rows(service)),
    )
    mails = len(inbox.messages)
    catch_up(service.runners, service.app.recorder, service.app.mapper)  # the views follow

    second = policy.run_once(service)

    assert (second.candidates, second.reminders, second.escalations) == (first.candidates, 0, 0)
    assert second.refused == []
    assert service.app.recorder.max_notification_id() == head
    assert stored_event_count(service) == events
    assert len(outbox_rows(service)) == rows
    assert (len(second.delivery.sent), len(inbox.messages)) == (0, mails)


# ---- (c) one digest per department and day --------------------------------------------


def test_one_digest_per_department_and_day_with_its_message_id(
    service: Service, district: dict[str, UUID], smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    report = policy.run_once(service)
    assert len(report.delivery.sent) == 2 and report.delivery.waiting == 0
    by_to = {tuple(to): m for to, m in inbox.received}
    assert set(by_to) == {(f"kinh-te-ha-tang@{DOMAIN}",), (f"vanphong@congan.{DOMAIN}",)}
    infra = by_to[(f"kinh-te-ha-tang@{DOMAIN}",)]
    assert infra["Message-ID"] == f"<petitions-reminders.20260420.kinh-te-ha-tang.1@{DOMAIN}>"
    assert infra["From"] == f"nhac-han@{DOMAIN}"
    assert infra["X-Petitions-Attempt"] == "1"
    assert "Nhắc hạn" in str(infra["Subject"]) and "Phòng Kinh tế và Hạ tầng" in str(
        infra["Subject"]
    )
    body = infra.get_content()
    assert str(district["very_overdue"]) in body and str(district["due_soon"]) in body
    assert "Ống nước vỡ" in body and "Đèn đường hỏng" in body
    assert "QUÁ HẠN (hạn trả lời 03/04/2026)" in body
    assert "SẮP ĐẾN HẠN (hạn trả lời 22/04/2026)" in body
    assert str(district["overdue"]) not in body  # the police's, in their own digest
    police = by_to[(f"vanphong@congan.{DOMAIN}",)]
    assert police["Message-ID"] == f"<petitions-reminders.20260420.cong-an.1@{DOMAIN}>"
    assert str(district["overdue"]) in police.get_content()

    # A reminder issued later the same day goes out in a second digest of that day.
    late = assigned(service, "kinh-te-ha-tang", D(2026, 4, 21), "Cầu tạm hư")
    catch_up(service.runners, service.app.recorder, service.app.mapper)
    policy.run_once(service)
    assert inbox.messages[-1]["Message-ID"] == (
        f"<petitions-reminders.20260420.kinh-te-ha-tang.2@{DOMAIN}>"
    )
    assert str(late) in inbox.messages[-1].get_content()
    assert str(district["due_soon"]) not in inbox.messages[-1].get_content()


def test_without_an_smtp_server_reminders_wait_in_the_outbox(
    service: Service, district: dict[str, UUID], smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    service.settings = service.settings.model_copy(update={"smtp_host": ""})
    report = policy.run_once(service)
    assert report.reminders == 3 and report.delivery.waiting == 3 and inbox.messages == []
    service.settings = service.settings.model_copy(update={"smtp_host": "127.0.0.1"})
    assert len(policy.run_once(service).delivery.sent) == 2


# ---- (d) crashes between sending and marking sent -------------------------------------


class Crash(BaseException):
    """The process dies: nothing of the worker's own error handling runs."""


def test_a_crash_after_sending_loses_nothing_and_the_resend_is_recognisable(
    service: Service,
    district: dict[str, UUID],
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, _ = smtp
    real_mark_sent = Outbox.mark_sent
    crashes: list[str] = []

    def mark_sent_then_crash(self: Outbox, message_id: str) -> None:
        if not crashes:
            crashes.append(message_id)
            raise Crash  # the SMTP server has the mail; "sent" is never recorded
        real_mark_sent(self, message_id)

    monkeypatch.setattr(Outbox, "mark_sent", mark_sent_then_crash)
    with pytest.raises(Crash):
        policy.run_once(service)
    assert len(inbox.messages) == 1  # the first digest went out, then the worker died
    (crashed,) = crashes
    assert inbox.messages[0]["Message-ID"] == crashed

    report = policy.run_once(service)  # the worker restarted

    assert report.reminders == 0 and report.escalations == 0  # decided before the crash
    assert report.delivery.retried == [crashed] and report.delivery.waiting == 0
    seen = inbox.message_ids()
    assert seen[crashed] == 2 and all(n == 1 for mid, n in seen.items() if mid != crashed)
    first, again = [m for m in inbox.messages if m["Message-ID"] == crashed]
    assert (first["X-Petitions-Attempt"], again["X-Petitions-Attempt"]) == ("1", "2")
    assert first.get_content() == again.get_content()  # the same digest, not a new one
    delivered = "\n".join(m.get_content() for m in inbox.messages)
    for row in outbox_rows(service):
        assert str(row["petition_id"]) in delivered
    assert policy.run_once(service).delivery.sent == []  # nothing left to send


def run_policy_process(
    database: Database, schema: str, data_dir: Path, port: int, *, once: bool = True
) -> subprocess.Popen[str]:
    env = cli_env(
        data_dir,
        database,
        schema,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_SENDER=f"nhac-han@{DOMAIN}",
        REMINDER_DOMAIN=DOMAIN,
        POLICY_INTERVAL_SECONDS="0.5",
    )
    return start_petitions(env, "policy", *(["--once"] if once else []))


def test_kill_9_between_sending_and_marking_sent(
    service: Service, database: Database, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """`petitions policy --once` as a process, killed with SIGKILL while the SMTP server
    holds its first digest; run again, it resends that digest under the same Message-ID
    and sends the rest; every reminder arrives."""
    inbox, port = smtp
    today = today_in_vietnam()  # the process runs on the real business day
    app = service.app
    pids = []
    for department, days in (("kinh-te-ha-tang", 1), ("kinh-te-ha-tang", -20), ("cong-an", 2)):
        pid = app.raise_petition(draft(raised_on=today - timedelta(days=60)), CLERK).id
        app.assign(
            pid,
            COMMITTEE,
            department=department,
            due_on=today + timedelta(days=days),
            on=today - timedelta(days=59),
        )
        pids.append(pid)
    catch_up(service.runners, app.recorder, app.mapper)
    schema = app.datastore.schema
    process: list[subprocess.Popen[str]] = []

    def kill_the_worker(_: EmailMessage) -> None:
        inbox.on_data = None
        process[0].send_signal(signal.SIGKILL)
        process[0].wait(30)

    inbox.on_data = kill_the_worker
    process.append(run_policy_process(database, schema, tmp_path, port))
    process[0].communicate(timeout=120)
    assert process[0].returncode == -signal.SIGKILL
    assert len(inbox.messages) == 1
    crashed = str(inbox.messages[0]["Message-ID"])
    events = stored_event_count(service)
    assert [h["type"] for h in app.history(pids[1])][-2:] == ["ReminderIssued", "Escalated"]

    again = run_policy_process(database, schema, tmp_path, port)
    out, err = again.communicate(timeout=120)

    assert again.returncode == 0, err
    assert "0 reminders, 0 escalations recorded; 2 digests sent (1 retried)" in out
    assert stored_event_count(service) == events  # the restart decided nothing new
    seen = inbox.message_ids()
    assert seen[crashed] == 2 and sum(seen.values()) == 3
    delivered = "\n".join(m.get_content() for m in inbox.messages)
    for pid in pids:
        assert str(pid) in delivered
    assert Outbox(app.datastore).waiting() == 0


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login(service: Service, district: dict[str, UUID], tmp_path: Path) -> None:
    """A server that asks for a login gets one (no TLS on the test server)."""
    inbox = Inbox()
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"bi-mat")

    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        service.settings = service.settings.model_copy(
            update={"smtp_port": port, "smtp_username": "nhac-han", "smtp_password": "bi-mat"}
        )
        report = policy.run_once(service)
    finally:
        controller.stop()
    assert logins == [(b"nhac-han", b"bi-mat")] * 2
    assert len(report.delivery.sent) == 2 and len(inbox.messages) == 2


def test_the_policy_loop_passes_until_sigterm(
    service: Service, database: Database, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """`petitions policy` (what docker compose runs): a pass every interval, each after the
    first recording and sending nothing new; SIGTERM stops it cleanly."""
    inbox, port = smtp
    today, app = today_in_vietnam(), service.app
    pid = app.raise_petition(draft(raised_on=today - timedelta(days=30)), CLERK).id
    app.assign(
        pid,
        COMMITTEE,
        department="kinh-te-ha-tang",
        due_on=today + timedelta(days=1),
        on=today - timedelta(days=29),
    )
    catch_up(service.runners, app.recorder, app.mapper)
    worker = run_policy_process(database, app.datastore.schema, tmp_path, port, once=False)
    try:
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # a few more passes
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert err.count('"policy.pass"') >= 3
    assert '"policy.stopped"' in err
    assert len(inbox.messages) == 1 and str(pid) in inbox.messages[0].get_content()
    assert [h["type"] for h in app.history(pid)].count("ReminderIssued") == 1
