"""The refusals of linking a petition as a repeat in Vietnamese, naming the same values as
``domain.repeat_messages``: merged into ``api.messages.VIETNAMESE``."""

from __future__ import annotations

REPEAT_VIETNAMESE: dict[str, str] = {
    "repeat.self": "«{field}»: một ý kiến không thể lặp lại chính nó.",
    "repeat.other_organisation": "«{field}»: ý kiến trước thuộc tổ chức khác.",
    "repeat.later": "«{field}»: ý kiến trước được nêu ngày {day}, sau ý kiến này.",
    "repeat.already": "«{field}»: ý kiến này đã được liên kết là lặp lại ý kiến {number}.",
}
