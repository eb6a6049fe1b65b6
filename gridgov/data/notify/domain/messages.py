"""The text of each event: Chinese templates (English through the catalogue), one SMS segment where possible."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.notifications import NotificationText, is_reassigned_away
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.dates import written_moment
from gridgov.data.notify.channels.base import Message
from gridgov.data.notify.enums import EventKind

SMS_SEGMENT = 70
# The follow link of a public report (the phone app's public case page checks it with the same signer).
FOLLOW_SALT = "gridgov.ui.phone.follow"


def follow_token(number: str) -> str:
    return signing.Signer(salt=FOLLOW_SALT).signature(number)


def _public_url(view: str, arg: str | int, *, fallback: str) -> str:
    """The public address of one of the platform's pages (``fallback``: its path when ``view`` cannot be
    reversed)."""
    try:
        path = reverse(view, args=[arg])
    except NoReverseMatch:
        path = fallback
    return f"{settings.GRIDGOV_PUBLIC_URL}{path}"


def follow_link(number: str) -> str:
    url = _public_url("phone:public_case", number, fallback=f"/m/public/case/{number}/")
    return f"{url}?t={follow_token(number)}"


def reporter_message(*, case: Case, status: str) -> Message:
    """The SMS to a resident who reported ``case``: its new public ``status`` and the follow link, in the town's
    language (the platform knows no resident's language), whatever language the worker's moment is in."""
    with translation.override(settings.LANGUAGE_CODE):
        link = follow_link(case.number)
        text = _("您反映的问题（%(number)s）%(status)s。查看进展：%(link)s") % {
            "number": case.number,
            "status": Status(status).label,
            "link": link,
        }
        title = _("问题办理进展：%(number)s") % {"number": case.number}
        return Message(title=title[:120], text=text, link=link, short=text)


def town_language(area_path: str) -> str:
    """The language group robots and digests of a town (or of an area or department in it) are written in:
    ``GRIDGOV_NOTIFY_TOWN_LANGUAGES`` ("TOWNCODE:en;…") names it per town code; else the site's language.
    ``area_path`` is an area's path of codes (a county's code covers its towns; a town's overrides it)."""
    chosen = dict(
        entry.strip().split(":", 1)
        for entry in settings.GRIDGOV_NOTIFY_TOWN_LANGUAGES.replace("\n", ";").split(";")
        if ":" in entry
    )
    for code in reversed([part for part in area_path.split("/") if part]):  # the deepest configured area
        if code.strip() in chosen:
            return chosen[code.strip()].strip()
    return str(settings.LANGUAGE_CODE)


def when(moment: datetime | None) -> str:
    """A deadline as people write it: 12月5日 17:00 (2025年12月5日 17:00 in another year; ``dates.written_moment``)."""
    if moment is None:
        return ""
    return written_moment(moment, this_year=timezone.localdate().year)


def case_link(case_id: int) -> str:
    return _public_url("web:case_detail", case_id, fallback=f"/cases/{case_id}/")


def _headline(kind: str) -> str:
    headlines: dict[str, str] = {
        EventKind.DISPATCHED: _("新派遣案卷"),
        EventKind.RETURNED: _("案卷被退回"),
        EventKind.OVERDUE_YELLOW: _("案卷临期（黄灯）"),
        EventKind.OVERDUE_RED: _("案卷超期（红灯）"),
        EventKind.SUPERVISED: _("案卷督办"),
        EventKind.EXTENSION_ASKED: _("延期申请待审批"),
        EventKind.EXTENSION_DECIDED: _("延期申请已审批"),
        EventKind.VERIFY_FAILED: _("核查不通过，请重新处置"),
        EventKind.CLOSED: _("案卷已结案"),
    }
    return str(headlines.get(kind, _("案卷动态")))


def delivery_content(message: Message) -> dict[str, str]:
    """What a delivery row keeps of ``message`` to send it later — title, text, SMS text, link and button — each
    cut to its column (a long category name or link never fails the row)."""
    return {
        "title": message.title[:120],
        "text": message.text,
        "short": message.short[:140],
        "link": message.link[:255],
        "button": message.button[:16],
    }


def case_message(*, case: Case, kind: str, note: NotificationText | None, language: str = "") -> Message:
    """The message about ``case`` for an event of ``kind`` in ``language`` (else the site's); ``note``: the 消息
    page's line for it, written in the same language. To a unit a reassignment took the case from, it says no
    more of where the case is now than the 消息 line does: neither its new deadline nor its unit."""
    away = note is not None and is_reassigned_away(note)
    with translation.override(language or settings.LANGUAGE_CODE):
        headline = _("案卷已改派其他单位") if away else _headline(kind)
        deadline = None if away else case.handle_deadline or case.dispatch_deadline
        category = case.category.name if case.category_id else ""
        village = case.village.name if case.village_id and case.village else ""
        lines = [
            _("案卷：%(number)s") % {"number": case.number},
            _("分类：%(category)s") % {"category": category},
        ]
        if village:
            lines.append(_("村/社区：%(village)s") % {"village": village})
        if deadline is not None:
            lines.append(_("期限：%(deadline)s") % {"deadline": when(deadline)})
        line = note.text() if note is not None else ""
        if line:
            lines.append(line)
        link = case_link(case.pk)
        short = _("【%(headline)s】%(number)s %(category)s") % {
            "headline": headline,
            "number": case.number,
            "category": category,
        }
        if deadline is not None:
            short += _("，期限%(deadline)s") % {"deadline": when(deadline)}
        return Message(
            title=(_("%(headline)s：%(number)s") % {"headline": headline, "number": case.number})[:120],
            text="\n".join(lines),
            link=link,
            short=short[:SMS_SEGMENT],
            button=_("查看案卷"),
        )
