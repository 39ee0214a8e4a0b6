"""What the pages call the codes they show, in Vietnamese (translated where shown).

Each table is keyed by the domain's vocabulary (a StrEnum member is its value, so a page
looks a label up by the plain string too); a unit test holds every member to a label in
Vietnamese and in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.web import coordination_labels as co
from api.web.calendar_labels import CALENDAR_FIELDS
from api.web.duty_labels import DUTY_DONE, DUTY_FIELDS
from api.web.i18n import N_
from domain.organisations import LevelWords
from domain.vocabulary import (
    Attendance,
    AttendeeRole,
    Channel,
    Command,
    GiveBack,
    Kind,
    MeetingCommand,
    MeetingKind,
    MeetingStatus,
    Obligation,
    QualityFlag,
    Role,
    Status,
    Verdict,
)
from stores.accounts import Change

STATUSES = {
    Status.RAISED: N_("Mới tiếp nhận"),
    Status.ASSIGNED: N_("Đã giao"),
    Status.ANSWERED: N_("Đã trả lời"),
    Status.CLOSED: N_("Đã kết thúc"),
    Status.WITHDRAWN: N_("Đã rút"),
    Status.MERGED: N_("Đã gộp"),
}
# What a petition awaiting assignment again shows in place of "new": who gave it back.
MEETING_STATUSES = {
    MeetingStatus.SCHEDULED: N_("Đã lên lịch"),
    MeetingStatus.HELD: N_("Đã tổ chức"),
    MeetingStatus.MINUTED: N_("Đã có biên bản"),
    MeetingStatus.CLOSED: N_("Đã kết thúc"),
    MeetingStatus.CANCELLED: N_("Đã hủy"),
}
GIVE_BACKS = {
    GiveBack.DECLINED: N_("Bị từ chối nhận"),
    GiveBack.REFERRAL_RETURNED: N_("Tỉnh trả lại"),
}
KINDS = {Kind.REFLECTION: N_("Phản ánh"), Kind.PROPOSAL: N_("Kiến nghị, đề xuất")}
CHANNELS = {
    Channel.MEETING: N_("Tại hội nghị giao ban"),
    Channel.WRITTEN_REPORT: N_("Báo cáo bằng văn bản"),
    Channel.CELL_MEETING: N_("Tại sinh hoạt chi bộ"),
}
# What the briefing page records petitions by: a cell meeting's are recorded with the
# attending member, which that page does not ask for.
BRIEFING_CHANNELS = {c: label for c, label in CHANNELS.items() if c is not Channel.CELL_MEETING}
VERDICTS = {
    Verdict.SATISFIED: N_("Hài lòng"),
    Verdict.PARTIALLY_SATISFIED: N_("Hài lòng một phần"),
    Verdict.UNSATISFIED: N_("Chưa hài lòng"),
}
FLAGS = {
    QualityFlag.GENERIC: N_("Trả lời chung chung"),
    QualityFlag.UNPERSUASIVE: N_("Thiếu tính thuyết phục"),
    QualityFlag.OFF_TOPIC: N_("Chưa đúng vấn đề"),
}
OVERDUE_KINDS = {
    Obligation.ANSWER: N_("Chưa trả lời"),
    Obligation.VERIFICATION: N_("Chưa xác minh"),
} | co.COORDINATION_KINDS
# Each role's name at no level in particular; a user's own is said with the words of its
# organisation's level (``role_label``).
ROLES = {
    Role.CLERK: N_("Văn phòng cấp ủy"),
    Role.COMMITTEE: N_("Ban Thường vụ"),
    Role.DEPARTMENT: N_("Phòng, ban, ngành"),
    Role.AUDITOR: N_("Ủy ban Kiểm tra"),
    Role.ADMIN: N_("Quản trị"),
    Role.SYSTEM: N_("Hệ thống"),
}
EVENTS = {
    "Raised": N_("Ghi nhận ý kiến"),
    "Assigned": N_("Giao đơn vị trả lời"),
    "Reassigned": N_("Giao lại đơn vị khác"),
    "AssignmentDeclined": N_("Đơn vị từ chối nhận"),
    "ReferredUpward": N_("Chuyển lên sở, ban, ngành tỉnh"),
    "ReferralReturned": N_("Tỉnh trả lại thuộc thẩm quyền cơ sở"),
    "DeadlineExtended": N_("Gia hạn trả lời"),
    "AnsweredInWriting": N_("Trả lời bằng văn bản"),
    "AnsweredOnTheSpot": N_("Trả lời tại hội nghị"),
    "Verified": N_("Xác minh kết quả"),
    "Reopened": N_("Mở lại"),
    "Escalated": N_("Báo cáo vượt cấp"),
    "ReminderIssued": N_("Nhắc hạn"),
    "Withdrawn": N_("Rút ý kiến"),
    "MergedInto": N_("Gộp vào ý kiến khác"),
    "Closed": N_("Kết thúc"),
    "Reinstated": N_("Mở lại ý kiến kết thúc nhầm"),
    "NoteAdded": N_("Ghi chú nội bộ"),
    "Cosigned": N_("Chi bộ khác cùng kiến nghị"),
} | co.COORDINATION_EVENTS
# What each field, parameter or header is called: in the timeline, the forms, and every
# refusal naming one (``api.messages``). Keyed by the field's code in the API and events.
FIELDS = {
    "department": N_("Đơn vị"),
    "from_department": N_("Đơn vị trước"),
    "organisation": N_("Tổ chức"),
    "due_on": N_("Hạn trả lời"),
    "document_number": N_("Số văn bản"),
    "document_date": N_("Ngày văn bản"),
    "signer": N_("Người ký"),
    "answered_by": N_("Người trả lời"),
    "verdict": N_("Kết quả"),
    "flags": N_("Nhận xét"),
    "reason": N_("Lý do"),
    "note": N_("Ghi chú"),
    "comment": N_("Ý kiến của chi bộ"),
    "text": N_("Nội dung"),
    "rule": N_("Quy tắc"),
    "target_id": N_("Gộp vào"),
    "summary": N_("Tóm tắt"),
    "cell": N_("Chi bộ"),
    "category": N_("Lĩnh vực"),
    "business_date": N_("Ngày thực hiện"),
    "kind": N_("Loại"),
    "channel": N_("Kênh"),
    "meeting": N_("Hội nghị"),
    "raised_by": N_("Người phản ánh"),
    "raised_on": N_("Ngày nêu"),
    "attachments": N_("Tệp đính kèm"),
    "letter": N_("Văn bản đã ký"),
    "verify_by": N_("Hạn xác minh"),
    "target": N_("Ý kiến cần gộp vào"),
    "into": N_("Ý kiến cần gộp vào"),
    "petition": N_("Ý kiến"),
    "petition_id": N_("Mã ý kiến"),
    "confirm": N_("Xác nhận"),
    "idempotency_key": N_("Khóa Idempotency-Key"),
    "idempotency-key": N_("Khóa Idempotency-Key"),
    "if-match": N_("Tiêu đề If-Match"),
    "if-none-match": N_("Tiêu đề If-None-Match"),
    "actor": N_("Người thực hiện"),
    "date": N_("Ngày"),
    "on": N_("Ngày"),
    "from": N_("Từ ngày"),
    "to": N_("Đến ngày"),
    "start": N_("Từ ngày"),
    "end": N_("Đến ngày"),
    "previous_from": N_("Kỳ trước từ ngày"),
    "previous_to": N_("Kỳ trước đến ngày"),
    "briefing": N_("Ngày hội nghị"),
    "briefing_rule": N_("Cách tính ngày hội nghị"),
    "code": N_("Mã"),
    "name": N_("Tên"),
    "commune": N_("Xã"),
    "effective": N_("Tên mới dùng từ ngày"),
    "retired_on": N_("Thôi hoạt động từ ngày"),
    "day": N_("Ngày trong tháng"),
    "weekday": N_("Thứ"),
    "nth": N_("Tuần trong tháng"),
    "scheduled": N_("Ngày hội nghị theo lịch"),
    "held_on": N_("Ngày hội nghị đã họp"),
    "held_instead_on": N_("Ngày họp thay ngày theo lịch"),  # a briefing calendar's exception
    "year": N_("Năm"),
    "as_of": N_("Thời điểm"),
    "raised_from": N_("Nêu từ ngày"),
    "raised_to": N_("Nêu đến ngày"),
    "mode": N_("Hình thức trả lời"),
    "assigned_on": N_("Ngày giao"),
    "answered_on": N_("Ngày trả lời"),
    "verified_on": N_("Ngày xác minh"),
    "referred_on": N_("Ngày chuyển"),
    "extended_on": N_("Ngày gia hạn"),
    "reassign_to": N_("Đơn vị giao lại"),
    "version": N_("Phiên bản"),
    "zone": N_("Cụm"),
    "status": N_("Trạng thái"),
    "cursor": N_("Trang tiếp theo"),
    "limit": N_("Số dòng"),
    "offset": N_("Vị trí bắt đầu"),
    "order": N_("Thứ tự"),
    "sort": N_("Thứ tự"),
    "min_position": N_("Vị trí nhật ký"),
    "format": N_("Định dạng tệp"),
    "report_name": N_("Báo cáo"),
    "cosigned_on": N_("Ngày chi bộ cùng kiến nghị"),
    "verify": N_("Kiểm tra lại toàn bộ nhật ký"),
    "q": N_("Từ khóa"),
    "file": N_("Tệp"),
    "body": N_("Nội dung yêu cầu"),
    # a meeting's
    "scheduled_on": N_("Ngày họp dự kiến"),
    "sent_on": N_("Ngày gửi thông báo"),
    "issued_on": N_("Ngày phát hành chương trình"),
    "recorded_on": N_("Ngày ghi biên bản"),
    "closed_on": N_("Ngày kết thúc cuộc họp"),
    "excused": N_("Vắng có lý do"),
    "role": N_("Vai trò"),
    "members": N_("Cấp ủy viên dự"),
    "member": N_("Cấp ủy viên dự họp"),
    "recipients": N_("Người được thông báo"),
    "required_days": N_("Số ngày báo trước"),
    "chair": N_("Người chủ trì"),
    "attendance": N_("Điểm danh"),
    "person": N_("Người dự"),
    "minutes_late": N_("Số phút đến muộn"),
    "petitions": N_("Ý kiến trong chương trình"),
    "petitions_raised": N_("Ý kiến nêu tại hội nghị"),
    "answers_read": N_("Trả lời được đọc"),
    "verdicts": N_("Kết quả xác minh"),
}
FIELDS |= CALENDAR_FIELDS
FIELDS |= DUTY_FIELDS | co.COORDINATION_FIELDS  # their own modules
# The fields of an event's payload shown in the timeline, in this order.
PAYLOAD_FIELDS = {
    key: FIELDS[key]
    for key in (
        "department",
        "from_department",
        "organisation",
        "due_on",
        "document_number",
        "document_date",
        "signer",
        "answered_by",
        "verdict",
        "flags",
        "reason",
        "note",
        "comment",
        "text",
        "rule",
        "target_id",
    )
}
# Each command said as a verb, in "Không thể {verb} ý kiến ...": Vietnamese only (the English
# is the domain's own verb, ``domain.lifecycle.LIFECYCLE``).
COMMAND_VERBS = {
    Command.RAISE: "ghi nhận",
    Command.ASSIGN: "giao",
    Command.DECLINE: "từ chối nhận",
    Command.EXTEND_DEADLINE: "gia hạn",
    Command.ANSWER_IN_WRITING: "trả lời bằng văn bản",
    Command.ANSWER_ON_THE_SPOT: "ghi nhận trả lời tại hội nghị",
    Command.VERIFY: "ghi nhận kết quả xác minh",
    Command.ESCALATE: "báo cáo vượt cấp",
    Command.WITHDRAW: "rút",
    Command.MERGE: "gộp",
    Command.CLOSE: "kết thúc",
    Command.REMIND: "nhắc hạn",
    Command.REFER: "chuyển lên tỉnh",
    Command.RETURN_REFERRAL: "trả lại",
    Command.NOTE: "ghi chú nội bộ vào",
    Command.REOPEN: "mở lại",
    Command.COSIGN: "ghi nhận chi bộ cùng kiến nghị vào",
} | co.COORDINATION_VERBS
# Each command on a meeting said as a verb, in "Không thể {verb} hội nghị ...": Vietnamese only
# (the English is the domain's own verb, ``domain.meeting.MEETING_LIFECYCLE``).
MEETING_VERBS = {
    MeetingCommand.SCHEDULE: "lên lịch",
    MeetingCommand.MOVE: "dời",
    MeetingCommand.CANCEL: "hủy",
    MeetingCommand.SEND_NOTICE: "gửi thông báo triệu tập",
    MeetingCommand.ISSUE_AGENDA: "phát hành chương trình",
    MeetingCommand.HOLD: "ghi nhận việc tổ chức",
    MeetingCommand.RECORD_MINUTES: "ghi biên bản",
    MeetingCommand.CLOSE: "kết thúc",
    MeetingCommand.REQUEST_INFORMATION: "đề nghị cung cấp thông tin cho",
    MeetingCommand.RECEIVE_INFORMATION: "ghi nhận thông tin đã nhận cho",
}
# Flash messages after a write, by the action that was done.
DONE = {
    "token_revoked": N_("Đã thu hồi mã truy cập."),
    "assign": N_("Đã giao đơn vị trả lời."),
    "extend": N_("Đã gia hạn."),
    "escalate": N_("Đã báo cáo vượt cấp."),
    "close": N_("Đã kết thúc ý kiến."),
    "reopen": N_("Đã mở lại ý kiến."),
    "refer": N_("Đã chuyển lên sở, ban, ngành tỉnh."),
    "return": N_("Đã trả lại ý kiến cho cơ sở."),
    "answer": N_("Đã gửi văn bản trả lời."),
    "decline": N_("Đã từ chối nhận ý kiến."),
    "spot": N_("Đã ghi nhận trả lời tại hội nghị."),
    "verify": N_("Đã ghi nhận kết quả xác minh."),
    "raised": N_("Đã ghi nhận các ý kiến của hội nghị."),
    "verified": N_("Đã ghi nhận kết quả xác minh tại hội nghị."),
    "withdraw": N_("Đã rút ý kiến."),
    "merge": N_("Đã gộp vào ý kiến khác."),
    "assigned": N_("Đã giao các ý kiến đã chọn."),
    "note": N_("Đã thêm ghi chú nội bộ."),
    "cosigned": N_("Đã ghi nhận chi bộ cùng kiến nghị vào ý kiến đã có."),
    "cosign": N_("Đã ghi nhận chi bộ cùng kiến nghị."),
    "none_new": N_("Không ghi nhận ý kiến nào: các ý kiến đã nhập đều đã có."),
    "filter_saved": N_("Đã lưu bộ lọc."),
    "filter_deleted": N_("Đã xóa bộ lọc."),
    "password": N_("Đã đổi mật khẩu."),
    "second_factor": N_("Đã bật xác thực hai lớp."),
    "second_factor_removed": N_(
        "Đã gỡ xác thực hai lớp: người dùng đăng nhập bằng mật khẩu, rồi bật lại nếu cần."
    ),
    "role_changed": N_("Đã đổi vai trò của tài khoản."),
    "account_disabled": N_(
        "Đã khóa tài khoản: các phiên đăng nhập và mã truy cập của tài khoản ngừng hoạt động."
    ),
    "meeting_scheduled": N_("Đã lên lịch hội nghị."),
    "notice_sent": N_("Đã ghi nhận thông báo triệu tập."),
    "agenda_issued": N_("Đã phát hành chương trình hội nghị."),
    "meeting_held": N_("Đã ghi nhận hội nghị đã họp và điểm danh."),
    "minutes_recorded": N_("Đã ghi biên bản hội nghị."),
    "meeting_closed": N_("Đã kết thúc hội nghị."),
    "meeting_moved": N_("Đã dời hội nghị sang ngày mới."),
    "meeting_cancelled": N_("Đã hủy hội nghị."),
    "information_received": N_("Đã ghi nhận đơn vị gửi thông tin."),
} | DUTY_DONE  # the members' duty's (api.web.duty_labels)
DONE |= co.COORDINATION_DONE  # lead and coordinating departments' (api.web.coordination_labels)

# What each row of the accounts' history records (``stores.accounts.Change``).
ACCOUNT_CHANGES = {
    Change.CREATED: N_("Tạo tài khoản"),
    Change.DISABLED: N_("Khóa tài khoản"),
    Change.PASSWORD_RESET: N_("Đặt lại mật khẩu"),
    Change.PASSWORD_CHANGED: N_("Tự đổi mật khẩu"),
    Change.ROLE_CHANGED: N_("Đổi vai trò hoặc đơn vị"),
    Change.SECOND_FACTOR_ENROLLED: N_("Bật xác thực hai lớp"),
    Change.SECOND_FACTOR_REMOVED: N_("Gỡ xác thực hai lớp"),
}

# What a field's value was wrong with, by pydantic's error type (others: "Không hợp lệ").
FIELD_ERRORS = {
    "missing": N_("Cần nhập"),
    "string_too_short": N_("Cần nhập"),
    "string_too_long": N_("Quá dài"),
    "too_long": N_("Quá nhiều"),
    "literal_error": N_("Hãy chọn một giá trị trong danh sách"),
    "enum": N_("Hãy chọn một giá trị trong danh sách"),
    "date_parsing": N_("Ngày không hợp lệ"),
    "date_from_datetime_parsing": N_("Ngày không hợp lệ"),
    "date_type": N_("Ngày không hợp lệ"),
    "string_pattern_mismatch": N_("Có ký tự không được phép"),
}
INVALID = N_("Không hợp lệ")
CONFIRM_NEEDED = N_("Hãy đánh dấu ô xác nhận")
DEPARTMENT_NEEDED = N_("Hãy chọn đơn vị")
NONE_TICKED = N_("Chưa chọn ý kiến nào để giao.")
NOTHING_ASSIGNED = N_("Chưa giao ý kiến nào: hãy sửa các dòng có lỗi rồi gửi lại.")
DUE_DATE_WRONG = N_("Hạn trả lời không phải một ngày hợp lệ; chưa giao ý kiến nào.")
# A form kept over a sign-in, shown again filled in.
KEPT = N_(
    "Phiên đăng nhập đã hết hạn trước khi biểu mẫu được gửi: nội dung bạn đã nhập được giữ"
    " lại dưới đây. Hãy kiểm tra rồi gửi lại."
)
KEPT_FILES = N_("Tệp đính kèm không được giữ lại: hãy chọn lại tệp.")
LETTER_TOO_LARGE = N_("Tệp lớn hơn giới hạn cho phép")
NOT_A_LETTER = N_("Chỉ nhận tệp PDF, PNG hoặc JPEG")

# The pages a role's menu links to, in its order (every role but the admin's adds the list).
NAV = {
    Role.CLERK: (
        ("/briefing", N_("Ghi nhận hội nghị")),
        ("/verification", N_("Xác minh")),
        ("/packet", N_("Tài liệu hội nghị")),
        ("/meetings", N_("Hội nghị")),
        ("/import", N_("Nhập từ tệp")),
    ),
    Role.COMMITTEE: (
        ("/queue", N_("Việc cần làm")),
        ("/assignments", N_("Giao theo hội nghị")),
        ("/board", N_("Quá hạn")),
        ("/scorecards", N_("Chất lượng trả lời")),
        ("/categories", N_("Lĩnh vực")),
        ("/reports", N_("Báo cáo")),
        ("/verification", N_("Xác minh")),
        ("/meetings", N_("Hội nghị")),
        ("/reports/attendance", N_("Chuyên cần")),
        ("/reports/meetings", N_("Báo cáo hội nghị")),
        ("/duty", N_("Cấp ủy viên dự sinh hoạt")),
        ("/organisations", N_("So sánh các tổ chức")),
    ),
    Role.DEPARTMENT: (("/inbox", N_("Cần trả lời")), ("/board", N_("Quá hạn"))),
    Role.AUDITOR: (
        ("/audit", N_("Kiểm tra")),
        ("/board", N_("Quá hạn")),
        ("/scorecards", N_("Chất lượng trả lời")),
        ("/reports", N_("Báo cáo")),
        ("/organisations", N_("So sánh các tổ chức")),
        ("/audit/reference", N_("Lịch sử danh mục")),
        ("/accounts/history", N_("Lịch sử tài khoản")),
    ),
    # The admin's home lists the rest of these.
    Role.ADMIN: (
        ("/admin", N_("Quản trị")),
        ("/admin/accounts", N_("Tài khoản")),
        ("/admin/tokens", N_("Mã truy cập API")),
        ("/admin/reference", N_("Danh mục")),
        ("/admin/duties", N_("Phân công cấp ủy viên")),
        ("/accounts/history", N_("Lịch sử tài khoản")),
    ),
}


# The words of each level (``domain.organisations.WORDS``), marked for the catalogue: the
# pages show them translated (a unit test holds this list to the domain's words).
LEVEL_WORDS = (
    N_("Tỉnh ủy"),
    N_("Ban Thường vụ Tỉnh ủy"),
    N_("Văn phòng Tỉnh ủy"),
    N_("sở, ban, ngành tỉnh"),
    N_("tỉnh"),
    N_("Huyện ủy"),
    N_("Ban Thường vụ Huyện ủy"),
    N_("Văn phòng Huyện ủy"),
    N_("phòng, ban huyện"),
    N_("huyện"),
    N_("Đảng ủy xã"),
    N_("Ban Thường vụ Đảng ủy xã"),
    N_("Văn phòng Đảng ủy"),
    N_("ban, ngành xã"),
    N_("xã"),
)


def role_label(role: str, words: LevelWords) -> str:
    """What a role is called at an organisation's level: its office, its standing
    committee, its departments (the others as ``ROLES`` names them); untranslated."""
    by_level = {
        Role.CLERK: words.office,
        Role.COMMITTEE: words.standing_committee,
        Role.DEPARTMENT: words.departments,
    }
    return by_level.get(Role(role), ROLES[Role(role)])


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


# ---- meetings (``domain.meeting``) --------------------------------------------------------

MEETING_KINDS = {
    MeetingKind.SECRETARY_BRIEFING: N_("Giao ban bí thư chi bộ"),
    MeetingKind.CELL_MEETING: N_("Sinh hoạt chi bộ có cấp ủy viên dự"),
}
ATTENDANCE = {
    Attendance.PRESENT: N_("Có mặt"),
    Attendance.LATE: N_("Đến muộn"),
    Attendance.ABSENT: N_("Vắng mặt"),
}
ATTENDEE_ROLES = {
    AttendeeRole.SECRETARY: N_("Bí thư chi bộ"),
    AttendeeRole.COMMITTEE_MEMBER: N_("Cấp ủy viên"),
    AttendeeRole.DEPARTMENT_LEADER: N_("Lãnh đạo đơn vị"),
}
