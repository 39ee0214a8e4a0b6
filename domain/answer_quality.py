"""How generic a written answer reads: an advisory score from 0 (specific) to 1 (generic),
shown beside the cell secretaries' verdicts and flags, never deciding anything itself.

Four components, each from 0 (specific) to 1 (generic):

* ``reuse``: how near the answer is to one of its organisation's earlier answers (a copy
  of a letter sent on another petition is 1). The caller measures the likeness (the read
  model, with a text-similarity library, over the organisation's last ``REUSE_WINDOW``
  answers); here only what a likeness means.
* ``off_petition``: how little of the petition's own words the answer takes up.
* ``unspecific``: how few of the four kinds of concrete detail it names: a date, an
  amount, a place, a document.
* ``brevity``: how short it is.

The score is their weighted sum (``WEIGHTS``, in one place); from ``THRESHOLD`` up the
answer is *likely generic*. Texts are compared folded (``vietnam.fold_text``), so a letter
typed without diacritics reads as the same words."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from domain.vietnam import fold_text

WEIGHTS = {"reuse": 0.35, "off_petition": 0.25, "unspecific": 0.30, "brevity": 0.10}
THRESHOLD = 0.5  # a score from here up: likely generic
REUSE_WINDOW = 50  # the organisation's earlier answers an answer is compared with
# A likeness (0-1) up to REUSE_FROM is an answer's own wording (letters share phrases);
# from REUSE_FULL up a copy of another answer. Between, the component rises linearly.
REUSE_FROM, REUSE_FULL = 0.75, 0.95
# The share of the petition's word pairs an answer that addresses it takes up at least.
ON_TOPIC_SHARE = 0.3
# Words: up to SHORT the answer is as brief as can be, from LONG up not brief at all.
SHORT, LONG = 15, 60
DETAILS = ("date", "amount", "place", "document")

# The concrete details, found in the folded text (lower case, no diacritics).
_DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\bngay \d{1,2}\b|\bthang \d{1,2}\b|\bnam 20\d\d\b|\bquy (i{1,3}|iv|[1-4])\b"
)
_AMOUNT = re.compile(
    r"\b\d[\d.,]*\s*(trieu|ty|nghin|dong|vnd|km|m2|m3|m|ha|tan|kg|ho|nguoi|met|%|suat|con)\b"
)
_DOCUMENT = re.compile(
    r"\b(quyet dinh|cong van|ke hoach|thong bao|nghi quyet|to trinh|bao cao|van ban)"
    r"\s+(so\s+)?\d+|\bso\s+\d+/|\b\d+/(\d{4}/)?[a-z]+-[a-z]+\b"
)
# A place: a kind of place followed by its name (capitalised, or a number: "tổ 5",
# "Km 12"), found in the text as written, or a road's code ("QL.1A", "ĐT.386").
_PLACE_WORDS = (
    "thôn|xóm|ấp|bản|tổ dân phố|tổ|khu phố|khu dân cư|đường|cầu|kênh|chợ|trường"
    "|trạm y tế|nhà văn hóa|xã|phường|km|đê|cống|hồ"
)
_PLACE = re.compile(rf"\b(?:{_PLACE_WORDS})\s+(\w)", re.IGNORECASE)
_ROAD = re.compile(r"\b(?:QL|ĐT|DT|TL)\.?\s?\d+")
_WORD = re.compile(r"[a-z0-9]+")
# Words every petition and answer has, which say nothing of the matter.
_COMMON = frozenset(
    re.findall(
        r"\w+",
        "de nghi cap co tham quyen xem xet giai quyet dut diem va cua cac nhung cho duoc"
        " khong da dang se la voi tai theo trong ve nay do",
    )
)


@dataclass(frozen=True)
class Assessment:
    """A written answer's components (each 0-1, 1 the generic end), its score and
    whether it is likely generic; ``details``: the concrete kinds it names."""

    reuse: float
    off_petition: float
    unspecific: float
    brevity: float
    details: tuple[str, ...]
    words: int

    @property
    def components(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in WEIGHTS}

    @property
    def score(self) -> float:
        return round(sum(WEIGHTS[k] * v for k, v in self.components.items()), 4)

    @property
    def likely_generic(self) -> bool:
        return self.score >= THRESHOLD


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def reuse_component(likeness: float) -> float:
    """A likeness (0-1) to the nearest earlier answer as the reuse component."""
    return round(clamp((likeness - REUSE_FROM) / (REUSE_FULL - REUSE_FROM)), 4)


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _WORD.findall(fold_text(text))


def pairs(text: str) -> set[tuple[str, str]]:
    """The pairs of neighbouring words (a Vietnamese word is often two syllables: "đường
    ống", "nước sạch") that say something of the matter, folded."""
    found = words(text)
    return {(a, b) for a, b in itertools.pairwise(found) if not {a, b} <= _COMMON}


def overlap(answer: str, petition: str) -> float:
    """The share (0-1) of the petition's word pairs the answer takes up."""
    wanted = pairs(petition)
    if not wanted:
        return 1.0  # nothing to take up: no answer can be blamed for missing it
    return len(wanted & pairs(answer)) / len(wanted)


def details(text: str) -> tuple[str, ...]:
    """The kinds of concrete detail ``text`` names, in ``DETAILS``' order."""
    folded = fold_text(text)
    found = {
        "date": bool(_DATE.search(folded)),
        "amount": bool(_AMOUNT.search(folded)),
        "place": bool(_ROAD.search(text))
        or any(m[1].isupper() or m[1].isdigit() for m in _PLACE.finditer(text)),
        "document": bool(_DOCUMENT.search(folded)),
    }
    return tuple(k for k in DETAILS if found[k])


def assess(answer: str, petition: str, likeness: float) -> Assessment:
    """The answer ``answer`` to the petition whose words are ``petition``, ``likeness``
    (0-1) its likeness to the nearest of its organisation's earlier answers (0: none)."""
    named = details(answer)
    count = len(words(answer))
    return Assessment(
        reuse=reuse_component(likeness),
        off_petition=round(1 - clamp(overlap(answer, petition) / ON_TOPIC_SHARE), 4),
        unspecific=round(1 - len(named) / len(DETAILS), 4),
        brevity=round(clamp((LONG - count) / (LONG - SHORT)), 4),
        details=named,
        words=count,
    )
