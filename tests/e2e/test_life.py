"""One case's whole life across four signed-in roles, starting on the grid worker's phone, and a
resident's public report — in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gridgov.data.cases.enums import Channel, Status
from gridgov.data.cases.models import Case
from tests.e2e.conftest import PHONE, SignIn, shot
from tests.e2e.test_desktop import do, open_case, status_of
from tests.factories import TownWorld, jpeg

pytestmark = pytest.mark.e2e


@pytest.fixture
def photos(tmp_path: Path) -> dict[str, Path]:
    before, after = tmp_path / "before.jpg", tmp_path / "after.jpg"
    before.write_bytes(jpeg((120, 90, 40), (80, 60)))
    after.write_bytes(jpeg((20, 160, 60), (80, 60)))
    return {"before": before, "after": after}


def pick_category(page: Page, search: str, category_id: int) -> None:
    page.wait_for_load_state("load")  # htmx must be listening before the search box is typed into
    page.fill("#category-search", search)
    option = page.locator(f'#category-results input[name="category"][value="{category_id}"]')
    expect(option).to_be_visible()
    option.check()


def test_whole_life_from_the_phone_to_closed(
    e2e_world: TownWorld, sign_in: SignIn, live_server, photos: dict[str, Path]
) -> None:
    w = e2e_world
    base = live_server.url
    # 1. The grid worker reports on the phone, with a photo.
    phone = sign_in(w.grid_worker_a, **PHONE)
    phone.goto(f"{base}/m/report/")
    pick_category(phone, "bllj", w.category.pk)  # pinyin initials of 暴露垃圾
    phone.fill("#id_description", "双合村桥头垃圾堆放，影响通行")
    phone.set_input_files("#id_photos", str(photos["before"]))
    phone.select_option("#id_area", str(w.grid_a.pk))
    with phone.expect_navigation():
        phone.click("#report-form button[type=submit]")
    case = Case.objects.get()
    expect(phone.locator("body")).to_contain_text(case.number)
    assert (case.status, case.channel, case.grid_id) == (Status.REPORTED, Channel.GRID_WORKER, w.grid_a.pk)
    assert list(case.attachments.values_list("kind", flat=True)) == ["before"]

    # 2. The command room registers and dispatches it (department preselected from the category).
    operator = sign_in(w.operator)
    expect(operator.locator(f'tr[data-number="{case.number}"]')).to_be_visible()
    operator.click(f'tr[data-number="{case.number}"] a')
    expect(operator.locator("ol.timeline img[alt='处置前照片']")).to_be_visible()
    do(operator, "register")
    do(operator, "dispatch")
    assert status_of(operator) == "已派遣"

    # 3. The department signs for it and resolves it with an after photo.
    handler = sign_in(w.handler_a)
    handler.click(f'tr[data-number="{case.number}"] a')
    do(handler, "sign")
    do(handler, "resolve", fields={"note": "已清运，路面冲洗干净"}, photo=photos["after"])
    assert status_of(handler) == "待核查"

    # 4. The grid worker verifies on the phone: passed, closed.
    phone.goto(f"{base}/m/verify/")
    phone.click(f"#to-verify a:has-text('{case.number}')")
    expect(phone.locator("#verify-form")).to_be_visible()
    with phone.expect_navigation():
        phone.click('#verify-form button[value="pass"]')
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    open_case(operator, base, case)
    assert status_of(operator) == "已结案"
    shot(operator, "case-1440")
    assert list(case.actions.values_list("action", "actor_role")) == [
        ("report", "grid_worker"),
        ("register", "operator"),
        ("dispatch", "operator"),
        ("sign", "handler"),
        ("resolve", "handler"),
        ("verify_pass", "grid_worker"),
    ]


def test_public_report_without_an_account(
    e2e_world: TownWorld, sign_in: SignIn, live_server, photos: dict[str, Path]
) -> None:
    w = e2e_world
    base = live_server.url
    public = sign_in(None, **PHONE)
    public.goto(f"{base}/m/public/report/")
    pick_category(public, "路灯", w.category_days.pk)
    public.fill("#id_description", "村口路灯坏了三天")
    public.fill("#id_phone", "13800008000")
    public.set_input_files("#id_photos", str(photos["before"]))
    with public.expect_navigation():
        public.click("#public-report-form button[type=submit]")
    case = Case.objects.get()
    expect(public.locator("#case-number")).to_have_text(case.number)
    shot(public, "public-done-360")
    assert (case.channel, case.reporter_id) == (Channel.RESIDENT, None)
    public.click("#follow-link")
    expect(public.locator("body")).to_contain_text("待受理")
    assert "13800008000" not in public.content()
    # The command room sees it, with the phone number masked.
    operator = sign_in(w.operator)
    open_case(operator, base, case)
    expect(operator.locator("dl.facts")).to_contain_text("138****8000")
