"""How a due date was computed (``domain.due_basis``), and the one sentence that says it."""

from __future__ import annotations

from datetime import date

from domain.calendar import BriefingCalendar, BriefingRule, WorkingDays
from domain.cell_calendar import CellCalendars
from domain.due_basis import ClockPause, explain, extended, given, resumed, sentence
from domain.reference import Cell, Commune, Department, District, Zone
from domain.vocabulary import PauseReason

D = date
# Reunification Day and Labour Day 2026, a Thursday and a Friday
HOLIDAYS = frozenset({D(2026, 4, 30), D(2026, 5, 1)})
WORKING = WorkingDays(lambda day: day in HOLIDAYS)


def district(calendar: BriefingCalendar | None, **settings: object) -> District:
    return District(
        name="Huyện mẫu",
        zones={"k": Zone("k", "Cụm 1", calendar)},
        communes={"x": Commune("x", "Xã An", "k")},
        cells={"c": Cell("c", "Chi bộ thôn 3", "x")},
        departments={"d": Department("d", "Phòng Kinh tế")},
        working_days=WORKING,
        **settings,  # type: ignore[arg-type]
    )


EVERY_MONTH_5TH = BriefingCalendar(BriefingRule(day=5))


def test_a_briefing_due_date_names_its_briefing_the_days_left_and_the_holidays() -> None:
    d = district(EVERY_MONTH_5TH)
    assigned = D(2026, 4, 27)  # a Monday; the 5th of May leaves 4 working days (28, 29, 4, 5)
    due = d.default_due_date("k", assigned)
    assert due == D(2026, 6, 5)
    basis = explain(d, "k", "c", assigned, due)
    assert basis["kind"] == "briefing"
    assert (basis["of"], basis["name"], basis["from"]) == ("k", "Cụm 1", "2026-04-27")
    assert basis["min_working_days"] == 5
    assert basis["passed_over"] == [{"on": "2026-05-05", "working_days": 4}]
    assert basis["holidays"] == ["2026-04-30", "2026-05-01"]
    assert basis["working_days"] == WORKING.between(assigned, due)
    said = sentence(due, basis)
    assert said["vi"] == (
        "Hạn 05/06/2026: ngày hội nghị giao ban Cụm 1, buổi đầu tiên sau ngày giao 27/04/2026"
        f" còn ít nhất 5 ngày làm việc (còn {basis['working_days']} ngày, bỏ qua thứ Bảy,"
        " Chủ nhật và ngày lễ 30/04/2026 và 01/05/2026); bỏ qua buổi 05/05/2026 (chỉ còn 4"
        " ngày)."
    )
    assert said["en"].startswith("Due 05/06/2026: the day of the briefing of Cụm 1,")
    assert "the holidays 30/04/2026 and 01/05/2026" in said["en"]
    assert "passing over 05/05/2026 (only 4 left)" in said["en"]


def test_a_briefing_with_nothing_passed_over_and_no_holiday_says_so_plainly() -> None:
    d = district(EVERY_MONTH_5TH)
    basis = explain(d, "k", "c", D(2026, 3, 2), D(2026, 4, 5))
    assert basis["passed_over"] == [{"on": "2026-03-05", "working_days": 3}]
    quiet = explain(d, "k", "c", D(2026, 3, 6), D(2026, 4, 5))
    assert quiet["passed_over"] == [] and quiet["holidays"] == []
    said = sentence(D(2026, 4, 5), quiet)["vi"]
    assert "bỏ qua thứ Bảy, Chủ nhật)" in said and "ngày lễ" not in said and "; " not in said


def test_a_cell_meeting_due_date_names_the_cell() -> None:
    d = district(EVERY_MONTH_5TH, cell_meetings=CellCalendars(EVERY_MONTH_5TH),
                 due_after="cell_meeting")  # fmt: skip
    due = d.default_due_date("k", D(2026, 3, 6), "c")
    basis = explain(d, "k", "c", D(2026, 3, 6), due)
    assert (basis["kind"], basis["of"], basis["name"]) == ("cell_meeting", "c", "Chi bộ thôn 3")
    assert "buổi sinh hoạt Chi bộ thôn 3" in sentence(due, basis)["vi"]


def test_without_a_calendar_the_period_is_the_basis() -> None:
    d = district(None, answer_period_days=30)
    due = d.default_due_date("k", D(2026, 3, 6))
    basis = explain(d, "k", "c", D(2026, 3, 6), due)
    assert basis == {"kind": "period", "from": "2026-03-06", "days": 30}
    assert sentence(due, basis)["vi"] == (
        "Hạn 05/04/2026: 30 ngày sau ngày giao 06/03/2026, vì không có lịch họp."
    )


def test_a_date_given_by_hand_an_extension_and_an_unrecorded_basis() -> None:
    assert sentence(D(2026, 3, 20), given(D(2026, 3, 5))) == {
        "vi": "Hạn 20/03/2026: do Ban Thường vụ ấn định khi giao ngày 05/03/2026.",
        "en": "Due 20/03/2026: set by hand by the committee on 05/03/2026.",
    }
    moved = extended(D(2026, 3, 20), D(2026, 3, 18), "Chờ kết quả đo đạc")
    assert sentence(D(2026, 4, 10), moved)["vi"] == (
        "Hạn 10/04/2026: Ban Thường vụ gia hạn ngày 18/03/2026 từ hạn 20/03/2026,"
        " lý do: Chờ kết quả đo đạc."
    )
    old = sentence(D(2026, 4, 10), None)
    assert "không được ghi lại" in old["vi"] and "not recorded" in old["en"]


def test_resuming_moves_the_due_date_by_the_working_days_paused_skipping_holidays() -> None:
    pause = ClockPause(PauseReason.SITE_VISIT, "Đo lại tuyến ống", D(2026, 4, 24), D(2026, 4, 28))
    # paused Friday 24 April, resumed Wednesday 29th: 27, 28, 29 paused (3 working days);
    # the 28th moved by 3 working days skips 30/4, 1/5 and the weekend: Tuesday 5 May
    due, basis = resumed(pause, D(2026, 4, 29), WORKING)
    assert due == D(2026, 5, 5)
    assert basis["paused_working_days"] == 3
    assert basis["holidays"] == ["2026-04-30", "2026-05-01"]
    assert (basis["paused_on"], basis["resumed_on"], basis["previous_due_on"]) == (
        "2026-04-24",
        "2026-04-29",
        "2026-04-28",
    )
    said = sentence(due, basis)
    assert said["vi"] == (
        "Hạn 05/05/2026: hạn 28/04/2026 lùi thêm 3 ngày làm việc tạm dừng tính hạn từ"
        " 24/04/2026 đến 29/04/2026 (lý do: khảo sát thực tế — Đo lại tuyến ống), bỏ qua"
        " thứ Bảy, Chủ nhật và ngày lễ 30/04/2026 và 01/05/2026."
    )
    assert "for a site visit" in said["en"]


def test_resumed_the_day_it_was_paused_the_date_stays() -> None:
    pause = ClockPause(PauseReason.OTHER_AGENCY, None, D(2026, 3, 10), D(2026, 3, 20))
    due, basis = resumed(pause, D(2026, 3, 10), WORKING)
    assert (due, basis["paused_working_days"]) == (D(2026, 3, 20), 0)
    assert "chờ ý kiến cơ quan khác)" in sentence(due, basis)["vi"]


def test_every_pause_reason_is_said_in_both_languages() -> None:
    for reason in PauseReason:
        pause = ClockPause(reason, None, D(2026, 3, 10), D(2026, 3, 20))
        said = sentence(*resumed(pause, D(2026, 3, 12), WORKING))
        assert str(reason) not in said["vi"] and str(reason) not in said["en"]
