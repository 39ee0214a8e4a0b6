"""The request schemas' building blocks: codes, free text without NUL, ISO dates and
times, and the request base that refuses unknown fields (``api.schemas`` and the topic
schema modules build on them)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

Code = Field(min_length=1, max_length=100)
NO_NUL = r"^[^\x00]*$"
# PostgreSQL text cannot hold NUL, so no string a client sends may contain one: every free
# string in a request (body, path, query) is refused with it at validation, and says so.
Text = Annotated[str, Field(pattern=NO_NUL)]
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}.*")


def iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: pydantic alone would read ``0`` as 1970-01-01 (a Unix time)."""
    if isinstance(value, date) or (isinstance(value, str) and FULL_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "must be a date as YYYY-MM-DD")


def iso_date_time(value: Any) -> Any:
    """Only an ISO date and time: not a bare date, not a number read as a Unix time."""
    if isinstance(value, datetime) or (isinstance(value, str) and DATE_TIME.fullmatch(value)):
        return value
    raise PydanticCustomError("datetime_parsing", "must be like 2026-03-03T08:00:00+07:00")


Day = Annotated[date, BeforeValidator(iso_date)]
Instant = Annotated[datetime, BeforeValidator(iso_date_time)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
