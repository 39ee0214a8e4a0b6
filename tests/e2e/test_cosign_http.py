"""Co-signing over HTTP: ``POST /v1/petitions/{id}/cosign`` with If-Match records another
cell on the open petition, which the read, the events and the list show; a refusal is a
problem document in Vietnamese (English on request) and records nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.e2e.conftest import Live, web_client
from tests.e2e.test_writes import head, marker, ok, problem, raise_body

COSIGN = {
    "cell": "yen-lac-thon1",
    "raised_by": "Trần Thị Mai",
    "channel": "meeting",
    "meeting": "giao-ban-khu-1-2026-06-03",
    "note": "Thôn 1 cũng thiếu nước tưới",
    "cosigned_on": "2026-06-03",
}


def raised(clients: dict[str, httpx.Client]) -> dict[str, Any]:
    return ok(clients["clerk"].post("/v1/petitions", json=raise_body(marker())), 201)


def test_a_cell_cosigns_with_if_match(live: Live, clients: dict[str, httpx.Client]) -> None:
    clerk = clients["clerk"]
    pid = raised(clients)["id"]
    before = head(live)
    response = clerk.post(f"/v1/petitions/{pid}/cosign", json=COSIGN, headers={"If-Match": '"1"'})
    done = ok(response)
    assert (done["version"], done["status"], response.headers["ETag"]) == (2, "raised", '"2"')
    assert head(live) == before + 1
    read = ok(clerk.get(f"/v1/petitions/{pid}"))
    assert read["cosigners"] == [
        {
            "cell": "yen-lac-thon1",
            "commune": "yen-lac",
            "raised_by": "Trần Thị Mai",
            "channel": "meeting",
            "meeting": "giao-ban-khu-1-2026-06-03",
            "note": "Thôn 1 cũng thiếu nước tưới",
            "cosigned_on": "2026-06-03",
        }
    ]
    last = ok(clients["committee"].get(f"/v1/petitions/{pid}/events"))[-1]
    assert (last["type"], last["payload"]["cell"]) == ("Cosigned", "yen-lac-thon1")
    listed = ok(clerk.get("/v1/petitions", params={"min_position": done["position"], "limit": 200}))
    (row,) = [r for r in listed["items"] if r["petition_id"] == pid]
    assert row["cosigners"] == 1


def test_refusals_say_why_in_vietnamese_and_record_nothing(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    clerk, committee = clients["clerk"], clients["committee"]
    pid = raised(clients)["id"]
    ok(clerk.post(f"/v1/petitions/{pid}/cosign", json=COSIGN))
    before = head(live)
    again = problem(clerk.post(f"/v1/petitions/{pid}/cosign", json=COSIGN), 422, "invalid_command")
    assert again["detail"] == "«Chi bộ»: chi bộ này đã cùng kiến nghị rồi.", again
    own = {**COSIGN, "cell": "yen-lac-thon3"}
    problem(clerk.post(f"/v1/petitions/{pid}/cosign", json=own), 422, "invalid_command")
    stale = {**COSIGN, "cell": "yen-lac-thon2"}
    problem(
        clerk.post(f"/v1/petitions/{pid}/cosign", json=stale, headers={"If-Match": '"1"'}),
        412,
        "stale_version",
    )
    problem(clients["department"].post(f"/v1/petitions/{pid}/cosign", json=stale), 403)
    problem(clients["auditor"].post(f"/v1/petitions/{pid}/cosign", json=stale), 403)
    problem(clerk.post(f"/v1/petitions/{pid}/cosign", json={**stale, "cell": ""}), 422)
    assert head(live) == before
    ok(committee.post(f"/v1/petitions/{pid}/withdrawal", json={"reason": "Chi bộ rút"}))
    before = head(live)
    ended = problem(
        clerk.post(f"/v1/petitions/{pid}/cosign", json=stale), 409, "illegal_transition"
    )
    assert "«Đã rút»" in ended["detail"], ended
    english = clerk.post(
        f"/v1/petitions/{pid}/cosign", json=stale, headers={"Accept-Language": "en"}
    )
    assert "Not allowed in the petition's current state" in problem(english, 409)["title"]
    assert head(live) == before
    assert len(ok(clerk.get(f"/v1/petitions/{pid}"))["cosigners"]) == 1


def test_the_category_report_counts_the_cosigning_cells(
    live: Live, clients: dict[str, httpx.Client]
) -> None:
    """Each co-signing cell counts with the petition it co-signs, in its category and the
    total, in the report, its page's table and its export; a merged duplicate's do not."""
    clerk, committee = clients["clerk"], clients["committee"]
    params = {"year": 2026, "zone": "khu-1"}

    def report(position: int) -> dict[str, Any]:
        return ok(
            committee.get("/v1/reports/categories", params={**params, "min_position": position})
        )

    before = report(head(live))
    body = {**raise_body(marker()), "category": "security"}
    pid = ok(clerk.post("/v1/petitions", json=body), 201)["id"]
    ok(clerk.post(f"/v1/petitions/{pid}/cosign", json=COSIGN))
    ok(clerk.post(f"/v1/petitions/{pid}/cosign", json={**COSIGN, "cell": "yen-lac-thon2"}))
    duplicate = ok(clerk.post("/v1/petitions", json={**body, "summary": marker()}), 201)["id"]
    ok(clerk.post(f"/v1/petitions/{duplicate}/cosign", json=COSIGN))
    merged = ok(
        committee.post(f"/v1/petitions/{duplicate}/merge", json={"into": pid, "reason": "Trùng"})
    )
    after = report(merged["position"])
    security = {r["category"]: r for r in after["categories"]}["security"]
    was = {r["category"]: r for r in before["categories"]}["security"]
    assert security["count"] == was["count"] + 1
    assert security["cosigning_cells"] == was["cosigning_cells"] + 2
    assert after["cosigning_cells"] == before["cosigning_cells"] + 2
    assert after["cosigning_cells"] == sum(r["cosigning_cells"] for r in after["categories"])
    exported = committee.get(
        "/v1/exports/categories",
        params={**params, "format": "csv", "min_position": merged["position"]},
    )
    header, *rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert header[-1] == "Chi bộ cùng kiến nghị"
    (row,) = [r for r in rows if r[0] == "security"]
    assert int(row[-1]) == security["cosigning_cells"]
    assert int(rows[-1][-1]) == after["cosigning_cells"]
    browser, _ = web_client(live, "committee")
    try:
        page = browser.get("/categories", params=params).text
    finally:
        browser.close()
    table = page[page.index('<table class="categories">') : page.index("</table>")]
    assert "Chi bộ cùng kiến nghị" in table
    assert f'<td class="num">{after["cosigning_cells"]}</td>\n  </tr></tfoot>' in table
