"""The language check of the crawl (tests/e2e/language.py): it finds English and raw field
codes in what a page or a problem document says, and lets Vietnamese and names through."""

from __future__ import annotations

from tests.e2e.language import (
    allowed_words,
    english_words,
    foreign,
    in_page,
    in_problem,
    visible_texts,
)


def test_english_words_and_field_codes_are_found() -> None:
    assert foreign("no petition entered") == ["no", "petition", "entered"]
    assert foreign("Hạn trả lời: due_on") == ["due_on"]
    assert foreign("the form's security token is missing or stale; reload") != []


def test_a_vietnamese_sentence_passes() -> None:
    assert foreign("Chưa nhập ý kiến nào; hạn trả lời phải sau ngày giao (31/12/2026).") == []
    assert foreign("In gói tài liệu giao ban") == []  # "in" is to print
    assert foreign("Tải tệp XLSX hoặc PDF, số KN-2026-001") == []
    assert foreign("%(weekday)s, ngày %(day)s") == []  # a script's template
    assert foreign("Không tìm thấy ý kiến 4559b328-37e6-40d7-952c-a781b56be1b3.") == []
    assert foreign("Hãy gửi dạng application/json hoặc multipart/form-data.") == []
    # the codes an API takes, quoted as codes; unquoted they are English
    assert foreign("«Loại»: hãy chọn `reflection` hoặc `proposal`.") == []
    assert "or" in foreign("«Loại»: hãy chọn một trong reflection or proposal.")


def test_the_english_list_is_the_catalogues_less_vietnamese_and_names() -> None:
    english = english_words()
    assert {"petition", "overdue", "sign", "the", "of"} <= english
    assert not {"in", "do", "chi"} & english  # written in Vietnamese too
    assert not allowed_words() & english
    assert {"pdf", "xlsx", "kn", "uuid", "email", "fastapi"} <= allowed_words()


def test_a_page_is_read_as_a_person_sees_it() -> None:
    html = """<html lang="vi"><head><title>Danh sách</title><style>.no { }</style>
    <script>const due_on = "the value";</script></head><body>
    <a href="/lang/en" lang="en">English</a>
    <input type="hidden" name="due_on" value="Save">
    <input type="text" placeholder="Search petitions">
    <input type="submit" value="Ghi nhận">
    <button aria-label="Close">×</button>
    <img src="x.png" alt="Ảnh">
    <td data-label="Due">3</td>
    <span data-calendar='{"close": "Đóng lịch", "months": ["Tháng 1", "January"]}'></span>
    <template><p>Thêm dòng</p></template>
    <p>Hạn <code>due_on</code> và <span translate="no">Overdue</span>; <b>not</b> found<br>
    </body></html>"""
    texts = visible_texts(html)
    assert "Danh sách" in texts and "Ghi nhận" in texts and "Ảnh" in texts
    assert "Đóng lịch" in texts and "Thêm dòng" in texts
    assert not any("English" in t or "value" in t or "Save" in t for t in texts)
    found = {w for f in in_page(html) for w in f.words}
    assert found == {"Search", "petitions", "Close", "Due", "January", "not", "found"}


def test_a_problem_document_is_read_by_its_title_detail_and_messages() -> None:
    document = {
        "title": "Dữ liệu không hợp lệ",
        "detail": "due_on: Field required",
        "code": "validation_error",
        "errors": [{"field": "due_on", "message": "Field required"}],
    }
    found = in_problem(document)
    assert [f.words for f in found] == [("due_on", "Field", "required"), ("Field", "required")]
    assert in_problem({"title": "Không tìm thấy", "detail": "Không có ý kiến này"}) == []
