"""Per-user API tokens and Open311 API keys: issue (secret shown once), authenticate, revoke."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.access.models import ApiKey, ApiToken
from gridgov.data.access.secrets import digest_of, new_secret
from gridgov.data.cases.scope import memberships_query, remember_memberships
from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Membership, User
from gridgov.db import prepared
from gridgov.db.busy import not_waiting

TOKEN_KIND = "ggt"
KEY_KIND = "o311"
MAX_ACTIVE_TOKENS = 20
# "Last used" is refreshed at most this often, so reading the API does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Issued[T]:
    """A new token or key and its secret, which is shown once and never stored."""

    record: T
    secret: str


def user_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def create_token(*, user: User, name: str, now: datetime | None = None) -> Issued[ApiToken]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("请填写令牌名称（例如用途或系统名）"), field="name")
    if len(name) > 64:
        raise InvalidInput(_("令牌名称不能超过 64 字"), field="name")
    if not user.is_active:
        raise InvalidInput(_("账号已停用，不能创建令牌"), field="name")
    now = now or timezone.now()
    # Valid tokens only: an expired one authenticates nothing (the 401 tells its owner to make a new one here).
    valid = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=now)
    if valid.count() >= MAX_ACTIVE_TOKENS:
        raise InvalidInput(_("有效令牌最多 %(n)s 个，请先吊销不再使用的令牌") % {"n": MAX_ACTIVE_TOKENS}, field="name")
    secret, prefix, digest = new_secret(TOKEN_KIND)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=digest,
        created_at=now,
        expires_at=now + timedelta(days=settings.GRIDGOV_API_TOKEN_DAYS),
    )
    return Issued(token, secret)


def revoke_token(*, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke one of the user's own tokens (revoking twice keeps the first time)."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("令牌不存在"))
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    _RECENT.pop(token.digest, None)  # this process refuses it at once; the others within the cache's seconds
    return token


class TokenExpired(Exception):
    """A token that was valid and has passed its expiry: the caller says so (a new one is made on /api/tokens/)."""


# A client that sends several calls in a row (a phone syncing its offline queue, an integration posting a
# batch) is authenticated from the database once every few seconds, not on every call: each worker process
# keeps what the token read brought back (the token, its user, the user's memberships) for
# GRIDGOV_API_TOKEN_CACHE_SECONDS. The price: a token revoked, a user deactivated or a membership changed
# elsewhere is seen by the other processes that much later (this process drops a revoked token at once).
_RECENT: dict[str, tuple[datetime, ApiToken, list[Membership]]] = {}
_RECENT_LIMIT = 4096


def authenticate_token(secret: str, *, now: datetime | None = None) -> User | None:
    """The active user behind a valid, unrevoked token; None otherwise. Raises TokenExpired for an expired one."""
    if not secret or len(secret) > 200:
        return None
    digest = digest_of(secret)
    now = now or timezone.now()
    found = _recent(digest, now=now)
    if found is None:
        found = _read(digest, now=now)
        if found is None:
            return None
    token, memberships = found
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenExpired(token.prefix)
    _touch(token, now)
    user = copy.copy(token.user)  # each request its own user object (views may cache per-request facts on it)
    remember_memberships(user, memberships)
    return user


def _recent(digest: str, *, now: datetime) -> tuple[ApiToken, list[Membership]] | None:
    kept = _RECENT.get(digest)
    if kept is None:
        return None
    read_at, token, memberships = kept
    age = (now - read_at).total_seconds()
    if not 0 <= age < settings.GRIDGOV_API_TOKEN_CACHE_SECONDS:  # a clock set back does not prolong it
        _RECENT.pop(digest, None)
        return None
    return token, memberships


def _read(digest: str, *, now: datetime) -> tuple[ApiToken, list[Membership]] | None:
    # The token with its user, and the user's memberships (which every call's scope check needs) —
    # statements built once per process, sent together (one round trip on PostgreSQL).
    found, memberships = prepared.select_together(
        prepared.Query(ApiToken, "t0.digest = %s AND t0.revoked_at IS NULL", [digest], ("user",)),
        memberships_query(
            user_id_sql=f"SELECT user_id FROM {ApiToken._meta.db_table} WHERE digest = %s AND revoked_at IS NULL",
            params=[digest],
        ),
    )
    token: ApiToken | None = found[0] if found else None
    if token is None or not token.user.is_active:
        return None
    if settings.GRIDGOV_API_TOKEN_CACHE_SECONDS > 0:
        if len(_RECENT) >= _RECENT_LIMIT:
            _RECENT.clear()
        _RECENT[digest] = (now, token, memberships)
    return token, memberships


def issue_api_key(
    *, town: Area, name: str, contact: str = "", issued_by: User | None = None, now: datetime | None = None
) -> Issued[ApiKey]:
    """An Open311 key for one client of ``town`` (issued by the administrator)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("请填写客户端名称"), field="name")
    if town.level != AreaLevel.TOWN:
        raise InvalidInput(_("Open311 密钥必须属于一个乡镇"), field="town")
    secret, prefix, digest = new_secret(KEY_KIND)
    key = ApiKey.objects.create(
        town=town,
        name=name[:64],
        contact=contact.strip()[:128],
        prefix=prefix,
        digest=digest,
        created_at=now or timezone.now(),
        created_by=issued_by,
    )
    return Issued(key, secret)


def authenticate_api_key(secret: str, *, now: datetime | None = None) -> ApiKey | None:
    if not secret or len(secret) > 200:
        return None
    key = ApiKey.objects.select_related("town").filter(digest=digest_of(secret), revoked_at__isnull=True).first()
    if key is None:
        return None
    _touch(key, now)
    return key


def _touch(record: ApiToken | ApiKey, now: datetime | None) -> None:
    now = now or timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        record.last_used_at = now
        with not_waiting():  # a read never waits for the write lock of a batch: the time is refreshed later
            prepared.update(record, ["last_used_at"])
