"""Every role's home at 360 and 1440 px in Chinese and English: the header fits one row at 1440 px, collapses
into one menu button at phone width (which opens the menu), nothing sticks out sideways; screenshots kept in
var/screenshots/ (home-<role>-<language>-<width>.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from gridgov.data.cases.enums import Status
from gridgov.data.org.models import User
from tests.data.enterprises.conftest import build_enterprise_world
from tests.e2e.conftest import PASSWORD, SCREENSHOTS
from tests.factories import TownWorld

WIDTHS = (1440, 360)


def _open(browser: Browser, live_server, user: User, *, language: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 780}, locale="zh-CN")
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#login-form #id_username", user.username)
    page.fill("#login-form #id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/login/" not in page.url
    return context, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_roles_home_at_360_and_1440(e2e_world: TownWorld, browser: Browser, live_server, language: str) -> None:
    w = e2e_world
    build_enterprise_world(w)
    w.bring_to(Status.DISPATCHED)
    w.bring_to(Status.RESOLVED)
    w.report()
    roles = {
        "operator": w.operator,
        "handler": w.handler_a,
        "village_staff": w.village_staff_a,
        "leader": w.leader,
        "admin": w.admin,
        "grid_worker": w.grid_worker_a,
        "resident": w.resident,
        "enterprise": w.enterprise,
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, user in roles.items():
        for width in WIDTHS:
            context, page = _open(browser, live_server, user, language=language, width=width)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (name, width, overflow)
            header = page.locator("header.site")
            if header.count():  # the desktop pages (the phone pages have their own bar)
                toggle = page.locator("header.site .menu-toggle")
                if width == 1440:
                    assert not toggle.is_visible()
                    box = header.bounding_box()
                    assert box is not None
                    assert box["height"] < 64, (name, language, box)  # one row
                else:
                    assert toggle.is_visible()
                    assert not page.locator("#site-menu").is_visible()
                    toggle.click()
                    assert page.locator("#site-menu").is_visible()
                    assert toggle.get_attribute("aria-expanded") == "true"
                    toggle.click()
            page.screenshot(path=str(SCREENSHOTS / f"home-{name}-{language}-{width}.png"), full_page=True)
            context.close()
