"""The attendance form of a meeting's page: its rows as typed, and each read as the API's
attendance entry and checked as the meeting checks it (``api.web.pages.meetings``)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from api.meeting_schemas import AttendanceEntry
from api.web.pages.common import PageProblem, refusals_as_pages, text, validated
from domain.meeting_records import Attendee


class RowsRefused(PageProblem):
    """The attendance form refused: its own fields' errors, and each row's by its index."""

    def __init__(self, detail: Any, fields: dict[str, str], rows: dict[int, dict[str, str]]):
        super().__init__("validation_error", detail, fields=fields)
        self.rows = rows


ATTENDANCE_FIELDS = ("role", "cell", "person", "status", "minutes_late", "reason", "excused")


def typed_attendance(form: FormData) -> list[dict[str, str]]:
    """The attendance form's rows, as typed: each row's fields by its index."""
    count = min(int(text(form, "rows") or 0), 1_000) if text(form, "rows").isdigit() else 0
    return [{f: text(form, f"{f}-{i}") for f in ATTENDANCE_FIELDS} for i in range(count)]


def attendance_entries(rows: list[dict[str, str]]) -> tuple[list[Any], dict[int, dict[str, str]]]:
    """The rows filled in, each read as the API's attendance entry and checked as the
    meeting checks it; the errors by the row's index."""
    entries, errors = [], {}
    for index, row in enumerate(rows):
        if not row["status"] and not row["person"] and not row["cell"]:
            continue  # a row left blank for another attendee
        try:
            entry = validated(
                AttendanceEntry,
                role=row["role"],
                cell=row["cell"],
                person=row["person"],
                status=row["status"],
                minutes_late=row["minutes_late"],
                reason=row["reason"],
                excused=row["excused"],
            )
            refusals_as_pages(Attendee.checked, entry.entry())
            entries.append(entry)
        except PageProblem as refused:
            errors[index] = refused.fields or {"status": refused.detail}
    return entries, errors
