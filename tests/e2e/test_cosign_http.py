"""Co-signing over HTTP: ``POST /v1/petitions/{id}/cosign`` with If-Match records another
cell on the open petition, which the read, the events and the list show; a refusal is a
problem document in Vietnamese (English on request) and records nothing."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.conftest import Live
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
