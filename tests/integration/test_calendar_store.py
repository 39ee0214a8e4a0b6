"""Briefing calendars kept in PostgreSQL: a changed calendar decides new deadlines only;
deadlines already assigned stay as their events recorded them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from service.bootstrap import Service
from service.demo import DEMO_SEED
from tests.integration.helpers import CLERK, COMMITTEE, draft


def test_a_changed_calendar_moves_no_deadline_already_assigned(
    service: Service, tmp_path: Path
) -> None:
    app = service.app
    first = app.raise_petition(draft(), CLERK).id
    app.assign(first, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    assert app.state(first)["due_on"] == date(2026, 4, 3)  # khu-1 meets on the 3rd

    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    khu1 = next(z for z in seed["zones"] if z["code"] == "khu-1")
    khu1["exceptions"] = [{"scheduled": "2026-04-03", "held_on": "2026-04-10"}]
    changed = tmp_path / "district.json"
    changed.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    service.reference.load_seed(changed)
    app.province = service.reference.load_province(
        min_working_days=service.settings.min_working_days
    )

    assert app.district.next_briefing("khu-1", date(2026, 3, 5)) == date(2026, 4, 10)
    assert app.state(first)["due_on"] == date(2026, 4, 3)  # as its Assigned event says
    second = app.raise_petition(draft(summary="Cống thoát nước tắc"), CLERK).id
    app.assign(second, COMMITTEE, department="kinh-te-ha-tang", on=date(2026, 3, 5))
    assert app.state(second)["due_on"] == date(2026, 4, 10)
    history = app.history(first)
    assert history[1]["payload"]["due_on"] == date(2026, 4, 3)


def test_the_demo_calendar_has_its_exceptions(service: Service) -> None:
    district = service.app.district
    assert district.next_briefing("khu-2", date(2026, 1, 5)) == date(2026, 2, 26)  # after Tết
    assert district.next_briefing("khu-4", date(2026, 7, 10)) == date(2026, 9, 10)  # storm
