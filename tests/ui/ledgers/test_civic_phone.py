"""Browser test: an inspector records a problem with a photo on a 360 px phone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import sync_playwright

from gridgov.data.cases.enums import Status
from gridgov.data.inspections.domain import ItemSpec, create_round
from gridgov.data.inspections.models import InspectionProblem
from tests.factories import TownWorld, jpeg

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
def test_inspector_records_a_problem_on_a_phone(world: TownWorld, live_server, tmp_path: Path) -> None:
    today = timezone.localdate()
    round_ = create_round(
        town=world.town,
        actor=world.operator,
        name="手机督查",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2))],
    )
    picture = tmp_path / "spot.jpg"
    picture.write_bytes(jpeg())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()
        page.goto(f"{live_server.url}/login/?next=/ledgers/inspections/{round_.pk}/record/")
        login = page.locator("form:has(input[name=password])")
        login.locator("input[name=username]").fill("gw_a")
        login.locator("input[name=password]").fill("pw-for-tests-1")
        login.locator("button[type=submit], input[type=submit]").first.click()
        page.wait_for_url(f"**/ledgers/inspections/{round_.pk}/record/")
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        form = page.locator("#problem-form")
        form.locator("select[name=item]").select_option(label="A01 暴露垃圾（扣2.0分）")
        form.locator("select[name=area]").select_option(label="　双合村第1网格")
        form.locator("input[name=spot]").fill("村口垃圾点")
        form.locator("textarea[name=description]").fill("垃圾桶满溢未清运")
        form.locator("input[name=photos]").set_input_files(str(picture))
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#recorded")
        text = page.locator("#recorded").inner_text()
        browser.close()
    problem = InspectionProblem.objects.select_related("case").get()
    assert text == f"已记录 {problem.case.number}，已派遣至双合村"
    assert (problem.case.status, problem.case.grid_id, problem.case.attachments.count()) == (
        Status.DISPATCHED,
        world.grid_a.pk,
        1,
    )
