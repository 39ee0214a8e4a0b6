"""What the pages call the paused clock's events, commands, reasons and fields, in
Vietnamese (translated where shown): merged into ``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.vocabulary import Command, PauseReason

CLOCK_EVENTS = {
    "ClockPaused": N_("Tạm dừng tính hạn"),
    "ClockResumed": N_("Tiếp tục tính hạn"),
}
# In "Không thể {verb} ý kiến ...": Vietnamese only (the English is the lifecycle's verb).
CLOCK_VERBS = {
    Command.PAUSE_CLOCK: "tạm dừng tính hạn của",
    Command.RESUME_CLOCK: "tiếp tục tính hạn của",
}
CLOCK_DONE = {
    "pause": N_("Đã tạm dừng tính hạn."),
    "resume": N_("Đã tiếp tục tính hạn; hạn trả lời đã được lùi."),
}
CLOCK_FIELDS = {
    "paused_on": N_("Ngày tạm dừng"),
    "resumed_on": N_("Ngày tiếp tục"),
    "days_paused": N_("Số ngày tạm dừng"),
    "paused_working_days": N_("Số ngày làm việc tạm dừng"),
    "previous_due_on": N_("Hạn trước đó"),
}
# Why the committee paused the clock (``domain.vocabulary.PauseReason``).
PAUSE_REASONS = {
    PauseReason.SITE_VISIT: N_("Khảo sát thực tế"),
    PauseReason.OTHER_AGENCY: N_("Chờ ý kiến cơ quan khác"),
    PauseReason.CELL_INFORMATION: N_("Chờ chi bộ bổ sung thông tin"),
}
