"""The office's files through the pages, over HTTP with the session cookie: the minutes
imported on /import (every fault shown by row and column heading, nothing recorded until
every row is right, then a summary), the template, the export buttons' routes (the API's
exports for the signed-in user, with the API's roles and scopes), the reports page and the
letterhead of what is printed."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import httpx
import pytest

from api.web.labels import STATUSES
from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live
from tests.e2e.test_import_export import (
    HEADER,
    XLSX,
    csv_file,
    minutes,
    read_csv,
    read_xlsx,
    xlsx_file,
)
from tests.e2e.web.conftest import overdue_petition
from tests.e2e.web.test_web_security import head, signed_in

pytestmark = pytest.mark.integration


def send(client: httpx.Client, csrf: str, content: bytes, name: str) -> httpx.Response:
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return client.post("/import", data={"csrf": csrf}, files={"file": (name, content, kind)})


def faults(page: str) -> list[tuple[str, str, str]]:
    """The rows of the faults' table: (row, column, fault)."""
    table = page[page.index('class="cards faults"') : page.index("</table>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    found = [unescape(c).strip() for c in cells]
    return [tuple(found[i : i + 3]) for i in range(0, len(found), 3)]  # type: ignore[misc]


def bad_minutes(live: Live, tag: str) -> list[list[Any]]:
    tomorrow = (live.service.app.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    rows = minutes(tag)
    rows.insert(2, ["phản ánh", "Bóng đá", "", "Sân bóng xuống cấp.", "thon-khong-co"])
    rows[2] += ["Phạm Văn A", "hội nghị", "", tomorrow]
    rows.append(["ý kiến", "Khác", "Đèn đường hỏng", "Thôn 3 tối.", "yen-lac-thon3", ""])
    rows[-1] += ["điện thoại", "", "31/02/2026"]
    return rows


@pytest.mark.parametrize("name", ["bien-ban.xlsx", "bien-ban.csv"])
def test_a_bad_file_shows_every_fault_by_column_and_records_nothing(live: Live, name: str) -> None:
    client, csrf = signed_in(live, "clerk")
    rows = bad_minutes(live, f"bad {name}")
    content = xlsx_file(rows) if name.endswith(".xlsx") else csv_file(rows)
    before = head(live)
    response = send(client, csrf, content, name)
    assert response.status_code == 422, response.text[:2000]
    assert head(live) == before, "a rejected import recorded events"
    page = response.text
    assert "có 9 lỗi: chưa ghi nhận dòng nào" in unescape(page)
    found = faults(page)
    assert [(row, column) for row, column, _ in found] == [
        ("3", "Lĩnh vực"),
        ("3", "Tóm tắt"),
        ("3", "Chi bộ"),
        ("3", "Hội nghị"),
        ("3", "Ngày"),
        ("6", "Loại"),
        ("6", "Người phản ánh"),
        ("6", "Hình thức"),
        ("6", "Ngày"),
    ]
    messages = dict(((row, column), message) for row, column, message in found)
    assert messages["3", "Lĩnh vực"] == "Không có lĩnh vực “Bóng đá”."
    assert messages["3", "Chi bộ"] == "Không có chi bộ mã “thon-khong-co”."
    assert messages["3", "Tóm tắt"] == "Không được để trống."
    assert "sau hôm nay" in messages["3", "Ngày"]
    assert messages["6", "Loại"] == "“ý kiến” không phải phản ánh hay kiến nghị."
    assert "không phải ngày dạng dd/mm/yyyy" in messages["6", "Ngày"]

    client.cookies.set("lang", "en")
    english = send(client, csrf, content, name)
    assert english.status_code == 422 and head(live) == before
    in_english = dict(((r, c), m) for r, c, m in faults(english.text))
    assert in_english["3", "Tóm tắt"] == "Must not be empty."
    assert in_english["3", "Chi bộ"] == "No cell “thon-khong-co”."


def test_a_file_that_is_no_table_is_said_so_and_records_nothing(live: Live) -> None:
    client, csrf = signed_in(live, "clerk")
    before = head(live)
    for content, said in (
        (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "Tệp Excel 97–2003 (.xls) không được hỗ trợ"),
        (b"", "Tệp rỗng."),
        (csv_file([["Tên", "Tuổi"], ["A", "3"]]), "Thiếu cột bắt buộc."),
    ):
        response = send(client, csrf, content, "bien-ban.csv")
        assert response.status_code == 422, response.text[:1000]
        assert said in unescape(response.text), response.text[:3000]
    assert head(live) == before


def test_a_good_file_is_recorded_summed_up_and_never_twice(live: Live) -> None:
    client, csrf = signed_in(live, "clerk")
    content = xlsx_file(minutes("page import"))
    before = head(live)
    first = send(client, csrf, content, "bien-ban.xlsx")
    assert first.status_code == 200, first.text[:2000]
    page = unescape(first.text)
    assert "Đã ghi nhận 3 ý kiến mới." in page
    assert head(live) == before + 6  # each petition and its key's record
    ids = re.findall(r'href="/petitions/([0-9a-f-]{36})"', first.text)
    assert len(ids) == 3
    for pid in ids:
        assert live.service.app.state(pid)["summary"].endswith("(page import)")
    assert page.count("Mới ghi nhận") == 3

    again = send(client, csrf, csv_file(minutes("page import")), "bien-ban.csv")
    assert again.status_code == 200
    assert head(live) == before + 6, "the same rows were recorded twice"
    assert "Đã ghi nhận 0 ý kiến mới." in unescape(again.text)
    assert re.findall(r'href="/petitions/([0-9a-f-]{36})"', again.text) == ids
    assert unescape(again.text).count("Đã có từ lần nhập trước") == 3


def test_only_a_clerk_imports_and_every_post_needs_its_token(live: Live) -> None:
    content = xlsx_file(minutes("refused"))
    before = head(live)
    client, _ = signed_in(live, "clerk")
    assert client.get("/import").status_code == 200
    stale = client.post("/import", data={"csrf": "x"}, files={"file": ("a.xlsx", content, XLSX)})
    assert stale.status_code == 403
    for who in ("committee", "department", "auditor"):
        other, token = signed_in(live, who)
        assert other.get("/import").status_code == 403, who
        assert send(other, token, content, "a.xlsx").status_code == 403, who
        assert other.get("/imports/template").status_code == 403, who
    assert head(live) == before
    anonymous = httpx.Client(base_url=live.url).get("/exports/overdue")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/signin")


def test_the_template_downloads_with_the_session(live: Live) -> None:
    client, _ = signed_in(live, "clerk")
    as_xlsx = read_xlsx(client.get("/imports/template", params={"format": "xlsx"}))
    assert as_xlsx["Ý kiến"][0] == HEADER
    assert read_csv(client.get("/imports/template", params={"format": "csv"})) == [HEADER]
    assert HEADER[0] in client.get("/import").text  # the page names the columns


@pytest.fixture(scope="module")
def overdue(live: Live) -> list[str]:
    made = [
        ("Ống nước vỡ (xuất tệp)", DEPARTMENT, 12),
        ("Đèn đường hỏng (xuất tệp)", OTHER_DEPARTMENT, 3),
    ]
    return [
        str(overdue_petition(live, summary, dept, due=due, assigned=20, days_ago=25))
        for summary, dept, due in made
    ]


def test_the_export_buttons_give_the_apis_files_for_the_session(
    live: Live, overdue: list[str]
) -> None:
    position = head(live)
    for who in ("committee", "auditor", "department"):
        client, _ = signed_in(live, who)
        board = client.get("/board").text
        assert 'action="/exports/overdue"' in board and 'value="xlsx"' in board, who
        api = live.client(who)
        params = {"min_position": position}
        for fmt in ("csv", "xlsx"):
            page_file = client.get("/exports/overdue", params={**params, "format": fmt})
            api_file = api.get("/v1/exports/overdue", params={**params, "format": fmt})
            assert page_file.status_code == 200, page_file.text[:500]
            named = page_file.headers["content-disposition"]
            assert named == api_file.headers["content-disposition"]
            rows = read_csv(page_file) if fmt == "csv" else read_xlsx(page_file)["Quá hạn"]
            expected = read_csv(api_file) if fmt == "csv" else read_xlsx(api_file)["Quá hạn"]
            assert rows == expected, who
            ids = {r[0] for r in rows[1:]}
            if who == "department":
                assert overdue[0] in ids and overdue[1] not in ids  # its own only
            else:
                assert set(overdue) <= ids, who
    clerk, _ = signed_in(live, "clerk")
    assert clerk.get("/exports/overdue").status_code == 403  # as on the API
    assert live.client("clerk").get("/v1/exports/overdue").status_code == 403


def test_every_list_scorecard_and_report_page_has_its_buttons(live: Live) -> None:
    committee, _ = signed_in(live, "committee")
    year = live.service.app.today().year
    for path, action in (
        ("/petitions?status=assigned", "/exports/petitions"),
        ("/board", "/exports/overdue"),
        ("/scorecards", "/exports/quality"),
        (f"/categories?year={year}", "/exports/categories"),
        (f"/reports?year={year}", "/exports/categories"),
        ("/organisations", "/exports/organisations"),
    ):
        page = committee.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        form = re.search(rf'<form method="get" action="{action}".*?</form>', page.text, re.S)
        assert form, path
        assert 'value="xlsx"' in form.group() and 'value="csv"' in form.group(), path
        hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group()))
        listed = committee.get(action, params={**hidden, "format": "csv"})
        assert listed.status_code == 200, (path, listed.text[:500])
        if path.startswith("/petitions"):
            assert hidden == {"status": "assigned"}
            statuses = {r[11] for r in read_csv(listed)[1:]}
            assert statuses == {STATUSES["assigned"]}, statuses
    scorecards = committee.get("/scorecards").text
    assert f'name="from" value="{year}-01-01"' in scorecards


def test_the_inbox_downloads_what_is_assigned_to_the_department(
    live: Live, overdue: list[str]
) -> None:
    department, _ = signed_in(live, "department")
    inbox = department.get("/inbox").text
    form = re.search(r'<form method="get" action="/exports/petitions".*?</form>', inbox, re.S)
    assert form, inbox[:2000]
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group()))
    assert hidden == {"status": "assigned", "department": DEPARTMENT}
    rows = read_csv(department.get("/exports/petitions", params={**hidden, "format": "csv"}))
    listed = live.client("department").get("/v1/inbox").json()["items"]
    assert {r[0] for r in rows[1:]} == {i["petition_id"] for i in listed}
    assert overdue[0] in {r[0] for r in rows[1:]} and overdue[1] not in {r[0] for r in rows}


def test_the_reports_page_of_a_year_and_of_a_period(live: Live, overdue: list[str]) -> None:
    committee, _ = signed_in(live, "committee")
    api = live.client("committee")
    today = live.service.app.today()
    position = {"min_position": head(live)}
    yearly = api.get("/v1/reports/categories", params={"year": today.year, **position}).json()
    page = committee.get("/reports", params={"year": today.year})
    assert page.status_code == 200, page.text[:1000]
    text = unescape(page.text)
    assert f"Báo cáo tổng hợp ý kiến, kiến nghị của chi bộ năm {today.year}" in text
    assert f"ghi nhận {yearly['total']} ý kiến, kiến nghị" in text
    start = today.replace(day=1).isoformat()
    asked = {"from": start, "to": today.isoformat()}
    period = api.get("/v1/reports/categories", params={**asked, **position}).json()
    page = committee.get("/reports", params=asked)
    text = unescape(page.text)
    assert f"từ ngày {today.replace(day=1):%d/%m/%Y} đến ngày {today:%d/%m/%Y}" in text
    assert f"ghi nhận {period['total']} ý kiến, kiến nghị" in text
    assert "so với cùng kỳ năm trước" in text
    exported = re.search(r'action="/exports/categories".*?</form>', page.text, re.S)
    assert exported and f'name="from" value="{start}"' in exported.group()
    for zone in live.service.app.district.zones.values():
        assert zone.name in text  # the figures per zone
    wrong = committee.get("/reports", params={"from": today.isoformat(), "to": start})
    assert wrong.status_code == 422 or start == today.isoformat()
    assert committee.get("/reports", params={"zone": "khu-9"}).status_code == 404
    for who in ("clerk", "department"):
        assert signed_in(live, who)[0].get("/reports").status_code == 403, who


def test_the_printed_report_and_packet_carry_the_letterhead_and_signature(live: Live) -> None:
    committee, _ = signed_in(live, "committee")
    today = live.service.app.today()
    typed = {"number": "12", "position": "Phó Bí thư", "signer": "Nguyễn Văn An"}
    report = unescape(committee.get("/reports", params=typed).text)
    clerk, _ = signed_in(live, "clerk")
    packet = unescape(clerk.get("/packet", params=typed).text)
    for text in (report, packet):
        assert "ĐẢNG BỘ TỈNH" in text
        assert "HUYỆN ỦY YÊN HÒA" in text
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert f"Yên Hòa, ngày {today:%d} tháng {today:%m} năm {today:%Y}" in text
        assert "Số 12-BC/HU" in text
        assert "T/M BAN THƯỜNG VỤ" in text and "PHÓ BÍ THƯ" in text and "Nguyễn Văn An" in text
        assert "- Lưu Văn phòng Huyện ủy." in text
    blank = unescape(committee.get("/reports").text)
    assert "Số …-BC/HU" in blank and "BÍ THƯ" in blank  # written in and signed by hand
    too_long = committee.get("/reports", params={"number": "9" * 21})
    assert too_long.status_code == 422
    assert "Số văn bản dài quá 20 ký tự." in unescape(too_long.text)
    hostile = committee.get("/reports", params={"signer": "<script>x</script>"})
    assert "<script>x</script>" not in hostile.text and "&lt;script&gt;" in hostile.text
