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

    # ---- reads: 90 -------------------------------------------------------------------

    @task(25)
    def petition(self) -> None:
        pid = random.choice(PETITIONS)
        self.client.get(f"/v1/petitions/{pid}", headers=auth("clerk"), name="GET petition")

    @task(5)
    def history(self) -> None:
        pid = random.choice(PETITIONS)
        self.client.get(
            f"/v1/petitions/{pid}/events", headers=auth("committee"), name="GET petition events"
        )

    @task(15)
    def list_department(self) -> None:
        self.client.get(
            "/v1/petitions",
            params={"status": "assigned", "department": random.choice(DEPARTMENTS)},
            headers=auth("committee"),
            name="GET list by status+department",
        )

    @task(10)
    def list_zone(self) -> None:
        self.client.get(
            "/v1/petitions",
            params={"zone": random.choice(ZONES), "raised_from": "2026-01-01"},
            headers=auth("clerk"),
            name="GET list by zone",
        )

    @task(10)
    def search(self) -> None:
        self.client.get(
            "/v1/petitions",
            params={"q": random.choice(WORDS)},
            headers=auth("clerk"),
            name="GET list text search",
        )

    @task(10)
    def packet(self) -> None:
        self.client.get(
            f"/v1/briefings/{random.choice(PACKETS)}/packet",
            headers=auth("clerk"),
            name="GET briefing packet",
        )

    @task(10)
    def overdue(self) -> None:
        self.client.get(
            "/v1/overdue",
            params={"zone": random.choice(ZONES)},
            headers=auth("committee"),
            name="GET overdue board of a zone",
        )

    @task(5)
    def categories(self) -> None:
        self.client.get(
            "/v1/reports/categories",
            params={"zone": random.choice(ZONES)},
            headers=auth("committee"),
            name="GET category report of a zone",
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
