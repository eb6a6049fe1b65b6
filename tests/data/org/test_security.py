"""Account security: every sign-in attempt is logged; five failures of one user name from one address lock that
pair for 15 minutes (django-axes); attempts during a lock are refused and logged as such."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.lockout import lock_of
from gridgov.data.org.models import SecurityEvent
from gridgov.data.org.security import prune_events, record_event
from tests.factories import TownWorld


def sign_in(client: Client, password: str):
    return client.post(reverse("web:login"), {"username": "gw_a", "password": password})


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("created_at", "id").values_list("kind", flat=True))


def test_sign_in_and_out_are_logged(world: TownWorld) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Playwright")
    assert sign_in(client, "pw-for-tests-1").status_code == 302
    client.post(reverse("web:logout"))
    assert kinds() == ["login_ok", "logout"]
    event = SecurityEvent.objects.get(kind="login_ok")
    assert (event.user_id, event.username, event.ip, event.user_agent) == (
        world.grid_worker_a.pk,
        "gw_a",
        "10.1.2.3",
        "Playwright",
    )


def test_five_failures_lock_the_account_even_for_the_right_password(world: TownWorld) -> None:
    client = Client()
    for _ in range(5):
        assert sign_in(client, "wrong").status_code == 200
    response = sign_in(client, "pw-for-tests-1")
    assert response.status_code == 200
    assert "连续登录失败次数过多，账号已暂时锁定" in response.text
    assert "_auth_user_id" not in client.session
    # the attempt during the lock is refused and logged as such (the lock itself began with the fifth failure)
    assert kinds() == ["login_failed"] * 5 + ["login_locked"]
    assert lock_of(username="gw_a", ip="127.0.0.1") is not None


def test_the_lock_ends_after_the_window(world: TownWorld, clock) -> None:
    for _ in range(5):
        sign_in(Client(), "wrong")
    assert sign_in(Client(), "pw-for-tests-1").status_code == 200
    clock.shift(timedelta(minutes=16))
    assert lock_of(username="gw_a", ip="127.0.0.1") is None
    assert sign_in(Client(), "pw-for-tests-1").status_code == 302


def test_a_success_resets_the_count(world: TownWorld) -> None:
    client = Client()
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, "pw-for-tests-1").status_code == 302
    for _ in range(4):
        sign_in(Client(), "wrong")
    assert lock_of(username="gw_a", ip="127.0.0.1") is None
    assert sign_in(Client(), "pw-for-tests-1").status_code == 302


def test_attempts_during_a_lock_are_logged_as_such(world: TownWorld) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    for _ in range(5):
        sign_in(Client(), "wrong")
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="gw_a", password="pw-for-tests-1") is None
    assert kinds()[-1] == SecurityEventKind.LOGIN_LOCKED


def test_the_log_is_kept_at_least_six_months(db) -> None:
    old = record_event(kind=SecurityEventKind.LOGOUT, username="a", now=timezone.now() - timedelta(days=400))
    recent = record_event(kind=SecurityEventKind.LOGOUT, username="b", now=timezone.now() - timedelta(days=100))
    with pytest.raises(ValueError, match="至少保存 183 天"):
        prune_events(older_than_days=90)
    with pytest.raises(CommandError):
        call_command("prune_security_events", "--older-than-days", "30")
    assert prune_events(older_than_days=365) == 1
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
