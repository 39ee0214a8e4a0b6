"""The HTTP load of the benchmark: 90 % reads, 10 % writes, by the roles that make them.

Run by bench/suite.py (``locust --headless``), which passes tokens, petition ids, zones and
briefings in ``BENCH_*`` variables; with ``BENCH_RATE_PER_USER`` each simulated user keeps
that many requests a second (open loop), else it sends the next request at once.
Scopes are those of real users: a zone's overdue board and list, one briefing's packet;
a department's whole inbox is left out because the synthetic country shares twelve
departments among all its zones (a real department serves one district).
"""

from __future__ import annotations

import json
import os
import random
from datetime import date

from locust import FastHttpUser, constant_throughput, task

TOKENS = json.loads(os.environ.get("BENCH_TOKENS", "{}"))
PETITIONS = json.loads(os.environ.get("BENCH_PETITIONS", "[]"))
CELLS = json.loads(os.environ.get("BENCH_CELLS", "[]"))
ZONES = json.loads(os.environ.get("BENCH_ZONES", "[]"))
PACKETS = json.loads(os.environ.get("BENCH_PACKETS", "[]"))
DEPARTMENTS = json.loads(os.environ.get("BENCH_DEPARTMENTS", "[]"))
WORDS = ["đường", "nước sạch", "trợ cấp", "ô nhiễm", "kênh mương", "đua xe"]
RATE = os.environ.get("BENCH_RATE_PER_USER")


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[role]}"}


class Office(FastHttpUser):
    if RATE:
        wait_time = constant_throughput(float(RATE))

    def on_start(self) -> None:
        self.raised: list[str] = []

    def read(self, role: str, path: str, name: str, params: dict[str, str] | None = None) -> None:
        """GET ``path`` as ``role``; locust counts it under ``name``."""
        self.client.get(path, params=params, headers=auth(role), name=name)

    # ---- reads: 90 -------------------------------------------------------------------

    @task(25)
    def petition(self) -> None:
        self.read("clerk", f"/v1/petitions/{random.choice(PETITIONS)}", "GET petition")

    @task(5)
    def history(self) -> None:
        pid = random.choice(PETITIONS)
        self.read("committee", f"/v1/petitions/{pid}/events", "GET petition events")

    @task(15)
    def list_department(self) -> None:
        self.read(
            "committee",
            "/v1/petitions",
            "GET list by status+department",
            {"status": "assigned", "department": random.choice(DEPARTMENTS)},
        )

    @task(10)
    def list_zone(self) -> None:
        self.read(
            "clerk",
            "/v1/petitions",
            "GET list by zone",
            {"zone": random.choice(ZONES), "raised_from": "2026-01-01"},
        )

    @task(10)
    def search(self) -> None:
        self.read("clerk", "/v1/petitions", "GET list text search", {"q": random.choice(WORDS)})

    @task(10)
    def packet(self) -> None:
        self.read("clerk", f"/v1/briefings/{random.choice(PACKETS)}/packet", "GET briefing packet")

    @task(10)
    def overdue(self) -> None:
        zone = random.choice(ZONES)
        self.read("committee", "/v1/overdue", "GET overdue board of a zone", {"zone": zone})

    @task(5)
    def categories(self) -> None:
        zone = random.choice(ZONES)
        self.read(
            "committee", "/v1/reports/categories", "GET category report of a zone", {"zone": zone}
        )

    # ---- writes: 10 ------------------------------------------------------------------

    @task(5)
    def raise_petition(self) -> None:
        summary = "Đường ống nước sạch bị vỡ, nhiều hộ thiếu nước sinh hoạt"
        with self.client.post(
            "/v1/petitions",
            json={
                "kind": "reflection",
                "category": "services",
                "summary": summary,
                "text": f"{summary}. Đề nghị sửa chữa sớm.",
                "cell": random.choice(CELLS),
                "raised_by": "Nguyễn Văn Hùng",
                "channel": "meeting",
                "meeting": "giao-ban-bench",
                "raised_on": date.today().isoformat(),
            },
            headers=auth("clerk"),
            name="POST petition",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                self.raised.append(response.json()["id"])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(5)
    def assign(self) -> None:
        if not self.raised:
            self.raise_petition()
            return
        pid = self.raised.pop()
        self.client.post(
            f"/v1/petitions/{pid}/assignment",
            json={"department": random.choice(DEPARTMENTS)},
            headers=auth("committee"),
            name="POST assignment",
        )
