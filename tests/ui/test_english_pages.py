"""Every page, as each role, in English: no Chinese outside the names of places, people and organisations
(and what people wrote: case descriptions and notes), which are data and stay as they were entered."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.sheets.framework import importers
from gridgov.data.taxonomy.models import Category
from gridgov.ui.web.menu import menu_for
from tests.data.enterprises.conftest import build_enterprise_world
from tests.factories import TownWorld

CJK = re.compile(r"[\u3400-\u9fff\u3001-\u303f\uff00-\uffef]+")  # not U+3000, the indenting space
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
MASKED = re.compile(r"[\u4e00-\u9fff]\*+")  # a masked person's name: 孙**
NATIVE = re.compile(r'<button[^>]*lang="zh-hans"[^>]*>[^<]*</button>')  # the language switch names itself


def _data_names() -> list[str]:
    """Names of places, people and organisations, and what people wrote: longest first."""
    names: set[str] = set()
    names.update(Area.objects.values_list("name", flat=True))
    names.update(User.objects.values_list("full_name", flat=True))
    names.update(Department.objects.values_list("name", flat=True))
    names.update(Category.objects.filter(name_en="").values_list("name", flat=True))
    for name, address in Enterprise.objects.values_list("name", "address"):
        names.update((name, address))
    names.update(Case.objects.values_list("description", flat=True))
    names.update(Case.objects.values_list("address", flat=True))
    names.update(CaseAction.objects.values_list("note", flat=True))
    # importers registered by tests (tests/data/sheets) carry plain, untranslated titles
    names.update(i.title for i in importers() if isinstance(i.title, str))
    return sorted((n for n in names if n), key=len, reverse=True)


def chinese_left(html: str, names: list[str]) -> list[str]:
    text = NATIVE.sub("", SCRIPT.sub("", html))
    for name in names:
        text = text.replace(name, "")
    text = MASKED.sub("", text)
    found: list[str] = []
    for match in CJK.finditer(text):
        start = max(0, match.start() - 40)
        found.append(text[start : match.end() + 20].replace("\n", " "))
    return found


def _english(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


# Pages left out of the check (none now: the year in review reads as English too).
LEFT_OUT: set[str] = set()


def _pages(world: TownWorld, role: Role, case: Case) -> list[str]:
    user = world.persona(role)
    urls = ["/", "/notifications/", "/password/"]
    urls += [link.url for link in menu_for(user)]
    if role in (Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.HANDLER, Role.GRID_WORKER):
        urls.append(f"/cases/{case.pk}/")
    if role == Role.GRID_WORKER:
        urls += ["/m/report/", "/m/mine/", f"/m/cases/{case.pk}/"]
    if role == Role.ENTERPRISE:
        urls += ["/ledgers/hazards/new/", "/ledgers/services/new/"]
    if role in (Role.LEADER, Role.OPERATOR):
        urls += ["/dashboard/wall/", "/dashboard/?period=quarter&date=2026-08-01"]
    return [url for url in dict.fromkeys(urls) if url not in LEFT_OUT]


@pytest.mark.parametrize("role", list(Role))
def test_every_page_reads_in_english(world: TownWorld, role: Role) -> None:
    build_enterprise_world(world)
    case = world.bring_to(Status.HANDLING)
    world.report()
    client = _english(world.persona(role))
    names = _data_names()
    left: dict[str, list[str]] = {}
    for url in _pages(world, role, case):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert '<html lang="en"' in response.text, url
        found = chinese_left(response.text, names)
        if found:
            left[url] = found[:30]
    assert left == {}


def test_categories_departments_and_quarters_have_english_names(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    client = _english(world.operator)
    page = client.get(f"/cases/{case.pk}/").text
    assert "Street cleanliness / Exposed rubbish" in page
    assert "Administrative Law Enforcement Squad" in page
    board = client.get("/dashboard/?period=quarter&date=2026-08-01").text
    assert "Q3 2026" in board
    chinese = signed_in_chinese(world.operator).get(f"/cases/{case.pk}/").text
    assert "市容环卫 / 暴露垃圾" in chinese


def signed_in_chinese(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
