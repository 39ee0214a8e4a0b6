"""The admin's pages of reference data, over HTTP: each page answers; a valid change is
applied, recorded with who and when and shown to the auditor; an invalid one is refused
whole (422) with the reason per field in Vietnamese and changes nothing; a renamed cell
or department still reads by its old name on the petitions of before, and a retired one
is chosen for nothing new."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.actors import Actor, Role
from service.bootstrap import Service
from tests.e2e.conftest import Live, live_service
from tests.e2e.web.conftest import SignIn, raise_petition
from tests.e2e.web.test_web_security import signed_in
from tests.integration.test_reference_seed import row_counts
from usecases.commands import Context

pytestmark = pytest.mark.integration

TWO_COMMUNES = Path(__file__).parents[2] / "fixtures" / "two_communes.json"


def province_tokens(service: Service) -> dict[str, str]:
    """An admin, auditor, clerk and committee of xa-an; the province's admin and auditor;
    xa-binh's auditor."""
    made = {}
    for who, role, organisation in (
        ("admin", Role.ADMIN, "xa-an"),
        ("auditor", Role.AUDITOR, "xa-an"),
        ("clerk", Role.CLERK, "xa-an"),
        ("committee", Role.COMMITTEE, "xa-an"),
        ("province_admin", Role.ADMIN, "tinh-thu"),
        ("province_auditor", Role.AUDITOR, "tinh-thu"),
        ("binh_auditor", Role.AUDITOR, "xa-binh"),
    ):
        made[who] = service.tokens.create(role=role, name=f"e2e {who}", organisation=organisation)[
            1
        ]
    return made


@pytest.fixture(scope="module")
def province(database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from live_service(database, tmp_path_factory, seed=TWO_COMMUNES, tokens=province_tokens)


@pytest.fixture(scope="module")
def district(live: Live) -> Live:
    """The demo district (one organisation below its province), with communes."""
    return live


@pytest.fixture(scope="module")
def admin(province: Live) -> Iterator[tuple[httpx.Client, str]]:
    client, csrf = signed_in(province, "admin")
    yield client, csrf
    client.close()


def counts(live: Live) -> dict[str, int]:
    return row_counts(live.service)


def post(signed: tuple[httpx.Client, str], kind: str, action: str, **values: str) -> httpx.Response:
    client, csrf = signed
    return client.post(f"/admin/reference/{kind}/{action}", data={"csrf": csrf, **values})


def alert(page: str) -> str:
    """The text of a refused form's list of faults."""
    found = re.search(r'<div class="error" role="alert">(.*?)</div>', page, re.S)
    assert found, page[:3000]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def refused(
    live: Live, signed: tuple[httpx.Client, str], kind: str, action: str, **values: str
) -> str:
    """Post a change that must be refused: 422, nothing written; the faults' text."""
    before = counts(live)
    province = live.service.app.province
    answer = post(signed, kind, action, **values)
    assert answer.status_code == 422, answer.text[:2000]
    assert counts(live) == before
    assert live.service.app.province is province  # not even read again
    return alert(answer.text)


def applied(
    live: Live, signed: tuple[httpx.Client, str], kind: str, action: str, **values: str
) -> None:
    before = counts(live)["ref_changes"]
    answer = post(signed, kind, action, **values)
    assert answer.status_code == 303, answer.text[:3000]
    assert answer.headers["location"].startswith(f"/admin/reference/{kind}?")
    assert "done=" + action in answer.headers["location"]
    assert counts(live)["ref_changes"] == before + 1


def test_every_page_answers_the_admin_and_no_one_else(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    client, _ = admin
    for path in ("", "/zones", "/communes", "/cells", "/departments", "/categories", "/calendars"):
        page = client.get("/admin/reference" + path)
        assert page.status_code == 200, (path, page.text[:500])
        assert "Danh mục" in page.text and "Xã An Thịnh" in page.text
    assert client.get("/admin/reference/roads").status_code == 404
    # an admin of one commune administers that commune alone
    other = client.get("/admin/reference/cells?organisation=xa-binh")
    assert other.status_code == 422 and "binh-thon-1" not in other.text
    clerk, _ = signed_in(province, "clerk")
    assert clerk.get("/admin/reference/zones").status_code == 403
    assert clerk.get("/audit/reference").status_code == 403
    # the province's admin picks any organisation, the province's own departments too
    top, _ = signed_in(province, "province_admin")
    page = top.get("/admin/reference/departments?organisation=tinh-thu")
    assert page.status_code == 200 and "Sở Xây dựng" in page.text
    assert 'value="xa-binh"' in page.text  # offered in the picker
    assert "binh-thon-1" in top.get("/admin/reference/cells?organisation=xa-binh").text


def test_a_zone_is_added_and_renamed_and_a_faulty_one_refused(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    faults = refused(province, admin, "zones", "create", code="Cụm 2!", name="")
    assert "Mã: Mã chỉ gồm chữ thường không dấu" in faults
    assert "Tên: Cần nhập." in faults
    faults = refused(province, admin, "zones", "create", code="an-thon-1", name="Cụm mới")
    assert "Mã «an-thon-1» đã dùng cho một mục khác." in faults  # a cell's code
    applied(province, admin, "zones", "create", code="an-cum-2", name="Cụm 2 xã An Thịnh")
    assert province.service.app.province.reference("xa-an").zones["an-cum-2"].name == (
        "Cụm 2 xã An Thịnh"
    )
    faults = refused(province, admin, "zones", "rename", code="an-cum-2", name="Cụm 2 xã An Thịnh")
    assert "Tên mới trùng tên hiện tại." in faults
    applied(province, admin, "zones", "rename", code="an-cum-2", name="Cụm Đông")
    page = admin[0].get("/admin/reference/zones")
    assert "Cụm Đông" in page.text


def test_communes_are_a_districts_and_added_there(
    province: Live, admin: tuple[httpx.Client, str], district: Live
) -> None:
    faults = refused(province, admin, "communes", "create", code="xa-moi", name="Xã Mới")
    assert "Chỉ huyện có xã trực thuộc." in faults
    signed = signed_in(district, "admin")
    faults = refused(district, signed, "communes", "create", code="xa-moi", name="", zone="khu-9")
    assert "Tên: Cần nhập." in faults and "Cụm: Không thuộc tổ chức này." in faults
    applied(district, signed, "communes", "create", code="xa-moi", name="Xã Mới", zone="khu-1")
    reference = district.service.app.province.reference(district.service.app.district.organisation)
    assert reference.communes["xa-moi"].zone == "khu-1"
    applied(district, signed, "communes", "rename", code="xa-moi", name="Xã Tân Mới")
    assert "Xã Tân Mới" in signed[0].get("/admin/reference/communes").text


def raise_in(live: Live, cell: str, raised_on: date, summary: str) -> Any:
    days_ago = (live.service.app.today() - raised_on).days
    return raise_petition(
        live, summary, category="transport", days_ago=days_ago, cell=cell, organisation="xa-an"
    )


def test_a_renamed_cell_reads_by_its_old_name_on_an_old_petition(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    app = province.service.app
    today = app.today()
    old = raise_in(province, "an-thon-2", today - timedelta(days=10), "Đường thôn 2 hư hỏng")

    def rename(check: Callable[..., Any], name: str, effective: str) -> Any:
        return check(
            province, admin, "cells", "rename", code="an-thon-2", name=name, effective=effective
        )

    faults = rename(refused, "", (today + timedelta(days=1)).isoformat())
    assert "Tên: Cần nhập." in faults and "Tên mới dùng từ ngày: Không được sau" in faults
    rename(applied, "Chi bộ thôn Hòa Bình", (today - timedelta(days=2)).strftime("%d/%m/%Y"))
    new = raise_in(province, "an-thon-2", today, "Đèn đường thôn Hòa Bình hỏng")
    committee, _ = signed_in(province, "committee")
    old_page = committee.get(f"/petitions/{old}").text
    # the petition's facts (the merge form's cell picker offers the cells as named today)
    facts = old_page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "Chi bộ thôn 2" in facts and "Chi bộ thôn Hòa Bình" not in facts
    assert "Chi bộ thôn Hòa Bình" in committee.get(f"/petitions/{new}").text
    # the list, and the export, read each petition's cell as of its date (once the read
    # models hold the new petition)
    listing = eventually(lambda: committee.get("/petitions").text, "Đèn đường thôn Hòa Bình")
    assert "Chi bộ thôn 2" in listing and "Chi bộ thôn Hòa Bình" in listing
    with province.client("committee") as api:
        export = api.get("/v1/exports/petitions", params={"format": "csv"})
    assert export.status_code == 200, export.text[:500]
    rows = {line.split(",")[0]: line for line in export.text.splitlines()}
    assert "Chi bộ thôn 2" in rows[str(old)] and "Chi bộ thôn Hòa Bình" in rows[str(new)]
    # a second rename must come after the first
    faults = rename(refused, "Chi bộ thôn Bình An", (today - timedelta(days=5)).isoformat())
    assert "Phải sau lần đổi tên trước" in faults


def eventually(read: Callable[[], str], text: str, timeout: float = 10) -> str:
    """What ``read`` answers once it holds ``text``: the read models follow the log."""
    deadline = time.monotonic() + timeout
    while True:
        found = read()
        if text in found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_retired_cell_takes_no_new_petition_but_its_old_ones_still_read(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    app = province.service.app
    today = app.today()
    applied(
        province, admin, "cells", "create", code="an-thon-9", name="Chi bộ thôn 9", zone="xa-an"
    )
    before = raise_in(
        province, "an-thon-9", today - timedelta(days=3), "Kênh mương thôn 9 bồi lắng"
    )
    faults = refused(province, admin, "cells", "retire", code="an-thon-9", retired_on="31/02/2026")
    assert "Thôi hoạt động từ ngày: Không phải ngày hợp lệ" in faults
    applied(
        province,
        admin,
        "cells",
        "retire",
        code="an-thon-9",
        retired_on=(today - timedelta(days=1)).isoformat(),
    )
    with pytest.raises(Exception, match="retired"):
        raise_in(province, "an-thon-9", today, "Ý kiến mới của chi bộ đã thôi hoạt động")
    clerk, _ = signed_in(province, "clerk")
    assert 'value="an-thon-9"' not in clerk.get("/briefing").text
    assert "Chi bộ thôn 9" in clerk.get(f"/petitions/{before}").text
    faults = refused(province, admin, "cells", "retire", code="an-thon-9", retired_on="")
    assert "Đã thôi hoạt động từ" in faults


def test_a_department_renamed_and_retired(province: Live, admin: tuple[httpx.Client, str]) -> None:
    app = province.service.app
    today = app.today()
    petition = raise_in(province, "an-thon-1", today - timedelta(days=20), "Cầu tràn sạt lở")
    committee = Context(Actor("e2e-committee", Role.COMMITTEE, organisation="xa-an"))
    app.assign(petition, committee, department="an-van-hoa")
    applied(
        province,
        admin,
        "departments",
        "rename",
        code="an-van-hoa",
        name="Phòng Văn hóa – Thông tin xã An Thịnh",
        effective=today.isoformat(),
    )
    page, _ = signed_in(province, "committee")
    shown = page.get(f"/petitions/{petition}").text
    assert "Phòng Văn hóa – Xã hội xã An Thịnh" in shown  # its name on the petition's date
    applied(
        province, admin, "departments", "retire", code="an-van-hoa", retired_on=today.isoformat()
    )
    other = raise_in(province, "an-thon-1", today, "Nhà văn hóa xuống cấp")
    with pytest.raises(Exception, match="retired"):
        app.assign(other, committee, department="an-van-hoa")
    assert 'value="an-van-hoa"' not in page.get(f"/petitions/{other}").text
    faults = refused(province, admin, "departments", "create", code="an-kinh-te", name="")
    assert "Mã «an-kinh-te» đã dùng cho một mục khác." in faults and "Tên: Cần nhập." in faults


def test_category_defaults_are_set_whole_or_not_at_all(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    reference = province.service.app.province.reference("xa-an")
    current = {c: cat.department or "" for c, cat in reference.categories.items()}
    faults = refused(
        province,
        admin,
        "categories",
        "defaults",
        **{**current, "security": "an-kinh-te", "party": "binh-kinh-te"},
    )
    assert "Công tác đảng: Không phải đơn vị của tổ chức này." in faults
    assert (
        province.service.app.province.reference("xa-an").categories["security"].department is None
    )
    faults = refused(province, admin, "categories", "defaults", **current)
    assert "Không có gì thay đổi." in faults
    applied(
        province,
        admin,
        "categories",
        "defaults",
        **{**current, "security": "an-kinh-te", "other": ""},
    )
    categories = province.service.app.province.reference("xa-an").categories
    assert categories["security"].department == "an-kinh-te"
    assert categories["other"].department is None
    assert categories["transport"].department == "an-kinh-te"


def test_a_briefing_calendar_is_kept_on_its_page(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    zone = "binh-cum-1"  # of xa-binh: the province's admin keeps it
    top = signed_in(province, "province_admin")

    def keep(check: Callable[..., Any], action: str, **values: str) -> Any:
        return check(
            province, top, "calendars", action, organisation="xa-binh", zone=zone, **values
        )

    faults = keep(refused, "exception", scheduled="2026-03-06", held_on="2026-03-09")
    assert (
        "Ngày hội nghị theo lịch: Theo lịch (ngày 5 hằng tháng) không có hội nghị ngày 06/03/2026."
        in faults
    )
    keep(applied, "exception", scheduled="2026-03-05", held_on="2026-03-09")
    keep(applied, "exception", scheduled="2026-04-05", held_on="")
    calendar = province.service.app.province.reference("xa-binh").zones[zone].calendar
    assert calendar is not None
    assert calendar.moved == {date(2026, 3, 5): date(2026, 3, 9)}
    assert calendar.cancelled == frozenset({date(2026, 4, 5)})
    assert calendar.held(2026, 4) is None
    faults = keep(refused, "rule", rule="day", day="6")
    assert "Còn ngày dời hoặc hủy không theo cách tính mới: 05/03/2026, 05/04/2026" in faults
    faults = keep(refused, "rule", rule="day", day="40")
    assert "Ngày trong tháng: Ngày trong tháng từ 1 đến 31." in faults
    keep(applied, "remove", scheduled="2026-03-05")
    keep(applied, "remove", scheduled="2026-04-05")
    keep(applied, "rule", rule="weekday", weekday="0", nth="1")
    calendar = province.service.app.province.reference("xa-binh").zones[zone].calendar
    assert calendar is not None and calendar.held(2026, 6) == date(2026, 6, 1)
    assert (
        "thứ Hai đầu tiên hằng tháng"
        in top[0].get("/admin/reference/calendars?organisation=xa-binh").text
    )


def test_the_auditor_reads_the_history_of_its_own_organisation(
    province: Live, admin: tuple[httpx.Client, str]
) -> None:
    applied(province, admin, "zones", "create", code="an-cum-9", name="Cụm 9 xã An Thịnh")
    auditor, _ = signed_in(province, "auditor")
    page = auditor.get("/audit/reference")
    assert page.status_code == 200
    assert "Lịch sử thay đổi danh mục" in page.text
    assert "an-cum-9" in page.text and "Người thử admin" in page.text  # the admin's account
    assert "Cụm 9 xã An Thịnh" in page.text
    top, _ = signed_in(province, "province_auditor")
    assert "an-cum-9" in top.get("/audit/reference").text
    other, _ = signed_in(province, "binh_auditor")
    assert "an-cum-9" not in other.get("/audit/reference").text
    admin_client, _ = admin
    assert admin_client.get("/audit/reference").status_code == 403


def test_an_invalid_form_is_readable_at_phone_width(
    province: Live, sign_in: SignIn, browser: Any
) -> None:
    """The refused form in Chromium at 390 px: the faults beside their fields, no
    sideways scrolling of the page, and axe finds nothing."""
    from tests.e2e.web.test_web_accessibility import violations

    page = sign_in(province, "admin", width=390, bypass_csp=True)
    page.goto(province.url + "/admin/reference/cells")
    form = page.locator("#form-create")
    form.get_by_label("Mã (chữ thường không dấu, ví dụ: thon-9)").fill("Thôn 10")
    form.get_by_label("Tên", exact=True).fill("Chi bộ thôn 10")
    form.get_by_role("button", name="Thêm").click()
    page.wait_for_load_state()
    assert page.locator("#form-create [role=alert]").is_visible()
    assert page.locator("#create-code[aria-invalid=true]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert violations(page) == []
