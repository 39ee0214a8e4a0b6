"""`petitions policy`: the deadline policy worker.

One pass, on the business day (``service.app.today()``, Asia/Ho_Chi_Minh):

1. *Decide.* The petition list view names the candidates (assigned and due within
   ``POLICY_REMIND_DAYS_BEFORE`` days or overdue; open and reopened twice); each is
   loaded from its events and the ``Petitions`` application records, as the system
   actor, what the policy decides that is not recorded yet: a ``ReminderIssued``
   (``due_soon`` / ``overdue``, with its outbox row in the same transaction) and an
   ``Escalated`` with its rule (``overdue`` by more than ``POLICY_ESCALATE_AFTER_DAYS``,
   ``unsatisfied_twice``). Decisions already recorded are skipped and refused by the
   aggregate, so a second pass over the same day records nothing.
2. *Deliver.* The outbox's reminders go out as one digest per department and day over
   SMTP, each with a deterministic Message-ID (see ``stores/outbox.py``).

One pass at a time per schema: a PostgreSQL advisory lock; a second worker skips the
pass. ``petitions policy --once`` runs one pass (cron, tests); without ``--once`` passes
repeat every ``POLICY_INTERVAL_SECONDS`` until SIGTERM or SIGINT.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

import structlog

from domain.actors import Actor, Role
from domain.errors import ConcurrentUpdate, DomainError
from domain.policy import REMIND, PolicyRules
from projections.petition_list import PetitionListView
from service.bootstrap import Service
from service.settings import Settings, section
from stores.outbox import Outbox, OutboxRecorder
from usecases.commands import Context
from workers.mail import DeliveryReport, SmtpSettings, deliver
from workers.runner import AdvisoryLock

log = structlog.get_logger(__name__)

POLICY_ACTOR = Actor("policy-worker", Role.SYSTEM)


@dataclass
class PassReport:
    day: date
    ran: bool = True  # False: another worker held the lock
    candidates: int = 0
    reminders: int = 0
    escalations: int = 0
    position: int | None = None  # the log's head after the decisions
    view_lag: int = 0  # events the petition list had not applied when the pass began
    refused: list[str] = field(default_factory=list)  # petitions left for the next pass
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    def line(self) -> str:
        if not self.ran:
            return f"policy {self.day.isoformat()}: skipped, another worker is running a pass"
        d = self.delivery
        return (
            f"policy {self.day.isoformat()}: {self.candidates} candidates, "
            f"{self.reminders} reminders, {self.escalations} escalations recorded; "
            f"{len(d.sent)} digests sent ({len(d.retried)} retried), {len(d.failed)} failed, "
            f"{d.waiting} reminders waiting"
        )


def rules_from(settings: Settings) -> PolicyRules:
    return PolicyRules(
        escalate_after_days=settings.policy_escalate_after_days,
        remind_days_before=settings.policy_remind_days_before,
    )


def smtp_from(settings: Settings) -> SmtpSettings | None:
    return section(settings, "smtp_", SmtpSettings)


def decide(service: Service, rules: PolicyRules, day: date, report: PassReport) -> None:
    app = service.app
    view = service.views.petition_list
    assert isinstance(view, PetitionListView)
    head = app.recorder.max_notification_id() or 0
    report.view_lag = max(0, head - view.position())
    ctx = Context(POLICY_ACTOR, request_id=f"policy-{day.isoformat()}")
    candidates = view.policy_candidates(day + timedelta(days=rules.remind_days_before))
    report.candidates = len(candidates)
    for petition_id in candidates:
        try:
            taken, written = app.apply_policy(petition_id, ctx, rules, on=day)
        except (ConcurrentUpdate, DomainError) as error:
            # A command raced ours, or the view was ahead of what we read: next pass.
            report.refused.append(str(petition_id))
            log.warning("policy.refused", petition_id=str(petition_id), error=str(error))
            continue
        report.reminders += sum(d.action == REMIND for d in taken)
        report.escalations += sum(d.action != REMIND for d in taken)
        if written is not None:
            report.position = written.position
            log.info(
                "policy.recorded",
                petition_id=str(petition_id),
                decisions=[f"{d.action}:{d.kind}" for d in taken],
                position=written.position,
            )


def run_once(service: Service) -> PassReport:
    """One pass of decisions and deliveries on the business day."""
    settings = service.settings
    if not isinstance(service.app.recorder, OutboxRecorder):
        raise RuntimeError("the application's recorder keeps no outbox: reminders would be lost")
    day = service.app.today()
    report = PassReport(day)
    lock = AdvisoryLock(service.conninfo, f"petitions-policy:{service.app.datastore.schema}")
    with lock as got:
        if not got:
            report.ran = False
            log.info("policy.skipped", reason="another worker holds the policy lock")
            return report
        decide(service, rules_from(settings), day, report)
        report.delivery = deliver(
            Outbox(service.app.datastore), smtp_from(settings), settings.recipients_of
        )
    log.info(
        "policy.pass",
        day=day.isoformat(),
        candidates=report.candidates,
        reminders=report.reminders,
        escalations=report.escalations,
        view_lag=report.view_lag,
        sent=len(report.delivery.sent),
        failed=len(report.delivery.failed),
        waiting=report.delivery.waiting,
    )
    return report


def run_until_stopped(service: Service, stop: threading.Event) -> None:
    """Passes every ``POLICY_INTERVAL_SECONDS`` until ``stop`` is set; a failed pass is
    logged and retried at the next one."""
    log.info("policy.started", interval=service.settings.policy_interval_seconds)
    while not stop.is_set():
        try:
            run_once(service)
        except Exception as error:  # the loop outlives a database restart or a bad pass
            log.warning("policy.failed", error=repr(error))
        stop.wait(service.settings.policy_interval_seconds)
    log.info("policy.stopped")
