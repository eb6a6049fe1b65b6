"""Each role opens on its own work; sign-out; password change with the validators."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from gridgov.data.cases.enums import Status
from gridgov.data.org.enums import Role
from gridgov.data.org.models import SecurityEvent, User
from gridgov.ui.web.views import phone_home_url
from tests.factories import TownWorld, signed_in


@pytest.mark.parametrize(
    ("role", "target"),
    [(Role.OPERATOR, "/triage/"), (Role.HANDLER, "/inbox/"), (Role.VILLAGE_STAFF, "/inbox/")],
)
def test_home_opens_on_the_roles_work(world: TownWorld, role: Role, target: str) -> None:
    response = signed_in(world.persona(role)).get("/")
    assert (response.status_code, response["Location"]) == (302, target)


def test_grid_workers_go_to_the_phone_pages_residents_to_their_reports_enterprises_to_their_ledger(
    world: TownWorld,
) -> None:
    response = signed_in(world.grid_worker_a).get("/")
    assert (response.status_code, response["Location"]) == (302, phone_home_url())
    response = signed_in(world.resident).get("/")
    assert (response.status_code, response["Location"]) == (302, "/cases/")
    response = signed_in(world.enterprise).get("/")
    assert (response.status_code, response["Location"]) == (302, "/ledgers/m/")


def test_leader_sees_counts_by_status_and_lamp(world: TownWorld) -> None:
    world.bring_to(Status.HANDLING)
    world.bring_to(Status.CLOSED)
    world.bring_to(Status.SUSPENDED)
    world.report()
    page = signed_in(world.leader).get("/").text
    assert "工作概览" in page
    assert '<a class="tile" href="/cases/?status=closed"><strong>1</strong>已结案</a>' in page
    assert '<a class="tile" href="/cases/?status=reported"><strong>1</strong>待受理</a>' in page
    assert '<a class="tile" href="/cases/?lamp=paused"><strong>1</strong>缓办</a>' in page
    assert "各状态事件（共 4 件）" in page
    assert 'href="/dashboard/"' in page


def test_admin_lands_on_links_to_the_admin(world: TownWorld) -> None:
    page = signed_in(world.admin).get("/").text
    assert "系统管理" in page
    assert 'href="/admin/taxonomy/category/"' in page
    root = User.objects.create_superuser(username="root", password="pw-for-tests-1")
    assert "系统管理" in signed_in(root).get("/").text


def test_sign_out_is_logged_and_ends_the_session(world: TownWorld) -> None:
    client = signed_in(world.operator)
    response = client.post(reverse("web:logout"))
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert SecurityEvent.objects.filter(kind="logout", user=world.operator).count() == 1
    assert client.get("/triage/").status_code == 302


def test_password_change_checks_old_password_and_validators(world: TownWorld) -> None:
    client = signed_in(world.operator)
    page = client.get(reverse("web:password_change"))
    assert 'for="id_old_password"' in page.text
    wrong = client.post(
        reverse("web:password_change"),
        {"old_password": "nope", "new_password1": "Qz7!harbour-night", "new_password2": "Qz7!harbour-night"},
    )
    assert "你的旧密码不正确。请重新输入。" in wrong.text
    weak = client.post(
        reverse("web:password_change"),
        {"old_password": "pw-for-tests-1", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert "这个密码太常见了。" in weak.text
    assert "密码只包含数字。" in weak.text
    assert SecurityEvent.objects.filter(kind="password_changed").count() == 0
    done = client.post(
        reverse("web:password_change"),
        {"old_password": "pw-for-tests-1", "new_password1": "Qz7!harbour-night", "new_password2": "Qz7!harbour-night"},
    )
    assert (done.status_code, done["Location"]) == (302, "/")
    assert client.get("/triage/").status_code == 200  # still signed in
    assert SecurityEvent.objects.filter(kind="password_changed", user=world.operator).count() == 1
    fresh = Client()
    assert fresh.login(request=RequestFactory().post("/login/"), username="operator", password="Qz7!harbour-night")


def test_header_shows_unread_count(world: TownWorld, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.bring_to(Status.DISPATCHED)
    page = signed_in(world.handler_a).get("/inbox/").text
    assert '<span class="badge" aria-label="1 条未读">1</span>' in page
