"""The advisory score of how generic a written answer reads: each component on its own,
the weights and the threshold, and the likeness the read model measures with rapidfuzz."""

from __future__ import annotations

import pytest

from domain import answer_quality as aq
from domain.vietnam import fold_text
from projections.answer_quality import likeness

PETITION = (
    "Đường ống nước sạch bị vỡ, nhiều hộ thiếu nước sinh hoạt. "
    "Đề nghị cấp có thẩm quyền xem xét, giải quyết dứt điểm."
)
GENERIC = "Đơn vị đã tiếp thu ý kiến và sẽ xem xét, giải quyết theo quy định."
SPECIFIC = (
    "Ngày 12/03/2026, Phòng Kinh tế đã kiểm tra tại thôn Đông Hòa việc đường ống nước sạch "
    "bị vỡ; đã thay 120 m ống, kinh phí 45 triệu đồng theo Quyết định số 215/QĐ-UBND, nước "
    "sinh hoạt đã được cấp lại cho 36 hộ."
)


def test_the_weights_make_a_score_from_0_to_1() -> None:
    assert sum(aq.WEIGHTS.values()) == pytest.approx(1.0)
    assert set(aq.WEIGHTS) == {"reuse", "off_petition", "unspecific", "brevity"}
    assert 0 < aq.THRESHOLD < 1


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Hoàn thành trước ngày 30/6/2026.", {"date"}),
        ("Dự kiến trong quý III năm 2026.", {"date"}),
        ("Kinh phí 1.200 triệu đồng.", {"amount"}),
        ("Đã hỗ trợ 36 hộ.", {"amount"}),
        ("Đã nạo vét kênh Bắc Hưng Hải.", {"place"}),
        ("Sửa chữa đoạn qua tổ 5.", {"place"}),
        ("Mặt đường ĐT.386 đã được vá.", {"place"}),
        ("Theo Công văn số 45/UBND-KT của Ủy ban.", {"document"}),
        ("Theo ke hoach so 12 cua xa.", {"document"}),
        ("Đơn vị sẽ xem xét ở cấp xã và đường giao thông nói chung.", set()),
        (GENERIC, set()),
        (SPECIFIC, {"date", "amount", "place", "document"}),
    ],
)
def test_the_concrete_details_found(text: str, kinds: set[str]) -> None:
    assert set(aq.details(text)) == kinds


def test_details_read_without_diacritics_too() -> None:
    assert set(aq.details("Theo Quyet dinh so 215/QD-UBND ngay 12/03/2026")) == {
        "date",
        "document",
    }


def test_overlap_is_the_share_of_the_petition_s_words_taken_up() -> None:
    assert aq.overlap(GENERIC, PETITION) < 0.05  # the petition's boilerplate is no match
    assert aq.overlap(SPECIFIC, PETITION) > 0.3
    # folded: an answer typed without diacritics takes up the same words
    assert aq.overlap("duong ong nuoc sach bi vo", PETITION) == aq.overlap(
        "Đường ống nước sạch bị vỡ", PETITION
    )
    assert aq.overlap("anything", "Đề nghị xem xét") == 1.0  # nothing of the matter to miss


def test_reuse_rises_from_an_answer_s_own_wording_to_a_copy() -> None:
    assert aq.reuse_component(0.5) == 0.0
    assert aq.reuse_component(aq.REUSE_FROM) == 0.0
    assert aq.reuse_component((aq.REUSE_FROM + aq.REUSE_FULL) / 2) == pytest.approx(0.5)
    assert aq.reuse_component(aq.REUSE_FULL) == 1.0 == aq.reuse_component(1.0)


def test_brevity_from_short_to_long() -> None:
    assert aq.assess("Đã xử lý.", PETITION, 0).brevity == 1.0
    assert aq.assess(" ".join(["chữ"] * aq.LONG), PETITION, 0).brevity == 0.0
    middle = aq.assess(" ".join(["chữ"] * ((aq.SHORT + aq.LONG) // 2)), PETITION, 0)
    assert 0.4 < middle.brevity < 0.6


def test_a_generic_answer_scores_high_and_a_specific_one_low() -> None:
    generic = aq.assess(GENERIC, PETITION, 1.0)
    assert generic.components == {
        "reuse": 1.0,
        "off_petition": 1.0,
        "unspecific": 1.0,
        "brevity": generic.brevity,
    }
    assert generic.likely_generic and generic.score > 0.9
    specific = aq.assess(SPECIFIC, PETITION, 0.3)
    assert specific.details == aq.DETAILS and specific.off_petition == 0.0
    assert not specific.likely_generic and specific.score < 0.1
    # the score is the weighted sum of the components
    assert specific.score == pytest.approx(
        sum(aq.WEIGHTS[k] * v for k, v in specific.components.items()), abs=1e-4
    )


def test_a_first_generic_answer_is_likely_generic_without_any_reuse() -> None:
    assert aq.assess(GENERIC, PETITION, 0.0).likely_generic


def test_likeness_is_to_the_nearest_earlier_answer_folded() -> None:
    earlier = [fold_text(SPECIFIC), fold_text(GENERIC)]
    assert likeness(fold_text(GENERIC.upper()), earlier) == 1.0
    typed = "Don vi da tiep thu y kien va se xem xet, giai quyet theo quy dinh"
    assert likeness(fold_text(typed), earlier) > aq.REUSE_FULL
    assert likeness(fold_text(SPECIFIC), [fold_text(GENERIC)]) < aq.REUSE_FROM
    assert likeness(fold_text(GENERIC), []) == 0.0
