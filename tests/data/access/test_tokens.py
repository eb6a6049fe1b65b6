"""Tokens and keys: secrets shown once, only hashes stored, revocation, last-used tracking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.utils import timezone

from gridgov.data.access.models import ApiKey, ApiToken
from gridgov.data.access.secrets import digest_of
from gridgov.data.access.tokens import (
    MAX_ACTIVE_TOKENS,
    authenticate_api_key,
    authenticate_token,
    create_token,
    issue_api_key,
    revoke_token,
)
from gridgov.data.errors import InvalidInput, NotFound
from tests.factories import MONDAY_0900, TownWorld


def test_token_authenticates_its_user_until_revoked(world: TownWorld) -> None:
    issued = create_token(user=world.operator, name="热线", now=MONDAY_0900)
    assert issued.record.digest == digest_of(issued.secret)
    assert authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(minutes=5)) == world.operator
    issued.record.refresh_from_db()
    assert issued.record.last_used_at == MONDAY_0900 + timedelta(minutes=5)
    revoke_token(user=world.operator, token_id=issued.record.pk, now=MONDAY_0900 + timedelta(hours=1))
    assert authenticate_token(issued.secret) is None
    assert authenticate_token("") is None
    assert authenticate_token("x" * 500) is None


def test_last_used_is_written_at_most_once_a_minute(world: TownWorld) -> None:
    issued = create_token(user=world.operator, name="a")
    authenticate_token(issued.secret, now=MONDAY_0900)
    authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=30))
    issued.record.refresh_from_db()
    assert issued.record.last_used_at == MONDAY_0900


def test_inactive_user_token_does_not_work(world: TownWorld) -> None:
    issued = create_token(user=world.operator, name="a")
    world.operator.is_active = False
    world.operator.save()
    assert authenticate_token(issued.secret) is None


def test_token_name_rules_and_limit(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as empty:
        create_token(user=world.operator, name="  ")
    assert (empty.value.field, empty.value.message) == ("name", "请填写令牌名称（例如用途或系统名）")
    with pytest.raises(InvalidInput):
        create_token(user=world.operator, name="长" * 65)
    for n in range(MAX_ACTIVE_TOKENS):
        create_token(user=world.operator, name=f"t{n}")
    with pytest.raises(InvalidInput) as too_many:
        create_token(user=world.operator, name="one more")
    assert too_many.value.message == "有效令牌最多 20 个，请先吊销不再使用的令牌"
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_expired_tokens_do_not_count_towards_the_limit(world: TownWorld, clock) -> None:
    for n in range(MAX_ACTIVE_TOKENS):
        create_token(user=world.operator, name=f"t{n}")
    clock.shift(timedelta(days=180, seconds=1))  # all twenty expire: the 401 sends their owner to make a new one
    fresh = create_token(user=world.operator, name="new")
    assert authenticate_token(fresh.secret) == world.operator
    assert ApiToken.objects.filter(user=world.operator, revoked_at__isnull=True).count() == MAX_ACTIVE_TOKENS + 1


def test_revoking_another_users_token_is_not_found(world: TownWorld) -> None:
    issued = create_token(user=world.operator, name="a")
    with pytest.raises(NotFound):
        revoke_token(user=world.leader, token_id=issued.record.pk)


def test_api_key_for_a_town(world: TownWorld) -> None:
    issued = issue_api_key(town=world.town, name="随手拍", issued_by=world.admin)
    assert issued.secret.startswith("o311_")
    assert authenticate_api_key(issued.secret) == issued.record
    with pytest.raises(InvalidInput):
        issue_api_key(town=world.village_a, name="x")
    ApiKey.objects.update(revoked_at=timezone.now())
    assert authenticate_api_key(issued.secret) is None


def test_admin_issues_a_key_and_shows_it_once(world: TownWorld) -> None:
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        "/admin/access/apikey/add/", {"town": world.town.pk, "name": "12345 热线", "contact": "县热线中心"}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) >= 1
    secret = next(m for m in messages if "o311_" in m).split("：", 1)[1]
    assert (key.digest, key.created_by, key.name) == (digest_of(secret), world.admin, "12345 热线")
    assert authenticate_api_key(secret) == key
    assert ApiKey in site._registry


def test_a_process_reads_a_token_again_after_the_cache_seconds(world: TownWorld, settings) -> None:
    # Another process deactivates the user (a plain UPDATE: nothing in this process hears of it). This process
    # keeps the token it read for GRIDGOV_API_TOKEN_CACHE_SECONDS, then reads it again and refuses it.
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 3
    issued = create_token(user=world.operator, name="同步", now=MONDAY_0900)
    assert authenticate_token(issued.secret, now=MONDAY_0900) == world.operator
    type(world.operator).objects.filter(pk=world.operator.pk).update(is_active=False)
    assert authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=2)) == world.operator
    assert authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=3)) is None
    # a clock set back does not make an old read last longer
    type(world.operator).objects.filter(pk=world.operator.pk).update(is_active=True)
    assert authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=4)) == world.operator
    type(world.operator).objects.filter(pk=world.operator.pk).update(is_active=False)
    assert authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=1)) is None


def test_each_call_gets_its_own_user_with_the_memberships_read(world: TownWorld, settings) -> None:
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 3
    issued = create_token(user=world.operator, name="同步", now=MONDAY_0900)
    first = authenticate_token(issued.secret, now=MONDAY_0900)
    second = authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=1))
    assert first is not None
    assert second is not None
    assert (first == second, first is second) == (True, False)
    assert [m.role for m in first._gridgov_memberships] == [m.role for m in second._gridgov_memberships]
    assert [m.role for m in second._gridgov_memberships] == [
        m.role for m in world.operator.memberships.filter(active=True)
    ]


def test_without_the_cache_every_call_reads_the_token(world: TownWorld, settings) -> None:
    settings.GRIDGOV_API_TOKEN_CACHE_SECONDS = 0
    issued = create_token(user=world.operator, name="同步", now=MONDAY_0900)
    assert authenticate_token(issued.secret, now=MONDAY_0900) == world.operator
    type(world.operator).objects.filter(pk=world.operator.pk).update(is_active=False)
    assert authenticate_token(issued.secret, now=MONDAY_0900 + timedelta(seconds=1)) is None
