"""Delivery of the reminder digests by SMTP: each department's mail of the day, made from the
stored outbox rows (so a resend is the same mail), sent and marked sent."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import structlog

from domain.petition import ReminderKind
from stores.outbox import Outbox

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 30.0


@dataclass
class DeliveryReport:
    digests_made: int = 0
    sent: list[str] = field(default_factory=list)  # Message-IDs
    # Of those, the ones attempted before: possibly a duplicate, which the receiver
    # recognises by its Message-ID.
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    no_recipient: list[str] = field(default_factory=list)  # departments without an address
    waiting: int = 0  # reminders not yet delivered after this pass


KIND_LABELS = {
    ReminderKind.OVERDUE: ("QUÁ HẠN", "OVERDUE"),
    ReminderKind.DUE_SOON: ("SẮP ĐẾN HẠN", "DUE SOON"),
}


def build_digest(
    digest: dict[str, Any], reminders: list[dict[str, Any]], attempt: int, sender: str
) -> EmailMessage:
    """The department's e-mail for one day: every reminder of the digest, Vietnamese
    first. Its content depends only on the stored rows, so a resend is the same mail."""
    day: date = digest["day"]
    name = reminders[0]["department_name"] if reminders else digest["department"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(digest["recipients"])
    message["Subject"] = (
        f"Nhắc hạn trả lời kiến nghị ngày {day:%d/%m/%Y}: {len(reminders)} kiến nghị"
        f" — Petition reminders {day.isoformat()} ({name})"
    )
    message["Message-ID"] = digest["message_id"]
    message["Date"] = format_datetime(datetime.now(UTC))
    message["X-Petitions-Digest"] = f"{digest['department']} {day.isoformat()} {digest['seq']}"
    message["X-Petitions-Attempt"] = str(attempt)
    vi = [
        f"Kính gửi: {name}",
        "",
        f"Ngày {day:%d/%m/%Y}, hệ thống theo dõi ý kiến, kiến nghị nhắc {len(reminders)}"
        " kiến nghị do đơn vị phụ trách:",
        "",
    ]
    en = [f"Reminders of {day.isoformat()} for {name} ({len(reminders)}):", ""]
    for n, r in enumerate(reminders, 1):
        label_vi, label_en = KIND_LABELS.get(r["kind"], (r["kind"], r["kind"]))
        vi += [
            f"{n}. {label_vi} (hạn trả lời {r['due_on']:%d/%m/%Y}): {r['summary']}",
            f"   Mã kiến nghị: {r['petition_id']}",
        ]
        en.append(
            f"{n}. {label_en} (answer due {r['due_on'].isoformat()}): petition {r['petition_id']}"
        )
    vi += ["", "Thư gửi tự động; thư trùng Message-ID là bản gửi lại.", "", "---", ""]
    en += ["", "Sent automatically; a mail with the same Message-ID is a resend."]
    message.set_content("\n".join(vi + en))
    return message


def send(smtp: SmtpSettings, message: EmailMessage) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, smtp.password)
        refused = client.send_message(message)
    if refused:
        log.warning("outbox.recipients_refused", message_id=message["Message-ID"], refused=refused)


def deliver(
    outbox: Outbox, smtp: SmtpSettings | None, recipients: Callable[[str], list[str]]
) -> DeliveryReport:
    """Make digests of what waits and send every digest not marked sent. Without SMTP
    settings the reminders wait in the outbox."""
    report = DeliveryReport()
    if smtp is None:
        report.waiting = outbox.waiting()
        return report
    made, report.no_recipient = outbox.make_digests(recipients, smtp.sender)
    report.digests_made = len(made)
    for department in report.no_recipient:
        log.warning("outbox.no_recipient", department=department)
    for digest in outbox.unsent():
        message_id = digest["message_id"]
        reminders = outbox.reminders_of(message_id)
        attempt = outbox.begin_attempt(message_id)
        message = build_digest(digest, reminders, attempt, smtp.sender)
        try:
            send(smtp, message)
        except (OSError, smtplib.SMTPException) as error:
            outbox.record_failure(message_id, repr(error))
            report.failed.append(message_id)
            log.warning("outbox.send_failed", message_id=message_id, error=repr(error))
            continue
        outbox.mark_sent(message_id)
        report.sent.append(message_id)
        if attempt > 1:
            report.retried.append(message_id)
        log.info(
            "outbox.sent",
            message_id=message_id,
            department=digest["department"],
            reminders=len(reminders),
            attempt=attempt,
        )
    report.waiting = outbox.waiting()
    return report
