"""The head and the foot of a document an organisation's party committee issues, as the
Party's documents are laid out (Hướng dẫn 36-HD/VPTW on the form of the Party's documents):

* top left, the party organisation above (``ĐẢNG BỘ TỈNH HƯNG LÂM``), then the committee
  issuing it (``ĐẢNG ỦY XÃ HÒA BÌNH``), a star, and the number ``Số …-BC/ĐU``;
* top right, ``ĐẢNG CỘNG SẢN VIỆT NAM``, then the place and date line
  (``Hòa Bình, ngày 02 tháng 12 năm 2026``);
* at the foot, the signature: ``T/M BAN THƯỜNG VỤ``, the signer's position, the name.

Everything here is derived from the organisation's name and level, so a renamed commune
prints its new name. No HTML here: the printable report and the pages lay it out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from domain.organisations import Organisation
from domain.reference import Province
from domain.vocabulary import Level

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
ON_BEHALF = "T/M BAN THƯỜNG VỤ"
SECRETARY = "BÍ THƯ"  # who signs unless the page is told another position
RECIPIENTS = "Nơi nhận:"
REPORT = "BC"  # the kind of document in its number: a report (báo cáo)
# The first words of a district's or a province's name, and what its committee is called:
# Huyện Yên Hòa has the Huyện ủy Yên Hòa. A commune's committee is the Đảng ủy of its whole
# name (Đảng ủy xã Hòa Bình, Đảng ủy phường Yên Hòa).
COMMITTEES = (
    ("Thành phố", "Thành ủy"),
    ("Tỉnh", "Tỉnh ủy"),
    ("Huyện", "Huyện ủy"),
    ("Quận", "Quận ủy"),
    ("Thị xã", "Thị ủy"),
)
PREFIXES = ("Xã", "Phường", "Thị trấn", "Đặc khu", *(words for words, _ in COMMITTEES))
NOTE = re.compile(r"\s*\([^)]*\)\s*$")  # a note after the name: Huyện Yên Hòa (huyện mẫu)


@dataclass(frozen=True)
class Letterhead:
    above: str | None  # the party organisation the committee belongs to (none for a province)
    issuer: str  # the committee issuing the document
    symbol: str  # the issuer's initials in the document's number: ĐU, HU, TU
    place: str  # the place the date line names
    office: str  # the committee's office, which keeps a copy: Văn phòng Đảng ủy

    def number(self, given: str = "", kind: str = REPORT) -> str:
        """``Số 12-BC/ĐU``; with no number given, dots to write it in by hand."""
        return f"Số {given.strip() or '…'}-{kind}/{self.symbol}"

    def date_line(self, day: date) -> str:
        return f"{self.place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


@dataclass(frozen=True)
class Document:
    """One issue of a document: its letterhead, its number (blank: written in by hand),
    the day it is issued, and who signs it (the name blank: signed and written by hand)."""

    letterhead: Letterhead
    day: date
    given_number: str = ""
    position: str = SECRETARY
    signer: str = ""
    kind: str = REPORT
    party: str = PARTY
    on_behalf: str = ON_BEHALF
    recipients: str = RECIPIENTS

    @property
    def number(self) -> str:
        return self.letterhead.number(self.given_number, self.kind)

    @property
    def date_line(self) -> str:
        return self.letterhead.date_line(self.day)

    @property
    def filed(self) -> str:
        """The copy the office keeps, the last of the recipients."""
        return f"- Lưu {self.letterhead.office}."


def proper_name(name: str) -> str:
    """The name without a note in brackets after it."""
    return NOTE.sub("", name).strip()


def place_of(name: str) -> str:
    """The place a name names, without the kind of place: Xã Hòa Bình → Hòa Bình."""
    bare = proper_name(name)
    for prefix in PREFIXES:
        if bare.lower().startswith(prefix.lower() + " "):
            return bare[len(prefix) + 1 :].strip()
    return bare


def committee_of(organisation: Organisation) -> str:
    """The name of the organisation's party committee: Đảng ủy xã Hòa Bình, Huyện ủy
    Yên Hòa, Tỉnh ủy Hưng Lâm."""
    bare = proper_name(organisation.name)
    if organisation.level is Level.COMMUNE:
        return f"Đảng ủy {bare[:1].lower()}{bare[1:]}"
    for prefix, committee in COMMITTEES:
        if bare.lower().startswith(prefix.lower() + " "):
            return f"{committee} {place_of(bare)}"
    return f"{organisation.words.committee} {bare}"


def initials(name: str) -> str:
    """Ban Thường vụ Đảng ủy → the committee's symbol: the first letter of each word of its
    kind (Đảng ủy → ĐU, Huyện ủy → HU), without diacritics but Đ's."""
    letters = []
    for word in name.split()[:2]:
        first = word[0].upper()
        letters.append(first if first == "Đ" else unicodedata.normalize("NFD", first)[0])
    return "".join(letters)


def letterhead_of(province: Province, organisation: Organisation) -> Letterhead:
    committee = committee_of(organisation)
    above = None
    if organisation.code != province.code:
        above = f"Đảng bộ {proper_name(province.province.name)}".upper()
    return Letterhead(
        above=above,
        issuer=committee.upper(),
        symbol=initials(committee),
        place=place_of(organisation.name),
        office=organisation.words.office,
    )
