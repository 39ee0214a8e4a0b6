"""A browser is shown a page, never a problem document, when an address is mistyped (404),
a page is not the user's (403), a page does not take the method (405), a query is wrong
(422) or the service fails (500): the site's layout in the page's language (the switch's,
else the browser's), the user's menu and sign-out, a way back. The API's paths, and a
client that does not ask for HTML, keep their problem documents."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e import language
from tests.e2e.conftest import Live
from tests.e2e.test_server_errors import broken
from tests.e2e.web.test_web_security import signed_in

pytestmark = pytest.mark.integration

HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
BROWSER = {"Accept": HTML, "Accept-Language": "vi-VN,vi;q=0.9"}


def heading(page: httpx.Response) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page.text, re.S)
    assert found, page.text[:1000]
    return found.group(1).strip()


def alert(page: httpx.Response) -> str:
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.S)
    assert found, page.text[:1000]
    return found.group(1).strip()


def assert_a_page(page: httpx.Response, status: int, lang: str = "vi") -> None:
    """An HTML page of the site's layout, said wholly in ``lang``."""
    assert page.status_code == status, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page.text and '<header class="top">' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert '<a href="/">' in page.text  # the way to the start page
    if lang == "vi":  # what the page says (the header names the tests' own people)
        main = page.text[page.text.index("<main") :]
        assert language.in_page(main) == [], language.in_page(main)


def signs_out(page: httpx.Response) -> bool:
    return 'action="/signout"' in page.text and 'name="csrf"' in page.text


@pytest.fixture
def clerk(live: Live) -> Any:
    client, _ = signed_in(live, "clerk")
    client.cookies.set("lang", "vi")
    yield client
    client.close()


def test_a_mistyped_address_is_a_page_with_the_menu_sign_out_and_a_way_back(
    live: Live, clerk: httpx.Client
) -> None:
    page = clerk.get(
        "/khong-co-trang-nay", headers={**BROWSER, "Referer": f"{live.url}/petitions?status=raised"}
    )
    assert_a_page(page, 404)
    assert heading(page) == "Không tìm thấy"
    assert alert(page).startswith("Không có trang này")
    assert signs_out(page) and 'href="/briefing"' in page.text  # the clerk's menu
    assert 'href="/petitions?status=raised">Quay lại trang trước</a>' in page.text
    # a page of another site is no way back
    elsewhere = clerk.get("/khong-co", headers={**BROWSER, "Referer": "https://example.org/x"})
    assert "Quay lại trang trước" not in elsewhere.text
    # a petition that is not there, or an id that is none
    for path in ("/petitions/00000000-0000-0000-0000-000000000001", "/petitions/khong-phai-ma"):
        assert clerk.get(path, headers=BROWSER).headers["content-type"].startswith("text/html")


def test_before_signing_in_the_page_offers_to_sign_in(live: Live) -> None:
    with httpx.Client(base_url=live.url) as anonymous:
        page = anonymous.get("/khong-co-trang-nay", headers=BROWSER)
    assert_a_page(page, 404)
    assert not signs_out(page) and 'href="/signin"' in page.text


def test_a_page_not_for_the_role_is_refused_in_a_page(live: Live) -> None:
    department, _ = signed_in(live, "department")
    page = department.get("/admin/tokens", headers=BROWSER)
    assert_a_page(page, 403)
    assert heading(page) == "Không có quyền truy cập"
    assert alert(page).endswith("không được dùng trang này.")
    assert signs_out(page)


def test_a_method_a_page_does_not_take_is_a_page(clerk: httpx.Client) -> None:
    page = clerk.post("/board", headers=BROWSER, data={"x": "1"})
    assert_a_page(page, 405)
    assert page.headers["allow"] == "GET"
    assert heading(page) == "Trang không nhận thao tác này" and signs_out(page)


def test_a_wrong_query_is_a_page_naming_the_field(clerk: httpx.Client) -> None:
    lookup = clerk.get("/lookup", headers=BROWSER)
    assert_a_page(lookup, 422)
    assert heading(lookup) == "Thông tin chưa đúng"
    assert "<li>«Ý kiến»: cần nhập.</li>" in lookup.text
    export = clerk.get("/exports/petitions?raised_from=31/02/2026", headers=BROWSER)
    assert_a_page(export, 422)
    assert "<li>«Nêu từ ngày»" in export.text and signs_out(export)
    # a value not among the choices: picked from the page's list, not typed as a code
    format_ = clerk.get("/exports/petitions?format=docx", headers=BROWSER)
    assert_a_page(format_, 422)
    assert "<li>«Định dạng tệp»: hãy chọn một giá trị trong danh sách của trang.</li>" in (
        format_.text
    )
    # a page's own refusal of a query is said alike
    assert alert(clerk.get("/lookup?petition=abc", headers=BROWSER)).startswith("Hãy nhập số")


def test_a_fault_is_a_page_with_its_request_id(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    committee, _ = signed_in(live, "committee")
    monkeypatch.setattr(live.service.views["quality"], "scorecards", broken)
    page = committee.get("/scorecards", headers={**BROWSER, "X-Request-ID": "trang-loi-1"})
    assert_a_page(page, 500)
    assert heading(page) == "Lỗi hệ thống" and "<code>trang-loi-1</code>" in page.text
    assert "hunter2" not in page.text and signs_out(page)


def test_the_page_follows_the_switch_else_the_browser(live: Live) -> None:
    english = {"Accept": HTML, "Accept-Language": "en-GB,en;q=0.9"}
    with httpx.Client(base_url=live.url) as anonymous:
        page = anonymous.get("/khong-co", headers=english)
        assert_a_page(page, 404, lang="en")
        assert heading(page) == "Not found" and "Back to the start page" in page.text
        # no language asked for: Vietnamese; the switch wins over the browser
        assert_a_page(anonymous.get("/khong-co", headers={"Accept": HTML}), 404)
        anonymous.cookies.set("lang", "vi")
        assert_a_page(anonymous.get("/khong-co", headers=english), 404)
        anonymous.cookies.set("lang", "en")
        page = anonymous.get("/khong-co", headers=BROWSER)
        assert_a_page(page, 404, lang="en")
        assert "There is no such page" in alert(page)


def test_the_api_and_clients_not_asking_for_a_page_keep_problem_documents(
    live: Live, clerk: httpx.Client
) -> None:
    api = live.client("clerk", **BROWSER)
    for path in ("/v1/khong-co", "/v1/petitions?status=khong-co"):
        answer = api.get(path)
        assert answer.headers["content-type"] == "application/problem+json", path
        assert answer.json()["status"] in (404, 422)
    api.close()
    for path in ("/khong-co-trang-nay", "/lookup"):
        answer = clerk.get(path, headers={"Accept": "application/json"})
        assert answer.headers["content-type"] == "application/problem+json", path
