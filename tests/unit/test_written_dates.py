"""Dates as the pages' fields take them: day first (dd/mm/yyyy) whatever the browser's
language, ISO 8601 (yyyy-mm-dd) from links; a value writing no date of the calendar is
refused with a Vietnamese message, and a date is shown back in the field as dd/mm/yyyy."""

from __future__ import annotations

from datetime import date

import pytest

from api.messages import render
from api.schemas import AnswerCreate, DeadlineCreate
from api.views import PetitionQuery
from api.web.pages.common import WRONG_DATE, PageProblem, date_fields, day, validated
from api.web.render import date_field
from domain.vietnam import written, written_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        ("1/2/2026", date(2026, 2, 1)),
        (" 05/03/2026 ", date(2026, 3, 5)),
        ("29/02/2028", date(2028, 2, 29)),
        ("2026-03-05", date(2026, 3, 5)),
    ],
)
def test_a_date_is_read_day_first_or_iso(text: str, expected: date) -> None:
    assert written_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",  # no such day
        "29/02/2026",  # not a leap year
        "2026-13-01",  # no such month
        "13/13/2026",
        "00/01/2026",
        "abc",
        "",
        "12/31",
        "2026/12/31",
        "31-12-2026",
        "2026-3-5",  # ISO has two digits
        "31/12/26",  # a year of four digits
        "٣١/١٢/٢٠٢٦",  # digits of another script
        "31/12/2026x",
    ],
)
def test_anything_else_is_no_date(text: str) -> None:
    assert written_date(text) is None


def test_a_date_is_written_day_first() -> None:
    assert written(date(2026, 3, 5)) == "05/03/2026"
    assert written_date(written(date(2027, 11, 30))) == date(2027, 11, 30)


def test_a_page_refuses_a_wrong_date_in_vietnamese_naming_the_field() -> None:
    assert day("05/03/2026", "from") == date(2026, 3, 5)
    assert day("2026-03-05", "from") == date(2026, 3, 5)
    assert day("", "from") is None and day(None, "from") is None and day("  ", "from") is None
    for wrong in ("31/02/2026", "2026-13-01", "abc"):
        with pytest.raises(PageProblem) as refused:
            day(wrong, "from")
        assert refused.value.code == "validation_error" and refused.value.status == 422
        assert refused.value.fields == {"from": WRONG_DATE}
        assert f"«{wrong}» không phải một ngày" in refused.value.detail
    # in the page's language, when the page gives its translation
    with pytest.raises(PageProblem) as refused:
        day("abc", "on", lambda message: message.replace("không phải một ngày", "is not a date"))
    assert refused.value.detail.startswith("«abc» is not a date")


def test_the_date_fields_of_a_request_model_are_found_by_their_type() -> None:
    assert date_fields(DeadlineCreate) == {"due_on", "extended_on"}
    assert {"document_date", "answered_on"} <= date_fields(AnswerCreate)
    assert "text" not in date_fields(AnswerCreate)
    assert date_fields(PetitionQuery) >= {"raised_from", "raised_to"}


def test_a_form_s_dates_are_read_day_first_into_the_api_s_models() -> None:
    body = validated(DeadlineCreate, due_on="31/12/2026", reason="Cần khảo sát")
    assert body.due_on == date(2026, 12, 31)
    assert validated(DeadlineCreate, due_on="2026-12-31", reason="x").due_on == date(2026, 12, 31)
    query = validated(PetitionQuery, raised_from="1/12/2026", raised_to="2026-12-31")
    assert (query.raised_from, query.raised_to) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_wrong_date_of_a_form_is_its_field_s_error_with_the_others() -> None:
    for wrong in ("31/02/2026", "2026-13-01", "abc"):
        with pytest.raises(PageProblem) as refused:
            validated(DeadlineCreate, due_on=wrong, reason="")
        # the date's own error (not "required" in its place), and the other field's
        assert refused.value.fields["due_on"] == WRONG_DATE
        assert "reason" in refused.value.fields
        said = render(refused.value.detail, "vi")
        assert "Hạn trả lời: không phải một ngày" in said, said
        assert "Answer due: not a date" in render(refused.value.detail, "en")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2026, 3, 5), "05/03/2026"),
        ("2026-03-05", "05/03/2026"),  # from a link
        ("05/03/2026", "05/03/2026"),
        ("31/02/2026", "31/02/2026"),  # a wrong date is shown back as typed
        ("2026-13-01", "2026-13-01"),
        ("abc", "abc"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_date_field_shows_its_value_day_first(value: date | str | None, shown: str) -> None:
    assert date_field(value) == shown
