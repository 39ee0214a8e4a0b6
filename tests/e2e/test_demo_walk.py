"""The walk of the organisations issue, black box, on the demo `make run` starts: `petitions
serve --demo` as a process on its own embedded PostgreSQL, driven through HTTP with the
tokens it printed.

A clerk of Xã Hòa Bình raises a petition; its committee refers it to the province's Sở Xây
dựng, which answers in writing; the commune's clerk verifies it at the commune's next
briefing. Meanwhile Xã Xuân Sơn's clerk, committee and department get 404 on it and never
see it in the list, the board, the scorecards, the category report, the exports or the
packet; the province's committee sees it in the roll-up, across the province and when it
picks Xã Hòa Bình.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import free_port
from tests.e2e.test_operations import status, wait_until
from tests.integration.helpers import cli_env

A, B, PROVINCE = "xa-hoa-binh", "xa-xuan-son", "tinh-hung-lam"
SUMMARY = "Cầu qua suối Bình An lún móng, xe tải không qua được"


@dataclass
class Demo:
    url: str
    tokens: dict[tuple[str, str], str]  # (organisation, role) -> token

    def client(self, organisation: str, role: str) -> httpx.Client:
        token = self.tokens[(organisation, role)]
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )


def printed_tokens(lines: Iterator[str]) -> dict[tuple[str, str], str]:
    """The tokens `serve --demo` prints, under a `── name [code], level` line each."""
    tokens: dict[tuple[str, str], str] = {}
    organisation = None
    for line in lines:
        words = line.split()
        if line.startswith("  ── "):
            organisation = line.split("[")[1].split("]")[0]
        elif organisation and words and (words[-1].startswith("pt_") or words[-1] == "(new)"):
            tokens[(organisation, words[0])] = words[-2] if words[-1] == "(new)" else words[-1]
        if line.startswith("  kept in"):
            break
    return tokens


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data = tmp_path_factory.mktemp("demo-walk")
    port = free_port()
    log = (data / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--demo", "--port", str(port)],
        env=cli_env(data),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None
        tokens = printed_tokens(iter(process.stdout.readline, ""))
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: status(f"{url}/healthz") == 200 or process.poll() is not None, 120)
        assert process.poll() is None, Path(log.name).read_text()[-2000:]
        yield Demo(url, tokens)
    finally:
        process.terminate()
        process.wait(60)
        log.close()


def ok(response: httpx.Response, status_code: int = 200) -> Any:
    assert response.status_code == status_code, response.text
    return response.json()


def test_a_referral_from_a_commune_to_the_province_and_back_seen_by_none_other(
    demo: Demo,
) -> None:
    assert {o for o, _ in demo.tokens} == {PROVINCE, "huyen-yen-hoa", A, "phuong-yen-hoa", B}
    clerk, committee = demo.client(A, "clerk"), demo.client(A, "committee")
    reference = ok(clerk.get("/v1/reference"))
    cell = next(c for c in reference["cells"] if c["code"].startswith(A))["code"]
    raised = ok(
        clerk.post(
            "/v1/petitions",
            json={
                "kind": "proposal",
                "category": "transport",
                "summary": SUMMARY,
                "text": "Móng cầu lún sau lũ tháng 9; tuyến đường tỉnh, vượt thẩm quyền của xã.",
                "cell": cell,
                "raised_by": "Bí thư chi bộ thôn Bình An",
                "channel": "written_report",
                "raised_on": "2026-10-05",
            },
        ),
        201,
    )
    pid = raised["id"]
    ok(
        committee.post(
            f"/v1/petitions/{pid}/referral",
            json={
                "organisation": PROVINCE,
                "department": "so-xay-dung",
                "note": "Cầu trên đường tỉnh",
                "referred_on": "2026-10-06",
            },
        )
    )
    building = demo.client(PROVINCE, "department")
    inbox = ok(building.get("/v1/petitions", params={"limit": 200}))
    assert pid in {row["petition_id"] for row in inbox["items"]}
    ok(
        building.post(
            f"/v1/petitions/{pid}/answer",
            json={
                "mode": "written",
                "text": "Sở đã khảo sát; gia cố móng cầu trong tháng 12.",
                "document_number": "512/SXD-HT",
                "document_date": "2026-10-20",
                "signer": "Giám đốc Sở Xây dựng",
                "answered_on": "2026-10-20",
            },
        )
    )
    state = ok(clerk.get(f"/v1/petitions/{pid}"))
    assert (state["organisation"], state["referred_to"]) == (A, PROVINCE)
    briefing = date.fromisoformat(state["answers"][-1]["verify_by"])  # A's next briefing
    assert briefing <= date.today()
    packet_path = f"/v1/briefings/{state['zone']}/{briefing}/packet"
    packet = ok(clerk.get(packet_path))
    assert SUMMARY in str(packet)
    verified = ok(
        clerk.post(
            f"/v1/petitions/{pid}/verification",
            json={
                "verdict": "satisfied",
                "meeting": f"Giao ban {briefing}",
                "verified_on": str(briefing),
            },
        )
    )
    assert verified["status"] == "closed"

    # Xã Xuân Sơn: no such petition, anywhere.
    for role in ("clerk", "committee", "department"):
        other = demo.client(B, role)
        assert other.get(f"/v1/petitions/{pid}").status_code == 404
        for path, params in (
            ("/v1/petitions", {"limit": 200}),
            ("/v1/petitions", {"q": "Bình An"}),
            ("/v1/overdue", {"on": "2026-10-30"}),
            ("/v1/departments/quality", {"from": "2026-01-01", "to": "2026-12-01"}),
            ("/v1/reports/categories", {"year": 2026}),
            ("/v1/exports/petitions", {}),
            ("/v1/exports/overdue", {"on": "2026-10-30"}),
            (packet_path, {}),
        ):
            answer = other.get(path, params=params)
            assert answer.status_code < 500, (path, answer.text)
            assert pid not in answer.text and SUMMARY not in answer.text, (role, path)

    # The province's committee: in the roll-up across the province, and in A's alone.
    province = demo.client(PROVINCE, "committee")
    for params in ({}, {"organisation": A}):
        listed = ok(province.get("/v1/petitions", params={"limit": 200, "q": "Bình An"} | params))
        assert pid in {row["petition_id"] for row in listed["items"]}
    mine = ok(province.get("/v1/departments/quality", params={"organisation": A}))
    assert "so-xay-dung" in {d["department"] for d in mine["departments"]}
    compared = ok(province.get("/v1/reports/organisations"))
    assert A in str(compared) and B in str(compared)
