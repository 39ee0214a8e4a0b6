"""Pure pieces of the read models: text folding, rounding, intervals, cursors."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from projections.base import fold_text, local_date
from projections.categories import share
from projections.petition_list import decode_cursor, encode_cursor
from projections.quality import Rate, composite_score


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đường ống nước", "duong ong nuoc"),
        ("ĐƯỜNG ỐNG NƯỚC", "duong ong nuoc"),
        ("Sản xuất nông nghiệp, thủy lợi", "san xuat nong nghiep, thuy loi"),
        ("Trật tự", "trat tu"),
    ],
)
def test_folding_removes_vietnamese_diacritics(text: str, folded: str) -> None:
    assert fold_text(text) == folded


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (49, 172, 28.5),
        (1, 8, 12.5),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (0, 0, 0.0),
        (57, 200, 28.5),
        (569, 2000, 28.5),
    ],  # 28.45 rounds half up to 28.5, not to even
)
def test_share_rounds_half_up_to_one_decimal(count: int, total: int, expected: float) -> None:
    assert share(count, total) == expected


def test_wilson_interval() -> None:
    low, high = Rate(2, 2).interval()  # type: ignore[misc]
    assert round(low, 3) == 0.342 and high == 1.0
    low, high = Rate(50, 100).interval()  # type: ignore[misc]
    assert round(low, 3) == 0.404 and round(high, 3) == 0.596
    assert Rate(0, 0).interval() is None
    assert Rate(0, 0).as_dict()["rate"] is None


def test_composite_score_weights() -> None:
    assert composite_score(Rate(10, 10), Rate(4, 4), Rate(0, 4)) == 100.0
    assert composite_score(Rate(5, 10), Rate(2, 4), Rate(2, 4)) == 50.0
    assert composite_score(Rate(0, 0), Rate(0, 0), Rate(0, 0)) == 0.0


def test_cursor_round_trip_and_garbage() -> None:
    pid = uuid4()
    assert decode_cursor(encode_cursor(date(2026, 3, 3), pid)) == (date(2026, 3, 3), pid)
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor("not-a-cursor")


def test_record_time_in_vietnam() -> None:
    assert local_date(datetime(2026, 3, 3, 18, 0, tzinfo=UTC)) == date(2026, 3, 4)


def test_the_read_models_container_names_each_view_as_its_class_does() -> None:
    from typing import get_type_hints

    from projections.registry import VIEW_CLASSES, ReadModels

    hints = get_type_hints(ReadModels)
    assert ReadModels.names() == tuple(cls.name for cls in VIEW_CLASSES)
    assert tuple(hints[name] for name in ReadModels.names()) == VIEW_CLASSES
