"""The dates of the clerk's briefing pages: a briefing that has not been held yet is refused
with the reason, and nothing recorded."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.e2e.conftest import Live
from tests.e2e.web.test_web_forms import rows
from tests.e2e.web.test_web_security import head, signed_in

pytestmark = pytest.mark.integration


def test_a_briefing_not_held_yet_is_refused_with_its_reason(live: Live) -> None:
    tomorrow = live.service.app.today() + timedelta(days=1)
    client, csrf = signed_in(live, "clerk")
    form = rows(live, 2) | {"csrf": [csrf], "briefing": [tomorrow.isoformat()]}
    before = head(live)
    refused = client.post("/briefing", data=form)
    assert refused.status_code == 422
    day = tomorrow.strftime("%d/%m/%Y")
    reason = f"Hội nghị ngày {day} chưa diễn ra: chỉ ghi nhận ý kiến của hội nghị đã họp."
    assert reason in refused.text
    # The rows themselves are right: none is marked, and what was typed is kept.
    assert "aria-invalid" not in refused.text and 'class="petition-row invalid' not in refused.text
    assert refused.text.count("Ý kiến số") == 2
    assert head(live) == before
    # The page says so before anything is typed, and in English too.
    page = client.get("/briefing", params={"briefing": tomorrow.isoformat()})
    assert page.status_code == 200 and reason in page.text
    client.cookies.set("lang", "en")
    english = client.post("/briefing", data=form)
    assert english.status_code == 422 and head(live) == before
    assert (
        f"The briefing of {day} has not been held yet: only a briefing that has met can be "
        "recorded." in english.text
    )
    client.cookies.delete("lang")


def test_a_refusal_that_names_no_field_of_the_row_says_why_in_the_row(live: Live) -> None:
    """A refusal of something the rows do not show (the meeting's name, here too long) is
    written out in the row it stopped, never just a red row."""
    client, csrf = signed_in(live, "clerk")
    form = rows(live, 1) | {"csrf": [csrf], "meeting": ["x" * 201]}
    before = head(live)
    refused = client.post("/briefing", data=form)
    assert refused.status_code == 422 and head(live) == before
    row = re.search(r'<fieldset class="petition-row invalid".*?</fieldset>', refused.text, re.S)
    assert row and 'role="alert">hội nghị: quá dài<' in row.group(0)
