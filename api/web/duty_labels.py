"""What the pages call the members' duty's fields and states (``domain.duty``), in
Vietnamese (translated where shown): merged into ``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.duty import DutyStatus

DUTY_FIELDS = {
    "communes": N_("Xã phụ trách"),
    "cells": N_("Chi bộ phụ trách"),
    "start_on": N_("Từ ngày"),
    "end_on": N_("Đến ngày"),
    "effective_on": N_("Áp dụng từ ngày"),
    "ended_on": N_("Ngày kết thúc"),
    "months": N_("Số tháng"),
    "month": N_("Tháng"),
    "assignment_id": N_("Mã phân công"),
}
DUTY_STATUSES = {
    DutyStatus.ACTIVE: N_("Đang phụ trách"),
    DutyStatus.ENDED: N_("Đã kết thúc sớm"),
}
DUTY_DONE = {
    "duty_assigned": N_("Đã phân công cấp ủy viên."),
    "duty_changed": N_("Đã thay đổi phân công."),
    "duty_ended": N_("Đã kết thúc phân công."),
}
# The history's rows, by the event's class.
DUTY_EVENTS = {
    "Assigned": N_("Phân công"),
    "Changed": N_("Thay đổi phân công"),
    "Ended": N_("Kết thúc sớm"),
}
