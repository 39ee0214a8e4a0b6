"""The rows of the minutes resolved against the district's reference data (labels or codes)
and checked with ``PetitionCreate``, the API's own request to raise a petition: each row a
petition draft, or the faults that keep the file from being recorded."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from api.formats.minutes import (
    CHANNEL_WORDS,
    DMY,
    FIELDS,
    HEADER_SEARCH_ROWS,
    HEADINGS,
    IGNORED_HEADINGS,
    KIND_WORDS,
    MAX_ROWS,
    YMD,
    Table,
    fold,
)
from api.schemas import PetitionCreate
from domain.calendar import EARLIEST_BUSINESS_DATE
from domain.reference import District
from usecases.commands import PetitionDraft
from usecases.importing import Plan, Planned, RowError


def text_of(value: Any) -> str:
    """A cell as text: XLSX numbers without a spurious ``.0``, NFC-normalised, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def validate(
    table: Table, district: District, today: date, earliest: date = EARLIEST_BUSINESS_DATE
) -> Plan:
    """Every fault of the file; the petitions to raise only if there is none (raised from
    ``earliest``, the application's earliest business date, to ``today``)."""
    plan = Plan(table.format, table.sha256)
    rows = [(n, values) for n, values in table.rows if any(text_of(v) for v in values)]
    if not rows:
        plan.errors.append(
            RowError(None, None, "file", "Tệp không có dòng nào.", "The file has no rows.")
        )
        return plan
    header_at, columns, header_errors = find_header(rows)
    plan.errors += header_errors
    if header_errors:
        return plan
    data = [(n, values) for n, values in rows if n > header_at]
    if not data:
        plan.errors.append(
            RowError(
                header_at + 1,
                None,
                "file",
                "Không có ý kiến nào dưới dòng tiêu đề.",
                "There is no petition below the headings.",
            )
        )
        return plan
    if len(data) > MAX_ROWS:
        plan.errors.append(
            RowError(
                None,
                None,
                "file",
                f"Tệp có {len(data)} dòng; mỗi lần nhập tối đa {MAX_ROWS} dòng.",
                f"The file has {len(data)} rows; at most {MAX_ROWS} may be imported at once.",
            )
        )
        return plan
    resolver = Resolver(district)
    seen: dict[PetitionDraft, int] = {}
    for number, values in data:
        cells = {
            name: (values[index] if index < len(values) else None)
            for name, index in columns.items()
        }
        draft, errors = check_row(number, cells, resolver, today, earliest)
        plan.errors += errors
        if draft is None:
            continue
        if draft in seen:
            plan.errors.append(
                RowError(
                    number,
                    None,
                    "row",
                    f"Trùng hoàn toàn với dòng {seen[draft]}.",
                    f"The same as row {seen[draft]}.",
                )
            )
            continue
        seen[draft] = number
        plan.petitions.append(Planned(number, draft))
    if plan.errors:
        plan.petitions = []
    return plan


def find_header(
    rows: list[tuple[int, list[Any]]],
) -> tuple[int, dict[str, int], list[RowError]]:
    """The headings' row (the first, within a few, that names every required column), the
    column index of each field, and what is wrong with the headings."""
    by_heading = {fold(f.heading): f.name for f in FIELDS} | {f.name: f.name for f in FIELDS}
    required = {f.name for f in FIELDS if f.required}
    candidates = rows[:HEADER_SEARCH_ROWS]
    header_at, header = candidates[0]
    for number, values in candidates:
        named = {by_heading.get(fold(text_of(v))) for v in values}
        if required <= named:
            header_at, header = number, values
            break
    columns: dict[str, int] = {}
    errors = []
    for index, value in enumerate(header):
        heading = text_of(value)
        key = fold(heading)
        if not key or key in IGNORED_HEADINGS:
            continue
        name = by_heading.get(key)
        if name is None:
            errors.append(
                RowError(
                    header_at,
                    heading,
                    "heading",
                    f"Cột không có trong mẫu. Các cột: {', '.join(HEADINGS.values())}.",
                    f"Not a column of the template. Columns: {', '.join(HEADINGS.values())}.",
                )
            )
        elif name in columns:
            errors.append(
                RowError(header_at, heading, name, "Cột bị lặp lại.", "The column appears twice.")
            )
        else:
            columns[name] = index
    for f in FIELDS:
        if f.required and f.name not in columns:
            errors.append(
                RowError(
                    header_at,
                    f.heading,
                    f.name,
                    "Thiếu cột bắt buộc.",
                    "A required column is missing.",
                )
            )
    return header_at, columns, errors


class Resolver:
    """Codes or Vietnamese (or English) labels to the codes the domain knows."""

    def __init__(self, district: District) -> None:
        self.district = district
        self.categories: dict[str, str] = {}
        for c in district.categories.values():
            for word in (c.code, c.label, c.label_en):
                self.categories.setdefault(fold(word), c.code)
        self.kinds = {fold(w): kind for kind, words in KIND_WORDS.items() for w in words}
        self.channels = {fold(w): ch for ch, words in CHANNEL_WORDS.items() for w in words}
        self.cells = {c.lower(): c for c in district.cells}


EMPTY = ("Không được để trống.", "Must not be empty.")
# A label or code the district does not know, said of the value written.
UNKNOWN = {
    "kind": (
        "“{}” không phải phản ánh hay kiến nghị.",
        "“{}” is neither a reflection (phản ánh) nor a proposal (kiến nghị).",
    ),
    "category": ("Không có lĩnh vực “{}”.", "No category “{}”."),
    "cell": ("Không có chi bộ mã “{}”.", "No cell “{}”."),
    "channel": (
        "“{}” không phải hội nghị hay báo cáo bằng văn bản.",
        "“{}” is neither a meeting nor a written report.",
    ),
}


def request_faults(request: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What ``PetitionCreate``, the API's request to raise a petition, refuses in
    ``request``: (field, Vietnamese, English) for each fault."""
    try:
        PetitionCreate.model_validate(request)
    except ValidationError as error:
        return [(str(e["loc"][0]), *in_words(e)) for e in error.errors()]
    return []


def in_words(error: ErrorDetails) -> tuple[str, str]:
    value = error["input"]
    if value is None or value == "" or error["type"] in ("missing", "string_too_short"):
        return EMPTY
    if error["type"] == "string_too_long":
        limit = error.get("ctx", {})["max_length"]
        return (
            f"Dài {len(value)} ký tự; tối đa {limit}.",
            f"{len(value)} characters long; at most {limit}.",
        )
    if error["type"] == "string_pattern_mismatch" and "\x00" in str(value):
        return ("Có ký tự NUL không hợp lệ.", "Contains a NUL character.")
    return ("Giá trị không hợp lệ.", f"{error['msg']}.")


def check_row(
    number: int, cells: dict[str, Any], resolver: Resolver, today: date, earliest: date
) -> tuple[PetitionDraft | None, list[RowError]]:
    errors: list[RowError] = []

    def fault(name: str, message: str, message_en: str) -> None:
        errors.append(RowError(number, HEADINGS[name], name, message, message_en))

    values: dict[str, Any] = {}
    for f in FIELDS:
        raw = cells.get(f.name)
        values[f.name] = raw if isinstance(raw, (date, datetime)) else text_of(raw)

    def lookup(name: str, table: Mapping[str, str], key: Callable[[str], str] = fold) -> str | None:
        """The code a written label or code stands for (None if empty or unknown)."""
        written = values[name]
        if not written:
            return None
        found = table.get(key(written))
        if found is None:
            message, message_en = UNKNOWN[name]
            fault(name, message.format(written), message_en.format(written))
        return found

    kind = lookup("kind", resolver.kinds)
    category = lookup("category", resolver.categories)
    cell = lookup("cell", resolver.cells, str.lower)
    channel = lookup("channel", resolver.channels)
    raised_on = None if values["raised_on"] == "" else parse_date(values["raised_on"])
    # The API's own request model checks what a petition must hold (presence, lengths,
    # no NUL), on the row as resolved to codes; a field faulted above is not faulted twice.
    faulted = {e.field for e in errors}
    request = {
        **{f.name: values[f.name] or None for f in FIELDS},
        **{"kind": kind, "category": category, "cell": cell, "channel": channel},
        "raised_on": raised_on,
    }
    for name, message, message_en in request_faults(request):
        if name not in faulted and name != "raised_on":
            fault(name, message, message_en)
    if channel == "meeting" and not values["meeting"]:
        fault(
            "meeting",
            "Ý kiến nêu tại hội nghị phải ghi tên hội nghị.",
            "A petition raised at a meeting names the meeting.",
        )
    if values["raised_on"] == "":
        fault("raised_on", *EMPTY)
    else:
        if raised_on is None:
            fault(
                "raised_on",
                f"“{values['raised_on']}” không phải ngày dạng dd/mm/yyyy.",
                f"“{values['raised_on']}” is not a date as dd/mm/yyyy.",
            )
        elif raised_on > today:
            fault(
                "raised_on",
                f"Ngày {raised_on:%d/%m/%Y} ở sau hôm nay ({today:%d/%m/%Y}).",
                f"{raised_on:%d/%m/%Y} is after today ({today:%d/%m/%Y}).",
            )
        elif raised_on < earliest:
            fault(
                "raised_on",
                f"Ngày {raised_on:%d/%m/%Y} trước ngày sớm nhất được nhận ({earliest:%d/%m/%Y}).",
                f"{raised_on:%d/%m/%Y} is before the earliest business date ({earliest:%d/%m/%Y}).",
            )
    if errors:
        order = [f.name for f in FIELDS]
        return None, sorted(errors, key=lambda e: order.index(e.field))
    assert kind and category and cell and channel and raised_on  # every fault was reported
    return (
        PetitionDraft(
            kind=kind,
            category=category,
            summary=values["summary"],
            text=values["text"],
            cell=cell,
            raised_by=values["raised_by"],
            channel=channel,
            raised_on=raised_on,
            meeting=values["meeting"] or None,
        ),
        [],
    )


def parse_date(value: Any) -> date | None:
    """dd/mm/yyyy (also with . or -), an ISO yyyy-mm-dd, or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    found = DMY.fullmatch(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    elif found := YMD.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
