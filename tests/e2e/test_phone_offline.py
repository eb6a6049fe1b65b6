"""The grid worker's phone without a network, in Chromium at 360 px: the pages and data are kept on sign-in;
offline, three reports with photos are kept in the outbox (category found by pinyin from the cached index, the
GPS point placed in its grid from the cached boundaries, the photo shrunk on the phone); back online each is
sent once and shows its case number; a report the server refuses shows the server's reason and can be
discarded; a verification that meets a changed case shows the conflict; signing out clears the outbox."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from tests.e2e.conftest import PASSWORD, PHONE, shot
from tests.factories import TownWorld
from tests.ui.frontend import needs_frontend_build, watch_csp
from tests.ui.phone.conftest import TOWN_BOX, box

IN_GRID_A = {"latitude": 30.25, "longitude": 122.05, "accuracy": 25}


def _bounded(world: TownWorld) -> None:
    Area.objects.filter(pk=world.town.pk).update(boundary=TOWN_BOX)
    Area.objects.filter(pk__in=[world.village_a.pk, world.grid_a.pk]).update(boundary=box(122.0, 30.2, 122.1, 30.3))
    Area.objects.filter(pk__in=[world.village_b.pk, world.grid_b.pk]).update(boundary=box(122.1, 30.2, 122.2, 30.3))


def _phone(browser: Browser, base: str, world: TownWorld, violations: list[str]) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation=IN_GRID_A,
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch_csp(page, violations)
    page.goto(f"{base}/login/")
    page.fill("#login-form #id_username", world.grid_worker_a.username)
    page.fill("#login-form #id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    return context, page


def _ready(page: Page) -> None:
    """The offline data is kept and the service worker, holding the phone pages, controls this page (on the
    very first visit Chromium may not hand the page to the new worker: the next page load is controlled)."""
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    if page.get_attribute("html", "data-offline-ready") != "controlled":
        page.reload()
        page.wait_for_selector("html[data-offline-ready=controlled]", state="attached")


@needs_frontend_build
def test_reports_made_offline_wait_in_the_outbox_and_arrive_once_each(
    e2e_world: TownWorld, browser: Browser, live_server, tmp_path: Path
) -> None:
    world = e2e_world
    _bounded(world)
    photo = tmp_path / "scene.jpg"
    Image.frombytes("RGB", (1600, 1200), random.Random(7).randbytes(1600 * 1200 * 3)).save(photo, quality=95)
    assert photo.stat().st_size > 1_000_000  # a big photo, as phones take them: shrunk before it waits
    violations: list[str] = []
    context, page = _phone(browser, live_server.url, world, violations)
    page.goto(f"{live_server.url}/m/report/")
    _ready(page)

    context.set_offline(True)
    descriptions = ["离线上报：渔港码头垃圾堆放", "离线上报：堤坝边塑料垃圾", "离线上报：村道旁建筑垃圾"]
    for number, description in enumerate(descriptions, start=1):
        page.fill("#category-search", "bllj")  # 暴露垃圾 by its pinyin initials, from the kept index
        page.locator("#category-results label.option", has_text="暴露垃圾").locator("input").check()
        page.fill("#id_description", description)
        page.set_input_files("#id_photos", str(photo))
        page.click("button[data-gps]")
        expect(page.locator("#place-status")).to_contain_text("离线定位：")
        expect(page.locator("#place-status")).to_contain_text("定位精度约 25 米")
        assert page.locator("#id_area").input_value() == str(world.grid_a.pk)  # placed on the phone
        expect(page.locator("#offline-bar")).to_contain_text("数据更新于")
        page.click("#report-form button[type=submit]")
        page.wait_for_url("**/m/outbox/")
        expect(page.locator("#outbox-list li[data-state=waiting]")).to_have_count(number)
        page.goto(f"{live_server.url}/m/report/")  # the report page opens offline too

    page.fill("#id_description", "没选分类的上报")  # one the server will refuse
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/m/outbox/")
    page.reload()  # still there after a reload without a network
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_have_count(4)
    assert Case.objects.count() == 0
    shot(page, "phone-outbox-offline")

    context.set_offline(False)  # back online: sent in order, once each
    sent = page.locator("#outbox-list li[data-state=sent]")
    expect(sent).to_have_count(3)
    refused = page.locator("#outbox-list li[data-state=refused]")
    expect(refused.locator(".reason")).to_have_text("请选择事件分类")
    shot(page, "phone-outbox-online")
    cases = list(Case.objects.order_by("id"))
    assert [(c.description, c.grid_id, c.attachments.count()) for c in cases] == [
        (d, world.grid_a.pk, 1) for d in descriptions
    ]
    assert [c.attachments.get().size <= 300 * 1024 for c in cases] == [True, True, True]  # shrunk on the phone
    for case in cases:
        expect(sent.filter(has_text=case.description).locator("a.number")).to_have_text(f"事件编号 {case.number}")

    page.click("#outbox-send")  # sending again changes nothing
    page.reload()
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(3)
    assert Case.objects.count() == 3

    page.on("dialog", lambda dialog: dialog.accept())
    refused.locator("button.discard").click()
    expect(page.locator("#outbox-list li[data-state=refused]")).to_have_count(0)
    context.close()
    assert violations == [], violations


@needs_frontend_build
def test_a_verification_made_offline_on_a_case_changed_meanwhile_shows_the_conflict(
    e2e_world: TownWorld, browser: Browser, live_server
) -> None:
    world = e2e_world
    case = world.bring_to(Status.RESOLVED)
    violations: list[str] = []
    context, page = _phone(browser, live_server.url, world, violations)
    page.goto(f"{live_server.url}/m/")  # signed in: the open tasks' case pages are kept
    _ready(page)

    context.set_offline(True)
    page.click(f"#to-verify a:has-text('{case.number}')")  # opened from the kept copy
    page.wait_for_url(f"**/m/cases/{case.pk}/")
    page.fill("#id_note", "离线核查：现场已清理")
    page.click("#verify-form button[value=pass]")
    page.wait_for_url("**/m/outbox/")
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_contain_text(case.number)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.COMMENT, note="指挥室：请补充照片")

    context.set_offline(False)
    conflict = page.locator("#outbox-list li[data-state=conflict]")
    expect(conflict.locator(".state")).to_have_text("未执行：事件已变化")
    expect(conflict.locator(".reason")).not_to_be_empty()
    expect(conflict.locator("a.open-case")).to_have_attribute("href", f"/m/cases/{case.pk}/")
    case.refresh_from_db()
    assert (case.status, case.actions.filter(action=Action.VERIFY_PASS).count()) == (Status.RESOLVED, 0)
    shot(page, "phone-outbox-conflict")
    context.close()
    assert violations == [], violations


@needs_frontend_build
def test_signing_out_warns_of_unsent_items_and_clears_the_outbox(
    e2e_world: TownWorld, browser: Browser, live_server
) -> None:
    world = e2e_world
    violations: list[str] = []
    context, page = _phone(browser, live_server.url, world, violations)
    page.goto(f"{live_server.url}/m/report/")
    _ready(page)
    context.set_offline(True)
    page.fill("#id_description", "没选分类的上报")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/m/outbox/")
    context.set_offline(False)
    expect(page.locator("#outbox-list li[data-state=refused]")).to_have_count(1)

    warnings: list[str] = []

    def answer(dialog: Dialog) -> None:
        warnings.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.click("form[data-logout] button[type=submit]")
    page.wait_for_url("**/login/**")
    assert warnings == ["还有 1 条记录未发送，退出登录后将被删除。确定退出吗？"]
    kept = page.evaluate(
        "new Promise(done => { const r = indexedDB.open('gridgov-phone'); r.onsuccess = () => {"
        " const q = r.result.transaction('outbox').objectStore('outbox').count();"
        " q.onsuccess = () => done(q.result); }; })"
    )
    caches_left = page.evaluate("caches.keys().then(k => k.length)")
    assert (kept, caches_left) == (0, 0)
    context.close()
    assert violations == [], violations
