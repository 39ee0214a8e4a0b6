"""Organisations over HTTP, on a deployment of two communes under a province
(``tests/fixtures/two_communes.json``): what one commune records is not there for the
other's users (404 on the petition, absent from every list, board, report, export, packet,
inbox, import and letter); a referral to a department of the province, answered there and
verified by the raising commune; the province's committee reading every organisation or
the one it picks; and the refusals of bad input, each a problem document recording nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from domain.actors import Role
from service.bootstrap import Service
from service.database import Database
from tests.e2e.conftest import Live, live_service

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "two_communes.json"
PROVINCE, A, B = "tinh-thu", "xa-an", "xa-binh"
PROBLEM_JSON = "application/problem+json"
# who holds a token: role, department, organisation
WHO: dict[str, tuple[Role, str | None, str]] = {
    "a_clerk": (Role.CLERK, None, A),
    "a_committee": (Role.COMMITTEE, None, A),
    "a_department": (Role.DEPARTMENT, "an-kinh-te", A),
    "b_clerk": (Role.CLERK, None, B),
    "b_committee": (Role.COMMITTEE, None, B),
    "b_department": (Role.DEPARTMENT, "binh-kinh-te", B),
    "p_committee": (Role.COMMITTEE, None, PROVINCE),
    "p_auditor": (Role.AUDITOR, None, PROVINCE),
    "p_department": (Role.DEPARTMENT, "so-xay-dung", PROVINCE),
    "p_clerk": (Role.CLERK, None, PROVINCE),
    "a_auditor": (Role.AUDITOR, None, A),
    "a_admin": (Role.ADMIN, None, A),
    "b_auditor": (Role.AUDITOR, None, B),
}
B_USERS = ("b_clerk", "b_committee", "b_department")
PETITION = {
    "kind": "proposal",
    "category": "party",
    "text": "Đề nghị sửa nhà văn hóa thôn.",
    "raised_by": "Trần Văn Hùng",
    "channel": "meeting",
    "meeting": "Giao ban tháng 10",
}


def tokens(service: Service) -> dict[str, str]:
    return {
        name: service.tokens.create(
            role=role, department=department, organisation=organisation, name=f"e2e {name}"
        )[1]
        for name, (role, department, organisation) in WHO.items()
    }


@pytest.fixture(scope="module")
def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from live_service(database, tmp_path_factory, seed=SEED, tokens=tokens)


@pytest.fixture(scope="module")
def c(live: Live) -> Iterator[dict[str, httpx.Client]]:
    made = {who: live.client(who) for who in live.tokens}
    yield made
    for client in made.values():
        client.close()


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    return body


def raised(client: httpx.Client, cell: str, on: str, summary: str, **fields: Any) -> Any:
    body = {**PETITION, "cell": cell, "raised_on": on, "summary": summary, **fields}
    return ok(client.post("/v1/petitions", json=body), 201)


def signed_in(live: Live, who: str) -> tuple[httpx.Client, str]:
    """A browser's client of the web pages, signed in as ``who``, and its form token."""
    session_id = live.service.sessions.open(live.account_principal(who))
    session = live.service.sessions.find(session_id)
    assert session is not None
    web = httpx.Client(base_url=live.url, timeout=30)
    web.cookies.set("petitions_session", session_id)
    return web, session.csrf


def head(live: Live) -> int:
    return live.service.app.recorder.max_notification_id() or 0


def ids(page: dict[str, Any]) -> set[str]:
    return {item["petition_id"] for item in page["items"]}


@pytest.fixture(scope="module")
def of_a(c: dict[str, httpx.Client]) -> dict[str, Any]:
    """A petition of commune A, assigned to A's department and overdue since October, its
    answer's letter stored; and one of B's."""
    a = raised(c["a_clerk"], "an-thon-1", "2026-10-05", "Nhà văn hóa thôn 1 dột nát")
    ok(
        c["a_committee"].post(
            f"/v1/petitions/{a['id']}/assignment",
            json={"department": "an-kinh-te", "due_on": "2026-10-20", "assigned_on": "2026-10-06"},
        )
    )
    b = raised(c["b_clerk"], "binh-thon-1", "2026-10-05", "Đường ngập", category="transport")
    return {"a": a["id"], "b": b["id"]}


def test_organisations_each_caller_may_know_of(c: dict[str, httpx.Client]) -> None:
    everyone = ok(c["p_committee"].get("/v1/organisations"))
    assert [o["code"] for o in everyone] == sorted([PROVINCE, A, B])
    commune = next(o for o in everyone if o["code"] == A)
    assert commune == {
        "code": A,
        "name": "Xã An Thịnh",
        "level": "commune",
        "parent": PROVINCE,
        "active_from": "2025-07-01",
        "active_until": None,
    }
    for who in B_USERS:
        assert [o["code"] for o in ok(c[who].get("/v1/organisations"))] == [PROVINCE, B]
    reference = ok(c["b_clerk"].get("/v1/reference"))
    assert reference["organisation"] == B and {z["code"] for z in reference["zones"]} == {
        "binh-cum-1",
        "binh-cum-2",
    }
    province = ok(c["a_committee"].get("/v1/reference", params={"organisation": PROVINCE}))
    assert {d["code"] for d in province["departments"]} == {"so-xay-dung", "so-nong-nghiep"}
    problem(c["b_clerk"].get("/v1/reference", params={"organisation": A}), 422, "invalid_command")


def test_commune_b_never_sees_commune_a_petition(
    live: Live, c: dict[str, httpx.Client], of_a: dict[str, Any]
) -> None:
    a, b = of_a["a"], of_a["b"]
    wait = {"min_position": head(live)}
    mine = ok(c["a_committee"].get(f"/v1/petitions/{a}"))
    assert mine["organisation"] == A and mine["referred_to"] is None
    for who in B_USERS:
        problem(c[who].get(f"/v1/petitions/{a}"), 404, "petition_not_found")
        listed = ok(c[who].get("/v1/petitions", params=wait))
        assert a not in ids(listed)
        found = ok(c[who].get("/v1/petitions", params={**wait, "q": "văn hóa thôn 1"}))
        assert a not in ids(found)
    for who in ("b_committee", "b_department"):
        problem(c[who].get(f"/v1/petitions/{a}/events"), 404, "petition_not_found")
        assert a not in ids(ok(c[who].get("/v1/overdue", params=wait)))
    assert b in ids(ok(c["b_committee"].get("/v1/petitions", params=wait)))
    assert all(i["organisation"] == B for i in ok(c["b_clerk"].get("/v1/petitions"))["items"])
    board = ok(c["a_committee"].get("/v1/overdue", params=wait))
    assert a in ids(board) and board["organisation"] == A
    assert {i["organisation"] for i in board["items"]} == {A}
    assert "an-kinh-te" not in {
        d["department"] for d in ok(c["b_committee"].get("/v1/departments/quality"))["departments"]
    }
    assert "an-kinh-te" in {
        d["department"] for d in ok(c["a_committee"].get("/v1/departments/quality"))["departments"]
    }
    party = {
        who: next(
            row["count"]
            for row in ok(c[who].get("/v1/reports/categories", params={**wait, "year": 2026}))[
                "categories"
            ]
            if row["category"] == "party"
        )
        for who in ("a_committee", "b_committee")
    }
    assert party["a_committee"] >= 1 and party["b_committee"] == 0
    exports = {"petitions": B_USERS, "overdue": B_USERS[1:], "quality": B_USERS[1:2]}
    for export, readers in {**exports, "categories": B_USERS[1:2]}.items():
        for who in readers:
            sheet = c[who].get(f"/v1/exports/{export}", params={"format": "csv", **wait})
            assert sheet.status_code == 200, sheet.text
            assert a not in sheet.text and "an-kinh-te" not in sheet.text
            assert "Phòng Kinh tế xã An Thịnh" not in sheet.text
    mine_csv = c["a_committee"].get("/v1/exports/petitions", params={"format": "csv", **wait})
    assert a in mine_csv.text and "Xã An Thịnh" in mine_csv.text
    assert a not in {i["petition_id"] for i in ok(c["b_department"].get("/v1/inbox"))["items"]}


def test_commune_b_gets_no_packet_of_a_zone_of_commune_a(
    live: Live, c: dict[str, httpx.Client], of_a: dict[str, Any]
) -> None:
    wait = {"min_position": head(live)}
    packet = ok(c["a_clerk"].get(f"/v1/briefings/{A}/2026-11-03/packet", params=wait))
    assert packet["organisation"] == A
    assert of_a["a"] in {p["petition_id"] for p in packet["raised_at_previous"]}
    for who in ("b_clerk", "b_committee"):
        problem(c[who].get(f"/v1/briefings/{A}/2026-11-03/packet"), 404, "not_found")
    own = ok(c["b_clerk"].get("/v1/briefings/binh-cum-1/2026-11-05/packet", params=wait))
    assert {p["petition_id"] for p in own["raised_at_previous"]} == {of_a["b"]}
    problem(
        c["a_committee"].get("/v1/reports/categories", params={"zone": "binh-cum-1"}),
        404,
        "not_found",
    )


def test_commune_b_cannot_write_import_or_download_what_is_commune_a(
    live: Live, c: dict[str, httpx.Client], of_a: dict[str, Any]
) -> None:
    a = of_a["a"]
    letter = b"%PDF-1.4\n% signed letter\n%%EOF\n"
    answer = {
        "mode": "written",
        "text": "Đã lập dự toán sửa chữa.",
        "document_number": "12/KT",
        "document_date": "2026-10-15",
        "signer": "Trưởng phòng",
        "answered_on": "2026-10-16",
    }
    ok(
        c["a_department"].post(
            f"/v1/petitions/{a}/answer",
            data=answer,
            files={"letter": ("cong-van.pdf", letter, "application/pdf")},
        )
    )
    sha256 = ok(c["a_committee"].get(f"/v1/petitions/{a}"))["answers"][0]["attachments"][0][
        "sha256"
    ]
    before = head(live)
    problem(
        c["b_committee"].post(f"/v1/petitions/{a}/closure", json={"reason": "trùng"}),
        404,
        "petition_not_found",
    )
    problem(
        c["b_clerk"].post(f"/v1/petitions/{a}/verification", json={"verdict": "satisfied"}),
        404,
        "petition_not_found",
    )
    csv = (
        "Loại,Lĩnh vực,Tóm tắt,Nội dung,Chi bộ,Người phản ánh,Hình thức,Hội nghị,Ngày\r\n"
        "phản ánh,Khác,Ý kiến thôn 1,Nội dung,an-thon-1,Ông A,hội nghị,Giao ban,05/10/2026\r\n"
    )
    imported = c["b_clerk"].post(
        "/v1/imports", files={"file": ("y-kien.csv", io.BytesIO(csv.encode()), "text/csv")}
    )
    body = problem(imported, 422, "import_rejected")
    assert any(e.get("field") == "cell" for e in body["errors"]), body
    template = c["b_clerk"].get("/v1/imports/template", params={"format": "csv"})
    assert template.status_code == 200 and "an-thon-1" not in template.text
    assert head(live) == before
    for who, status in (("b_committee", 404), ("a_committee", 200)):
        web, _ = signed_in(live, who)
        downloaded = web.get(f"/petitions/{a}/files/{sha256}")
        assert downloaded.status_code == status, downloaded.text
        assert (downloaded.content == letter) is (status == 200)
        web.close()


def test_a_referral_answered_by_the_province_and_verified_by_the_commune(
    live: Live, c: dict[str, httpx.Client]
) -> None:
    r = raised(c["a_clerk"], "an-thon-2", "2026-11-02", "Cầu treo thôn 2 xuống cấp")["id"]
    referred = ok(
        c["a_committee"].post(
            f"/v1/petitions/{r}/referral",
            json={
                "organisation": PROVINCE,
                "department": "so-xay-dung",
                "note": "vượt thẩm quyền xã",
                "referred_on": "2026-11-04",
            },
        )
    )
    assert referred["status"] == "assigned"
    state = ok(c["p_department"].get(f"/v1/petitions/{r}"))
    assert (state["organisation"], state["referred_to"], state["department"]) == (
        A,
        PROVINCE,
        "so-xay-dung",
    )
    assert state["due_on"] == "2026-12-03"  # commune A's next briefing with time to answer
    for who in B_USERS:
        problem(c[who].get(f"/v1/petitions/{r}"), 404, "petition_not_found")
    wait = {"min_position": referred["position"]}
    inbox = ok(c["p_department"].get("/v1/inbox", params=wait))
    row = next(i for i in inbox["items"] if i["petition_id"] == r)
    assert (row["organisation"], row["referred_to"]) == (A, PROVINCE)
    problem(
        c["a_department"].post(
            f"/v1/petitions/{r}/answer",
            json={
                "mode": "written",
                "text": "Xã trả lời",
                "document_number": "1/X",
                "document_date": "2026-11-05",
                "signer": "Trưởng phòng",
            },
        ),
        404,
        "petition_not_found",
    )
    answered = ok(
        c["p_department"].post(
            f"/v1/petitions/{r}/answer",
            json={
                "mode": "written",
                "text": "Sở đã bố trí vốn sửa cầu treo trong quý I.",
                "document_number": "88/SXD",
                "document_date": "2026-11-19",
                "signer": "Giám đốc Sở Xây dựng",
                "answered_on": "2026-11-20",
            },
        )
    )
    assert answered["status"] == "answered"
    packet = ok(
        c["a_clerk"].get(
            f"/v1/briefings/{A}/2026-12-03/packet", params={"min_position": answered["position"]}
        )
    )
    assert r in {p["petition_id"] for p in packet["awaiting_verification"]}
    verified = ok(
        c["a_clerk"].post(
            f"/v1/petitions/{r}/verification",
            json={"verdict": "satisfied", "verified_on": "2026-11-25"},
        )
    )
    assert verified["status"] != "answered"
    wait = {"min_position": verified["position"]}
    everyone = ok(c["p_committee"].get("/v1/petitions", params=wait))
    assert r in ids(everyone)
    assert r in ids(ok(c["p_committee"].get("/v1/petitions", params={**wait, "organisation": A})))
    assert r not in ids(
        ok(c["p_committee"].get("/v1/petitions", params={**wait, "organisation": B}))
    )
    cards = ok(
        c["p_committee"].get(
            "/v1/departments/quality", params={**wait, "organisation": A, "from": "2026-11-01"}
        )
    )
    assert cards["organisation"] == A
    province_card = next(d for d in cards["departments"] if d["department"] == "so-xay-dung")
    assert province_card["answered"] == 1 and province_card["on_time"]["count"] == 1
    satisfied = province_card["first_answer_satisfied"]
    assert (satisfied["count"], satisfied["total"]) == (1, 1)
    b_cards = ok(c["p_committee"].get("/v1/departments/quality", params={"organisation": B}))
    assert "so-xay-dung" not in {d["department"] for d in b_cards["departments"]}
    roll_up = ok(
        c["p_committee"].get(
            "/v1/reports/organisations", params={**wait, "from": "2026-01-01", "to": "2026-11-30"}
        )
    )
    assert roll_up["from"] == "2026-01-01" and roll_up["to"] == "2026-11-30"
    rows = {row["organisation"]: row for row in roll_up["organisations"]}
    assert set(rows) == {A, B}
    assert rows[A]["raised"] >= 2 and rows[B]["raised"] >= 1
    assert rows[A]["answered_on_time"]["count"] >= 1
    assert rows[A]["first_answer_satisfied"]["count"] >= 1
    assert rows[B]["answered"] == 0
    for code, row in rows.items():
        board = c["p_committee"].get(
            "/v1/overdue", params={**wait, "organisation": code, "on": "2026-11-30"}
        )
        assert row["overdue"] == ok(board)["total"]
    own = ok(c["a_committee"].get("/v1/reports/organisations", params=wait))
    assert [row["organisation"] for row in own["organisations"]] == [A]
    assert ok(c["p_auditor"].get("/v1/reports/organisations"))["organisations"]
    problem(c["p_department"].get("/v1/reports/organisations"), 403, "forbidden")
    # The same table as a file: through the API, and through the page's button for the session.
    period = {**wait, "from": "2026-01-01", "to": "2026-11-30", "format": "csv"}
    exported = c["p_committee"].get("/v1/exports/organisations", params=period)
    assert exported.status_code == 200, exported.text
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {r[0]: int(r[2]) for r in table[1:]} == {k: r["raised"] for k, r in rows.items()}
    web, _ = signed_in(live, "a_committee")
    from_page = web.get("/exports/organisations", params=period)
    assert from_page.status_code == 200, from_page.text
    own_rows = list(csv.reader(io.StringIO(from_page.content.decode("utf-8-sig"))))[1:]
    assert [r[0] for r in own_rows] == [A] and int(own_rows[0][2]) == rows[A]["raised"]
    problem(c["p_department"].get("/v1/exports/organisations"), 403, "forbidden")
    for route in ("/v1/overdue", "/v1/departments/quality", "/v1/reports/categories"):
        picked = ok(c["p_committee"].get(route, params={**wait, "organisation": A}))
        assert picked["organisation"] == A
        assert ok(c["p_committee"].get(route, params=wait))["organisation"] is None


def test_the_category_report_of_a_period_against_the_same_dates_a_year_earlier(
    live: Live, c: dict[str, httpx.Client]
) -> None:
    clerk = c["b_clerk"]
    raised(clerk, "binh-thon-2", "2026-09-10", "Đèn đường thôn Tây", category="security")
    raised(clerk, "binh-thon-2", "2025-09-12", "Đèn đường năm trước", category="security")
    last = raised(clerk, "binh-thon-2", "2025-10-01", "Ngoài kỳ so sánh", category="security")
    wait = {"min_position": last["position"]}
    period = {"from": "2026-09-01", "to": "2026-09-30"}
    report = ok(c["b_committee"].get("/v1/reports/categories", params={**period, **wait}))
    assert report["year"] is None and report["organisation"] == B
    assert (report["from"], report["to"]) == ("2026-09-01", "2026-09-30")
    assert (report["previous_from"], report["previous_to"]) == ("2025-09-01", "2025-09-30")
    security = next(r for r in report["categories"] if r["category"] == "security")
    assert (security["count"], security["previous_count"], security["change"]) == (1, 1, 0)
    province = ok(
        c["p_committee"].get("/v1/reports/categories", params={**period, "organisation": A})
    )
    assert next(r for r in province["categories"] if r["category"] == "security")["count"] == 0
    exported = c["b_committee"].get("/v1/exports/categories", params={**period, "format": "csv"})
    assert exported.status_code == 200 and "01/09/2026–30/09/2026" in exported.text
    yearly = ok(c["b_committee"].get("/v1/reports/categories", params={"year": 2026}))
    assert (yearly["year"], yearly["from"], yearly["to"]) == (2026, "2026-01-01", "2026-12-31")
    problem(
        c["b_committee"].get("/v1/reports/categories", params={**period, "year": 2026}),
        422,
        "validation_error",
    )
    problem(
        c["b_committee"].get(
            "/v1/reports/categories", params={"from": "2026-10-01", "to": "2026-09-01"}
        ),
        422,
        "validation_error",
    )


def test_a_returned_referral_goes_back_to_the_commune_unassigned(
    live: Live, c: dict[str, httpx.Client]
) -> None:
    s = raised(c["a_clerk"], "an-thon-1", "2026-11-03", "Mương thoát nước thôn 1")["id"]
    ok(
        c["a_committee"].post(
            f"/v1/petitions/{s}/referral",
            json={"organisation": PROVINCE, "department": "so-nong-nghiep", "note": None},
        )
    )
    before = head(live)
    problem(
        c["a_committee"].post(f"/v1/petitions/{s}/referral/return", json={"reason": "tự trả"}),
        403,
        "forbidden",
    )
    problem(
        c["p_department"].post(f"/v1/petitions/{s}/referral/return", json={"reason": "x"}),
        404,
        "petition_not_found",
    )  # not the department holding it: it never saw it
    assert head(live) == before
    returned = ok(
        c["p_committee"].post(
            f"/v1/petitions/{s}/referral/return", json={"reason": "thuộc thẩm quyền của xã"}
        )
    )
    assert returned["status"] == "raised"
    state = ok(c["a_committee"].get(f"/v1/petitions/{s}"))
    assert (state["referred_to"], state["department"]) == (None, None)
    ok(c["a_committee"].post(f"/v1/petitions/{s}/assignment", json={"department": "an-kinh-te"}))


BAD_REFERRALS = [
    ({"organisation": B, "department": "binh-kinh-te"}, "organisation"),
    ({"organisation": A, "department": "an-kinh-te"}, "organisation"),
    ({"organisation": "tinh-khac", "department": "so-xay-dung"}, "organisation"),
    ({"organisation": PROVINCE, "department": "an-kinh-te"}, "department"),
]


def test_bad_input_answers_a_problem_and_records_nothing(
    live: Live, c: dict[str, httpx.Client]
) -> None:
    committee, clerk = c["a_committee"], c["a_clerk"]
    closed = raised(clerk, "an-thon-1", "2026-11-04", "Sẽ kết thúc")["id"]
    ok(committee.post(f"/v1/petitions/{closed}/closure", json={"reason": "đã giải quyết"}))
    withdrawn = raised(clerk, "an-thon-1", "2026-11-04", "Sẽ rút")["id"]
    ok(committee.post(f"/v1/petitions/{withdrawn}/withdrawal", json={"reason": "chi bộ rút"}))
    referred = raised(clerk, "an-thon-2", "2026-11-04", "Đã chuyển tỉnh")["id"]
    to_province = {"organisation": PROVINCE, "department": "so-xay-dung"}
    ok(committee.post(f"/v1/petitions/{referred}/referral", json=to_province))
    fresh = raised(clerk, "an-thon-2", "2026-11-04", "Còn mới")["id"]
    before = head(live)
    for petition in (closed, withdrawn):
        body = problem(
            committee.post(f"/v1/petitions/{petition}/referral", json=to_province),
            409,
            "illegal_transition",
        )
        assert "refer" in body["detail"] or "chuyển" in body["detail"]
    body = problem(
        committee.post(
            f"/v1/petitions/{referred}/referral",
            json=to_province,
            headers={"Accept-Language": "en"},
        ),
        422,
        "invalid_command",
    )
    assert "already referred" in body["detail"]
    for wrong, field in BAD_REFERRALS:
        body = problem(
            committee.post(f"/v1/petitions/{fresh}/referral", json=wrong), 422, "invalid_command"
        )
        assert body["errors"][0]["field"] == field, body
    for department in ("binh-kinh-te", "so-xay-dung"):  # another organisation's, the province's
        problem(
            committee.post(f"/v1/petitions/{fresh}/assignment", json={"department": department}),
            422,
            "invalid_command",
        )
    problem(
        clerk.post(
            "/v1/petitions",
            json={**PETITION, "cell": "binh-thon-1", "raised_on": "2026-11-04", "summary": "x"},
        ),
        422,
        "invalid_command",
    )
    problem(
        c["p_clerk"].post(
            "/v1/petitions",
            json={**PETITION, "cell": "an-thon-1", "raised_on": "2026-11-04", "summary": "x"},
        ),
        422,
        "invalid_command",
    )
    problem(
        c["p_committee"].post(f"/v1/petitions/{fresh}/referral", json=to_province),
        403,
        "forbidden",
    )
    of_b = raised(c["b_clerk"], "binh-thon-1", "2026-11-04", "Ý kiến của xã Bình Minh")["id"]
    before = head(live)
    merged = committee.post(f"/v1/petitions/{fresh}/merge", json={"into": of_b})
    nowhere = str(uuid4())
    unknown = committee.post(f"/v1/petitions/{fresh}/merge", json={"into": nowhere})
    for response in (merged, unknown):  # another commune's petition is no petition
        body = problem(response, 422, "invalid_command")
        assert body["errors"][0]["field"] == "target"
    said = merged.json()["detail"].replace(of_b, "…")
    assert (
        said
        == unknown.json()["detail"].replace(nowhere, "…")
        == ("«Ý kiến cần gộp vào»: không có ý kiến ….")
    )
    assert head(live) == before
    assert ok(committee.get(f"/v1/petitions/{fresh}"))["version"] == 1


@pytest.mark.parametrize(
    "route", ["/v1/petitions", "/v1/overdue", "/v1/departments/quality", "/v1/reports/categories"]
)
def test_an_unknown_or_unseen_organisation_is_a_clear_422(
    c: dict[str, httpx.Client], route: str
) -> None:
    for who, organisation in (("p_committee", "nowhere"), ("a_committee", B)):
        body = problem(
            c[who].get(route, params={"organisation": organisation}),
            422,
            "invalid_command",
        )
        assert body["errors"][0]["field"] == "organisation"
        assert (
            "unknown organisation"
            in c[who]
            .get(route, params={"organisation": organisation}, headers={"Accept-Language": "en"})
            .json()["detail"]
        )
    assert c["a_committee"].get(route, params={"organisation": A}).status_code == 200


# Who may refer (the raising organisation's committee) and return a referral (the
# province's committee, or its department holding the petition): every other role of
# either is refused for its role (403), or does not see the petition (404).
REFERRERS = {
    "a_committee": 200,
    "a_clerk": 403,
    "a_department": 403,
    "a_auditor": 403,
    "a_admin": 403,
    "p_committee": 403,
    "b_committee": 404,
}
RETURNERS = {
    "p_committee": 200,
    "p_department": 200,
    "p_clerk": 403,
    "p_auditor": 403,
    "a_committee": 403,
    "a_admin": 403,
    "b_committee": 404,
}


@pytest.mark.parametrize(("who", "status"), REFERRERS.items())
def test_who_may_refer(live: Live, c: dict[str, httpx.Client], who: str, status: int) -> None:
    p = raised(c["a_clerk"], "an-thon-1", "2026-11-05", f"Chuyển tỉnh bởi {who}")["id"]
    before = head(live)
    response = c[who].post(
        f"/v1/petitions/{p}/referral",
        json={"organisation": PROVINCE, "department": "so-xay-dung"},
    )
    assert response.status_code == status, response.text
    assert (head(live) > before) is (status == 200)


@pytest.mark.parametrize(("who", "status"), RETURNERS.items())
def test_who_may_return_a_referral(
    live: Live, c: dict[str, httpx.Client], who: str, status: int
) -> None:
    p = raised(c["a_clerk"], "an-thon-1", "2026-11-05", f"Trả lại bởi {who}")["id"]
    ok(
        c["a_committee"].post(
            f"/v1/petitions/{p}/referral",
            json={"organisation": PROVINCE, "department": "so-xay-dung"},
        )
    )
    before = head(live)
    response = c[who].post(f"/v1/petitions/{p}/referral/return", json={"reason": "thuộc xã"})
    assert response.status_code == status, response.text
    assert (head(live) > before) is (status == 200)


def test_an_auditor_of_commune_b_reads_the_access_log_of_commune_b_only(
    live: Live, c: dict[str, httpx.Client], of_a: dict[str, Any]
) -> None:
    ok(c["a_committee"].get(f"/v1/petitions/{of_a['a']}"))
    ok(c["b_committee"].get("/v1/petitions"))
    tokens = live.service.tokens
    principals = [tokens.authenticate(live.tokens[w]) for w in ("b_committee", "b_auditor")]
    b_tokens = {p.token_id for p in principals if p is not None}
    # and the accounts of B's people, who read through the pages
    b_tokens |= {live.account_principal(w).token_id for w in live.accounts if w.startswith("b_")}
    mine = ok(c["b_auditor"].get("/v1/audit/access-log", params={"limit": 1000}))
    assert mine and {row["token_id"] for row in mine} <= b_tokens
    a_read = f"/v1/petitions/{of_a['a']}"
    everyone = ok(c["p_auditor"].get("/v1/audit/access-log", params={"limit": 1000}))
    assert any(r["path"] == a_read and r["token_id"] not in b_tokens for r in everyone)


# ---- the pages ------------------------------------------------------------------------


def test_the_pages_name_the_organisation_and_offer_the_referral_and_its_return(
    live: Live, c: dict[str, httpx.Client]
) -> None:
    p = raised(c["a_clerk"], "an-thon-2", "2026-11-06", "Trạm bơm thôn 2 hỏng")["id"]
    committee, csrf = signed_in(live, "a_committee")
    page = committee.get(f"/petitions/{p}")
    assert page.status_code == 200, page.text
    assert "Xã An Thịnh" in page.text and "Ban Thường vụ Đảng ủy xã" in page.text
    assert 'id="form-refer"' in page.text and 'id="form-return"' not in page.text
    assert "Sở Xây dựng" in page.text and "Huyện" not in page.text
    sent = committee.post(
        f"/petitions/{p}/refer",
        data={"csrf": csrf, "organisation": PROVINCE, "department": "so-xay-dung", "version": "1"},
    )
    assert sent.status_code == 303, sent.text
    assert ok(c["a_committee"].get(f"/v1/petitions/{p}"))["referred_to"] == PROVINCE
    again = committee.get(f"/petitions/{p}")
    assert 'id="form-refer"' not in again.text and 'id="form-return"' not in again.text
    assert "đang chuyển lên Tỉnh Thử" in again.text
    province, province_csrf = signed_in(live, "p_committee")
    theirs = province.get(f"/petitions/{p}")
    assert "Ban Thường vụ Tỉnh ủy" in theirs.text
    assert 'id="form-return"' in theirs.text and 'id="form-refer"' not in theirs.text
    returned = province.post(
        f"/petitions/{p}/return", data={"csrf": province_csrf, "reason": "thuộc thẩm quyền xã"}
    )
    assert returned.status_code == 303, returned.text
    state = ok(c["a_committee"].get(f"/v1/petitions/{p}"))
    assert (state["status"], state["referred_to"]) == ("raised", None)
    for web in (committee, province):
        web.close()


def test_the_province_picks_an_organisation_on_its_pages(
    live: Live, c: dict[str, httpx.Client], of_a: dict[str, Any]
) -> None:
    province, _ = signed_in(live, "p_committee")
    listed = province.get("/petitions", params={"organisation": A, "min_position": head(live)})
    assert listed.status_code == 200, listed.text
    assert 'name="organisation"' in listed.text
    assert "Nhà văn hóa thôn 1 dột nát" in listed.text and "Đường ngập" not in listed.text
    for path in ("/board", "/scorecards", "/categories"):
        picked = province.get(path, params={"organisation": B})
        assert picked.status_code == 200 and 'name="organisation"' in picked.text, path
    compared = province.get("/organisations", params={"from": "2026-01-01"})
    assert compared.status_code == 200
    assert "Xã An Thịnh" in compared.text and "Xã Bình Minh" in compared.text
    commune, _ = signed_in(live, "b_committee")
    own = commune.get("/petitions")
    assert own.status_code == 200 and 'name="organisation"' not in own.text
    assert "Nhà văn hóa thôn 1 dột nát" not in own.text
    assert commune.get("/petitions", params={"organisation": A}).status_code == 422
    report = commune.get("/categories")
    assert "Toàn xã" in report.text and "Toàn huyện" not in report.text
    commune.cookies.set("lang", "en")
    english = commune.get("/categories")
    assert "Whole commune" in english.text and "Commune standing committee" in english.text
    compared = commune.get("/organisations")
    assert "Xã Bình Minh" in compared.text and "Xã An Thịnh" not in compared.text
    annual = c["b_committee"].get("/v1/reports/annual", params={"year": 2026})
    assert "XÃ BÌNH MINH" in annual.text and "toàn xã" in annual.text
    assert "huyện" not in annual.text.lower()
    for web in (province, commune):
        web.close()


def test_the_clerk_pages_offer_the_cells_of_the_clerk_zones(live: Live) -> None:
    a_clerk, _ = signed_in(live, "a_clerk")
    briefing = a_clerk.get("/briefing")
    assert briefing.status_code == 200, briefing.text
    assert "Văn phòng Đảng ủy" in briefing.text
    assert 'value="an-thon-1"' in briefing.text and 'value="binh-thon-1"' not in briefing.text
    b_clerk, _ = signed_in(live, "b_clerk")
    second = b_clerk.get("/briefing", params={"zone": "binh-cum-2"})
    assert 'value="binh-thon-2"' in second.text and 'value="binh-thon-1"' not in second.text
    assert b_clerk.get("/packet", params={"zone": "binh-cum-1"}).status_code == 200
    assert "Xã An Thịnh" not in b_clerk.get("/packet", params={"zone": A}).text
    for web in (a_clerk, b_clerk):
        web.close()
