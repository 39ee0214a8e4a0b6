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


def trigrams(text: str) -> frozenset[str]:
    """The folded text's letter trigrams, word by word (each word padded as PostgreSQL's
    pg_trgm pads it), so that a typo or a missing diacritic changes few of them."""
    grams: set[str] = set()
    for word in "".join(c if c.isalnum() else " " for c in fold_text(text)).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def likeness(new: str, old: str) -> float:
    """How close a new petition's text is to an old one's, from 0 to 1: the larger of their
    trigrams' Dice coefficient and the share of the new text's trigrams found in the old
    (a new text repeated inside a longer old one is as close as a copy)."""
    a, b = trigrams(new), trigrams(old)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return max(2 * shared / (len(a) + len(b)), shared / len(a))
