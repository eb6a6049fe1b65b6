"""Browser tests: Playwright (sync API) driving the system's headless Chromium against live_server.

Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are ordinary
synchronous code, so Django's async-safety guard is relaxed for this directory only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from gridgov.data.org.models import User
from tests.factories import TownWorld, build_world
from tests.ui.frontend import watch_csp

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1440, "height": 900}
PASSWORD = "pw-for-tests-1"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser per module: a sync Playwright owns an event loop in this thread, so it must be closed
    before another module (e.g. the phone pages' browser tests) starts its own."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_world(transactional_db: None, clock: object) -> TownWorld:
    return build_world()


SignIn = Callable[..., Page]


@pytest.fixture
def sign_in(browser: Browser, live_server) -> Iterator[SignIn]:
    """Open a fresh browser context and sign ``user`` in through the login form."""
    contexts: list[BrowserContext] = []
    violations: list[str] = []

    def open_as(user: User | None, *, width: int = DESKTOP["width"], height: int = DESKTOP["height"]) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch_csp(page, violations)
        if user is not None:
            page.goto(f"{live_server.url}/login/")
            page.fill("#login-form #id_username", user.username)
            page.fill("#login-form #id_password", PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_load_state("load")
            assert "/login/" not in page.url, page.content()[:500]
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert violations == [], violations  # every page works under the Content-Security-Policy


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
