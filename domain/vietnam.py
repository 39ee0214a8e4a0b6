"""Vietnamese time and text: business dates in Asia/Ho_Chi_Minh, dates as people write
them, and words folded so that a search or a spreadsheet cell typed without diacritics
still matches."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def today_in_vietnam() -> date:
    return datetime.now(BUSINESS_TZ).date()


def local_date(moment: datetime) -> date:
    """The business date (Asia/Ho_Chi_Minh) of a record timestamp."""
    return moment.astimezone(BUSINESS_TZ).date()


# A date as written in Vietnam (day first: 31/12/2026, 1/2/2026), and as ISO 8601
# (2026-12-31), which links and the API use.
WRITTEN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def written_date(text: str) -> date | None:
    """The date ``text`` writes, day first (dd/mm/yyyy) or ISO (yyyy-mm-dd); None when it
    writes no date of the calendar (31/02/2026, 2026-13-01, "abc")."""
    text = text.strip()
    if found := WRITTEN_DATE.fullmatch(text):
        day, month, year = map(int, found.groups())
    elif found := ISO_DATE.fullmatch(text):
        year, month, day = map(int, found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def written(day: date) -> str:
    """A date as written in Vietnam: dd/mm/yyyy."""
    return f"{day:%d/%m/%Y}"


def fold_text(text: str) -> str:
    """Lower case without diacritics, so "duong ong nuoc" finds "Đường ống nước"."""
    text = text.lower().replace("đ", "d")
    # Vietnamese letters decompose into a Latin letter and combining marks; dropping
    # what is not ASCII drops the marks (and stray symbols, which search ignores).
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
