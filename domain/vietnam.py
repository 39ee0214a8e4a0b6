"""Vietnamese time and text: business dates in Asia/Ho_Chi_Minh, and words folded so that
a search or a spreadsheet cell typed without diacritics still matches."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def today_in_vietnam() -> date:
    return datetime.now(BUSINESS_TZ).date()


def local_date(moment: datetime) -> date:
    """The business date (Asia/Ho_Chi_Minh) of a record timestamp."""
    return moment.astimezone(BUSINESS_TZ).date()


def fold_text(text: str) -> str:
    """Lower case without diacritics, so "duong ong nuoc" finds "Đường ống nước"."""
    text = text.lower().replace("đ", "d")
    # Vietnamese letters decompose into a Latin letter and combining marks; dropping
    # what is not ASCII drops the marks (and stray symbols, which search ignores).
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
