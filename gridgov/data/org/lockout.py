"""Lockout after repeated failed sign-ins (等保 2.0): django-axes' database handler, plus a limit per client
address against password spraying, and every refused attempt in our security log.

- One user name from one address: ``GRIDGOV_LOCKOUT_FAILURES`` failures lock that pair (axes' own counting,
  ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``). Others at the same address (a town hall behind one
  NAT) still sign in, and nobody can lock a published user name from elsewhere.
- One address over any user names: ``GRIDGOV_LOCKOUT_ADDRESS_FAILURES`` failures lock the address.
- Both for ``GRIDGOV_LOCKOUT_MINUTES`` after the last failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.security import Client, record_event
from gridgov.types import FromDjango


def _window() -> timedelta:
    return timedelta(minutes=settings.GRIDGOV_LOCKOUT_MINUTES)


@dataclass(frozen=True, slots=True)
class Lock:
    """Why and until when sign-ins are refused."""

    until: datetime
    address_wide: bool  # the whole address (spraying), not only this user name at it


def _pair_lock(username: str, ip: str | None, now: datetime) -> datetime | None:
    rows = AccessAttempt.objects.filter(username=username, ip_address=ip, attempt_time__gte=now - _window())
    found = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (found["failures"] or 0) >= settings.GRIDGOV_LOCKOUT_FAILURES and found["last"] is not None:
        last: datetime = found["last"]
        return last + _window()
    return None


def address_failures(ip: str | None, *, now: datetime | None = None) -> int:
    """Failed sign-ins from ``ip`` over every user name within the window."""
    if ip is None:
        return 0
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=now - _window())
    return int(rows.aggregate(failures=Sum("failures_since_start"))["failures"] or 0)


def lock_of(*, username: str, ip: str | None, now: datetime | None = None) -> Lock | None:
    """The lock that refuses ``username`` signing in from ``ip`` now, if any."""
    now = now or timezone.now()
    if address_failures(ip, now=now) >= settings.GRIDGOV_LOCKOUT_ADDRESS_FAILURES:
        last = AccessAttempt.objects.filter(ip_address=ip).aggregate(last=Max("attempt_time"))["last"]
        return Lock(until=(last or now) + _window(), address_wide=True)
    until = _pair_lock(username, ip, now)
    return Lock(until=until, address_wide=False) if until is not None else None


def lock_for_request(request: HttpRequest, username: str) -> Lock | None:
    AxesProxyHandler.update_request(request)
    return lock_of(username=username, ip=getattr(request, "axes_ip_address", None))


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no type hints: its handler is Any
    """axes' database handler that also locks an address after many failures over any user names, and writes
    every refused sign-in — a wrong password or code, or any attempt during a lock — to the security log."""

    def is_locked(self, request: FromDjango, credentials: FromDjango | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_failures(request.axes_ip_address) >= settings.GRIDGOV_LOCKOUT_ADDRESS_FAILURES

    def user_login_failed(
        self, sender: FromDjango, credentials: FromDjango, request: FromDjango = None, **kwargs: FromDjango
    ) -> None:
        refused_while_locked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        if (
            not request.axes_locked_out
            and address_failures(request.axes_ip_address) >= settings.GRIDGOV_LOCKOUT_ADDRESS_FAILURES
        ):
            request.axes_locked_out = True  # this failure reached the address limit: say so now
        username = str(credentials.get("username") or "")[:150]
        detail: FromDjango = {}
        if credentials.get("gridgov_step"):
            detail["step"] = credentials["gridgov_step"]
        if request.axes_locked_out and not refused_while_locked:
            detail["locked"] = True  # the failure that started the lock
        record_event(
            kind=SecurityEventKind.LOGIN_LOCKED if refused_while_locked else SecurityEventKind.LOGIN_FAILED,
            username=username,
            client=Client.of(request),
            detail=detail,
        )
