"""The words of the date fields' calendar (``static/app.js``), in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.web.i18n import N_

# The calendar of the date fields (``static/app.js``): the months, the days of the week from
# Monday (short, then in full), and what its buttons and heading say.
MONTHS = (
    N_("Tháng 1"),
    N_("Tháng 2"),
    N_("Tháng 3"),
    N_("Tháng 4"),
    N_("Tháng 5"),
    N_("Tháng 6"),
    N_("Tháng 7"),
    N_("Tháng 8"),
    N_("Tháng 9"),
    N_("Tháng 10"),
    N_("Tháng 11"),
    N_("Tháng 12"),
)
WEEKDAYS = (
    (N_("T2"), N_("Thứ Hai")),
    (N_("T3"), N_("Thứ Ba")),
    (N_("T4"), N_("Thứ Tư")),
    (N_("T5"), N_("Thứ Năm")),
    (N_("T6"), N_("Thứ Sáu")),
    (N_("T7"), N_("Thứ Bảy")),
    (N_("CN"), N_("Chủ Nhật")),
)
CALENDAR = {
    "open": N_("Chọn ngày trên lịch"),
    "dialog": N_("Lịch chọn ngày"),
    "previous": N_("Tháng trước"),
    "next": N_("Tháng sau"),
    "close": N_("Đóng lịch"),
    "title": N_("%(month)s năm %(year)s"),
    "day": N_("%(weekday)s, ngày %(day)s %(month)s năm %(year)s"),
}


def calendar_labels(translate: Callable[[str], str]) -> dict[str, Any]:
    """The calendar's words in the page's language, as the script reads them (JSON)."""
    return {
        **{key: translate(text) for key, text in CALENDAR.items()},
        "months": [translate(m) for m in MONTHS],
        "weekdays": [[translate(short), translate(full)] for short, full in WEEKDAYS],
    }
