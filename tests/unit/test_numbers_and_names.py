"""Petition numbers as written and read back (``domain.numbers``), a format refused with
its reason, and a cell's name as people read it: with its commune, or its zone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from api.names import Names, in_running_text
from domain.numbers import NumberFormat
from domain.organisations import Level, Organisation
from domain.reference import Cell, Commune, District, Province, Zone
from service.settings import Settings


def test_the_default_format_writes_and_reads_back() -> None:
    numbers = NumberFormat()
    assert numbers.format(2026, 123) == "KN-2026-0123"
    assert numbers.format(2026, 12345) == "KN-2026-12345"  # past the width, still whole
    assert numbers.parse("KN-2026-0123") == (2026, 123)
    assert numbers.parse("  kn-2026-123 ") == (2026, 123)
    assert numbers.parse("KN-2026-12345") == (2026, 12345)


@pytest.mark.parametrize(
    "text", ["", "KN-2026", "KN-2026-", "KN-2026-0000", "KN-26x-0001", "nhà văn hóa", "KN-2026-1 a"]
)
def test_text_that_is_no_number_reads_as_none(text: str) -> None:
    assert NumberFormat().parse(text) is None


def test_another_format() -> None:
    numbers = NumberFormat("{seq}/{year}/YK")
    assert numbers.format(2025, 7) == "7/2025/YK"
    assert numbers.parse("7/2025/yk") == (2025, 7)
    assert numbers.parse("KN-2025-0007") is None


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("KN-{year}", "needs {year} and {seq}"),
        ("KN-{year}-{seq}-{seq}", "needs {year} and {seq}"),
        ("KN-{year}-{seq}-{organisation}", "not {organisation}"),
        ("KN-{year}-{seq!r}", "not {seq}"),
        ("KN-{year}-{seq:s}", "not a format of a whole number"),
        ("KN-{year}{seq}", "does not read back"),
        ("KN-{year-{seq}", "petition number format"),
    ],
)
def test_a_format_that_cannot_serve_is_refused_with_why(template: str, reason: str) -> None:
    with pytest.raises(ValueError, match="petition number format") as refused:
        NumberFormat(template)
    assert reason in str(refused.value)


def test_the_setting_is_checked_at_start() -> None:
    assert Settings(petition_number_format="YK-{year}-{seq:05d}").petition_number_format
    with pytest.raises(ValidationError, match=re.escape("needs {year} and {seq}")):
        Settings(petition_number_format="KN-{year}")


def province() -> Province:
    """A district with communes of a Thôn 8 each, and a commune whose cells are in zones."""
    district = District(
        "Huyện mẫu",
        zones={"khu-1": Zone("khu-1", "Khu vực 1", None)},
        communes={
            "ta-hua": Commune("ta-hua", "Xã Tà Hừa", "khu-1"),
            "tt": Commune("tt", "Thị trấn Yên Hòa", "khu-1"),
        },
        cells={
            "ta-hua-8": Cell("ta-hua-8", "Chi bộ Thôn 8", "ta-hua"),
            "tt-8": Cell("tt-8", "Chi bộ Thôn 8", "tt"),
            "lost": Cell("lost", "Chi bộ Cơ quan", "gone", "khu-1"),
        },
        departments={},
        organisation="huyen",
    )
    top = Organisation("tinh", "Tỉnh mẫu", Level.PROVINCE, None, date.min)
    below = Organisation("huyen", "Huyện mẫu", Level.DISTRICT, "tinh", date.min)
    empty = District("Tỉnh mẫu", {}, {}, {}, {}, organisation="tinh")
    return Province("tinh", {"tinh": top, "huyen": below}, {"tinh": empty, "huyen": district})


def test_a_cell_reads_with_its_commune() -> None:
    names = Names(province())
    assert names.cell("ta-hua-8") == "Chi bộ Thôn 8 – xã Tà Hừa"
    assert names.cell("tt-8") == "Chi bộ Thôn 8 – thị trấn Yên Hòa"
    assert names.cell("lost") == "Chi bộ Cơ quan – khu vực 1"  # no commune known: its zone
    assert names.cell("unknown-code") == "unknown-code"
    assert names.cell(None) is None


def test_a_place_keeps_its_proper_name_in_running_text() -> None:
    assert in_running_text("Phường Yên Hòa") == "phường Yên Hòa"
    assert in_running_text("Cụm Tân Hòa") == "cụm Tân Hòa"
    assert in_running_text("Tà Hừa") == "Tà Hừa"
    assert in_running_text("Xãhội") == "Xãhội"
