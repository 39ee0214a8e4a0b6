"""The committee's tasks on the pages, over HTTP, on two communes under a province
(``tests/fixtures/two_communes.json``): withdraw and merge (with the search for the
target), each sent only with its confirmation; the queue of new, declined, returned and
escalated petitions; a briefing's petitions assigned together or not at all, each row
defaulting to its category's usual department and none preselected without one.

Every refusal is checked to have changed nothing: the log's head is where it was."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e import test_organisations_api as organisations_api
from tests.e2e.conftest import Live
from tests.e2e.test_organisations_api import PROVINCE, A, head, ok, signed_in

pytestmark = pytest.mark.integration


# The two communes' live service and API clients, as the organisations' tests make them.
live = organisations_api.live
c = organisations_api.c


@pytest.fixture(scope="module")
def committee(live: Live) -> Iterator[tuple[httpx.Client, str]]:
    web, csrf = signed_in(live, "a_committee")
    yield web, csrf
    web.close()


def today(live: Live) -> date:
    return live.service.app.today()


def petition(
    live: Live,
    c: dict[str, httpx.Client],
    summary: str,
    *,
    category: str = "party",
    cell: str = "an-thon-1",
    days_ago: int = 1,
    who: str = "a_clerk",
) -> str:
    body = {
        "kind": "proposal",
        "category": category,
        "summary": summary,
        "text": summary + ".",
        "cell": cell,
        "raised_by": "Trần Văn Hùng",
        "channel": "meeting",
        "meeting": "Giao ban",
        "raised_on": (today(live) - timedelta(days=days_ago)).isoformat(),
    }
    found: str = ok(c[who].post("/v1/petitions", json=body), 201)["id"]
    return found


def state(live: Live, petition_id: str) -> dict[str, Any]:
    return live.service.app.state(petition_id)  # type: ignore[arg-type]


def until(web: httpx.Client, url: str, text: str, **params: str) -> httpx.Response:
    """The page, once ``text`` is on it: the views follow the log within moments."""
    deadline = time.monotonic() + 10
    while True:
        page = web.get(url, params=params)
        assert page.status_code == 200, page.text[:500]
        if text in page.text:
            return page
        assert time.monotonic() < deadline, f"{text!r} never appeared on {url}"
        time.sleep(0.1)


def post(
    web: httpx.Client, csrf: str, live: Live, petition_id: str, action: str, **fields: str
) -> httpx.Response:
    data = {"csrf": csrf, "version": str(state(live, petition_id)["version"]), **fields}
    return web.post(f"/petitions/{petition_id}/{action}", data=data)


# ---- withdraw ------------------------------------------------------------------------


def confirmed_by_the_committee(
    live: Live, committee: tuple[httpx.Client, str], pid: str, action: str, reason: str
) -> httpx.Response:
    """The form of ``action`` (a reason and its confirmation), refused unticked (what was
    typed stays) and to the clerk (not offered; 403), recording nothing, then sent ticked
    by the committee: the redirect it answers with."""
    web, csrf = committee
    before, status = head(live), state(live, pid)["status"]
    unconfirmed = post(web, csrf, live, pid, action, reason=reason)
    assert unconfirmed.status_code == 422
    assert "Hãy đánh dấu ô xác nhận" in unconfirmed.text
    assert f'value="{reason}"' in unconfirmed.text  # what was typed stays
    clerk, clerk_csrf = signed_in(live, "a_clerk")
    assert f"form-{action}" not in clerk.get(f"/petitions/{pid}").text
    forbidden = post(clerk, clerk_csrf, live, pid, action, reason="x", confirm="yes")
    assert forbidden.status_code == 403
    assert head(live) == before and state(live, pid)["status"] == status
    done = post(web, csrf, live, pid, action, reason=reason, confirm="yes")
    assert done.status_code == 303 and f"done={action}" in done.headers["location"]
    return done


def test_withdraw_takes_the_committee_and_its_confirmation(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    web = committee[0]
    pid = petition(live, c, "Đường làng đã được sửa, xin rút")
    page = web.get(f"/petitions/{pid}")
    assert 'id="form-withdraw"' in page.text and 'id="withdraw-confirm"' in page.text
    before = head(live)

    done = confirmed_by_the_committee(live, committee, pid, "withdraw", "Đã tự giải quyết")
    assert head(live) == before + 1
    withdrawn = state(live, pid)
    assert (withdrawn["status"], withdrawn["closing_reason"]) == ("withdrawn", "Đã tự giải quyết")
    after = web.get(done.headers["location"])
    assert "Đã rút ý kiến." in after.text and "form-withdraw" not in after.text


# ---- merge ---------------------------------------------------------------------------


def test_merge_finds_its_target_and_refuses_what_the_domain_refuses(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    web, csrf = committee
    target = petition(live, c, "Đèn đường thôn 1 hỏng nhiều tháng")
    repeat = petition(live, c, "Đèn chiếu sáng thôn 1 không sáng")
    elsewhere = petition(live, c, "Đèn đường thôn 2 cũng hỏng", cell="an-thon-2")
    gone = petition(live, c, "Đèn đường thôn 1 đã rút")
    ok(c["a_committee"].post(f"/v1/petitions/{gone}/withdrawal", json={"reason": "trùng"}))
    other = petition(live, c, "Đèn đường xã Bình Minh", cell="binh-thon-1", who="b_clerk")

    def offered(page: httpx.Response) -> set[str]:
        return set(re.findall(r'id="into-([0-9a-f-]{36})"', page.text))

    # The list the picker searches has applied every write above, the withdrawal included.
    ok(c["a_committee"].get("/v1/petitions", params={"min_position": str(head(live))}))
    # At first the page offers the petitions of the same cell, this one and the ended aside.
    page = until(web, f"/petitions/{repeat}", f'id="into-{target}"')
    assert target in offered(page) and not offered(page) & {repeat, elsewhere, gone}
    # Words with or without diacritics, across the organisation's cells.
    words = web.get(f"/petitions/{repeat}", params={"merge_q": "den duong"})
    assert {target, elsewhere} <= offered(words) and not offered(words) & {repeat, gone, other}
    by_cell = web.get(f"/petitions/{repeat}", params={"merge_cell": "an-thon-2"})
    assert offered(by_cell) == {elsewhere}

    before = head(live)
    for into, field in ((repeat, "target"), (gone, "target"), (other, "target"), ("", "into")):
        refused = post(web, csrf, live, repeat, "merge", into=into, confirm="yes")
        assert refused.status_code == 422, (into, refused.text[:300])
        assert re.search(r'id="form-merge".*?class="error" role="alert"', refused.text, re.S)
        assert "field-error" in refused.text, field
    unconfirmed = post(web, csrf, live, repeat, "merge", into=target, merge_q="den duong")
    assert unconfirmed.status_code == 422 and "Hãy đánh dấu ô xác nhận" in unconfirmed.text
    assert re.search(rf'id="into-{target}"[^>]*checked', unconfirmed.text)  # still chosen
    assert elsewhere in offered(unconfirmed)  # and the search kept
    assert head(live) == before and state(live, repeat)["status"] == "raised"

    done = post(
        web, csrf, live, repeat, "merge", into=target, reason="Trùng nội dung", confirm="yes"
    )
    assert done.status_code == 303 and "done=merge" in done.headers["location"]
    merged = state(live, repeat)
    assert (merged["status"], str(merged["merged_into"])) == ("merged", target)
    assert head(live) == before + 1


# ---- the queue -----------------------------------------------------------------------


def sections(page: str) -> dict[str, tuple[int, set[str]]]:
    """Each section of the queue: the count it shows, and the petitions it links to."""
    found = {}
    for name, body in re.findall(
        r'<section id="(\w+)"[^>]*data-section="\w+">(.*?)</section>', page, re.S
    ):
        count = re.search(rf'data-count="{name}">\((\d+)\)', page)
        assert count, name
        found[name] = (
            int(count.group(1)),
            set(re.findall(r'<a href="/petitions/([0-9a-f-]{36})"', body)),
        )
    return found


def test_the_queue_holds_new_declined_returned_and_escalated_each_counted(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    web, _ = committee
    api = c["a_committee"]
    new = petition(live, c, "Hàng rào trường học bị đổ")
    declined = petition(live, c, "Ao làng ô nhiễm")
    ok(api.post(f"/v1/petitions/{declined}/assignment", json={"department": "an-kinh-te"}))
    ok(
        c["a_department"].post(
            f"/v1/petitions/{declined}/decline", json={"reason": "Thuộc lĩnh vực văn hóa"}
        )
    )
    province = {"organisation": PROVINCE, "department": "so-xay-dung"}
    returned = petition(live, c, "Cầu qua sông xuống cấp", category="transport")
    ok(api.post(f"/v1/petitions/{returned}/referral", json=province))
    ok(
        c["p_department"].post(
            f"/v1/petitions/{returned}/referral/return", json={"reason": "Cầu do xã quản lý"}
        )
    )
    with_province = petition(live, c, "Quốc lộ qua xã sụt lún", category="transport")
    ok(api.post(f"/v1/petitions/{with_province}/referral", json=province))
    ok(
        c["p_department"].post(
            f"/v1/petitions/{with_province}/decline", json={"reason": "Thuộc Sở Giao thông"}
        )
    )
    escalated = petition(live, c, "Khai thác cát trái phép")
    ok(api.post(f"/v1/petitions/{escalated}/assignment", json={"department": "an-kinh-te"}))
    ok(api.post(f"/v1/petitions/{escalated}/escalation", json={"reason": "Kéo dài, bức xúc"}))
    assigned = petition(live, c, "Đã giao, không cần làm gì")
    ok(api.post(f"/v1/petitions/{assigned}/assignment", json={"department": "an-kinh-te"}))

    page = web.get("/queue", params={"min_position": str(head(live))})
    assert page.status_code == 200
    found = sections(page.text)
    assert list(found) == ["new", "declined", "returned", "escalated"]
    for name, (count, linked) in found.items():
        assert count == len(linked), name
    expected = {"new": new, "declined": declined, "returned": returned, "escalated": escalated}
    for name, pid in expected.items():
        assert pid in found[name][1], name
        assert all(pid not in found[other][1] for other in found if other != name), name
    # What the province holds is the province's to assign again, not the commune's.
    assert all(with_province not in linked for _, linked in found.values())
    assert all(assigned not in linked for _, linked in found.values())
    declined_part = page.text.split('id="declined"')[1].split("</section>")[0]
    assert (
        "Thuộc lĩnh vực văn hóa" in declined_part and "Phòng Kinh tế xã An Thịnh" in declined_part
    )
    assert "Cầu do xã quản lý" in page.text and "Kéo dài, bức xúc" in page.text
    # The referral's entry in the timeline names the province, not its code.
    timeline = web.get(f"/petitions/{returned}").text.split('class="timeline"')[1]
    province_name = live.service.app.province.organisations[PROVINCE].name
    assert f"<dd>{province_name}</dd>" in timeline and f"<dd>{PROVINCE}</dd>" not in timeline

    province_web, _ = signed_in(live, "p_committee")
    theirs = sections(province_web.get("/queue").text)
    assert with_province in theirs["declined"][1]
    assert not (theirs["new"][1] | theirs["returned"][1]) & {new, declined, returned}
    clerk, _ = signed_in(live, "a_clerk")
    assert clerk.get("/queue").status_code == 403

    # A declined petition says so wherever it shows, not as a new one.
    shown = web.get(f"/petitions/{declined}").text
    assert "Bị từ chối nhận" in shown and "Thuộc lĩnh vực văn hóa" in shown
    listed = web.get("/petitions", params={"q": "Ao làng ô nhiễm"}).text
    row = listed.split(f'href="/petitions/{declined}"')[1].split("</tr>")[0]
    assert "Bị từ chối nhận" in row and "Mới tiếp nhận" not in row
    read = ok(api.get(f"/v1/petitions/{declined}"))
    assert read["given_back"]["how"] == "declined"
    assert read["given_back"]["reason"] == "Thuộc lĩnh vực văn hóa"
    # Assigned again, it is no longer given back.
    ok(api.post(f"/v1/petitions/{declined}/assignment", json={"department": "an-van-hoa"}))
    assert ok(api.get(f"/v1/petitions/{declined}"))["given_back"] is None
    again = sections(web.get("/queue", params={"min_position": str(head(live))}).text)
    assert declined not in again["declined"][1]


# ---- the single assignment's picker ----------------------------------------------------


def selected(page: str, select: str) -> list[str]:
    """The values of the options preselected in the <select> whose attributes hold
    ``select``."""
    body = re.search(rf"<select[^>]*{select}[^>]*>(.*?)</select>", page, re.S)
    assert body, select
    return re.findall(r'<option value="([^"]*)"[^>]*selected', body.group(1))


def test_the_assign_form_preselects_the_usual_department_or_none(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    web, _ = committee
    party = petition(live, c, "Sinh hoạt chi bộ chưa đều", category="party")
    services = petition(live, c, "Nước sạch chập chờn", category="services")
    assert selected(web.get(f"/petitions/{party}").text, 'id="assign-department"') == [""]
    assert selected(web.get(f"/petitions/{services}").text, 'id="assign-department"') == [
        "an-kinh-te"
    ]


# ---- a briefing's petitions, assigned together -------------------------------------------


def test_a_briefings_petitions_are_assigned_together_or_not_at_all(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    web, csrf = committee
    days_ago = 9  # this test's briefing day: no other test raises petitions on it
    services = petition(live, c, "Điện chập chờn", category="services", days_ago=days_ago)
    party = petition(live, c, "Đảng viên ít sinh hoạt", category="party", days_ago=days_ago)
    policy = petition(live, c, "Chậm trả trợ cấp", category="policy", days_ago=days_ago)
    rows = (services, party, policy)
    zone = live.service.app.province.reference(A).zone_of_cell("an-thon-1").code
    briefing = (today(live) - timedelta(days=days_ago)).isoformat()
    where = {"zone": zone, "briefing": briefing}
    page = until(web, "/assignments", "Chậm trả trợ cấp", **where)
    assert selected(page.text, f'name="department-{services}"') == ["an-kinh-te"]
    assert selected(page.text, f'name="department-{policy}"') == ["an-van-hoa"]
    assert selected(page.text, f'name="department-{party}"') == [""]
    # a row with a usual department is ticked, one without is not
    assert re.search(rf'id="pick-{services}"[^>]*checked', page.text)
    assert not re.search(rf'id="pick-{party}"[^>]*checked', page.text)

    def send(**departments: str) -> httpx.Response:
        data: dict[str, Any] = {**where, "csrf": csrf, "due_on": "", "petition": list(rows)}
        for pid in rows:
            data[f"version-{pid}"] = str(state(live, pid)["version"])
        data.update({f"department-{pid}": d for pid, d in departments.items()})
        return web.post("/assignments", data=data)

    def fault(page: httpx.Response, pid: str) -> str | None:
        found = re.search(rf'id="fault-{pid}">([^<]*)<', page.text)
        return found.group(1) if found else None

    before = head(live)
    chosen = {services: "an-kinh-te", policy: "an-van-hoa"}
    blank = send(**chosen, **{party: ""})
    assert blank.status_code == 422 and "Chưa giao ý kiến nào" in blank.text
    assert fault(blank, party) == "Hãy chọn đơn vị"
    assert fault(blank, services) is None and fault(blank, policy) is None
    unknown = send(**chosen, **{party: "khong-co-phong-nay"})
    assert unknown.status_code == 422 and fault(unknown, party)
    assert fault(unknown, services) is None
    assert selected(unknown.text, f'name="department-{policy}"') == ["an-van-hoa"]  # as sent
    assert head(live) == before
    assert {state(live, pid)["status"] for pid in rows} == {"raised"}

    due = today(live) + timedelta(days=20)
    data: dict[str, Any] = {
        **where,
        "csrf": csrf,
        "due_on": due.isoformat(),
        "petition": list(rows),
        **{f"version-{pid}": str(state(live, pid)["version"]) for pid in rows},
        **{f"department-{pid}": d for pid, d in {**chosen, party: "an-van-hoa"}.items()},
    }
    done = web.post("/assignments", data=data)
    assert done.status_code == 303 and "done=assigned" in done.headers["location"]
    assert head(live) == before + 3
    assigned = {pid: state(live, pid) for pid in rows}
    assert {pid: s["department"] for pid, s in assigned.items()} == {**chosen, party: "an-van-hoa"}
    assert {s["due_on"] for s in assigned.values()} == {due}
    after = web.get(done.headers["location"]).text
    assert "Đã giao các ý kiến đã chọn." in after and "Chậm trả trợ cấp" not in after


def test_a_row_changed_meanwhile_stops_every_row(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    web, csrf = committee
    days_ago = 12
    first = petition(live, c, "Trạm y tế thiếu thuốc", category="services", days_ago=days_ago)
    second = petition(live, c, "Chợ tạm lấn đường", category="services", days_ago=days_ago)
    zone = live.service.app.province.reference(A).zone_of_cell("an-thon-1").code
    where = {"zone": zone, "briefing": (today(live) - timedelta(days=days_ago)).isoformat()}
    versions = {pid: str(state(live, pid)["version"]) for pid in (first, second)}
    # Someone else assigns the second after the page was shown.
    ok(
        c["a_committee"].post(
            f"/v1/petitions/{second}/assignment", json={"department": "an-van-hoa"}
        )
    )
    before = head(live)
    refused = web.post(
        "/assignments",
        data={
            **where,
            "csrf": csrf,
            "petition": [first, second],
            **{f"version-{p}": v for p, v in versions.items()},
            **{f"department-{p}": "an-kinh-te" for p in (first, second)},
        },
    )
    assert refused.status_code in (409, 412, 422), refused.text[:300]
    assert f'id="fault-{second}"' in refused.text and f'id="fault-{first}"' not in refused.text
    assert head(live) == before and state(live, first)["status"] == "raised"
    clerk, clerk_csrf = signed_in(live, "a_clerk")
    forbidden = clerk.post("/assignments", data={**where, "csrf": clerk_csrf, "petition": [first]})
    assert forbidden.status_code == 403 and head(live) == before


# ---- reopen ---------------------------------------------------------------------------


def test_reopen_takes_the_committee_its_reason_and_its_confirmation(
    live: Live, c: dict[str, httpx.Client], committee: tuple[httpx.Client, str]
) -> None:
    """A petition the committee closed by mistake offers "Mở lại", sent only ticked and
    with a reason, refused in Vietnamese otherwise; it comes back where it was."""
    web, csrf = committee
    pid = petition(live, c, "Cống thoát nước khu chợ bị tắc", days_ago=3)
    ok(c["a_committee"].post(f"/v1/petitions/{pid}/assignment", json={"department": "an-kinh-te"}))
    assert "form-reopen" not in web.get(f"/petitions/{pid}").text  # open: nothing to reopen
    closed = post(web, csrf, live, pid, "close", reason="Đã giải quyết", confirm="yes")
    assert closed.status_code == 303
    page = web.get(f"/petitions/{pid}").text
    assert 'id="form-reopen"' in page and 'id="reopen-confirm"' in page
    assert "Ý kiến trở lại trạng thái «Đã giao»" in page
    before = head(live)

    no_reason = post(web, csrf, live, pid, "reopen", reason="", confirm="yes")
    assert no_reason.status_code == 422 and 'id="form-reopen"' in no_reason.text
    done = confirmed_by_the_committee(live, committee, pid, "reopen", "Kết thúc nhầm")
    assert head(live) == before + 1
    back = state(live, pid)
    assert (back["status"], back["department"], back["closing_reason"]) == (
        "assigned",
        "an-kinh-te",
        None,
    )
    after = web.get(done.headers["location"]).text
    assert "Đã mở lại ý kiến." in after and "form-reopen" not in after
    assert 'data-event="Reinstated"' in after and "Mở lại ý kiến kết thúc nhầm" in after
    # twice: the page shown before is stale, and the petition is open again
    again = post(web, csrf, live, pid, "reopen", reason="Lần nữa", confirm="yes")
    assert again.status_code in (409, 422) and "mở lại" in again.text
    assert head(live) == before + 1
