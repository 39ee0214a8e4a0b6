"""Repeats over HTTP: a petition typed again is suggested at entry
(``GET /v1/similar-petitions``), raised linked as a repeat (``repeat_of``) or linked
afterwards (``POST /v1/petitions/{id}/repeat-of``), and the scorecards count, of a
department's satisfied closures, those a repeat followed within 6 and 12 months."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.conftest import DEPARTMENT, OTHER_DEPARTMENT, Live, web_client
from tests.e2e.test_writes import head, marker, ok, problem

ROAD = {
    "kind": "reflection",
    "category": "transport",
    "summary": "Đường liên thôn 2 ngập nước",
    "text": "Đường liên thôn 2 ngập nước sau mỗi trận mưa, học sinh không đi học được.",
    "cell": "yen-lac-thon3",
    "raised_by": "Phạm Văn Hùng",
    "channel": "written_report",
    "raised_on": "2026-01-06",
}


def satisfied_closure(clients: dict[str, httpx.Client], tag: str, department: str) -> str:
    """A petition ``department`` answered and the cells closed satisfied on 3 March."""
    clerk, committee = clients["clerk"], clients["committee"]
    answerer = clients["department" if department == DEPARTMENT else "other_department"]
    body = {**ROAD, "summary": f"{ROAD['summary']} {tag}", "text": f"{ROAD['text']} {tag}"}
    pid = ok(clerk.post("/v1/petitions", json=body), 201)["id"]
    ok(
        committee.post(
            f"/v1/petitions/{pid}/assignment",
            json={"department": department, "assigned_on": "2026-01-08"},
        )
    )
    ok(
        answerer.post(
            f"/v1/petitions/{pid}/answer",
            json={
                "mode": "written",
                "text": "Đã nâng nền đường, khơi thông cống thoát nước.",
                "document_number": "12/KTHT",
                "document_date": "2026-02-10",
                "signer": "Trưởng phòng",
                "answered_on": "2026-02-11",
            },
        )
    )
    verdict = {"verdict": "satisfied", "verified_on": "2026-03-03"}
    assert ok(clerk.post(f"/v1/petitions/{pid}/verification", json=verdict))["status"] == "closed"
    return pid  # type: ignore[no-any-return]


def card(clients: dict[str, httpx.Client], department: str, position: int) -> dict[str, Any]:
    quality = ok(
        clients["auditor"].get(
            "/v1/departments/quality",
            params={"from": "2026-03-01", "to": "2026-03-31", "min_position": position},
        )
    )
    nothing = {"count": 0, "total": 0}
    none_yet = {
        "satisfied_closures": 0,
        "repeated_within_6_months": nothing,
        "repeated_within_12_months": nothing,
    }  # a department of no scorecard yet
    found = [c for c in quality["departments"] if c["department"] == department]
    return found[0] if found else none_yet


def test_a_repeat_is_suggested_at_entry_and_linked_and_closure_holds_counts_it(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    tag = marker()
    clerk = clients["clerk"]
    before = card(clients, DEPARTMENT, head(live))
    earlier = satisfied_closure(clients, tag, DEPARTMENT)
    # In May the same matter comes up again, typed without diacritics.
    typed = {
        "category": ROAD["category"],
        "cell": "yen-lac-thon1",
        "summary": f"duong lien thon 2 ngap nuoc {tag}",
        "text": "Duong lien thon 2 lai ngap nuoc sau mua, hoc sinh khong di hoc duoc.",
    }
    ok(clerk.get("/v1/petitions", params={"min_position": head(live)}))  # the list caught up
    suggested = ok(clerk.get("/v1/similar-petitions", params=typed))
    (found,) = [s for s in suggested if s["petition_id"] == earlier]
    assert found["status"] == "closed" and found["likeness"] >= 0.7 and not found["exact"]
    assert found["offers"] == ["link_repeat"]  # closed: no co-signing, a repeat
    assert found["number"] is not None
    raised = ok(
        clerk.post(
            "/v1/petitions",
            json={**ROAD, **typed, "raised_on": "2026-05-05", "repeat_of": earlier},
        ),
        201,
    )
    read = ok(clerk.get(f"/v1/petitions/{raised['id']}"))
    assert read["repeat_of"] == {
        "petition_id": earlier,
        "number": found["number"],
        "satisfied": True,
        "department": DEPARTMENT,
        "linked_on": "2026-05-05",
    }
    events = ok(clients["committee"].get(f"/v1/petitions/{raised['id']}/events"))
    assert [e["type"] for e in events] == ["Raised", "RepeatLinked"]
    after = card(clients, DEPARTMENT, raised["position"])
    assert after["satisfied_closures"] == before["satisfied_closures"] + 1
    for months in (6, 12):
        rate = after[f"repeated_within_{months}_months"]
        was = before[f"repeated_within_{months}_months"]
        assert (rate["count"], rate["total"]) == (was["count"] + 1, was["total"] + 1)
        assert rate["rate"] == round(rate["count"] / rate["total"], 4)
    # the scorecards' page shows the year's figures, as the API gives them for the year
    year = ok(
        clients["auditor"].get(
            "/v1/departments/quality",
            params={"from": "2026-01-01", "to": "2026-12-31", "min_position": raised["position"]},
        )
    )
    (ours,) = [c for c in year["departments"] if c["department"] == DEPARTMENT]
    browser, _ = web_client(live, "committee")
    try:
        page = browser.get("/scorecards", params={"year": 2026}).text
    finally:
        browser.close()
    six = ours["repeated_within_6_months"]
    assert f'data-repeated="6">{six["count"]}/{six["total"]} · ' in page


def test_a_repeat_linked_later_counts_within_12_months_only_after_6(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    """Closed satisfied on 3 March, raised again on 1 October (seven months on), linked by
    the committee from the petition's page afterwards."""
    tag = marker()
    before = card(clients, OTHER_DEPARTMENT, head(live))
    earlier = satisfied_closure(clients, tag, OTHER_DEPARTMENT)
    body = {**ROAD, "summary": f"Lại ngập {tag}", "raised_on": "2026-10-01"}
    later = ok(clients["clerk"].post("/v1/petitions", json=body), 201)["id"]
    link = {"repeats": earlier, "linked_on": "2026-10-05"}
    done = ok(
        clients["committee"].post(
            f"/v1/petitions/{later}/repeat-of", json=link, headers={"If-Match": '"1"'}
        )
    )
    assert (done["version"], done["status"]) == (2, "raised")
    after = card(clients, OTHER_DEPARTMENT, done["position"])
    six, twelve = after["repeated_within_6_months"], after["repeated_within_12_months"]
    assert six["count"] == before["repeated_within_6_months"]["count"]
    assert twelve["count"] == before["repeated_within_12_months"]["count"] + 1
    assert six["total"] == twelve["total"] == before["satisfied_closures"] + 1


def test_refusals_name_the_earlier_petition_and_record_nothing(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    clerk = clients["clerk"]
    first = ok(clerk.post("/v1/petitions", json={**ROAD, "summary": marker()}), 201)["id"]
    second = ok(clerk.post("/v1/petitions", json={**ROAD, "summary": marker()}), 201)["id"]
    ok(clerk.post(f"/v1/petitions/{second}/repeat-of", json={"repeats": first}))
    before = head(live)
    again = problem(
        clerk.post(f"/v1/petitions/{second}/repeat-of", json={"repeats": first}),
        422,
        "invalid_command",
    )
    assert "đã được liên kết là lặp lại" in again["detail"], again
    itself = problem(
        clerk.post(f"/v1/petitions/{first}/repeat-of", json={"repeats": first}),
        422,
        "invalid_command",
    )
    assert "chính nó" in itself["detail"], itself
    unknown = {"repeats": "00000000-0000-4000-8000-000000000000"}
    problem(clerk.post(f"/v1/petitions/{first}/repeat-of", json=unknown), 422, "invalid_command")
    raised_so = {**ROAD, "summary": marker(), "repeat_of": unknown["repeats"]}
    problem(clerk.post("/v1/petitions", json=raised_so), 422, "invalid_command")
    problem(
        clients["department"].post(f"/v1/petitions/{first}/repeat-of", json={"repeats": second}),
        403,
    )
    assert head(live) == before
