"""How close a new petition's text is to an earlier one's: the one measure every
suggestion of a repeat uses (at entry, on the API, on the petition's page).

Clerks type Vietnamese with and without diacritics, so the texts are compared folded
(``domain.vietnam.fold_text``: "duong ngap nuoc" is "Đường ngập nước"). Folding also makes
different words one ("bán", to sell, and "bạn", a friend, are both "ban"), so when both
texts are written with diacritics their exact words count too. Each comparison is
rapidfuzz's token set ratio: the words both texts share against each one's own, in any
order, so a short new text repeated inside a longer old one is as close as a copy."""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz, utils

from domain.vietnam import fold_text

# Of the likeness of two texts both written with diacritics, the share of their folded
# comparison; the rest is the comparison of their exact words.
FOLDED_WEIGHT = 0.75
# The likeness from which an earlier petition is suggested as one a new one repeats.
CLOSE_ENOUGH = 0.7


def written_with_diacritics(text: str) -> bool:
    """Whether ``text`` carries any Vietnamese mark (a text typed without any is compared
    on its letters alone)."""
    lower = text.lower()
    return "đ" in lower or any(
        unicodedata.combining(c) for c in unicodedata.normalize("NFD", lower)
    )


def ratio(a: str, b: str) -> float:
    """rapidfuzz's token set ratio of two texts, lower-cased, punctuation as spaces, 0-1."""
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100


def likeness(new: str, old: str) -> float:
    """How close ``new`` is to ``old``, from 0 (nothing shared) to 1 (the same words):
    folded, and when both are written with diacritics, a quarter by their exact words."""
    if not new.strip() or not old.strip():
        return 0.0
    folded = ratio(fold_text(new), fold_text(old))
    if not (written_with_diacritics(new) and written_with_diacritics(old)):
        return round(folded, 4)
    return round(FOLDED_WEIGHT * folded + (1 - FOLDED_WEIGHT) * ratio(new, old), 4)


def similar(new: str, old: str) -> bool:
    """Whether ``old`` is close enough to ``new`` to be suggested as the matter it repeats."""
    return likeness(new, old) >= CLOSE_ENOUGH
