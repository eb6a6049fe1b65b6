"""Account security (等保 2.0): the security audit log and where a request comes from.

Lockout after repeated failed sign-ins is django-axes with our handler (gridgov.data.org.lockout)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent, User
from gridgov.types import JSONObject

# The log is kept at least this long; pruning refuses anything shorter.
MIN_RETENTION_DAYS = 183


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request came from, for the log."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request: HttpRequest | None) -> Client:
        if request is None:
            return cls()
        return cls(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:255])


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from the trusted proxy's header when configured (GRIDGOV_TRUSTED_PROXY_HEADER,
    GRIDGOV_TRUSTED_PROXY_COUNT proxies in front: that many entries from the right), else REMOTE_ADDR.

    Entries a client wrote itself stand further left and are never used; a missing or malformed header falls
    back to REMOTE_ADDR (the proxy's own address), so a lock then covers the proxy rather than nobody."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    header = settings.GRIDGOV_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    count = settings.GRIDGOV_TRUSTED_PROXY_COUNT
    if len(entries) < count:
        return remote
    return _address(entries[-count]) or remote


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def record_event(
    *,
    kind: SecurityEventKind,
    user: User | None = None,
    username: str = "",
    client: Client | None = None,
    detail: JSONObject | None = None,
    now: datetime | None = None,
) -> SecurityEvent:
    client = client or Client()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip=client.ip,
        user_agent=client.user_agent,
        detail=detail or {},
        created_at=now or timezone.now(),
    )


def prune_events(*, older_than_days: int, now: datetime | None = None) -> int:
    """Delete log entries older than ``older_than_days`` (at least MIN_RETENTION_DAYS); returns how many."""
    if older_than_days < MIN_RETENTION_DAYS:
        raise ValueError(f"安全审计日志至少保存 {MIN_RETENTION_DAYS} 天")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _detail = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
