"""The briefing form over HTTP: all rows checked before any is recorded, each row under its
own idempotency key, so a form sent twice records each petition once."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.conftest import Live
from tests.e2e.web.test_web_security import head, signed_in

pytestmark = pytest.mark.integration


def rows(live: Live, count: int, *, blank_cell_at: int | None = None) -> dict[str, list[str]]:
    app = live.service.app
    zone = next(iter(app.district.zones))
    communes = {c.code for c in app.district.communes.values() if c.zone == zone}
    cell = next(c.code for c in app.district.cells.values() if c.commune in communes)
    form: dict[str, list[str]] = {
        f: []
        for f in (
            "key",
            "cell",
            "category",
            "kind",
            "summary",
            "text",
            "raised_by",
            "spot_by",
            "spot_text",
        )
    }
    for i in range(count):
        form["key"].append(uuid.uuid4().hex)
        form["cell"].append("" if i == blank_cell_at else cell)
        form["category"].append("services")
        form["kind"].append("reflection")
        form["summary"].append(f"Ý kiến số {i + 1}")
        form["text"].append("Nội dung")
        form["raised_by"].append("Bí thư")
        form["spot_by"].append("")
        form["spot_text"].append("")
    return form | {"zone": [zone], "channel": ["meeting"], "meeting": ["Giao ban"]}


def test_a_briefing_sent_twice_records_each_petition_once(live: Live) -> None:
    client, csrf = signed_in(live, "clerk")
    form = rows(live, 3) | {"csrf": [csrf]}
    before = head(live)
    first = client.post("/briefing", data=form)
    assert first.status_code == 303 and "done=raised" in first.headers["location"]
    # Each petition raised under a key is saved with its key's record: two events.
    assert head(live) == before + 6
    again = client.post("/briefing", data=form)
    assert again.status_code == 303 and head(live) == before + 6


def test_one_wrong_row_records_none_and_names_the_field(live: Live) -> None:
    client, csrf = signed_in(live, "clerk")
    form = rows(live, 3, blank_cell_at=1) | {"csrf": [csrf]}
    before = head(live)
    refused = client.post("/briefing", data=form)
    assert refused.status_code == 422 and head(live) == before
    invalid = re.findall(r'id="(\w+)-(\d)"[^>]*aria-invalid="true"', refused.text)
    assert invalid == [("cell", "2")]
    assert "Cần nhập" in refused.text
    # What was typed is still there to correct.
    assert refused.text.count("Ý kiến số") == 3
