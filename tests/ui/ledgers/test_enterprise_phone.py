"""Browser test: an enterprise user enters a self-check hazard with a photo on a 360 px phone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, sync_playwright

from gridgov.data.cases.enums import Kind
from gridgov.data.enterprises.enums import Book, Grade
from gridgov.data.enterprises.models import Hazard
from tests.data.enterprises.conftest import build_enterprise_world
from tests.factories import build_world, jpeg

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_enterprise_self_check_on_a_phone(
    live_server: Any, transactional_db: None, clock: object, browser: Browser, tmp_path
) -> None:
    ew = build_enterprise_world(build_world())
    picture = tmp_path / "现场.jpg"
    picture.write_bytes(jpeg())
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.locator("form input[name=username]").fill("enterprise")
    page.locator("form input[name=password]").fill("pw-for-tests-1")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/ledgers/m/")  # an enterprise user opens on its phone home
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("a", has_text="隐患自查登记").click()
    page.wait_for_url(f"{live_server.url}/ledgers/hazards/new/")
    form = page.locator("#hazard-form")
    # the form fits the phone: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert form.locator("select[name=enterprise]").count() == 0
    form.locator("select[name=grade]").select_option("major")
    form.locator("select[name=category]").select_option(label="消防安全")
    form.locator("input[name=location]").fill("油漆库")
    form.locator("textarea[name=description]").fill("油漆库未设防爆灯具")
    form.locator("input[name=funds]").fill("-1")
    form.locator("input[name=photos]").set_input_files(str(picture))
    form.locator("[type=submit]").click()
    # a bad amount: the error is next to the field, nothing saved
    assert page.locator(".field:has(input[name=funds]) .errorlist").inner_text() == "整改资金不能为负数"
    assert Hazard.objects.count() == 0

    form = page.locator("#hazard-form")
    form.locator("input[name=funds]").fill("800")
    form.locator("input[name=photos]").set_input_files(str(picture))
    form.locator("[type=submit]").click()
    page.wait_for_url("**/ledgers/hazards/*/")
    assert "已登记隐患" in page.locator("[role=status]").inner_text()
    hazard = Hazard.objects.select_related("case").get()
    assert (hazard.enterprise_id, hazard.book, hazard.grade, hazard.case.kind) == (
        ew.shipyard.pk,
        Book.SELF,
        Grade.MAJOR,
        Kind.HAZARD,
    )
    assert hazard.case.attachments.count() == 1
    assert hazard.case.supervision_count == 1
    assert "重大隐患" in page.content()
    # the enterprise's list shows its hazard
    page.goto(f"{live_server.url}/ledgers/hazards/")
    assert page.locator("#hazard-rows").get_by_role("link", name="油漆库").count() == 1
    context.close()
    # Playwright's event loop gives this test its own context for Django's connection handler: close the
    # connection it opened, or PostgreSQL refuses to drop the test database at the end of the session.
    connections.close_all()
