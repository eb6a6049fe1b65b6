"""Following a public report without an account: a signed link per case number, and what it may show.

The link carries an HMAC of the case number (``django.core.signing``), so numbers cannot be enumerated.
The public view shows the number, category, status and the timeline as action names and dates — never
names, phone numbers or internal notes — and only the photos taken after handling, as display copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.notify.domain.messages import FOLLOW_SALT

_SIGNER = signing.Signer(salt=FOLLOW_SALT)  # the same link goes out by SMS (gridgov.data.notify)
PUBLIC_CHANNELS = (Channel.RESIDENT, Channel.OPEN311)
# Actions a follower sees; everything else (notes, comments, supervision …) stays internal.
PUBLIC_ACTIONS = frozenset(
    {
        Action.REPORT,
        Action.REGISTER,
        Action.REJECT,
        Action.DISPATCH,
        Action.REDISPATCH,
        Action.SIGN,
        Action.RESOLVE,
        Action.SELF_RESOLVE,
        Action.VERIFY_PASS,
        Action.VERIFY_FAIL,
        Action.SUSPEND,
        Action.RESUME,
        Action.REOPEN,
    }
)


def token_for(number: str) -> str:
    return _SIGNER.signature(number)


def token_ok(number: str, token: str) -> bool:
    return bool(token) and constant_time_compare(token_for(number), token)


def follow_url(number: str) -> str:
    return f"{reverse('phone:public_case', args=[number])}?{urlencode({'t': token_for(number)})}"


def followed_case(number: str, token: str) -> Case | None:
    """The case behind a follow link, or None when the token does not match (never say which)."""
    if not token_ok(number, token):
        return None
    return (
        Case.objects.select_related("category", "major_category")
        .filter(number=number, channel__in=PUBLIC_CHANNELS)
        .order_by("id")
        .first()
    )


def case_by_number_and_phone(number: str, phone: str) -> Case | None:
    """A publicly reported case whose reporter phone matches (the phone is encrypted: compared in Python)."""
    number = number.strip().upper()
    for case in Case.objects.filter(number=number, channel__in=PUBLIC_CHANNELS).order_by("id")[:5]:
        if case.reporter_phone and constant_time_compare(case.reporter_phone.strip(), phone.strip()):
            return case
    return None


@dataclass(frozen=True, slots=True)
class PublicStep:
    action: str  # the action's Chinese name
    status: str  # the status after it
    at: datetime


@dataclass(frozen=True, slots=True)
class PublicView:
    number: str
    category: str
    status: str
    status_code: str
    reported_at: datetime
    steps: list[PublicStep]
    after_photos: list[Attachment]


def public_view(case: Case) -> PublicView:
    actions = CaseAction.objects.filter(case=case, action__in=PUBLIC_ACTIONS).only(
        "action", "to_status", "created_at", "seq"
    )
    photos = list(
        Attachment.objects.filter(case=case, kind=AttachmentKind.AFTER)
        .exclude(display="")
        .only("id", "width", "height", "display", "case_id")
    )
    return PublicView(
        number=case.number,
        category=str(case.category),
        status=str(Status(case.status).label),
        status_code=case.status,
        reported_at=case.reported_at,
        steps=[
            PublicStep(action=str(Action(a.action).label), status=str(Status(a.to_status).label), at=a.created_at)
            for a in actions.order_by("seq")
        ],
        after_photos=photos,
    )
