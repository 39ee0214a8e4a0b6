"""The administration of the calendars' rules and of the cells' calendars: a rule read
from its form (a day or a weekday of the month, and how often: every month, every N
months from a month, or named months), and the changes an admin makes to the cells'
calendar of its organisation, of one of its communes or of one of its cells (the rule,
a meeting moved or cancelled), and to what a due date left to the calendar follows.

Each is a plan of ``usecases.reference_admin``: the form read whole, every fault with its
field, nothing written unless there is none.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.calendar import EVERY_MAX, BriefingCalendar, BriefingRule
from domain.cell_calendar import DUE_AFTER
from domain.errors import InvalidCommand
from stores.reference_changes import Delete, Op, Record, Update, Upsert
from usecases.reference_form import Form, dmy

if TYPE_CHECKING:
    from usecases.reference_admin import Target

Plan = tuple[list[Op], Record]
CELL_ACTIONS = ("cell_rule", "cell_exception", "cell_remove", "due_after")
MONTH = re.compile(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})")  # 2026-01 or 1/2026


def change(before: Any, after: Any) -> dict[str, Any]:
    return {"before": before, "after": after}


def held_or_cancelled(held_on: date | None) -> str:
    """An exception as the history keeps it: the day held instead, or ``cancelled``."""
    return held_on.isoformat() if held_on is not None else "cancelled"


def exception_of(calendar: BriefingCalendar, scheduled: date) -> str | None:
    """The exception the calendar makes of ``scheduled`` (None: held as scheduled)."""
    if scheduled in calendar.cancelled:
        return "cancelled"
    moved = calendar.moved.get(scheduled)
    return moved.isoformat() if moved is not None else None


def period_of(form: Form) -> dict[str, Any] | None:
    """How often the rule of the form meets (None where the form is wrong about it)."""
    period = form.text("period") or "monthly"
    if period == "monthly":
        return {}
    if period == "every":
        every = form.text("every")
        found = MONTH.fullmatch(form.text("anchor"))
        if not every.isdigit() or not 2 <= int(every) <= EVERY_MAX:
            form.fault(
                "every", f"Số tháng từ 2 đến {EVERY_MAX}.", f"A number of months, 2 to {EVERY_MAX}."
            )
        year, month = (int(found[1] or found[4]), int(found[2] or found[3])) if found else (0, 0)
        if not 1 <= month <= 12 or year < 1:
            form.fault(
                "anchor", "Tháng bắt đầu tính (tháng/năm).", "The month counted from (mm/yyyy)."
            )
        if form.has_fault("every") or form.has_fault("anchor"):
            return None
        return {"every": int(every), "anchor": (year, month)}
    if period == "months":
        parts = [p for p in re.split(r"[,;\s]+", form.text("months")) if p]
        months = sorted({int(p) for p in parts if p.isdigit()})
        if not parts or len(months) != len(parts) or not all(1 <= m <= 12 for m in months):
            form.fault(
                "months",
                "Các tháng từ 1 đến 12, mỗi tháng một lần, cách nhau dấu phẩy (ví dụ: 6, 12).",
                "Months 1 to 12, each once, separated by commas (e.g. 6, 12).",
            )
            return None
        return {"months": tuple(months)}
    form.fault(
        "period",
        "Chọn hằng tháng, vài tháng một lần, hoặc những tháng nhất định.",
        "Choose every month, every few months, or named months.",
    )
    return None


def rule_of(form: Form) -> BriefingRule | None:
    """The rule the form gives (None: no calendar, or a fault recorded)."""
    kind = form.text("rule")
    if kind == "none":  # the zone keeps no calendar
        return None
    if kind not in ("day", "weekday"):
        form.fault("rule", "Chọn cách tính ngày hội nghị.", "Choose how the day is set.")
        return None
    try:
        if kind == "day":
            day: dict[str, Any] = {"day": int(form.required("day") or "0")}
        else:
            day = {"weekday": int(form.text("weekday")), "nth": int(form.text("nth"))}
        BriefingRule(**day)
    except (ValueError, InvalidCommand):
        if not form.has_fault(kind):
            message = (
                ("Ngày trong tháng từ 1 đến 31.", "A day of the month, 1 to 31.")
                if kind == "day"
                else ("Chọn thứ và tuần trong tháng.", "Choose a weekday and its week.")
            )
            form.fault(kind, *message)
        period_of(form)  # its faults too, at once
        return None
    period = period_of(form)
    return None if period is None else BriefingRule(**day, **period)


def stale_days(calendar: BriefingCalendar | None, rule: BriefingRule | None) -> list[date]:
    """The moved or cancelled meetings of ``calendar`` a new ``rule`` no longer gives."""
    kept = [*calendar.moved, *calendar.cancelled] if calendar is not None else []
    return sorted(d for d in kept if rule is None or rule.scheduled(d.year, d.month) != d)


def check_stale(form: Form, stale: list[date]) -> None:
    if stale:
        form.fault(
            "rule",
            "Còn ngày dời hoặc hủy không theo cách tính mới: "
            + ", ".join(map(dmy, stale))
            + "; hãy xóa trước.",
            "Moved or cancelled meetings the new rule does not schedule: "
            + ", ".join(d.isoformat() for d in stale),
        )


def check_scheduled(
    form: Form, calendar: BriefingCalendar | None, scheduled: date | None, action: str
) -> None:
    """The day an exception is of: one the calendar's rule gives (and, to remove one,
    one it moves or cancels)."""
    if calendar is None or scheduled is None:
        return
    if calendar.rule.scheduled(scheduled.year, scheduled.month) != scheduled:
        form.fault(
            "scheduled",
            f"Theo lịch ({calendar.rule.label()}) không có hội nghị ngày {dmy(scheduled)}.",
            f"The calendar ({calendar.rule}) schedules no meeting on {scheduled.isoformat()}.",
        )
    elif action.endswith("remove") and exception_of(calendar, scheduled) is None:
        form.fault("scheduled", "Ngày này không dời, không hủy.", "Not moved nor cancelled.")


def owner_of(form: Form, target: Target) -> tuple[str, str | None, BriefingCalendar | None]:
    """Whose cells' calendar the form changes: the organisation's (``owner`` blank or its
    code), a commune's or a cell's; with the table its rule is kept in and its calendar."""
    r = target.reference
    owner = form.text("owner") or target.code
    if owner == target.code:
        own = None if r.cell_meetings.inherited else r.cell_meetings.organisation
        return owner, "ref_organisations", own
    if owner in r.cells or owner in r.communes:
        table = "ref_cells" if owner in r.cells else "ref_communes"
        return owner, table, r.cell_meetings.overrides.get(owner)
    form.fault(
        "owner",
        "Không phải xã hay chi bộ của tổ chức này.",
        "Not a commune nor a cell of this organisation.",
    )
    return owner, None, None


def plan_cell_calendar(form: Form, target: Target, kind: str, action: str) -> Plan:
    """A change of the cells' calendars, or of what due dates follow."""
    if action == "due_after":
        before, after = target.reference.due_after, form.text("due_after")
        if after not in DUE_AFTER:
            form.fault("due_after", "Chọn một trong các cách.", "Choose one of the choices.")
        elif after == before:
            form.fault("due_after", "Không có gì thay đổi.", "Nothing was changed.")
        form.check()
        details = {"due_after": change(before, after)}
        return [Update("ref_organisations", {"code": target.code}, {"due_after": after})], Record(
            target.code, "setting", target.code, action, details
        )
    owner, table, calendar = owner_of(form, target)
    if action == "cell_rule":
        rule = rule_of(form)
        check_stale(form, stale_days(calendar, rule))
        rule_before = str(calendar.rule) if calendar is not None else None
        rule_after = str(rule) if rule is not None else None
        if rule_before == rule_after and not form.faults:
            form.fault("rule", "Không có gì thay đổi.", "Nothing was changed.")
        form.check()
        assert table is not None
        details = {"cell_meeting_rule": change(rule_before, rule_after)}
        return [Update(table, {"code": owner}, {"cell_meeting_rule": rule_after})], Record(
            target.code, "cell_calendar", owner, action, details
        )
    scheduled = form.day("scheduled", not_after_today=False)
    if table is not None and calendar is None:
        form.fault("owner", "Chưa có lịch sinh hoạt riêng.", "Keeps no calendar of its own.")
    check_scheduled(form, calendar, scheduled, action)
    key = {"code": owner, "scheduled": scheduled}
    if action == "cell_remove":
        form.check()
        assert calendar is not None and scheduled is not None
        details = {"held_on": change(exception_of(calendar, scheduled), None)}
        return [Delete("ref_cell_meeting_exceptions", key)], Record(
            target.code, "cell_calendar", owner, action, details, scheduled
        )
    held_on = form.day("held_on", required=False, not_after_today=False)
    if held_on is not None and held_on == scheduled:
        form.fault("held_on", "Trùng ngày theo lịch.", "That is the scheduled day.")
    form.check()
    assert calendar is not None and scheduled is not None
    details = {"held_on": change(exception_of(calendar, scheduled), held_or_cancelled(held_on))}
    values = key | {"held_on": held_on, "organisation": target.code}
    return [Upsert("ref_cell_meeting_exceptions", values)], Record(
        target.code, "cell_calendar", owner, action, details, scheduled
    )
