"""Is it said in Vietnamese? The words of a page or a problem document that are English,
and the raw field codes (``due_on``) a user should never read.

English is what the pages' own English catalogue says (the English ``msgstr`` of
``api/web/locale/en/LC_MESSAGES/messages.po``), and the function words every English
sentence has, less what is also written in Vietnamese: the words of the catalogue's
Vietnamese sources (``msgid``: ``in`` is to print, ``do`` is because) and the proper names
and technical terms of ``language_allowed.txt``. Text a page marks as another language
(``lang="en"``, the language switch) or as not to be translated (``translate="no"``,
``<code>``) is not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from api.web import i18n

ALLOWED = Path(__file__).with_name("language_allowed.txt")

# The words an English sentence is made of, whether or not the catalogue says them.
_FUNCTION_WORDS = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can cannot could did does doing down during each few
    for from further had has have having he her here hers herself him himself his how if
    in into is it its itself just may me might more most must my myself no nor not now of
    off on once only or other our ours out over own same shall she should so some such
    than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would
    yet you your yours yourself
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

WORD = re.compile(r"[^\W\d_]+")
ASCII_WORD = re.compile(r"[A-Za-z]+")
# a code as the program names a field or a value: lower case joined by underscores
FIELD_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# names no language translates: a code quoted as one (`reflection`, as <code> on a page),
# an id (a UUID, a hash), a media type
VERBATIM_NAMES = re.compile(
    r"`[^`]*`"
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b"
    r"|\b(?:application|multipart|text|image)/[\w.+-]+"
)

# Elements whose text nobody reads on the page, and those holding a code shown as it is.
UNSEEN = frozenset({"script", "style"})  # a <template> is shown by the script
VERBATIM = frozenset({"code", "kbd", "samp"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
# shown or read out; ``data-label`` is a table cell's heading on a phone (CSS ``attr()``)
SEEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-label")
SCRIPT_WORDS = ("data-calendar",)  # JSON of the words a script shows (the calendar's)
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})


def allowed_words(path: Path = ALLOWED) -> frozenset[str]:
    """The words of the allow-list file: one or more a line, ``#`` starting a comment."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(w.lower() for w in line.split("#", 1)[0].split())
    return frozenset(words)


def words_of(texts: Iterable[str], pattern: re.Pattern[str] = ASCII_WORD) -> set[str]:
    return {w.lower() for text in texts for w in pattern.findall(PLACEHOLDER.sub(" ", text))}


def strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


@cache
def english_words() -> frozenset[str]:
    """English, as the catalogue and the function words have it, less the words Vietnamese
    also writes (the catalogue's sources) and the allowed names."""
    with i18n.catalogue_path("en").open("rb") as po:
        catalogue = read_po(po, locale="en")
    sources = [s for m in catalogue if m.id for s in strings(m.id)]
    translations = [s for m in catalogue if m.id for s in strings(m.string)]
    english = words_of(translations) | FUNCTION_WORDS
    return frozenset(english - words_of(sources) - allowed_words())


def foreign(text: str) -> list[str]:
    """The English words and raw field codes of ``text``, in order (one letter alone,
    a unit or a list's letter, is not a word)."""
    english = english_words()
    text = PLACEHOLDER.sub(" ", text)  # a script's template: %(month)s, filled in when shown
    text = VERBATIM_NAMES.sub(" ", text)
    codes = FIELD_CODE.findall(text)
    found = list(codes)
    for word in WORD.findall(FIELD_CODE.sub(" ", text)):
        if len(word) > 1 and word.lower() in english:
            found.append(word)
    return found


class _Visible(HTMLParser):
    """The text a person sees of a page: its text, less scripts and styles and what is
    marked as another language or as a code, and the attributes that are shown or read
    out (a title, a placeholder, an accessible name, an image's text, a button's value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, whether its text is skipped)
        self.texts: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.open) and self.open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        skip = (
            self.skipping
            or tag in UNSEEN
            or tag in VERBATIM
            or given.get("translate") == "no"
            or ("lang" in given and not given["lang"].lower().startswith("vi"))
        )
        if not skip and given.get("type", "").lower() != "hidden":
            self.texts.extend(given[name] for name in SEEN_ATTRIBUTES if given.get(name))
            if tag == "input" and given.get("type", "").lower() in BUTTON_INPUTS:
                self.texts.append(given.get("value", ""))
            for name in SCRIPT_WORDS:
                if given.get(name):
                    self.texts.extend(json_strings(json.loads(given[name])))
        if tag not in VOID:
            self.open.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):  # browsers close what is left open
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts.append(data)


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from json_strings(item)


def visible_texts(html: str) -> list[str]:
    """Each piece of text a person sees (or hears) on the page, whitespace collapsed."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return [t for t in (" ".join(text.split()) for text in parser.texts) if t]


def problem_texts(document: Mapping[str, Any]) -> list[str]:
    """What a problem document says to a person: its title, detail and each error's message."""
    said = [document.get("title"), document.get("detail")]
    said += [e.get("message") for e in document.get("errors") or [] if isinstance(e, dict)]
    return [s for s in said if isinstance(s, str) and s]


@dataclass(frozen=True)
class Finding:
    text: str  # the piece of text, as shown
    words: tuple[str, ...]  # its English words and field codes

    def __str__(self) -> str:
        return f"{self.text[:160]!r}: {', '.join(self.words)}"


def findings(texts: Iterable[str]) -> Iterator[Finding]:
    """Each text with English or a field code in it, and those words."""
    for text in texts:
        words = foreign(text)
        if words:
            yield Finding(text, tuple(words))


def in_page(html: str) -> list[Finding]:
    return list(findings(visible_texts(html)))


def in_problem(document: Mapping[str, Any]) -> list[Finding]:
    return list(findings(problem_texts(document)))
