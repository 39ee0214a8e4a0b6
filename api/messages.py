"""The refusals said to the user: in Vietnamese by default, in English on the switch.

A refusal of the domain or of a use case is a ``domain.messages.Message`` (a key and the
values it names); ``render`` says it in a language, each field, status, command and role by
its label (``api.web.labels``, translated by the pages' catalogue), each date as the
language writes it. Pydantic's refusals of a request are said the same way, by their error
``type`` (``validation_message``). A text that is no ``Message`` is said as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from api.calendar_messages import CALENDAR_VIETNAMESE
from api.cell_messages import CELL_VIETNAMESE
from api.clearance_messages import CLEARANCE_VIETNAMESE
from api.clock_messages import CLOCK_VIETNAMESE
from api.commitment_messages import COMMITMENT_VIETNAMESE
from api.coordination_messages import COORDINATION_VIETNAMESE
from api.duty_messages import DUTY_VIETNAMESE
from api.meeting_report_messages import MEETING_REPORTS_VIETNAMESE
from api.repeat_messages import REPEAT_VIETNAMESE
from api.web import labels
from api.web.i18n import DEFAULT, load
from domain.lifecycle import LIFECYCLE
from domain.meeting import MEETING_LIFECYCLE
from domain.messages import ENGLISH, Message
from domain.vocabulary import Command, MeetingCommand, MeetingStatus, Role, Status

# key -> Vietnamese template, naming the same values as ``domain.messages.ENGLISH``.
VIETNAMESE: dict[str, str] = {
    "text.empty": "«{field}» không được để trống.",
    "text.too_long": "«{field}» dài tối đa {max_length} ký tự.",
    "value.not_listed": "«{field}» không phải một giá trị trong danh sách.",
    "meeting.unnamed": "Ý kiến nêu tại hội nghị phải ghi tên hội nghị («{field}»).",
    "cosign.other_organisation": "«{field}»: chi bộ này thuộc tổ chức khác.",
    "cosign.own_cell": "«{field}»: chính chi bộ này đã nêu ý kiến.",
    "cosign.already": "«{field}»: chi bộ này đã cùng kiến nghị rồi.",
    "department.already_assigned": "«{field}»: ý kiến đã được giao cho đơn vị này.",
    "referral.already": "«{field}»: ý kiến đã được chuyển lên tỉnh.",
    "referral.to_province": "«{field}»: chỉ chuyển ý kiến lên tỉnh.",
    "referral.none": "«{field}»: ý kiến không được chuyển lên tỉnh.",
    "deadline.not_later": "«{field}»: hạn mới phải sau hạn hiện tại {due_on}.",
    "due.before_assignment": "«{field}» phải sau ngày giao.",
    "letter.after_answer": "«{field}» không được sau ngày trả lời.",
    "letter.before_petition": "«{field}» không được trước ngày nêu ý kiến.",
    "attachment.digest": "«{field}»: mỗi tệp cần mã SHA-256 của nó.",
    "attachment.name_size": "«{field}»: mỗi tệp cần tên và kích thước.",
    "flags.unknown": "«{field}» có giá trị không có trong danh sách.",
    "flags.twice": "«{field}»: một nhận xét được chọn hai lần.",
    "verdict.satisfied_reopen": "«{field}»: ý kiến hài lòng thì không mở lại để giao.",
    "reopen.only": "«{field}»: chỉ chọn đơn vị và hạn khi giao lại ý kiến chưa hài lòng.",
    "verify_by.not_after": "«{field}» phải là một hội nghị sau ngày trả lời.",
    "escalation.not_overdue": "«{field}»: ý kiến chưa quá hạn trả lời.",
    "escalation.not_unsatisfied": "«{field}»: câu trả lời chưa hai lần bị đánh giá chưa hài lòng.",
    "reminder.passed": "«{field}»: đã quá hạn, không còn là nhắc sắp đến hạn.",
    "reminder.not_overdue": "«{field}»: ý kiến chưa quá hạn trả lời.",
    "merge.self": "«{field}»: không thể gộp ý kiến vào chính nó.",
    "merge.target_ended": "«{field}»: ý kiến cần gộp vào đang ở trạng thái «{status}».",
    "date.before_last": "«{field}» {day} trước ngày ghi nhận gần nhất của ý kiến ({last}).",
    "date.future": "«{field}» {day} là một ngày trong tương lai.",
    "calendar.before_earliest": "«{field}» {day} trước ngày sớm nhất được nhận ({earliest}).",
    "calendar.after_latest": "«{field}» {day} sau ngày muộn nhất hệ thống tính đến ({latest}).",
    "calendar.year": "«{field}»: năm {year} không nằm trong khoảng {first} đến {last}.",
    "calendar.past": "«{field}»: {days} ngày sau {day} vượt quá lịch của hệ thống.",
    "calendar.no_briefing_after": "«{field}»: lịch không có hội nghị nào sau {day}.",
    "calendar.no_briefing_before": "«{field}»: lịch không có hội nghị nào trước {day}.",
    "briefing_rule.shape": "«{field}»: hãy chọn một ngày trong tháng, hoặc một thứ và tuần.",
    "briefing_rule.day": "«{field}»: ngày trong tháng từ 1 đến 31.",
    "briefing_rule.weekday": "«{field}»: thứ từ Hai đến Chủ Nhật, tuần thứ 1 đến 4 hoặc cuối.",
    "briefing_rule.unread": "«{field}»: không đọc được lịch hội nghị «{text}».",
    "actor.no_id": "«{field}»: thiếu mã người thực hiện.",
    "actor.department": "«{field}»: chỉ vai trò đơn vị mới gắn với đúng một đơn vị.",
    "organisation.ceased": "«{field}»: {name} không còn từ {day}, không nhận ý kiến từ ngày đó.",
    "organisation.not_yet": "«{field}»: {name} có từ {day}, không nhận ý kiến nêu trước ngày đó.",
    "organisation.unknown": "«{field}»: không có tổ chức mã «{code}».",
    "organisation.unnamed": "«{field}»: hãy chọn tổ chức nơi ý kiến được nêu.",
    "organisation.province": "«{field}»: ý kiến được nêu ở xã hoặc huyện, không phải ở tỉnh.",
    "reference.unknown": "«{field}»: không có mã «{code}».",
    "reference.retired": "«{field}»: mã «{code}» đã ngừng sử dụng từ {day}.",
    "petition.unknown": "«{field}»: không có ý kiến {petition_id}.",
    "petition.named_twice": "«{field}»: ý kiến {petition_id} được chọn hai lần.",
    "idempotency.key_length": "«{field}» dài từ 1 đến {max_length} ký tự.",
    "member.cell_meeting_only": (
        "«{field}»: chỉ ý kiến nêu tại sinh hoạt chi bộ mới ghi, và phải ghi, cấp ủy viên dự họp."
    ),
    "meeting.written_report": "«{field}»: ý kiến báo cáo bằng văn bản không gắn với hội nghị nào.",
    "meeting.member_twice": "«{field}»: một cấp ủy viên được ghi hai lần.",
    "meeting.cell_unnamed": "«{field}»: sinh hoạt chi bộ phải ghi chi bộ.",
    "meeting.cell_not_zone": (
        "«{field}»: sinh hoạt chi bộ là của một chi bộ, không phải của một cụm."
    ),
    "meeting.cell_members": "«{field}»: sinh hoạt chi bộ có ít nhất một cấp ủy viên dự.",
    "meeting.briefing_of": "«{field}»: hội nghị giao ban là của tổ chức hoặc của một cụm.",
    "meeting.already_on": "«{field}»: hội nghị đã được lên lịch vào ngày {day}.",
    "meeting.date_before_last": (
        "«{field}» {day} trước ngày ghi nhận gần nhất của hội nghị ({last})."
    ),
    "meeting.organisation_unnamed": "«{field}»: hãy chọn tổ chức của hội nghị.",
    "meeting.unknown": "«{field}»: không có hội nghị {meeting_id}.",
    "meeting.not_held": (
        "«{field}»: hội nghị đang ở trạng thái «{meeting_status}», chưa được tổ chức."
    ),
    "meeting.held_on": "«{field}»: hội nghị được tổ chức ngày {day}.",
    "meeting.not_the_cells": (
        "«{field}»: ý kiến nêu tại sinh hoạt chi bộ phải ghi buổi sinh hoạt của chính chi bộ đó."
    ),
    "meeting.member_absent": "«{field}»: {member} không dự buổi sinh hoạt chi bộ này.",
    "meeting.not_a_briefing": (
        "«{field}»: hội nghị được ghi là sinh hoạt chi bộ, không phải hội nghị giao ban."
    ),
    "meeting.other_zone": (
        "«{field}»: hội nghị giao ban là của cụm {zone}, không phải cụm {own_zone}."
    ),
    "notice.no_recipients": "«{field}»: thông báo phải gửi đến ít nhất một người.",
    "notice.after_meeting": "«{field}»: thông báo phải gửi trước ngày họp.",
    "list.too_many": "«{field}»: nhiều nhất {max_items} mục.",
    "number.negative": "«{field}» không được là số âm.",
    "attendance.none": "«{field}»: hãy ghi ai được mời và ai đã dự.",
    "attendance.twice": "«{field}»: được ghi hai lần: {entries}.",
    "attendance.member_unsaid": "«{field}»: hãy ghi {members} có dự hay không.",
    "attendance.no_member": "«{field}»: sinh hoạt chi bộ phải có cấp ủy viên dự.",
    "attendance.other_secretary": (
        "«{field}»: sinh hoạt chi bộ {cell} chỉ có bí thư của chính chi bộ đó."
    ),
    "attendance.cell_zone": "«{field}»: chi bộ {cell} không thuộc cụm {zone}.",
    "attendance.role": "«{field}»: vai trò của một dòng không có trong danh sách.",
    "attendance.status": "«{field}»: tình trạng dự của một dòng không có trong danh sách.",
    "attendance.secretary_cell": "«{field}»: dòng của bí thư chi bộ phải ghi chi bộ.",
    "attendance.person": (
        "«{field}»: dòng của cấp ủy viên hoặc lãnh đạo đơn vị phải ghi tên người dự."
    ),
    "late.minutes_missing": "«{field}»: người đến muộn cần ghi số phút muộn.",
    "late.minutes_range": "«{field}»: từ 1 đến {max_minutes} phút.",
    "late.only": "«{field}»: chỉ người đến muộn mới ghi số phút muộn.",
    "absence.reason": "«{field}»: vắng có lý do thì cần ghi lý do.",
    "absence.only": "«{field}»: chỉ người vắng mặt mới ghi lý do và có phép hay không.",
    "verdicts.not_listed": "«{field}»: có kết quả không có trong danh sách.",
    "petitions.not_an_id": "«{field}»: mỗi ý kiến được ghi bằng mã của nó.",
    "petitions.twice": "«{field}»: một ý kiến được ghi hai lần.",
    "meeting.out_of_order": (
        "Không thể {meeting_command} hội nghị đang ở trạng thái «{meeting_status}»."
    ),
    "agenda.frozen": "Chương trình hội nghị đã phát hành, không thay đổi được.",
    "meeting.role_not_permitted": "Vai trò «{role}» không được phép {meeting_command} hội nghị.",
    "meeting.not_found": "Không tìm thấy hội nghị {meeting_id}.",
    "meeting.version_stale": (
        "Hội nghị đã ở phiên bản {current}, khác phiên bản {expected} trong If-Match."
    ),
    "meeting.concurrent": "Hội nghị vừa được người khác cập nhật; hãy tải lại rồi thử lại.",
    "forbidden.province_meetings": (
        "Tỉnh chỉ xem hội nghị của các tổ chức; mỗi tổ chức tự ghi nhận hội nghị của mình."
    ),
    "forbidden.other_organisation_meeting": (
        "Hội nghị do văn phòng và thường vụ của chính tổ chức đó ghi nhận."
    ),
    "transition.illegal": "Không thể {command} ý kiến đang ở trạng thái «{status}».",
    "transition.wrong_department": "Không thể {command}: ý kiến không giao cho đơn vị của bạn.",
    "transition.escalated_overdue": "Ý kiến đã được báo cáo vượt cấp vì quá hạn {day}.",
    "transition.escalated_unsatisfied": (
        "Ý kiến đã được báo cáo vượt cấp vì hai lần chưa hài lòng."
    ),
    "transition.reminded": "Đã nhắc hạn trả lời {day} rồi.",
    "transition.reopen_satisfied": (
        "Không thể mở lại ý kiến đã kết thúc do chi bộ đánh giá hài lòng."
    ),
    "role.not_permitted": "Vai trò «{role}» không được phép {command}.",
    "petition.not_found": "Không tìm thấy ý kiến {petition_id}.",
    "petition.not_found_number": "Không tìm thấy ý kiến số {number}.",
    "petition.not_then": "Ý kiến {petition_id} chưa có vào ngày {day}.",
    "version.stale": "Ý kiến đã ở phiên bản {current}, khác phiên bản {expected} trong If-Match.",
    "update.concurrent": "Ý kiến vừa được người khác cập nhật; hãy tải lại rồi thử lại.",
    "update.not_recorded": "Chưa ghi nhận được ý kiến; hãy thử lại.",
    "idempotency.reused": "Khóa Idempotency-Key này đã dùng cho một ý kiến khác.",
    "forbidden.use_case": "Vai trò «{role}» không được phép thực hiện việc này.",
    "forbidden.answer_in_writing": "Văn bản trả lời do đơn vị được giao gửi.",
    "forbidden.answer_on_the_spot": "Văn phòng cấp ủy ghi nhận các câu trả lời tại hội nghị.",
    "forbidden.committee_only": "Chỉ Ban Thường vụ chọn đơn vị khác hoặc hạn trả lời khác.",
    "forbidden.committee_field": "Chỉ Ban Thường vụ được chọn.",
    "forbidden.province_referred_only": (
        "Tỉnh chỉ giao, gia hạn, trả lời hoặc trả lại các ý kiến được chuyển lên tỉnh."
    ),
    "forbidden.referred": "Ý kiến đã được chuyển lên tỉnh: sở, ban, ngành tỉnh giải quyết.",
    "forbidden.notes": "Chỉ Ban Thường vụ và đơn vị được giao mới đọc và viết được ghi chú này.",
    "forbidden.comparison": (
        "Việc so sánh các tổ chức chỉ dành cho Ban Thường vụ và Ủy ban Kiểm tra tỉnh."
    ),
    "choose.none": "Chưa chọn ý kiến nào.",
    "field.required": "Cần chọn.",
    "lookup.unread": "«{given}» không phải mã hay số của một ý kiến.",
    "lookup.unread_field": "Không phải mã hay số của ý kiến.",
    "lookup.several": (
        "Có {count} ý kiến cùng số {number}, mỗi ý kiến ở một tổ chức:"
        " hãy tìm bằng GET /v1/petitions?q=<số>"
    ),
    "lookup.several_field": "Số này của nhiều ý kiến.",
    "position.beyond": "Vị trí {position} vượt quá cuối nhật ký sự kiện ({head}).",
    "position.beyond_field": "Vượt quá cuối nhật ký.",
    "views.behind": "Số liệu «{view}» chưa cập nhật đến vị trí {position}; hãy thử lại.",
    "cursor.unread": "Không đọc được con trỏ trang: hãy tải lại trang đầu.",
    "period.reversed": "«Từ ngày» không được sau «Đến ngày».",
    "period.both": "Hãy chọn một năm, hoặc một khoảng từ ngày đến ngày, không chọn cả hai.",
    "zone.unknown": "Không có cụm «{zone}» trong tổ chức «{organisation}».",
    "zone.unknown_here": "Không có cụm «{zone}».",
    "form.faults": "{faults}",
    "field.missing": "Cần nhập.",
    "field.not_here": "Không nhận ở đây.",
    "auth.no_bearer": "Hãy gửi tiêu đề Authorization: Bearer <mã truy cập>.",
    "auth.unknown_token": "Mã truy cập không tồn tại hoặc đã bị thu hồi.",
    "auth.access_log": (
        "Không ghi được lượt đọc vào nhật ký truy cập nên chưa thể đọc; hãy thử lại sau ít phút."
    ),
    "auth.metrics_scope": (
        "Số liệu đo đếm ý kiến của mọi tổ chức: chỉ mã truy cập của tỉnh hoặc METRICS_TOKEN"
        " được đọc."
    ),
    "auth.metrics_bearer": (
        "Hãy gửi tiêu đề Authorization: Bearer <mã>: một mã truy cập API hoặc METRICS_TOKEN."
    ),
    "auth.role_route": "Vai trò «{role}» không được dùng đường dẫn này.",
    "answer.media_type": (
        "Hãy gửi câu trả lời dạng application/json, hoặc kèm văn bản đã ký dạng"
        " multipart/form-data."
    ),
    "answer.letters_in_json": (
        "Câu trả lời dạng JSON không kèm được văn bản: hãy gửi dạng multipart/form-data,"
        " mỗi văn bản đã ký là một tệp `letter`."
    ),
    "answer.upload_letter": "Hãy tải lên văn bản.",
    "answer.written_needs": "Trả lời bằng văn bản cần có: {fields}.",
    "answer.written_takes_not": "Trả lời bằng văn bản không nhận: {fields}.",
    "answer.spot_takes_not": "Trả lời tại hội nghị không nhận: {fields}.",
    "answer.spot_letters": "Trả lời tại hội nghị không kèm văn bản.",
    "answer.spot_who": "Trả lời tại hội nghị cần ghi người trả lời.",
    "letter.too_large": "«{name}»: lớn hơn {limit} byte.",
    "letter.not_a_letter": "«{name}»: không phải tệp PDF, PNG hoặc JPEG.",
    "if_match.version": "Tiêu đề If-Match phải là phiên bản của ý kiến, ví dụ \"3\".",
    "if_match.not_version": "Không phải một phiên bản.",
    "as_of.no_zone": "«Thời điểm» cần có múi giờ, ví dụ 2026-03-03T08:00:00+07:00.",
    "as_of.no_zone_field": "Thiếu múi giờ.",
    "export.too_many": "Nhiều hơn {limit} ý kiến: hãy thu hẹp bộ lọc.",
    "export.too_many_overdue": "{total} dòng quá hạn, nhiều hơn {limit}: hãy thu hẹp bộ lọc.",
    "export.too_many_field": "Quá nhiều dòng.",
    "database.retry": "Hãy thử lại sau vài giây.",
    "page.no_zones": "Danh mục chưa có cụm nào.",
    "page.spot_needs_both": "Trả lời tại hội nghị cần ghi cả người trả lời và nội dung trả lời.",
    "page.role": "Vai trò «{role}» không được dùng trang này.",
    "page.csrf": "Mã bảo vệ của biểu mẫu bị thiếu hoặc đã cũ; hãy tải lại trang.",
    "page.as_of": "«{field}»: không phải một ngày giờ hợp lệ.",
    "page.no_filters": "Trang này không lưu bộ lọc.",
    "page.no_such_filter": "Không có bộ lọc nào tên như vậy.",
    "http.bad_request": "Không đọc được yêu cầu.",
    "http.body_unread": "Không đọc được nội dung gửi lên: hãy gửi JSON mã hóa UTF-8.",
    "http.not_found": "Không có gì ở địa chỉ này.",
    "http.method_not_allowed": "Địa chỉ này không nhận phương thức này.",
    "http.payload_too_large": "Nội dung gửi lên lớn hơn {limit} byte.",
    "http.unsupported_media_type": "Định dạng nội dung này không được nhận ở đây.",
    "http.unauthorized": "Hãy đăng nhập, hoặc gửi mã truy cập hợp lệ.",
    "http.forbidden": "Bạn không có quyền xem nội dung này.",
    "server.error": "Lỗi ngoài dự kiến; đã ghi vào nhật ký với mã yêu cầu {request_id}.",
}
VIETNAMESE |= CALENDAR_VIETNAMESE
VIETNAMESE |= MEETING_REPORTS_VIETNAMESE  # the meetings' information requests and reports
VIETNAMESE |= DUTY_VIETNAMESE  # the members' duty's own
VIETNAMESE |= CLEARANCE_VIETNAMESE  # the clearance of written answers
VIETNAMESE |= COMMITMENT_VIETNAMESE  # an answer's commitment's own
VIETNAMESE |= CLOCK_VIETNAMESE  # the paused clock's own
VIETNAMESE |= CELL_VIETNAMESE  # a cell's secretary's and the answer register's
VIETNAMESE |= REPEAT_VIETNAMESE  # a petition linked as a repeat of an earlier one
VIETNAMESE |= COORDINATION_VIETNAMESE  # lead and coordinating departments


@lru_cache(maxsize=4)
def translator(language: str) -> Callable[[str], str]:
    """The pages' catalogue of ``language``: a Vietnamese label in that language."""
    return load(language).gettext


def english(language: str) -> bool:
    return language != DEFAULT


def label(table: Mapping[Any, str], code: object, language: str) -> str:
    """What ``code`` is called in ``language``; an unknown code as it is."""
    text = table.get(str(code))
    return str(code) if text is None else translator(language)(text)


def field_label(code: str, language: str) -> str:
    return label(labels.FIELDS, code.lower() if "-" in code else code, language)


def command_label(command: object, language: str) -> str:
    try:
        member = Command(str(command))
    except ValueError:
        return str(command)
    return LIFECYCLE[member].verb if english(language) else labels.COMMAND_VERBS[member]


def said(name: str, value: Any, language: str) -> str:
    """A value a message names, as ``language`` says it."""
    if isinstance(value, datetime):
        return value.isoformat() if english(language) else value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, date):
        return value.isoformat() if english(language) else value.strftime("%d/%m/%Y")
    if name == "field":
        return field_label(str(value), language)
    if name == "fields":  # the codes of several fields
        return ", ".join(field_label(field, language) for field in value)
    if name == "faults":  # (field, what is wrong with it as the catalogue says it) pairs
        return "; ".join(
            f"{field_label(field, language)}: {translator(language)(why).lower()}"
            for field, why in value
        )
    if name == "status" and str(value) in set(Status):
        status = label(labels.STATUSES, value, language)
        return status.lower() if english(language) else status
    if name == "command":
        return command_label(value, language)
    if name == "meeting_status" and str(value) in set(MeetingStatus):
        status = label(labels.MEETING_STATUSES, value, language)
        return status.lower() if english(language) else status
    if name == "meeting_command" and str(value) in set(MeetingCommand):
        member = MeetingCommand(str(value))
        return MEETING_LIFECYCLE[member].verb if english(language) else labels.MEETING_VERBS[member]
    if name == "role" and str(value) in set(Role):
        return label(labels.ROLES, value, language)
    return str(getattr(value, "value", value))


def render(message: str, language: str) -> str:
    """``message`` said in ``language`` (``vi`` or ``en``); a plain text as it is."""
    if not isinstance(message, Message):
        return message
    template = (ENGLISH if english(language) else VIETNAMESE)[message.key]
    values = {name: said(name, value, language) for name, value in message.params.items()}
    text = template.format(**values)
    return upper_first(text)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_fields(fields: Mapping[str, str], language: str) -> dict[str, str]:
    """Each input at fault with why, in ``language``."""
    return {name: render(why, language) for name, why in fields.items()}


# ---- pydantic's refusals of a request ------------------------------------------------

# pydantic's error type -> (Vietnamese, English) template; ``{field}`` is the field's label,
# the other values are those of the error's ``ctx``.
TEXT = ("«{field}»: cần là một đoạn chữ.", "{field}: must be text")
DATE = (
    "«{field}»: không phải một ngày hợp lệ (năm-tháng-ngày, ví dụ 2026-12-31).",
    "{field}: not a valid date (YYYY-MM-DD)",
)
MOMENT = (
    "«{field}»: không phải một thời điểm hợp lệ (ví dụ 2026-03-03T08:00:00+07:00).",
    "{field}: not a valid date and time (such as 2026-03-03T08:00:00+07:00)",
)
WHOLE = ("«{field}»: cần là một số nguyên.", "{field}: must be a whole number")
NUMBER = ("«{field}»: cần là một số.", "{field}: must be a number")
CHOICE = ("«{field}»: hãy chọn một trong {expected}.", "{field}: must be one of {expected}")
UUID_ = ("«{field}»: không phải một mã UUID hợp lệ.", "{field}: not a valid UUID")
BOOL = ("«{field}»: cần là đúng hoặc sai (true/false).", "{field}: must be true or false")
OBJECT = ("«{field}»: cần là một đối tượng JSON.", "{field}: must be a JSON object")
INVALID = ("«{field}»: giá trị không hợp lệ.", "{field}: not a valid value")
VALIDATION: dict[str, tuple[str, str]] = {
    "missing": ("«{field}»: cần nhập.", "{field}: required"),
    "missing_argument": ("«{field}»: cần nhập.", "{field}: required"),
    "string_too_short": (
        "«{field}»: cần ít nhất {min_length} ký tự.",
        "{field}: at least {min_length} characters",
    ),
    "string_too_long": (
        "«{field}»: dài tối đa {max_length} ký tự.",
        "{field}: at most {max_length} characters",
    ),
    "too_short": (
        "«{field}»: cần ít nhất {min_length} mục.",
        "{field}: at least {min_length} items",
    ),
    "too_long": ("«{field}»: nhiều nhất {max_length} mục.", "{field}: at most {max_length} items"),
    "string_type": TEXT,
    "string_unicode": TEXT,
    "string_sub_type": TEXT,
    "string_pattern_mismatch": (
        "«{field}»: có ký tự không được phép.",
        "{field}: contains a character that is not allowed",
    ),
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "date_type": DATE,
    "datetime_parsing": MOMENT,
    "datetime_from_date_parsing": MOMENT,
    "datetime_type": MOMENT,
    "datetime_object_invalid": MOMENT,
    "timezone_aware": MOMENT,
    "enum": CHOICE,
    "literal_error": CHOICE,
    "int_parsing": WHOLE,
    "int_type": WHOLE,
    "int_from_float": WHOLE,
    "int_parsing_size": WHOLE,
    "float_parsing": NUMBER,
    "float_type": NUMBER,
    "finite_number": NUMBER,
    "greater_than": ("«{field}»: cần lớn hơn {gt}.", "{field}: must be greater than {gt}"),
    "greater_than_equal": ("«{field}»: ít nhất là {ge}.", "{field}: must be at least {ge}"),
    "less_than": ("«{field}»: cần nhỏ hơn {lt}.", "{field}: must be less than {lt}"),
    "less_than_equal": ("«{field}»: nhiều nhất là {le}.", "{field}: must be at most {le}"),
    "uuid_parsing": UUID_,
    "uuid_type": UUID_,
    "uuid_version": UUID_,
    "bool_parsing": BOOL,
    "bool_type": BOOL,
    "list_type": ("«{field}»: cần là một danh sách.", "{field}: must be a list"),
    "model_type": OBJECT,
    "model_attributes_type": OBJECT,
    "dict_type": OBJECT,
    "json_invalid": (
        "Nội dung gửi lên không phải JSON hợp lệ.",
        "The body is not valid JSON",
    ),
    "json_type": ("Nội dung gửi lên không phải JSON.", "The body is not JSON"),
    "extra_forbidden": (
        "«{field}»: yêu cầu này không có trường này.",
        "{field}: not a field of this request",
    ),
    "value_error": INVALID,
    "file": ("«{field}»: cần là một tệp.", "{field}: must be a file"),
    "not_a_file": ("«{field}»: không nhận tệp.", "{field}: must not be a file"),
    "repeated": ("«{field}»: được gửi nhiều lần.", "{field}: given more than once"),
    "assertion_error": INVALID,
}


def field_of(loc: Sequence[Any]) -> str:
    """The field an error's ``loc`` names: the first name after where it is (body,
    query...), else where it is."""
    names = [str(part) for part in loc[1:] if isinstance(part, str)]
    return names[0] if names else str(loc[0]) if loc else "body"


def validation_message(error: Mapping[str, Any], language: str) -> str:
    """A pydantic error said in ``language``, naming the field by its label."""
    kind = str(error.get("type"))
    ctx = {k: ctx_value(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "string_too_short" and ctx.get("min_length") == "1":
        kind = "missing"  # an empty text is one not given
    vi, en = VALIDATION.get(kind, INVALID)
    loc = tuple(error.get("loc") or ())
    values = {**ctx, "field": field_label(field_of(loc), language)}
    if "expected" in ctx and kind in ("enum", "literal_error"):
        values["expected"] = choices(str((error.get("ctx") or {})["expected"]), language)
    try:
        return upper_first((en if english(language) else vi).format(**values))
    except (KeyError, IndexError):  # a context without the value the template names
        return upper_first((INVALID[1] if english(language) else INVALID[0]).format(**values))


def choices(expected: str, language: str) -> str:
    """pydantic's list of the accepted values ("'a', 'b' or 'c'") as codes joined in
    ``language``: `a`, `b` hoặc `c`."""
    codes = [f"`{code}`" for code in re.findall(r"'([^']*)'", expected)] or [expected]
    last = " or " if english(language) else " hoặc "
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + last + codes[-1]


def ctx_value(value: Any) -> str:
    return str(value).replace("'", "")
