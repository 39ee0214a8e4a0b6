"""The refusals of the paused clock in Vietnamese, naming the same values as
``domain.clock_messages``: merged into ``api.messages.VIETNAMESE``."""

from __future__ import annotations

CLOCK_VIETNAMESE: dict[str, str] = {
    "clock.paused": "Hạn đã được tạm dừng tính từ ngày {day}: hãy tiếp tục tính hạn trước.",
    "clock.running": "Hạn không đang tạm dừng.",
}
