"""The must-show flow of the office's files, in Chromium through the pages alone, at phone
width: a clerk downloads the template, fills it in with a briefing's minutes, imports it
(a wrong file first: every fault listed, nothing recorded), and exports the list holding
what was imported; the committee exports the overdue board. Each downloaded XLSX is
opened with openpyxl and holds the rows the page shows. The fault and summary pages are
checked with axe-core."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import DEPARTMENT, Live
from tests.e2e.test_import_export import HEADER, minutes
from tests.e2e.web.conftest import SignIn, overdue_petition, visit_until
from tests.e2e.web.test_web_accessibility import violations
from tests.e2e.web.test_web_security import head

pytestmark = pytest.mark.integration


def download(page: Page, button: Any, into: Path) -> Path:
    """Click ``button``; the file it downloads."""
    with page.expect_download() as started:
        button.click()
    saved = into / started.value.suggested_filename
    started.value.save_as(saved)
    assert saved.suffix == ".xlsx", saved
    return saved


def opened(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def filled_in(template: Path, rows: list[list[Any]], name: str) -> Path:
    """The template with ``rows`` typed into its sheet of petitions, saved as ``name``."""
    book = opened(template)
    for row in rows:
        book["Ý kiến"].append(row)
    path = template.with_name(name)
    book.save(path)
    return path


def test_a_clerk_imports_the_minutes_and_the_board_is_exported_through_buttons(
    live: Live, sign_in: SignIn, tmp_path: Path
) -> None:
    late = overdue_petition(
        live, "Kênh N3 bồi lắng (bảng quá hạn)", DEPARTMENT, due=9, assigned=15, days_ago=20
    )
    clerk = sign_in(live, "clerk", width=390, bypass_csp=True)
    clerk.get_by_role("link", name="Nhập từ tệp").click()
    template = download(clerk, clerk.get_by_role("button", name="Tải Excel (XLSX)"), tmp_path)
    assert [c.value for c in opened(template)["Ý kiến"][1]] == HEADER

    # A wrong file: every fault listed by row and column, nothing recorded.
    rows = minutes("chromium")[1:]
    wrong = [list(row) for row in rows]
    wrong[0][4] = "thon-khong-co"  # no such cell
    wrong[1][8] = "31/02/2026"  # no such day
    before = head(live)
    upload = clerk.get_by_label("Tệp biên bản (XLSX hoặc CSV UTF-8)")
    upload.set_input_files(filled_in(template, wrong, "bien-ban-sai.xlsx"))
    clerk.get_by_role("button", name="Kiểm tra và nhập").click()
    faults = clerk.get_by_role("table", name="Các lỗi của tệp")
    assert faults.get_by_role("row").count() == 3  # the headings and two faults
    assert "Không có chi bộ mã “thon-khong-co”." in faults.inner_text()
    assert "Chi bộ" in faults.inner_text() and "Ngày" in faults.inner_text()
    assert "chưa ghi nhận dòng nào" in clerk.inner_text("main")
    assert head(live) == before
    assert violations(clerk) == []

    # The corrected file: every row recorded, summed up.
    upload.set_input_files(filled_in(template, rows, "bien-ban.xlsx"))
    clerk.get_by_role("button", name="Kiểm tra và nhập").click()
    assert "Đã ghi nhận 3 ý kiến mới." in clerk.inner_text("main")
    imported = clerk.get_by_role("table", name="Các dòng đã nhập")
    assert imported.get_by_role("row").count() == 4
    assert violations(clerk) == []

    # The list of what was imported, exported as the list shows it.
    clerk.get_by_role("link", name="Xem các ý kiến trong danh sách").click()
    shown = clerk.get_by_role("table", name="Danh sách ý kiến").inner_text()
    for row in rows:
        assert row[2] in shown
    book = opened(download(clerk, clerk.get_by_role("button", name="Tải Excel (XLSX)"), tmp_path))
    listed = list(book["Danh sách ý kiến"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[4] for r in listed if "(chromium)" in r[4]) == sorted(r[2] for r in rows)

    # The committee's overdue board, exported through its button.
    committee = sign_in(live, "committee", width=390)
    committee.get_by_role("link", name="Quá hạn", exact=True).click()
    visit_until(committee, committee.url, "Kênh N3 bồi lắng")
    total = committee.inner_text("p.summary").split(" ")[0]
    button = committee.get_by_role("button", name="Tải Excel (XLSX)")
    board = opened(download(committee, button, tmp_path))
    items = list(board["Quá hạn"].iter_rows(min_row=2, values_only=True))
    assert len(items) == int(total) and str(late) in {r[0] for r in items}
    assert board["Quá hạn"]["A1"].value == "Mã ý kiến"
