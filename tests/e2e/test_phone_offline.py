"""The grid worker's phone without a network, in Chromium at 360 px: the pages and data are kept on sign-in;
offline, three reports with photos are kept in the outbox (category found by pinyin from the cached index, the
GPS point placed in its grid from the cached boundaries, the photo shrunk on the phone); back online each is
sent once and shows its case number; a report the server refuses shows the server's reason and can be
discarded; a verification that meets a changed case shows the conflict; signing out clears the outbox."""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from gridgov.data.access.models import IdempotencyRecord
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
    """The offline data is kept and the service worker, holding the phone pages, controls this page — on the
    very first visits too, without a reload (a page opened while the worker installed asks it to claim it)."""
    page.wait_for_selector("html[data-offline-ready=controlled]", state="attached", timeout=30_000)


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
    expect(sent).to_have_count(3, timeout=30_000)  # three big photos, processed on a busy machine
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
    expect(conflict.locator(".reason")).not_to_be_empty()  # the engine's message
    expect(conflict.locator(".now-status")).to_have_text("事件现在的状态：待核查")  # and what became of the case
    expect(conflict.locator(".happened li").first).to_contain_text("指挥室：请补充照片")
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


@needs_frontend_build
def test_right_after_the_first_sign_in_the_phone_works_offline_without_a_reload(
    e2e_world: TownWorld, browser: Browser, live_server
) -> None:
    """The first visit ever: the service worker takes control of the page it was installed from (no reload) and
    the shell is kept at sign-in, so the network may go at once: the pages open and a report waits, then
    arrives exactly once."""
    world = e2e_world
    _bounded(world)
    violations: list[str] = []
    context, page = _phone(browser, live_server.url, world, violations)
    assert page.url.endswith("/m/"), page.url  # a grid worker lands on the phone home
    page.wait_for_selector("html[data-offline-ready=controlled]", state="attached")  # no reload
    assert page.evaluate("navigator.serviceWorker.controller !== null") is True

    context.set_offline(True)
    for path, heading in (("/m/verify/", "待核查"), ("/m/mine/", "我的上报"), ("/m/", "我的任务")):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("header h1")).to_have_text(heading)
    page.goto(f"{live_server.url}/m/report/")
    page.fill("#category-search", "bllj")
    page.locator("#category-results label.option", has_text="暴露垃圾").locator("input").check()
    page.fill("#id_description", "刚登录就断网：码头边垃圾")
    page.click("button[data-gps]")
    expect(page.locator("#place-status")).to_contain_text("离线定位：")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/m/outbox/")
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_have_count(1)
    assert Case.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(1)
    page.click("#outbox-send")
    page.reload()
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(1)
    assert list(Case.objects.values_list("description", "grid_id")) == [("刚登录就断网：码头边垃圾", world.grid_a.pk)]
    context.close()
    assert violations == [], violations


OUTBOX_ITEMS = (
    "new Promise(done => { const r = indexedDB.open('gridgov-phone'); r.onsuccess = () => {"
    " const q = r.result.transaction('outbox').objectStore('outbox').getAll();"
    " q.onsuccess = () => done(q.result.map(i => ({id: i.id, key: i.key, state: i.state,"
    " files: i.files.map(f => f[0])}))); }; })"
)


@needs_frontend_build
def test_a_refused_report_reopens_the_whole_form_and_is_resent_fixed_with_a_new_key(
    e2e_world: TownWorld, browser: Browser, live_server, tmp_path: Path
) -> None:
    world = e2e_world
    _bounded(world)
    photo = tmp_path / "scene.jpg"
    Image.new("RGB", (64, 48), (200, 80, 40)).save(photo)
    violations: list[str] = []
    context, page = _phone(browser, live_server.url, world, violations)
    page.goto(f"{live_server.url}/m/report/")
    _ready(page)
    context.set_offline(True)
    page.fill("#id_description", "忘了选分类：渔港码头垃圾")  # the server will refuse it: no category
    page.fill("#id_address", "双合渔港")
    page.set_input_files("#id_photos", str(photo))
    page.click("button[data-gps]")
    expect(page.locator("#place-status")).to_contain_text("离线定位：")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/m/outbox/")
    context.set_offline(False)
    refused = page.locator("#outbox-list li[data-state=refused]")
    expect(refused.locator(".reason")).to_have_text("请选择事件分类")
    [before] = page.evaluate(OUTBOX_ITEMS)
    assert (before["state"], before["files"]) == ("refused", ["photos"])

    refused.locator("a.fix-report").click()  # the whole form again, filled in from the item
    page.wait_for_url(f"**/m/report/?fix={before['id']}")
    expect(page.locator("#fix-reason")).to_contain_text("请选择事件分类")
    expect(page.locator("#id_description")).to_have_value("忘了选分类：渔港码头垃圾")
    expect(page.locator("#id_address")).to_have_value("双合渔港")
    expect(page.locator("#id_latitude")).to_have_value("30.250000")
    expect(page.locator("#id_area")).to_have_value(str(world.grid_a.pk))
    assert page.evaluate("document.getElementById('id_photos').files.length") == 1  # the photo kept on the phone
    page.fill("#category-search", "bllj")  # the worker fixes what was refused
    page.locator("#category-results label.option", has_text="暴露垃圾").locator("input").check()
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/m/outbox/")
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(1)
    [after] = page.evaluate(OUTBOX_ITEMS)
    assert (after["id"], after["state"], after["key"] != before["key"]) == (before["id"], "sent", True)
    [case] = Case.objects.all()
    assert (case.description, case.address, case.grid_id, case.attachments.count()) == (
        "忘了选分类：渔港码头垃圾",
        "双合渔港",
        world.grid_a.pk,
        1,
    )
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == [after["key"]]
    context.close()
    assert violations == [], violations


def _photo_with_exif(path: Path, size: tuple[int, int], *, noise: bool) -> None:
    """A JPEG as a phone camera writes it: stored sideways with EXIF orientation 6, and a GPS point in grid A."""
    if noise:
        image = Image.frombytes("RGB", size, random.Random(3).randbytes(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (40, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (122.0, 3.0, 0.0)}  # 30.25, 122.05
    image.save(path, quality=95, exif=exif)


BLOBS = (
    "new Promise(done => { const r = indexedDB.open('gridgov-phone'); r.onsuccess = () => {"
    " const q = r.result.transaction('outbox').objectStore('outbox').getAll();"
    " q.onsuccess = async () => { const out = [];"
    " for (const [, blob] of q.result[0].files) { const bytes = new Uint8Array(await blob.arrayBuffer());"
    " let s = ''; for (const b of bytes) { s += String.fromCharCode(b); } out.push(btoa(s)); }"
    " done(out); }; }; })"
)


@needs_frontend_build
def test_photos_are_shrunk_upright_and_keep_their_gps_point(
    e2e_world: TownWorld, browser: Browser, live_server, tmp_path: Path
) -> None:
    world = e2e_world
    _bounded(world)
    big, small = tmp_path / "big.jpg", tmp_path / "small.jpg"
    _photo_with_exif(big, (1600, 1200), noise=True)
    _photo_with_exif(small, (64, 48), noise=False)
    assert (big.stat().st_size > 1_000_000, small.stat().st_size < 300 * 1024) == (True, True)
    violations: list[str] = []
    context, page = _phone(browser, live_server.url, world, violations)
    page.goto(f"{live_server.url}/m/report/")
    _ready(page)
    context.set_offline(True)
    page.fill("#category-search", "bllj")
    page.locator("#category-results label.option", has_text="暴露垃圾").locator("input").check()
    page.fill("#id_description", "照片里带着位置")  # no GPS fix, no pin: the photos say where
    page.set_input_files("#id_photos", [str(big), str(small)])
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/m/outbox/")

    kept = [base64.b64decode(data) for data in page.evaluate(BLOBS)]
    seen, sizes = [], []
    for data in kept:
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
        gps = exif.get_ifd(0x8825)
        point = (round(float(sum(v / 60**i for i, v in enumerate(gps[2]))), 4), gps[1]) if gps else None
        upright = image.width * 4 == image.height * 3  # stored 4:3 sideways, shown 3:4
        seen.append((len(data) <= 300 * 1024, upright, max(image.size) <= 1600, exif.get(0x0112, 1), point))
        sizes.append(image.size)
    assert seen == [
        (True, True, True, 1, (30.25, "N")),  # re-encoded: upright, within 300 KB, the point written back
        (True, True, True, 1, (30.25, "N")),  # small but sideways: turned upright too
    ]
    assert sizes[1] == (48, 64)

    context.set_offline(False)
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(1)
    [case] = Case.objects.all()
    assert (case.grid_id, round(float(case.latitude), 4), round(float(case.longitude), 4)) == (
        world.grid_a.pk,
        30.25,
        122.05,
    )
    assert sorted((a.width, a.height) for a in case.attachments.all()) == sorted(sizes)
    context.close()
    assert violations == [], violations
