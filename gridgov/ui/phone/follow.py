"""Following a public report without an account: a signed link per case number, and what it may show.

The link carries an HMAC of the case number (``permissions.follow_token``, the signer the SMS uses too),
so numbers cannot be enumerated; ``permissions.followed_case`` checks it.
The public view shows the number, category, status and the timeline as action names and dates — never
names, phone numbers or internal notes — and only the photos taken after handling, as display copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode

from gridgov.data.access.permissions import follow_token
from gridgov.data.cases.enums import Action, AttachmentKind, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction

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


def follow_url(number: str) -> str:
    """The public case page's address with its follow token (``permissions.follow_token``)."""
    return f"{reverse('phone:public_case', args=[number])}?{urlencode({'t': follow_token(number)})}"


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
