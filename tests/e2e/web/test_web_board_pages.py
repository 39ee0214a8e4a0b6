"""The committee's overdue board in Chromium, a hundred rows a page: the count and the
summary of the whole board, the next and previous pages keeping the filters and the
order, a new order or filter starting again at the first page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.e2e.web.conftest import SignIn, overdue_petition, visit_until

pytestmark = pytest.mark.integration

OURS = 75  # overdue rows of DEPARTMENT; OTHER_DEPARTMENT has 30: 105 on the board


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_the_board_pages_keep_the_filters_and_the_order(live: Live, sign_in: SignIn) -> None:
    for n in range(OURS + 30):
        overdue_petition(
            live,
            f"Quá hạn số {n:03d}",
            DEPARTMENT if n < OURS else OTHER_DEPARTMENT,
            due=1 + n % 50,  # 1 to 50 days overdue
            assigned=69,
            days_ago=70,
        )
    page = sign_in(live, "committee")
    visit_until(page, f"{live.url}/board?sort=due_on&order=asc", "Dòng 1–100 trong 105.")
    rows = page.locator(".board tbody tr")
    expect(rows).to_have_count(100)
    # the summary counts the whole board, not the page: 1 to 50 days, 40 rows over 30
    expect(page.locator("p.summary")).to_have_text("105 ý kiến quá hạn, 40 quá hạn trên 30 ngày.")
    expect(page.get_by_role("link", name=re.compile("Trang trước"))).to_have_count(0)
    first_page = rows.locator("td:nth-child(6)").all_inner_texts()

    page.get_by_role("link", name=re.compile("Trang sau")).click()
    expect(page.locator(".pager")).to_contain_text("Dòng 101–105 trong 105.")
    expect(rows).to_have_count(5)
    assert query_of(page.url) == {"sort": ["due_on"], "order": ["asc"], "offset": ["100"]}
    # the second page goes on where the first stopped: the latest due dates come last
    due = [d.split("/") for d in rows.locator("td:nth-child(6)").all_inner_texts()]
    last_first = first_page[-1].split("/")
    assert all(d[::-1] >= last_first[::-1] for d in due)
    expect(page.get_by_role("link", name=re.compile("Trang sau"))).to_have_count(0)
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Hạn")

    page.get_by_role("link", name=re.compile("Trang trước")).click()
    expect(rows).to_have_count(100)
    assert query_of(page.url) == {"sort": ["due_on"], "order": ["asc"], "offset": ["0"]}
    assert rows.locator("td:nth-child(6)").all_inner_texts() == first_page

    # a filter keeps the order and starts at the first page; its pages keep the filter
    page.select_option("#department", DEPARTMENT)
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("p.summary")).to_contain_text(f"{OURS} ý kiến quá hạn")
    expect(rows).to_have_count(OURS)
    asked = query_of(page.url)
    assert (asked["sort"], asked["order"], asked["department"]) == (
        ["due_on"],
        ["asc"],
        [DEPARTMENT],
    )
    assert "offset" not in asked
    expect(page.locator(".pager")).to_have_count(0)  # one page: nothing to follow

    # on the second page of the whole board, a new order starts again at the first
    page.goto(f"{live.url}/board?sort=days&order=desc&offset=100")
    expect(rows).to_have_count(5)
    page.get_by_role("link", name="Loại", exact=True).click()
    expect(rows).to_have_count(100)
    assert "offset" not in query_of(page.url)

    # a department's board is its own rows only, one page of them
    department = sign_in(live, "department")
    department.goto(f"{live.url}/board")
    expect(department.locator("p.summary")).to_contain_text(f"{OURS} ý kiến quá hạn")
    expect(department.locator(".board tbody tr")).to_have_count(OURS)
