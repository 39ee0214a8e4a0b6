"""Repeats on the pages, over HTTP: the briefing's warning offers to record a row as
raising an earlier petition again, linked to it (as well as the co-signing of an open
one); the petition's page links a recorded one later and shows the link."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Live, live_service
from tests.e2e.web.test_web_entry_tasks import (
    api,
    briefing_form,
    briefing_row,
    csrf_of,
    events,
    ok,
    raised,
    signed_in,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def live(database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from live_service(database, tmp_path_factory)


def test_a_row_is_recorded_as_a_repeat_of_the_petition_it_was_warned_of(live: Live) -> None:
    app = live.service.app
    cells = list(app.district.cells.values())
    first = cells[0]
    neighbour = next(c for c in cells if c.commune == first.commune and c.code != first.code)
    existing, position = raised(
        live,
        "Đường thôn Nam ngập nước",
        "Đường thôn Nam ngập nước mỗi khi mưa to.",
        cell=first.code,
    )
    api(live, "clerk").get("/v1/petitions", params={"min_position": position})
    clerk, page = signed_in(live, "clerk", "/briefing")
    csrf = csrf_of(page)
    row = briefing_row(
        live,
        neighbour.code,
        "Duong thon Nam ngap nuoc",
        "Duong thon Nam lai ngap nuoc khi mua to.",
        uuid.uuid4().hex,
    )
    warned = clerk.post("/briefing", data=briefing_form(live, csrf, row))
    assert warned.status_code == 409, warned.text
    choice = f'name="duplicate-{row["key"]}" value="repeat:{existing}"'
    assert choice in warned.text
    assert "nêu lại ý kiến «Đường thôn Nam ngập nước»" in warned.text
    assert f'name="cosign" value="{row["key"]}:{existing}"' in warned.text  # open: co-sign too
    before = events(live)
    form = briefing_form(live, csrf, row, **{f"duplicate-{row['key']}": f"repeat:{existing}"})
    recorded = clerk.post("/briefing", data=form)
    assert recorded.status_code == 303, recorded.text
    assert events(live) == before + 3  # raised and linked, and its row's key, in one write
    found = ok(api(live, "clerk").get("/v1/petitions", params={"q": "duong thon nam lai ngap"}))
    (new,) = found["items"]
    state = app.state(uuid.UUID(new["petition_id"]))
    assert state["repeat_of"]["petition_id"] == existing
    assert not state["repeat_of"]["satisfied"]
    shown = clerk.get(f"/petitions/{new['petition_id']}")
    assert "Nêu lại ý kiến" in shown.text and f'href="/petitions/{existing}"' in shown.text
    again = clerk.post("/briefing", data=form)  # the form sent again: nothing twice
    assert again.status_code == 303 and events(live) == before + 3


def test_the_petition_s_page_links_a_recorded_one_as_a_repeat(live: Live) -> None:
    app = live.service.app
    cell = next(iter(app.district.cells))
    earlier, _ = raised(
        live, "Trạm bơm xóm Chùa hỏng", "Trạm bơm xóm Chùa hỏng, ruộng khô.", cell=cell
    )
    later, position = raised(
        live, "Trạm bơm xóm Chùa lại hỏng", "Trạm bơm xóm Chùa hỏng lần nữa, ruộng khô.", cell=cell
    )
    api(live, "committee").get("/v1/petitions", params={"min_position": position})
    committee, page = signed_in(live, "committee", f"/petitions/{later}")
    assert page.status_code == 200, page.text
    assert 'id="form-repeat"' in page.text
    assert f'name="repeats" value="{earlier}"' in page.text
    assert f'name="repeats" value="{later}"' not in page.text  # not itself
    version = app.state(later)["version"]
    linked = committee.post(
        f"/petitions/{later}/repeat",
        data={"csrf": csrf_of(page), "version": str(version), "repeats": str(earlier)},
    )
    assert linked.status_code == 303, linked.text
    assert app.state(later)["repeat_of"]["petition_id"] == earlier
    shown = committee.get(linked.headers["location"])
    assert "Đã liên kết là ý kiến nêu lại ý kiến trước." in shown.text
    assert 'id="form-repeat"' not in shown.text  # linked once
    assert "data-repeat-of" in shown.text
