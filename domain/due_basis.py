"""How a due date was computed, kept with it, and said in one sentence.

Every event that sets a petition's due date (``Assigned``, ``Reassigned``,
``ReferredUpward``, ``DeadlineExtended``, ``ClockResumed``) records its *basis*: a small
dict of plain values (dates in ISO), one of ``DueBasisKind``:

- ``briefing`` / ``cell_meeting``: the calendar's meeting the date is the day of: the first
  after the assignment that leaves at least ``min_working_days`` working days, with the
  meetings passed over as too close, the working days left and the weekday holidays not
  counted;
- ``period``: no calendar, so ``days`` days after the assignment;
- ``given``: the committee gave the date by hand;
- ``extended``: the committee moved it later, from ``previous_due_on``, with its reason;
- ``resumed``: the clock was paused from ``paused_on`` to ``resumed_on``, and the date
  moved by the ``paused_working_days`` from ``previous_due_on``.

Events recorded before the basis was kept upcast to None: "not recorded". Everything here
is a pure function of the reference data and the dates; ``sentence`` is the one place the
basis is put in words, in Vietnamese and in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.calendar import WorkingDays, days_after
from domain.cell_calendar import CELL_MEETING
from domain.vocabulary import DueBasisKind, PauseReason

if TYPE_CHECKING:
    from domain.reference import District

Basis = dict[str, Any]

PAUSE_REASONS_VI = {
    PauseReason.SITE_VISIT: "khảo sát thực tế",
    PauseReason.OTHER_AGENCY: "chờ ý kiến cơ quan khác",
    PauseReason.CELL_INFORMATION: "chờ chi bộ bổ sung thông tin",
}
PAUSE_REASONS_EN = {
    PauseReason.SITE_VISIT: "a site visit",
    PauseReason.OTHER_AGENCY: "waiting on another agency",
    PauseReason.CELL_INFORMATION: "waiting on the cell's information",
}


@dataclass(frozen=True)
class ClockPause:
    """A petition's clock, stopped by the committee on ``since`` with the ``due_on`` then
    in force, for ``reason`` (a ``PauseReason``) and an optional ``note``."""

    reason: PauseReason
    note: str | None
    since: date
    due_on: date


def iso(day: date) -> str:
    return day.isoformat()


def explain(
    reference: District, zone: str, cell: str | None, assigned_on: date, due_on: date
) -> Basis:
    """The basis of ``due_on``, the due date the raising organisation's calendar gave an
    assignment of ``assigned_on`` (``District.default_due_date``)."""
    follows = reference.due_follows(cell)
    if follows == CELL_MEETING:
        assert cell is not None
        kept, of, name = reference.cell_calendar(cell), cell, reference.cell(cell).name
    else:
        found = reference.zones[zone]
        kept, of, name = found.calendar, found.code, found.name
    if kept is None:
        return {"kind": str(DueBasisKind.PERIOD), "from": iso(assigned_on),
                "days": reference.answer_period_days}  # fmt: skip
    working = reference.working_days
    passed = [d for d in kept.between(days_after(assigned_on, 1), due_on) if d < due_on]
    return {
        "kind": str(follows),
        "of": of,
        "name": name,
        "from": iso(assigned_on),
        "min_working_days": reference.min_working_days,
        "working_days": working.between(assigned_on, due_on),
        "passed_over": [
            {"on": iso(d), "working_days": working.between(assigned_on, d)} for d in passed
        ],
        "holidays": [iso(d) for d in working.holidays(assigned_on, due_on)],
    }


def given(on: date) -> Basis:
    """A date the committee gave by hand on ``on``."""
    return {"kind": str(DueBasisKind.GIVEN), "set_on": iso(on)}


def extended(previous: date, on: date, reason: str) -> Basis:
    return {
        "kind": str(DueBasisKind.EXTENDED),
        "previous_due_on": iso(previous),
        "extended_on": iso(on),
        "reason": reason,
    }


def resumed(pause: ClockPause, on: date, working: WorkingDays) -> tuple[date, Basis]:
    """The due date once the clock paused by ``pause`` is resumed on ``on``: the one in
    force at the pause, moved by the working days paused (after the pause's day, up to
    and including ``on``), and its basis."""
    paused = working.between(pause.since, on)
    due_on = working.add(pause.due_on, paused)
    return due_on, {
        "kind": str(DueBasisKind.RESUMED),
        "previous_due_on": iso(pause.due_on),
        "paused_on": iso(pause.since),
        "resumed_on": iso(on),
        "reason": str(pause.reason),
        "note": pause.note,
        "paused_working_days": paused,
        "holidays": [iso(d) for d in working.holidays(pause.due_on, due_on)],
    }


# ---- the sentence ------------------------------------------------------------------------


def dmy(text: str) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y")


def listed(items: list[str], conjunction: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def skipping_vi(holidays: list[str]) -> str:
    days = [dmy(d) for d in holidays]
    lễ = f" và ngày lễ {listed(days, 'và')}" if days else ""
    return f"bỏ qua thứ Bảy, Chủ nhật{lễ}"


def skipping_en(holidays: list[str]) -> str:
    days = [dmy(d) for d in holidays]
    named = f" and the holiday{'s' if len(days) > 1 else ''} {listed(days, 'and')}" if days else ""
    return f"not counting Saturdays, Sundays{named}"


def sentence(due_on: date, basis: Mapping[str, Any] | None) -> dict[str, str]:
    """The due date and how it was computed, in one sentence each in Vietnamese (``vi``)
    and English (``en``)."""
    day = due_on.strftime("%d/%m/%Y")
    vi, en = words(basis)
    return {"vi": f"Hạn {day}: {vi}.", "en": f"Due {day}: {en}."}


def words(basis: Mapping[str, Any] | None) -> tuple[str, str]:
    if basis is None:
        # set before the service kept it, or by a verdict's reopening, which records none
        return (
            "cách tính hạn không được ghi lại",
            "how it was computed was not recorded",
        )
    kind = DueBasisKind(basis["kind"])
    if kind in (DueBasisKind.BRIEFING, DueBasisKind.CELL_MEETING):
        return meeting_words(basis, kind)
    if kind is DueBasisKind.PERIOD:
        return (
            f"{basis['days']} ngày sau ngày giao {dmy(basis['from'])}, vì không có lịch họp",
            f"{basis['days']} days after the assignment of {dmy(basis['from'])}, no calendar"
            " of meetings being kept",
        )
    if kind is DueBasisKind.GIVEN:
        return (
            f"do Ban Thường vụ ấn định khi giao ngày {dmy(basis['set_on'])}",
            f"set by hand by the committee on {dmy(basis['set_on'])}",
        )
    if kind is DueBasisKind.EXTENDED:
        return (
            f"Ban Thường vụ gia hạn ngày {dmy(basis['extended_on'])} từ hạn"
            f" {dmy(basis['previous_due_on'])}, lý do: {basis['reason']}",
            f"extended by the committee on {dmy(basis['extended_on'])} from"
            f" {dmy(basis['previous_due_on'])}, because: {basis['reason']}",
        )
    reason = PauseReason(basis["reason"])
    note_vi = f" — {basis['note']}" if basis.get("note") else ""
    days = basis["paused_working_days"]
    return (
        f"hạn {dmy(basis['previous_due_on'])} lùi thêm {days} ngày làm việc tạm dừng tính"
        f" hạn từ {dmy(basis['paused_on'])} đến {dmy(basis['resumed_on'])} (lý do:"
        f" {PAUSE_REASONS_VI[reason]}{note_vi}), {skipping_vi(basis['holidays'])}",
        f"{dmy(basis['previous_due_on'])} moved by the {days} working days the clock was"
        f" paused from {dmy(basis['paused_on'])} to {dmy(basis['resumed_on'])} (for"
        f" {PAUSE_REASONS_EN[reason]}{note_vi}), {skipping_en(basis['holidays'])}",
    )


def meeting_words(basis: Mapping[str, Any], kind: DueBasisKind) -> tuple[str, str]:
    name, least = basis["name"], basis["min_working_days"]
    if kind is DueBasisKind.BRIEFING:
        meeting_vi, meeting_en = f"hội nghị giao ban {name}", f"the briefing of {name}"
    else:
        meeting_vi, meeting_en = f"buổi sinh hoạt {name}", f"the meeting of {name}"
    given_on = dmy(basis["from"])
    vi = (
        f"ngày {meeting_vi}, buổi đầu tiên sau ngày giao {given_on} còn ít nhất {least} ngày"
        f" làm việc (còn {basis['working_days']} ngày, {skipping_vi(basis['holidays'])})"
    )
    en = (
        f"the day of {meeting_en}, the first after the assignment of {given_on} that leaves"
        f" at least {least} working days ({basis['working_days']},"
        f" {skipping_en(basis['holidays'])})"
    )
    passed = basis["passed_over"]
    if passed:
        vi += "; bỏ qua " + listed(
            [f"buổi {dmy(p['on'])} (chỉ còn {p['working_days']} ngày)" for p in passed], "và"
        )
        en += "; passing over " + listed(
            [f"{dmy(p['on'])} (only {p['working_days']} left)" for p in passed], "and"
        )
    return vi, en
