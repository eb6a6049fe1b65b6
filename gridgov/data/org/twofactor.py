"""Second factor (等保 2.0): TOTP devices (django-otp) and one-time recovery codes.

Who needs it: admins and the roles named in ``GRIDGOV_2FA_ROLES`` (role codes; "admin" also covers superusers and
staff). Someone who needs it and has no device sets one up right after the password; from then on sign-in asks for
a six-digit code from the authenticator app (or one recovery code) after the password.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gridgov.data.org.enums import Role, SecurityEventKind
from gridgov.data.org.models import Membership, User
from gridgov.data.org.security import Client, record_event

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def second_factor_required(user: User) -> bool:
    """Whether ``user`` must sign in with a second factor."""
    roles = set(settings.GRIDGOV_2FA_ROLES)
    if not roles or not user.is_authenticated:
        return False
    if Role.ADMIN in roles and (user.is_superuser or user.is_staff):
        return True
    return bool(Membership.objects.filter(user=user, active=True, role__in=roles).exists())


def has_second_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def check_code(user: User, code: str) -> Device | None:
    """The device (authenticator or recovery codes) that accepts ``code`` for ``user``; a recovery code is used up."""
    code = "".join((code or "").split())[:16]
    if not code:
        return None
    device: Device | None = match_token(user, code)
    return device


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A device being set up: its secret (for typing in by hand) and the QR code to scan, as SVG."""

    device: TOTPDevice
    secret: str
    qr_svg: str


def start_enrolment(user: User) -> Enrolment:
    """A new, unconfirmed authenticator for ``user`` (earlier unconfirmed ones are dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return enrolment_of(device)


def pending_enrolment(user: User) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return enrolment_of(device) if device is not None else None


def enrolment_of(device: TOTPDevice) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode()
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # no XML declaration: it is placed inside the page
    return Enrolment(device=device, secret=secret, qr_svg=svg)


def confirm_enrolment(
    *, user: User, code: str, client: Client | None = None, now: datetime | None = None
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code it shows; returns it and fresh recovery codes (shown once),
    or None when the code is wrong. Earlier authenticators are replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    code = "".join((code or "").split())
    if device is None or not code.isascii() or not code.isdigit() or not device.verify_token(code):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _renew_recovery_codes(user)
        record_event(kind=SecurityEventKind.SECOND_FACTOR_SET_UP, user=user, client=client, now=now)
    return device, codes


def renew_recovery_codes(*, user: User, client: Client | None = None, now: datetime | None = None) -> list[str]:
    """New recovery codes for ``user`` (the old ones stop working); shown once."""
    with transaction.atomic():
        codes = _renew_recovery_codes(user)
        record_event(kind=SecurityEventKind.RECOVERY_CODES_RENEWED, user=user, client=client, now=now)
    return codes


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def _renew_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def password_expired(user: User, *, now: datetime | None = None) -> bool:
    """Whether the expiry policy (GRIDGOV_PASSWORD_MAX_AGE_DAYS; 0: off) asks ``user`` for a new password."""
    days = settings.GRIDGOV_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed >= timedelta(days=days)
