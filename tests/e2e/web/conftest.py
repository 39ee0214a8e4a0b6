"""Browser tests: Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) driven by Playwright,
which downloads no browser here. Pages are read in Vietnamese, at a desktop width unless a
test asks for a phone."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from domain.actors import Actor, Role
from tests.e2e.conftest import Live
from usecases.commands import Context, PetitionDraft

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "assets" / "axe.min.js"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
    )
    yield browser
    browser.close()


SignIn = Callable[..., Page]


@pytest.fixture
def sign_in(browser: Browser) -> Iterator[SignIn]:
    """Opens a fresh browser context (in Vietnamese unless ``options`` give another
    locale) and signs in with the username and password of ``who``'s account
    (``Live.account``), as a user would."""
    contexts = []

    def open_page(live: Live, who: str, *, width: int = 1280, **options: object) -> Page:
        context = browser.new_context(
            **{  # type: ignore[arg-type]
                "locale": "vi-VN",
                "timezone_id": "Asia/Ho_Chi_Minh",
                "viewport": {"width": width, "height": 900},
                **options,  # a test's own (a browser in English: locale="en-US")
            }
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        username, password = live.account(who)
        page.goto(live.url + "/signin")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        assert "/signin" not in page.url, page.content()[:2000]
        return page

    yield open_page
    for context in contexts:
        context.close()


def visit_until(
    page: Page, url: str, text: str, timeout: float = 10, *, selector: str | None = None
) -> None:
    """Reload ``url`` until ``text`` shows (and ``selector``'s element, if given): the
    views follow the log within moments, each view at its own pace."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        if text in page.inner_text("main") and (
            selector is None or page.locator(selector).count() > 0
        ):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared on {url}")
        time.sleep(0.2)


def petition_id_in(href: str) -> str:
    found = re.search(r"/petitions/([0-9a-f-]{36})", href)
    assert found, href
    return found.group(1)


def raise_petition(
    live: Live,
    summary: str,
    *,
    text: str | None = None,
    category: str = "services",
    days_ago: int = 0,
    cell: str | None = None,
    organisation: str | None = None,
) -> UUID:
    """A petition raised by a clerk (of ``organisation``: by default the deployment's
    only one) through the application, at a briefing ``days_ago``, of ``cell`` (by
    default the organisation's first)."""
    app = live.service.app
    return app.raise_petition(
        PetitionDraft(
            kind="proposal",
            category=category,
            summary=summary,
            text=text or summary + ".",
            cell=cell or next(iter(app.district.cells)),
            raised_by="Nguyễn Văn Thử",
            channel="meeting",
            meeting="Giao ban",
            raised_on=app.today() - timedelta(days=days_ago),
        ),
        Context(Actor("e2e-clerk", Role.CLERK, organisation=organisation)),
    ).id


def overdue_petition(
    live: Live, summary: str, department: str, *, due: int, assigned: int, **raised: object
) -> UUID:
    """A petition raised (``raised``: as raise_petition takes) and assigned to ``department``
    by the committee ``assigned`` days ago, due ``due`` days ago."""
    app = live.service.app
    petition = raise_petition(live, summary, **raised)  # type: ignore[arg-type]
    today = app.today()
    app.assign(
        petition,
        Context(Actor("e2e-committee", Role.COMMITTEE)),
        department=department,
        due_on=today - timedelta(days=due),
        on=today - timedelta(days=assigned),
    )
    return petition
