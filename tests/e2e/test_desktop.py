"""Desktop pages in a real browser: the command room, a department and a leader move cases through
their lives; exports match the list; scope holds for URLs typed by hand."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import FloatRect, Page, expect

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from tests.e2e.conftest import DESKTOP, PHONE, SignIn, shot
from tests.factories import TownWorld, jpeg

pytestmark = pytest.mark.e2e


def open_case(page: Page, base: str, case: Case) -> None:
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator("h1")).to_contain_text(case.number)


def do(page: Page, action: str, *, fields: dict[str, str] | None = None, photo: Path | None = None) -> None:
    """Press an action button on the case page, fill its htmx-loaded form and submit it."""
    page.wait_for_load_state("load")  # htmx must be listening, or the click follows the link to the full form page
    page.click(f'#actions a[data-action="{action}"]')
    form = page.locator(f'#action-panel form[data-action="{action}"]')
    expect(form).to_be_visible()
    for name, value in (fields or {}).items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    if photo is not None:
        form.locator('input[name="photos"]').set_input_files(str(photo))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def status_of(page: Page) -> str:
    return page.locator("#case-status").inner_text()


@pytest.fixture
def after_photo(tmp_path: Path) -> Path:
    path = tmp_path / "after.jpg"
    path.write_bytes(jpeg((20, 160, 60), (64, 48)))
    return path


def test_command_room_and_department_take_a_case_to_closed_with_rework_and_return(
    e2e_world: TownWorld, sign_in: SignIn, live_server, after_photo: Path
) -> None:
    w = e2e_world
    case = w.report()
    base = live_server.url
    operator = sign_in(w.operator)
    expect(operator).to_have_url(f"{base}/triage/")
    expect(operator.locator(f'tr[data-number="{case.number}"]')).to_be_visible()
    operator.click(f'tr[data-number="{case.number}"] a')
    do(operator, "register")
    assert status_of(operator) == "已立案"
    do(operator, "dispatch", fields={"note": "请尽快处理"})  # department preselected from the category
    assert status_of(operator) == "已派遣"
    expect(operator.locator("ol.timeline")).to_contain_text("派往 综合行政执法中队")

    handler = sign_in(w.handler_a)
    expect(handler).to_have_url(f"{base}/inbox/")
    expect(handler.locator("#nav-notifications .badge")).to_have_text("1")
    # Return path: the handler returns a mis-dispatch, the operator redispatches it.
    handler.click(f'tr[data-number="{case.number}"] a')
    do(handler, "return", fields={"note": "不属于本部门职责"})
    expect(handler).to_have_url(f"{base}/inbox/")  # the case is no longer the department's
    expect(handler.locator(".msg-success")).to_contain_text("已完成“退回”")
    open_case(operator, base, case)
    assert status_of(operator) == "已立案"
    do(operator, "dispatch", fields={"note": "确属执法中队，请办理"})
    open_case(handler, base, case)
    do(handler, "sign")
    assert status_of(handler) == "处置中"
    # Resolving needs a photo: the error shows next to the field and keeps the note.
    handler.click('#actions a[data-action="resolve"]')
    form = handler.locator('#action-panel form[data-action="resolve"]')
    form.locator('[name="note"]').fill("已清运")
    with handler.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(handler.locator("#action-form")).to_contain_text("需要上传至少一张现场照片")
    expect(handler.locator("#action-form [name=note]")).to_have_value("已清运")
    handler.locator('#action-form input[name="photos"]').set_input_files(str(after_photo))
    with handler.expect_navigation():
        handler.locator("#action-form button[type=submit]").click()
    assert status_of(handler) == "待核查"
    expect(handler.locator("ol.timeline img[alt='处置后照片']")).to_be_visible()

    # Rework: the grid worker's verification fails, the handler resolves again, then it passes.
    grid_worker = sign_in(w.grid_worker_a)
    open_case(grid_worker, base, case)
    do(grid_worker, "verify_fail", fields={"note": "仍有垃圾"})
    assert status_of(grid_worker) == "处置中"
    open_case(handler, base, case)
    do(handler, "resolve", fields={"note": "已二次清运"}, photo=after_photo)
    open_case(grid_worker, base, case)
    do(grid_worker, "verify_pass")
    assert status_of(grid_worker) == "已结案"
    case.refresh_from_db()
    assert (case.status, case.rework_count, case.return_count) == (Status.CLOSED, 1, 1)
    assert list(case.actions.values_list("action", flat=True)) == [
        "report",
        "register",
        "dispatch",
        "return",
        "dispatch",
        "sign",
        "resolve",
        "verify_fail",
        "resolve",
        "verify_pass",
    ]


def test_a_stale_button_shows_what_happened(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    w = e2e_world
    case = w.report()
    first = sign_in(w.operator)
    second = sign_in(w.operator)
    open_case(first, live_server.url, case)
    open_case(second, live_server.url, case)
    second.click('#actions a[data-action="reject"]')  # the form is open on the second screen…
    second.locator('#action-panel [name="note"]').fill("无效")
    do(first, "register")  # …when a colleague registers the case first
    with second.expect_navigation():
        second.locator("#action-panel button[type=submit]").click()
    expect(second.locator("#problem")).to_contain_text("执行“立案”，当前状态为“已立案”")
    assert status_of(second) == "已立案"
    expect(second.locator('#actions a[data-action="dispatch"]')).to_be_visible()
    # A double click on a submit button sends the action once.
    second.wait_for_load_state("load")
    second.click('#actions a[data-action="dispatch"]')
    with second.expect_navigation():
        second.locator('#action-panel form[data-action="dispatch"] button[type=submit]').dblclick()
    expect(second.locator("#case-status")).to_have_text("已派遣")
    assert list(case.actions.values_list("action", flat=True)) == ["report", "register", "dispatch"]


def test_export_matches_the_list_on_screen(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    w = e2e_world
    for _ in range(3):
        w.report()
    w.report(area=w.grid_b, reporter=w.grid_worker_b)
    page = sign_in(w.operator)
    page.goto(f"{live_server.url}/cases/")
    page.select_option("#id_village", label="双合村")  # htmx swaps the results in place
    expect(page.locator("#case-table tbody tr")).to_have_count(3)
    on_screen = page.locator("#case-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.number)")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    data = Path(download.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    assert [r[0] for r in rows[1:]] == on_screen


def test_the_status_filter_closes_when_one_clicks_elsewhere(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    """Left open, the status drop-down stays over the results: the count and the first rows' numbers."""
    w = e2e_world
    w.report()
    page = sign_in(w.operator)
    page.goto(f"{live_server.url}/cases/")
    status = page.locator("details.multi")
    status.locator("summary").click()
    status.locator('input[name="status"][value="reported"]').check()  # htmx swaps the results in place
    expect(page.locator("#case-table tbody tr")).to_have_count(1)
    page.locator("h1").click()
    expect(status).not_to_have_attribute("open", "")
    status.locator("summary").click()
    page.keyboard.press("Escape")
    expect(status).not_to_have_attribute("open", "")


def test_wide_ledger_tables_scroll_in_their_box_on_a_phone(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    """The phone's footer links to these pages (电脑版): at 360 px a wide table scrolls, not the whole page."""
    page = sign_in(e2e_world.village_staff_a, **PHONE)
    for url in ("/ledgers/people/residents/", "/ledgers/disputes/", "/ledgers/inspections/"):
        page.goto(f"{live_server.url}{url}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert (url, overflow) == (url, 0)


def box(page: Page, selector: str) -> FloatRect:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


def test_the_case_page_puts_the_actions_before_the_timeline_on_a_phone(
    e2e_world: TownWorld, sign_in: SignIn, live_server
) -> None:
    """A department works its cases on these pages from the phone too: the buttons come right after the case's
    facts, not below a long timeline; on the desktop they stay in the column beside the facts."""
    w = e2e_world
    case = w.bring_to(Status.HANDLING)
    boxes = {}
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page = sign_in(w.handler_a, **size)
        open_case(page, live_server.url, case)
        facts, actions, timeline = (
            box(page, f"#{part}-title >> xpath=..") for part in ("facts", "actions", "timeline")
        )
        boxes[name] = (
            facts["y"] < actions["y"] < timeline["y"],
            actions["x"] > facts["x"] + facts["width"],
            abs(actions["y"] - facts["y"]) < 1,
        )
    assert boxes == {"phone": (True, False, False), "desktop": (False, True, True)}


def test_village_a_cannot_open_village_b_case_by_url(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    w = e2e_world
    theirs = w.report(area=w.grid_b, reporter=w.grid_worker_b)
    page = sign_in(w.village_staff_a)
    response = page.goto(f"{live_server.url}/cases/{theirs.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在或您无权查看")
    assert theirs.description not in page.content()
    response = page.goto(f"{live_server.url}/cases/{theirs.pk}/act/comment/")
    assert response is not None
    assert response.status == 404


def test_screenshots_of_each_roles_main_page(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    w = e2e_world
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
    }
    for name, user in roles.items():
        page = sign_in(user, **DESKTOP)
        shot(page, f"{name}-{DESKTOP['width']}")
        page.set_viewport_size(PHONE)
        page.reload()
        # Nothing may stick out sideways at phone width.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (name, overflow)
        shot(page, f"{name}-{PHONE['width']}")
    public = sign_in(None, **PHONE)
    public.goto(f"{live_server.url}/m/public/report/")
    shot(public, "public-360")
