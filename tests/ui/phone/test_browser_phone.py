"""The phone pages in headless Chromium at 360 px: a grid worker reports with GPS, a map pin and a photo;
a resident reports without an account and follows the case by its link."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from gridgov.data.cases.enums import AttachmentKind, Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area, User
from tests.factories import TownWorld, build_world, jpeg
from tests.ui.frontend import watch_csp
from tests.ui.phone.conftest import TOWN_BOX, box

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
PHONE = {"width": 360, "height": 780}
# The scenario's own ORM calls run in the browser thread, inside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
IN_GRID_A = {"latitude": 30.25, "longitude": 122.05}


CSP_VIOLATIONS: list[str] = []


def run_in_browser(scenario: Callable[[Browser], None]) -> None:
    """Run ``scenario`` with a headless Chromium, in a thread of its own.

    Playwright's sync API refuses to start where an asyncio loop is running, and another suite's
    session-wide browser keeps one running in the main thread; a thread of our own has none. The
    thread's database connections are closed when it ends, so the test database can be dropped.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed at /usr/bin/chromium")
    failures: list[BaseException] = []
    CSP_VIOLATIONS.clear()

    def work() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                try:
                    scenario(browser)
                finally:
                    connections.close_all()  # those opened inside Playwright's loop, while it still runs
                    browser.close()
        except BaseException as exc:  # handed back to the test thread
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name="phone-browser")
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the browser scenario did not finish in 5 minutes"
    if failures:
        raise failures[0]
    assert CSP_VIOLATIONS == [], CSP_VIOLATIONS  # the phone pages work under the Content-Security-Policy


@pytest.fixture
def town(transactional_db: None, clock: object) -> TownWorld:
    world = build_world()
    Area.objects.filter(pk=world.town.pk).update(boundary=TOWN_BOX)
    Area.objects.filter(pk__in=[world.village_a.pk, world.grid_a.pk]).update(boundary=box(122.0, 30.2, 122.1, 30.3))
    Area.objects.filter(pk__in=[world.village_b.pk, world.grid_b.pk]).update(boundary=box(122.1, 30.2, 122.2, 30.3))
    return world


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "scene.jpg"
    path.write_bytes(jpeg((120, 90, 40), (800, 600)))
    return path


def phone_page(browser: Browser, base: str, user: User | None) -> Page:
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation=IN_GRID_A,
        permissions=["geolocation"],
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch_csp(page, CSP_VIOLATIONS)
    if user is not None:
        page.goto(f"{base}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "pw-for-tests-1")
        with page.expect_navigation():
            page.click("form[action='/login/'] button[type=submit], #login-form button[type=submit]")
    return page


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide at {PHONE['width']}px"


def test_grid_worker_reports_with_gps_and_a_photo_at_360px(town: TownWorld, live_server, photo_file: Path) -> None:
    run_in_browser(lambda browser: grid_worker_reports(browser, town, live_server.url, photo_file))


def grid_worker_reports(browser: Browser, town: TownWorld, base: str, photo_file: Path) -> None:
    page = phone_page(browser, base, town.grid_worker_a)
    assert page.url.endswith("/m/")  # the desk home sends grid workers to their phone pages
    expect(page.locator("nav.big a", has_text="上报事件")).to_be_visible()
    fits_the_screen(page)
    shot(page, "grid-worker-home")

    page.click("nav.big a:has-text('上报事件')")
    page.wait_for_url("**/m/report/")
    page.wait_for_load_state("load")  # htmx must be listening before the search box is typed into
    page.fill("#category-search", "ldlf")  # 乱堆乱放 by its pinyin initials
    option = page.locator("#category-results label.option", has_text="市容环卫 / 乱堆乱放")
    expect(option).to_be_visible()
    option.locator("input").check()
    page.fill("#id_description", "桥头建材乱堆乱放，占用半幅道路")
    page.set_input_files("#id_photos", str(photo_file))
    expect(page.locator("[data-photo-count]")).to_have_text("已选择 1 张")
    page.click("button[data-gps]")
    expect(page.locator("#place-status")).to_have_text("已定位：双合村 · 双合村第1网格")
    expect(page.locator("#id_area")).to_have_value(str(town.grid_a.pk))
    fits_the_screen(page)
    shot(page, "grid-worker-report")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")

    case = Case.objects.get()
    expect(page.locator(".flash")).to_have_text(f"上报成功，事件编号 {case.number}")
    assert (case.status, case.channel, case.grid_id, case.category.name) == (
        Status.REPORTED,
        Channel.GRID_WORKER,
        town.grid_a.pk,
        "乱堆乱放",
    )
    assert (str(case.latitude), str(case.longitude)) == ("30.250000", "122.050000")
    attachment = case.attachments.get()
    assert (attachment.kind, attachment.width, attachment.height) == (AttachmentKind.BEFORE, 800, 600)
    expect(page.locator(".photos img").first).to_be_visible()
    loaded = (
        "img => img.complete ? img.naturalWidth"
        " : new Promise(done => { img.onload = () => done(img.naturalWidth); img.onerror = () => done(-1); })"
    )
    assert page.locator(".photos img").first.evaluate(loaded) == 320  # the thumbnail, once it has loaded
    fits_the_screen(page)
    shot(page, "grid-worker-case")


def test_map_pin_places_the_report_and_double_tap_sends_it_once(town: TownWorld, live_server) -> None:
    run_in_browser(lambda browser: map_pin_and_double_tap(browser, town, live_server.url))


def map_pin_and_double_tap(browser: Browser, town: TownWorld, base: str) -> None:
    page = phone_page(browser, base, town.grid_worker_b)  # 火箭村's grid worker
    page.goto(f"{base}/m/report/")
    page.click(".chips button:has-text('市容环卫')")
    page.locator("#category-results label.option", has_text="暴露垃圾").locator("input").check()
    page.fill("#id_description", "火箭村路口垃圾桶满溢")
    page.click("button[data-pin]")
    tiles_free_map = page.locator("#map path.leaflet-interactive")
    expect(tiles_free_map.first).to_be_attached()  # the boundaries drawn, no tile server needed
    page.locator("#map").scroll_into_view_if_needed()
    map_box = page.locator("#map").bounding_box()
    assert map_box is not None
    # The map fits the town: village B is its eastern half.
    page.mouse.click(map_box["x"] + map_box["width"] * 0.75, map_box["y"] + map_box["height"] * 0.5)
    expect(page.locator("#place-status")).to_have_text("已定位：火箭村 · 火箭村第1网格")
    page.locator("#report-form button[type=submit]").dblclick()
    page.wait_for_url("**/m/cases/*/")
    assert Case.objects.count() == 1
    assert Case.objects.get().grid_id == town.grid_b.pk


def test_resident_reports_and_follows_the_case_at_360px(town: TownWorld, live_server, photo_file: Path) -> None:
    run_in_browser(lambda browser: resident_reports(browser, live_server.url, photo_file))


def resident_reports(browser: Browser, base: str, photo_file: Path) -> None:
    page = phone_page(browser, base, None)
    page.goto(f"{base}/m/public/report/")
    fits_the_screen(page)
    page.wait_for_load_state("load")  # htmx must be listening before the search box is typed into
    page.fill("#category-search", "路灯")
    page.locator("#category-results label.option", has_text="公共设施 / 路灯").locator("input").check()
    page.fill("#id_description", "村委会门口路灯不亮一周了")
    page.set_input_files("#id_photos", str(photo_file))
    page.fill("#id_phone", "1391234")
    with page.expect_navigation():
        page.click("#public-report-form button[type=submit]")
    expect(page.locator("#phone-error")).to_have_text("请填写 11 位中国大陆手机号码，例如 13800000000")
    expect(page.locator("#id_description")).to_have_value("村委会门口路灯不亮一周了")
    expect(page.locator("#photos-lost")).to_be_visible()
    page.set_input_files("#id_photos", str(photo_file))
    page.fill("#id_phone", "13912345678")
    shot(page, "public-report")
    with page.expect_navigation():
        page.click("#public-report-form button[type=submit]")

    case = Case.objects.get()
    assert (case.channel, case.reporter_id, case.reporter_phone) == (Channel.RESIDENT, None, "13912345678")
    expect(page.locator("#case-number")).to_have_text(case.number)
    shot(page, "public-done")
    with page.expect_navigation():
        page.click("#follow-link")
    expect(page.locator("#case-status")).to_have_text("待受理")
    expect(page.locator("#public-timeline li")).to_have_count(1)
    assert "13912345678" not in page.content()
    fits_the_screen(page)
    shot(page, "public-follow")
