"""The refusals of the members' duty in Vietnamese, naming the same values as
``domain.duty_messages``: merged into ``api.messages.VIETNAMESE``."""

from __future__ import annotations

DUTY_VIETNAMESE: dict[str, str] = {
    "duty.term_reversed": "«{field}»: ngày cuối nhiệm kỳ phải từ ngày bắt đầu trở đi.",
    "duty.outside_term": "«{field}»: nhiệm kỳ phân công từ {start} đến {end}.",
    "duty.end_outside": "«{field}»: ngày kết thúc sớm phải từ {start} và trước {end}.",
    "duty.unchanged": "«{field}»: cấp ủy viên đã được phân công như vậy.",
    "duty.place_twice": "«{field}»: một xã hoặc chi bộ được ghi hai lần.",
    "duty.nowhere": "«{field}»: phân công phải ghi ít nhất một xã hoặc một chi bộ.",
    "duty.ended": "«{field}»: phân công đã kết thúc ngày {day}.",
    "duty.date_before_last": (
        "«{field}» {day} trước ngày ghi nhận gần nhất của phân công ({last})."
    ),
    "duty.role_not_permitted": "Vai trò «{role}» không được phân công cấp ủy viên.",
    "duty.not_found": "Không tìm thấy phân công {assignment_id}.",
    "duty.member_unknown": "Không có cấp ủy viên {member} được phân công ở đây.",
    "duty.version_stale": "Phân công đang ở phiên bản {current}, không phải {expected}.",
    "duty.concurrent": "Phân công vừa được người khác cập nhật; hãy tải lại rồi thử lại.",
    "forbidden.province_duties": (
        "Tỉnh chỉ xem phân công của các tổ chức; quản trị của mỗi tổ chức phân công"
        " cấp ủy viên của mình."
    ),
    "duty.period": "«{field}»: tháng phải đi kèm năm.",
}
