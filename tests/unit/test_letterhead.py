"""The letterhead of a printed document, derived from the organisation's name and level, as
the Party's documents are headed (Hướng dẫn 36-HD/VPTW)."""

from __future__ import annotations

from datetime import date

import pytest

from api.formats.letterhead import Document, letterhead_of
from domain.organisations import Organisation
from domain.reference import District, Province
from domain.vocabulary import Level

PROVINCE = Organisation("tinh-hung-lam", "Tỉnh Hưng Lâm (tỉnh mẫu)", Level.PROVINCE, None, date.min)


def province_with(*below: Organisation) -> Province:
    everyone = (PROVINCE, *below)
    return Province(
        PROVINCE.code,
        {o.code: o for o in everyone},
        {o.code: District(o.name, {}, {}, {}, {}, organisation=o.code) for o in everyone},
    )


@pytest.mark.parametrize(
    ("name", "level", "issuer", "symbol", "place"),
    [
        ("Xã Hòa Bình", Level.COMMUNE, "ĐẢNG ỦY XÃ HÒA BÌNH", "ĐU", "Hòa Bình"),
        ("Phường Yên Hòa", Level.COMMUNE, "ĐẢNG ỦY PHƯỜNG YÊN HÒA", "ĐU", "Yên Hòa"),
        ("Huyện Yên Hòa (huyện mẫu)", Level.DISTRICT, "HUYỆN ỦY YÊN HÒA", "HU", "Yên Hòa"),
        ("Thị xã Sơn Tây", Level.DISTRICT, "THỊ ỦY SƠN TÂY", "TU", "Sơn Tây"),
        ("Quận Ba Đình", Level.DISTRICT, "QUẬN ỦY BA ĐÌNH", "QU", "Ba Đình"),
    ],
)
def test_an_organisation_below_the_province_heads_its_documents(
    name: str, level: Level, issuer: str, symbol: str, place: str
) -> None:
    organisation = Organisation("o", name, level, PROVINCE.code, date.min)
    head = letterhead_of(province_with(organisation), organisation)
    assert (head.above, head.issuer, head.symbol, head.place, head.office) == (
        "ĐẢNG BỘ TỈNH HƯNG LÂM",
        issuer,
        symbol,
        place,
        organisation.words.office,  # Văn phòng Đảng ủy, Văn phòng Huyện ủy
    )


def test_the_province_heads_its_own_with_no_organisation_above() -> None:
    head = letterhead_of(province_with(), PROVINCE)
    assert (head.above, head.issuer, head.symbol, head.place) == (
        None,
        "TỈNH ỦY HƯNG LÂM",
        "TU",
        "Hưng Lâm",
    )


def test_a_document_is_numbered_dated_and_signed() -> None:
    commune = Organisation("xa", "Xã Hòa Bình", Level.COMMUNE, PROVINCE.code, date.min)
    head = letterhead_of(province_with(commune), commune)
    blank = Document(head, date(2026, 3, 5))
    assert blank.number == "Số …-BC/ĐU"  # written in by hand
    assert blank.date_line == "Hòa Bình, ngày 05 tháng 03 năm 2026"
    assert (blank.on_behalf, blank.position, blank.signer) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "")
    assert blank.filed == "- Lưu Văn phòng Đảng ủy."
    typed = Document(head, date(2026, 3, 5), given_number=" 07 ", position="Phó Bí thư")
    assert typed.number == "Số 07-BC/ĐU" and typed.position == "Phó Bí thư"
