"""The refusals' catalogues: every message said in Vietnamese and English, each naming the
same values, and no Vietnamese rendering showing a field's raw code."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.messages import VALIDATION, VIETNAMESE, render, validation_message
from api.web import labels
from domain.errors import IllegalTransition, InvalidCommand, MeetingOutOfOrder, NotPermitted
from domain.messages import ENGLISH, Message, say
from domain.vocabulary import Command, MeetingCommand, MeetingStatus, Role, Status

ROOT = Path(__file__).resolve().parents[2]


def names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_both_languages() -> None:
    assert set(ENGLISH) == set(VIETNAMESE)


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_both_languages_name_the_same_values(key: str) -> None:
    assert names(ENGLISH[key]) == names(VIETNAMESE[key]), key


@pytest.mark.parametrize("kind", sorted(VALIDATION))
def test_each_validation_error_names_the_same_values_in_both(kind: str) -> None:
    vi, en = VALIDATION[kind]
    assert names(vi) == names(en), kind


def example(key: str) -> Message:
    """The message ``key`` naming a value of each kind its templates name."""
    values: dict[str, Any] = {}
    for name in names(ENGLISH[key]):
        values[name] = {
            "field": "due_on",
            "status": Status.ASSIGNED,
            "command": Command.EXTEND_DEADLINE,
            "role": Role.AUDITOR,
            "meeting_status": MeetingStatus.SCHEDULED,
            "meeting_command": MeetingCommand.RECORD_MINUTES,
            "faults": (("summary", labels.FIELD_ERRORS["missing"]),),
            "fields": ("summary", "due_on"),
        }.get(name, date(2026, 3, 1) if name in ("day", "due_on", "last") else 7)
    return say(key, **values)


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_a_message_is_said_in_each_language_without_codes(key: str) -> None:
    message = example(key)
    vi, en = render(message, "vi"), render(message, "en")
    assert (vi and en and vi != en) or (key == "form.faults" and vi != en), key
    codes = ("due_on", "assigned", "extend_deadline", "auditor", "summary", "record_minutes")
    for code in (*codes, "scheduled"):
        assert code not in vi, (key, vi)
    for code in ("due_on", "extend_deadline", "summary", "record_minutes"):
        assert code not in en, (key, en)
    assert "2026-03-01" not in vi, vi  # a date as Vietnamese write it
    if "{day}" in ENGLISH[key]:
        assert "01/03/2026" in vi and "2026-03-01" in en


def test_an_invalid_command_names_its_field_by_its_label() -> None:
    refused = InvalidCommand("document_date", say("letter.before_petition"))
    assert str(refused.message) == "document_date: the letter cannot predate the petition"
    assert render(refused.message, "vi") == "«Ngày văn bản» không được trước ngày nêu ý kiến."
    assert render(refused.message, "en") == (
        "Letter date: the letter cannot predate the petition"
    )


def test_a_transition_names_the_command_and_status_by_their_labels() -> None:
    refused = IllegalTransition(Command.VERIFY, Status.RAISED)
    assert render(refused.message, "vi") == (
        "Không thể ghi nhận kết quả xác minh ý kiến đang ở trạng thái «Mới tiếp nhận»."
    )
    assert render(refused.message, "en") == "Cannot verify a petition that is raised"
    role = NotPermitted(say("role.not_permitted", role=Role.AUDITOR, command=Command.ASSIGN))
    assert render(role.message, "vi") == "Vai trò «Ủy ban Kiểm tra» không được phép giao."


def test_a_meeting_out_of_order_names_its_command_and_status_by_their_labels() -> None:
    refused = MeetingOutOfOrder(MeetingCommand.RECORD_MINUTES, MeetingStatus.SCHEDULED)
    assert refused.details == {"command": "record_minutes", "status": "scheduled"}
    assert render(refused.message, "vi") == (
        "Không thể ghi biên bản hội nghị đang ở trạng thái «Đã lên lịch»."
    )
    assert render(refused.message, "en") == (
        "Cannot record the minutes of a meeting that is scheduled"
    )


def test_a_plain_text_is_said_as_it_is() -> None:
    assert render("Không tìm thấy", "en") == "Không tìm thấy"


# The fields the domain and the use cases name in their refusals, as the code spells them.
NAMED = re.compile(
    r'(?:InvalidCommand|clean_text|clean_optional|check|check_year|check_moment|known'
    r'|check_open)\(\s*"([a-z_]+)"'
)


def test_every_field_a_refusal_names_has_a_label() -> None:
    named = {
        field
        for folder in ("domain", "usecases")
        for path in (ROOT / folder).glob("*.py")
        for field in NAMED.findall(path.read_text(encoding="utf-8"))
    }
    assert {"due_on", "document_date", "meeting", "organisation"} <= named
    assert named - set(labels.FIELDS) == set()


@pytest.mark.parametrize(
    ("error", "vi", "en"),
    [
        (
            {"type": "missing", "loc": ("body", "summary"), "msg": "Field required"},
            "«Tóm tắt»: cần nhập.",
            "Summary: required",
        ),
        (
            {
                "type": "string_too_long",
                "loc": ("body", "document_number"),
                "msg": "x",
                "ctx": {"max_length": 200},
            },
            "«Số văn bản»: dài tối đa 200 ký tự.",
            "Letter number: at most 200 characters",
        ),
        (
            {"type": "date_from_datetime_parsing", "loc": ("body", "due_on"), "msg": "x"},
            "«Hạn trả lời»: không phải một ngày hợp lệ (năm-tháng-ngày, ví dụ 2026-12-31).",
            "Answer due: not a valid date (YYYY-MM-DD)",
        ),
        (
            {
                "type": "enum",
                "loc": ("body", "kind"),
                "msg": "x",
                "ctx": {"expected": "'reflection' or 'proposal'"},
            },
            "«Loại»: hãy chọn một trong `reflection` hoặc `proposal`.",
            "Kind: must be one of `reflection` or `proposal`",
        ),
        (
            {
                "type": "literal_error",
                "loc": ("query", "format"),
                "msg": "x",
                "ctx": {"expected": "'csv', 'json' or 'xlsx'"},
            },
            "«Định dạng tệp»: hãy chọn một trong `csv`, `json` hoặc `xlsx`.",
            "File format: must be one of `csv`, `json` or `xlsx`",
        ),
        (
            {
                "type": "string_too_short",
                "loc": ("body", "reason"),
                "msg": "x",
                "ctx": {"min_length": 1},
            },
            "«Lý do»: cần nhập.",
            "Reason: required",
        ),
        (
            {"type": "uuid_parsing", "loc": ("body", "into"), "msg": "x"},
            "«Ý kiến cần gộp vào»: không phải một mã UUID hợp lệ.",
            "Petition to merge into: not a valid UUID",
        ),
        (
            {"type": "int_parsing", "loc": ("query", "limit"), "msg": "x"},
            "«Số dòng»: cần là một số nguyên.",
            "Rows: must be a whole number",
        ),
        (
            {"type": "something_new", "loc": ("body", "flags", 0), "msg": "x"},
            "«Nhận xét»: giá trị không hợp lệ.",
            "Remarks: not a valid value",
        ),
    ],
)
def test_pydantic_errors_are_said_with_the_fields_label(
    error: dict[str, Any], vi: str, en: str
) -> None:
    assert validation_message(error, "vi") == vi
    assert validation_message(error, "en") == en


def test_every_field_a_request_takes_has_a_label() -> None:
    """A refusal of any body field or query parameter of the API (pydantic's, said with
    the field's label) names it in words: each one the OpenAPI document lists has a label
    (a header such as If-Match, and a path's id, are named as they are)."""
    from tests.unit.test_docs import app

    document = app().openapi()
    schemas = document["components"]["schemas"]
    named: set[str] = set()

    def walk(schema: Any) -> None:  # a body's fields, and those of the objects it holds
        if isinstance(schema, dict):
            if "$ref" in schema:
                target = schemas[schema["$ref"].rsplit("/", 1)[-1]]
                named.update(target.get("properties", {}))
                walk(target.get("properties", {}))
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    for operations in document["paths"].values():
        for operation in operations.values():
            named |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walk(media["schema"])
    assert len(named) > 50
    assert sorted(named - set(labels.FIELDS)) == []
