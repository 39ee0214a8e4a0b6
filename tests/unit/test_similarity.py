"""The one measure of how close a new petition's text is to an earlier one's
(``domain.similarity``): folded, so a clerk's typing without diacritics finds the matter,
and with the diacritics where both texts have them, so two words that fold alike do not
pass for one."""

from __future__ import annotations

from domain.similarity import (
    CLOSE_ENOUGH,
    likeness,
    similar,
    written_with_diacritics,
)


def test_a_text_typed_without_diacritics_is_the_same_matter() -> None:
    assert likeness("Đường ngập nước", "duong ngap nuoc") == 1.0
    assert likeness("duong ngap nuoc", "Đường ngập nước") == 1.0
    assert similar("DUONG NGAP NUOC!", "Đường ngập nước")


def test_words_that_fold_alike_are_told_apart_when_both_have_diacritics() -> None:
    sold, friend = "Bán đất công ở thôn 2", "Bạn đất công ở thôn 2"
    assert likeness(sold, sold) == 1.0
    assert 0.9 < likeness(sold, friend) < 1.0, "folded the same, but not the same words"
    assert likeness("Ban dat cong o thon 2", friend) == 1.0, "typed without: letters alone"


def test_words_in_another_order_or_inside_a_longer_text_are_close() -> None:
    old = "Đường liên thôn 3 bị ngập nước sau mưa lớn, đề nghị khơi thông cống"
    assert likeness("Ngập nước đường liên thôn 3", old) >= CLOSE_ENOUGH
    assert likeness("ngap nuoc duong lien thon 3 sau mua", old) >= CLOSE_ENOUGH


def test_another_matter_is_not_close() -> None:
    water = "Đường ống nước sạch thôn 3 bị vỡ, 40 hộ thiếu nước sinh hoạt"
    assert likeness("Đề nghị hỗ trợ giống lúa cho hộ nghèo", water) < CLOSE_ENOUGH
    assert not similar("Xin cấp giấy chứng nhận quyền sử dụng đất", water)


def test_an_empty_text_is_close_to_nothing() -> None:
    assert likeness("", "Đường ngập nước") == 0.0
    assert likeness("Đường ngập nước", "   ") == 0.0


def test_diacritics_are_told_by_their_marks_and_the_d_with_stroke() -> None:
    assert written_with_diacritics("Đi") and written_with_diacritics("ngập")
    assert not written_with_diacritics("duong ngap nuoc – 40 ho")
