"""The visit round on the phone: the due list (lamps, masked names), the visit form, 转为事件, refused input."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area, User
from gridgov.data.people.enums import HouseUse
from gridgov.data.taxonomy.models import Category
from gridgov.data.visits.models import Visit
from tests.data.visits.builders import group, house, member, resident, visited
from tests.factories import TownWorld, build_world, jpeg, signed_in
from tests.ui.phone.conftest import IN_GRID_A, IN_GRID_B, TOWN_BOX, box, jpeg_file, once_token
from tests.ui.phone.test_browser_phone import fits_the_screen, phone_page, run_in_browser, shot
from tests.ui.test_english_pages import chinese_left
from tests.ui.test_light_pages import first_load

DUE = "/m/visits/"
NEW = "/m/visits/new/"


def _local(minutes_ago: int = 0) -> str:
    return (timezone.localtime() - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M")


def form(token: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "once_token": token,
        "visited_at": _local(10),
        "latitude": "",
        "longitude": "",
        "note": "老人身体尚可",
        "findings": "",
        "category": "",
    }
    data.update(overrides)
    return data


def test_the_home_page_links_the_round(world: TownWorld) -> None:
    page = signed_in(world.grid_worker_a).get("/m/")
    assert f'href="{DUE}" id="visits-link"' in page.text


def test_the_due_list_shows_lamps_and_masked_names(world: TownWorld) -> None:
    today = timezone.localdate()
    elderly = group(world, code="elderly", every=30)
    overdue, fine = resident(world, name="张三丰"), resident(world, name="李小龙")
    member(overdue, elderly, since=today - timedelta(days=60))
    member(fine, elderly, since=today - timedelta(days=60))
    visited(world, person=fine, at=timezone.now() - timedelta(days=2))
    rental = house(world, use=HouseUse.GROUP_RENTAL)

    page = signed_in(world.grid_worker_a).get(DUE)

    assert page.status_code == 200
    text = page.text
    assert "张**" in text
    assert "李**" in text
    assert "张三丰" not in text
    assert "李小龙" not in text
    assert text.index("张**") < text.index("李**")  # overdue first
    lamps = (text.count("lamp-red"), text.count("lamp-yellow"), text.count("lamp-green"))
    assert lamps == (1, 1, 1)  # the house, registered today and never visited, is due today
    assert f"{NEW}?resident={overdue.pk}" in text
    assert f"{NEW}?house={rental.pk}" in text
    assert "<canvas" not in text
    assert "echarts" not in text
    assert len(page.content) < 20_000


def test_only_grid_workers_have_a_round(world: TownWorld) -> None:
    for user in (world.operator, world.village_staff_a, world.leader):
        for url in (DUE, NEW):
            page = signed_in(user).get(url)
            assert page.status_code == 403
            assert "走访页面供网格员使用" in page.text


def test_the_form_round_trip_records_a_visit(world: TownWorld) -> None:
    person = resident(world, name="张三丰")
    client = signed_in(world.grid_worker_a)
    url = f"{NEW}?resident={person.pk}"
    page = client.get(url)
    assert "张**" in page.text
    assert "张三丰" not in page.text
    assert f'name="resident" value="{person.pk}"' in page.text

    sent = client.post(
        url,
        form(once_token(client, url), resident=person.pk, photo=jpeg_file(), latitude="", longitude=""),
        follow=True,
    )

    assert sent.redirect_chain == [(DUE, 302)]
    assert "已记录走访" in sent.text
    visit = Visit.objects.get()
    assert (visit.worker, visit.resident, visit.note, visit.case) == (world.grid_worker_a, person, "老人身体尚可", None)
    assert visit.photo.name.startswith("visits/")


def test_a_finding_becomes_a_case_in_the_same_submit(world: TownWorld) -> None:
    person = resident(world)
    client = signed_in(world.grid_worker_a)
    url = f"{NEW}?resident={person.pk}"
    token = once_token(client, url)
    data = form(token, resident=person.pk, findings="屋后电线老化", to_case="on", category=world.category_days.pk)

    sent = client.post(url, data, follow=True)

    case = Case.objects.get()
    assert Visit.objects.get().case == case
    assert (case.description, case.channel, case.grid_id) == ("屋后电线老化", Channel.GRID_WORKER, world.grid_a.pk)
    assert f"已记录走访，发现问题已转为事件 {case.number}" in sent.text
    again = client.post(url, data)  # the same form sent twice: where the first one went, nothing new
    assert again.status_code == 302
    assert (Visit.objects.count(), Case.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"to_case": "on", "findings": ""}, "转为事件需要填写发现问题"),
        ({"to_case": "on", "findings": "电线老化", "category": ""}, "请选择事件分类"),
        ({"latitude": IN_GRID_B[0], "longitude": IN_GRID_B[1]}, "位置不在您的网格内"),
        ({"visited_at": "tomorrow"}, "走访时间格式不正确"),
    ],
)
def test_a_refused_submit_keeps_what_was_typed(
    world: TownWorld, bounded: TownWorld, overrides: dict[str, object], error: str
) -> None:
    person = resident(world)
    client = signed_in(world.grid_worker_a)
    url = f"{NEW}?resident={person.pk}"
    data = form(once_token(client, url), resident=person.pk, note="门口堆放杂物", photo=jpeg_file(), **overrides)

    page = client.post(url, data)

    assert page.status_code == 400
    assert error in page.text
    assert "门口堆放杂物" in page.text
    assert 'id="photo-lost"' in page.text
    assert (Visit.objects.count(), Case.objects.count()) == (0, 0)


def test_a_visit_in_the_future_is_refused(world: TownWorld) -> None:
    person = resident(world)
    client = signed_in(world.grid_worker_a)
    url = f"{NEW}?resident={person.pk}"
    page = client.post(url, form(once_token(client, url), resident=person.pk, visited_at=_local(-60)))
    assert page.status_code == 400
    assert "走访时间不能晚于当前时间" in page.text
    assert Visit.objects.count() == 0


def test_in_grid_point_is_kept(bounded: TownWorld) -> None:
    world = bounded
    person = resident(world)
    client = signed_in(world.grid_worker_a)
    url = f"{NEW}?resident={person.pk}"
    client.post(url, form(once_token(client, url), resident=person.pk, latitude=IN_GRID_A[0], longitude=IN_GRID_A[1]))
    assert str(Visit.objects.get().latitude) == IN_GRID_A[0]


def test_another_grid_s_person_is_not_found(world: TownWorld) -> None:
    other = resident(world, grid=world.grid_b)
    client = signed_in(world.grid_worker_a)
    assert client.get(f"{NEW}?resident={other.pk}").status_code == 404
    assert client.get(NEW).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_the_due_list_page_s_queries_do_not_grow(world: TownWorld, count: int, django_assert_num_queries) -> None:
    today = timezone.localdate()
    elderly = group(world, code="elderly", every=30)
    for _ in range(count):
        member(resident(world), elderly, since=today - timedelta(days=3))
        house(world, use=HouseUse.GROUP_RENTAL)
    client = signed_in(User.objects.get(pk=world.grid_worker_a.pk))
    client.get(DUE)  # the session's first request
    with django_assert_num_queries(7):
        page = client.get(DUE)
    assert page.text.count('class="row"') == 2 * count


def test_the_round_reads_in_english(world: TownWorld) -> None:
    today = timezone.localdate()
    person = resident(world, name="张三丰")
    alone = group(world, code="elderly", name="独居老人", name_en="Elderly living alone", every=30)
    member(person, alone, since=today - timedelta(days=40))
    rental = house(world, use=HouseUse.GROUP_RENTAL)
    assert "独居老人" in signed_in(world.grid_worker_a).get(DUE).text
    client = signed_in(world.grid_worker_a)
    client.cookies["django_language"] = "en"
    # HouseUse's labels are the register's msgids: their English comes with the register's catalogue entries.
    names = [
        str(HouseUse.GROUP_RENTAL.label),
        rental.address,
        *[a for a in (world.town.name, world.grid_a.name) if a],
        world.grid_worker_a.full_name,
    ]

    for url in (DUE, f"{NEW}?resident={person.pk}", f"{NEW}?house={rental.pk}"):
        page = client.get(url)
        assert page.status_code == 200
        left = chinese_left(page.text, names + list(Category.objects.filter(name_en="").values_list("name", flat=True)))
        assert left == [], url
    assert "Elderly living alone" in client.get(DUE).text


# ---------------------------------------------------------------------------------------------------
# The round in headless Chromium at 360 px


@pytest.fixture
def round_town(transactional_db: None, clock: object) -> TownWorld:
    world = build_world()
    Area.objects.filter(pk=world.town.pk).update(boundary=TOWN_BOX)
    Area.objects.filter(pk__in=[world.village_a.pk, world.grid_a.pk]).update(boundary=box(122.0, 30.2, 122.1, 30.3))
    Area.objects.filter(pk__in=[world.village_b.pk, world.grid_b.pk]).update(boundary=box(122.1, 30.2, 122.2, 30.3))
    world.grid_a.refresh_from_db()
    return world


def test_a_grid_worker_walks_the_round_at_360px(round_town: TownWorld, live_server, tmp_path: Path) -> None:
    world = round_town
    today = timezone.localdate()
    person = resident(world, name="张三丰")
    member(person, group(world, code="elderly", every=30), since=today - timedelta(days=40))
    photo = tmp_path / "door.jpg"
    photo.write_bytes(jpeg((120, 90, 40), (800, 600)))
    run_in_browser(lambda browser: _walk_the_round(browser, world, live_server.url, photo))


def _walk_the_round(browser: Browser, world: TownWorld, base: str, photo: Path) -> None:
    page = phone_page(browser, base, world.grid_worker_a)
    page.click("#visits-link")
    page.wait_for_url("**/m/visits/")
    row = page.locator("#due-list li", has_text="张**")
    expect(row.locator(".lamp-red")).to_be_visible()
    fits_the_screen(page)
    shot(page, "visits-due")

    row.locator("a").click()
    page.wait_for_url("**/m/visits/new/?resident=*")
    expect(page.locator("#visit-target")).to_have_text("张**")
    page.click("button[data-gps-fill]")
    expect(page.locator("#place-status")).to_have_text("已定位 30.250000, 122.050000")
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_note", "老人身体尚可")
    page.fill("#id_findings", "屋后电线老化")
    expect(page.locator("#id_category")).to_be_hidden()
    page.check("#id_to_case")
    page.select_option("#id_category", str(world.category_days.pk))
    fits_the_screen(page)
    shot(page, "visits-form")
    with page.expect_navigation():
        page.click("#visit-form button[type=submit]")

    visit = Visit.objects.get()
    assert visit.case is not None
    expect(page.locator(".flash")).to_have_text(f"已记录走访，发现问题已转为事件 {visit.case.number}")
    assert (str(visit.latitude), str(visit.longitude), visit.findings) == ("30.250000", "122.050000", "屋后电线老化")
    assert visit.case.grid_id == world.grid_a.pk
    expect(page.locator("#due-list li", has_text="张**").locator(".lamp-green")).to_be_visible()  # visited today


@pytest.mark.parametrize("with_params", [False, True])
def test_the_round_s_pages_are_light(world: TownWorld, with_params: bool) -> None:
    person = resident(world)
    member(person, group(world, code="elderly", every=30), since=timezone.localdate())
    url = f"{NEW}?resident={person.pk}" if with_params else DUE
    total, assets, sizes = first_load(signed_in(world.grid_worker_a), url)
    assert not [src for src in assets.loaded if "leaflet" in src or "echarts" in src or "htmx" in src]
    assert total <= 30 * 1000, sizes
