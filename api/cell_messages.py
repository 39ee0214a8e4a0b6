"""The Vietnamese refusals of a cell's secretary and of the monthly answer register
(merged into ``api.messages.VIETNAMESE``, beside ``domain.cell_messages``)."""

from __future__ import annotations

CELL_VIETNAMESE: dict[str, str] = {
    "actor.cell": "«{field}»: bí thư chi bộ thuộc đúng một chi bộ; các vai trò khác không.",
    "cell.unknown": "«{field}»: không có chi bộ {code} mà bạn được xem.",
    "register.month": "«{field}»: tháng được viết năm-tháng (YYYY-MM).",
    "forbidden.register": "Bạn chỉ được xem sổ trả lời của tổ chức mình.",
}
