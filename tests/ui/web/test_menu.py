"""The header menu by role: each role sees only what it can use, every link it sees answers 200 for it, and
the pages it does not see refuse it."""

from __future__ import annotations

import re

import pytest

from gridgov.data.org.enums import Role
from gridgov.ui.web.menu import ENTRIES, menu_for
from tests.data.enterprises.conftest import build_enterprise_world
from tests.factories import TownWorld, signed_in


@pytest.fixture
def world(world: TownWorld) -> TownWorld:
    """The town, its enterprise user belonging to the shipyard."""
    build_enterprise_world(world)
    return world


NAV = re.compile(r'<nav aria-label="主导航">(.*?)</nav>', re.S)


def _menu_links(html: str) -> list[str]:
    match = NAV.search(html)
    assert match is not None
    return re.findall(r'href="([^"]+)"', match.group(1))


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_link_a_role_sees_answers_200_for_it(world: TownWorld, role: Role) -> None:
    client = signed_in(world.persona(role))
    page = client.get("/cases/")
    assert page.status_code == 200
    links = _menu_links(page.text)
    assert links == [link.url for link in menu_for(world.persona(role))] + ["/notifications/"]
    answers = {url: client.get(url).status_code for url in links}
    assert answers == dict.fromkeys(links, 200)


def _keys(world: TownWorld, role: Role) -> list[str]:
    return [link.key for link in menu_for(world.persona(role))]


def test_each_role_sees_only_its_own_work(world: TownWorld) -> None:
    assert _keys(world, Role.ENTERPRISE) == ["cases", "enterprise_phone", "ledgers", "hazards", "services"]
    assert _keys(world, Role.RESIDENT) == ["cases"]
    assert _keys(world, Role.GRID_WORKER) == [
        "cases", "phone", "ledgers", "hazards", "services", "rounds", "problem_lists", "disputes", "rentals",
        "residents", "api",
    ]  # fmt: skip
    assert "triage" in _keys(world, Role.OPERATOR)
    assert "inbox" not in _keys(world, Role.OPERATOR)
    assert {"rankings", "bulletins", "year", "economy"} <= set(_keys(world, Role.LEADER))
    assert _keys(world, Role.ADMIN)[:3] == ["triage", "inbox", "cases"]


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.ENTERPRISE, "/ledgers/inspections/"),
        (Role.ENTERPRISE, "/ledgers/problem-lists/"),
        (Role.ENTERPRISE, "/ledgers/disputes/"),
        (Role.ENTERPRISE, "/triage/"),
        (Role.RESIDENT, "/ledgers/disputes/"),
        (Role.GRID_WORKER, "/triage/"),
        (Role.GRID_WORKER, "/inbox/"),
        (Role.HANDLER, "/triage/"),
        (Role.LEADER, "/inbox/"),
    ],
)
def test_pages_left_out_of_a_roles_menu_refuse_it(world: TownWorld, role: Role, url: str) -> None:
    assert signed_in(world.persona(role)).get(url).status_code in (403, 404)


def test_every_entry_names_a_page_and_a_permission() -> None:
    assert len({entry.key for entry in ENTRIES}) == len(ENTRIES)
    assert all(callable(entry.allowed) for entry in ENTRIES)


def test_the_header_has_one_menu_button_and_no_inline_script(world: TownWorld) -> None:
    html = signed_in(world.leader).get("/cases/").text
    header = html[html.index('<header class="site">') : html.index("</header>")]
    assert header.count('class="menu-toggle"') == 1
    assert "<script" not in header
    assert " onclick=" not in header
    assert " style=" not in header
    assert '<details class="group"><summary>统计分析</summary>' in header


def test_the_enterprise_user_gets_a_phone_home_with_self_check_requests_and_their_cases(world: TownWorld) -> None:
    client = signed_in(world.enterprise)
    home = client.get("/", follow=True)
    assert home.redirect_chain == [("/ledgers/m/", 302)]
    assert "<h1>岱西船舶修造有限公司</h1>" in home.text
    assert 'href="/ledgers/hazards/new/"' in home.text
    assert 'href="/ledgers/services/new/"' in home.text
    assert signed_in(world.operator).get("/ledgers/m/").status_code == 404
