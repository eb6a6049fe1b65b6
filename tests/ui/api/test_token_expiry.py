"""API tokens expire (GRIDGOV_API_TOKEN_DAYS, default 180): an expired one is refused with the API's JSON error;
the tokens page shows the expiry and the last use (written at most once a minute)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from gridgov.data.access.models import ApiToken
from gridgov.data.access.tokens import create_token
from tests.factories import TownWorld


def test_a_token_expires_after_180_days(world: TownWorld, clock) -> None:
    issued = create_token(user=world.operator, name="大屏")
    assert issued.record.expires_at is not None
    assert issued.record.expires_at - issued.record.created_at == timedelta(days=180)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert client.get("/api/areas").status_code == 200
    clock.shift(timedelta(days=180, seconds=1))
    refused = client.get("/api/areas")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/json; charset=utf-8"
    assert refused["WWW-Authenticate"] == (
        'Bearer realm="GridGov", error="invalid_token", error_description="The access token expired"'
    )
    assert (refused.json()["code"], refused.json()["message"]) == (
        "token_expired",
        "API 令牌已过期，请在 /api/tokens/ 创建新令牌",
    )


def test_the_expiry_follows_the_setting(world: TownWorld, settings) -> None:
    settings.GRIDGOV_API_TOKEN_DAYS = 30
    record = create_token(user=world.operator, name="短期").record
    assert record.expires_at is not None
    assert record.expires_at - record.created_at == timedelta(days=30)


def test_last_use_is_written_at_most_once_a_minute(world: TownWorld, clock) -> None:
    issued = create_token(user=world.operator, name="大屏")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    client.get("/api/areas")
    first = ApiToken.objects.get(pk=issued.record.pk).last_used_at
    assert first is not None
    clock.shift(timedelta(seconds=20))
    client.get("/api/areas")
    assert ApiToken.objects.get(pk=issued.record.pk).last_used_at == first
    clock.shift(timedelta(seconds=50))
    client.get("/api/areas")
    later = ApiToken.objects.get(pk=issued.record.pk).last_used_at
    assert later is not None
    assert timedelta(seconds=70) <= later - first < timedelta(seconds=75)  # the clock ticks between requests


def test_the_tokens_page_shows_expiry_last_use_and_expired(world: TownWorld, clock) -> None:
    old = create_token(user=world.operator, name="旧系统", now=timezone.now() - timedelta(days=200)).record
    ApiToken.objects.filter(pk=old.pk).update(last_used_at=timezone.now() - timedelta(days=30))
    create_token(user=world.operator, name="新系统")
    client = Client()
    client.force_login(world.operator)
    page = client.get("/api/tokens/")
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert ("新系统" in rows[0], "有效" in rows[0]) == (True, True)
    assert ("旧系统" in rows[1], "已过期" in rows[1]) == (True, True)
    expires = timezone.localtime(old.expires_at).strftime("%Y年%-m月%-d日 %H:%M")
    used = timezone.localtime(timezone.now() - timedelta(days=30)).strftime("%Y年%-m月%-d日 %H:%M")
    assert (expires in rows[1], used in rows[1]) == (True, True)
