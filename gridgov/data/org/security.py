"""Account security (等保 2.0): the security audit log and lockout after repeated failed sign-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent, User

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
        return cls(ip=request.META.get("REMOTE_ADDR") or None, user_agent=request.META.get("HTTP_USER_AGENT", "")[:255])


def record_event(
    *,
    kind: SecurityEventKind,
    user: User | None = None,
    username: str = "",
    client: Client | None = None,
    detail: dict[str, Any] | None = None,
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


def locked_until(username: str, *, now: datetime | None = None) -> datetime | None:
    """When the account's lock ends, if ``username`` has too many recent failures; else None.

    Failures count within the lock window and only since the last successful sign-in.
    """
    now = now or timezone.now()
    window = timedelta(minutes=settings.GRIDGOV_LOCKOUT_MINUTES)
    events = SecurityEvent.objects.filter(
        username=username,
        kind__in=[SecurityEventKind.LOGIN_FAILED, SecurityEventKind.LOGIN_OK],
        created_at__gte=now - window,
    ).order_by("-created_at")
    failures: list[datetime] = []
    for kind, at in events.values_list("kind", "created_at")[: settings.GRIDGOV_LOCKOUT_FAILURES]:
        if kind == SecurityEventKind.LOGIN_OK:
            break
        failures.append(at)
    if len(failures) < settings.GRIDGOV_LOCKOUT_FAILURES:
        return None
    until: datetime = failures[0] + window
    return until if until > now else None


class LockoutBackend(ModelBackend):
    """Django's password check, refusing locked accounts and logging every attempt."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        client = Client.of(request)
        if locked_until(username) is not None:
            record_event(kind=SecurityEventKind.LOGIN_LOCKED, username=username, client=client)
            raise PermissionDenied("account locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_event(kind=SecurityEventKind.LOGIN_FAILED, username=username, client=client)
            return None
        assert isinstance(user, User)
        record_event(kind=SecurityEventKind.LOGIN_OK, user=user, username=username, client=client)
        return user


def prune_events(*, older_than_days: int, now: datetime | None = None) -> int:
    """Delete log entries older than ``older_than_days`` (at least MIN_RETENTION_DAYS); returns how many."""
    if older_than_days < MIN_RETENTION_DAYS:
        raise ValueError(f"安全审计日志至少保存 {MIN_RETENTION_DAYS} 天")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _detail = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
