"""A user's messages as they read them: their list, its search in the reader's language, read marks, and the
cases that have left them since (their message stays, and says why the case no longer opens).

What a message says and who receives it is ``notifications``; this module only reads a user's own rows.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.notifications import ACTION_SENTENCE, DEADLINE_SENTENCES, REASSIGNED_AWAY_SENTENCE
from gridgov.data.cases.enums import Action, NotificationKind
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.data.cases.scope import handling_departments, visible_cases
from gridgov.data.org.models import User


def notifications_for(*, user_id: int, unread_only: bool = False, search: str = "") -> QuerySet[Notification]:
    """The user's messages, newest first; ``search``: those that say each of its words as the user reads them
    (``saying``)."""
    qs = Notification.objects.filter(user_id=user_id).select_related("case").order_by("-created_at", "-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if search.strip():
        qs = qs.filter(saying(search[:100]))
    return qs


# Other words people use for a step, in the reader's language, found as well as the step's own name.
STEP_SYNONYMS = {
    Action.DISPATCH: gettext_lazy("派发 分派"),
    Action.REDISPATCH: gettext_lazy("转派 重新派遣"),
}
SEARCH_WORDS = 10
_PLACEHOLDER = re.compile(r"%\(\w+\)s")
# A part of a deadline as a sentence shows it (11月23日, 2025年11月23日, 14:30; 11/23, "23," in English), and the
# numbers in it, looked for in the stored sentence, which writes them in the town's language (11-23 before 2026-12).
_DATE_LIKE = re.compile(r"[\d:\-/.,年月日]+")
_DATE_NUMBERS = re.compile(r"\d+(?::\d+)*")


def saying(search: str) -> Q:
    """The notifications whose sentence, as the reader reads it in the active language (``sentence``), says
    every word of ``search``: their case number, a step's note, or — matched in Python against the few names and
    sentence templates in the active language, never against rows — a step's name or a word of the sentence
    around it (an inflected English word too: "dispatched" finds the steps named "Dispatch"), which becomes a
    condition on the rows' ``params``. The database filters the reader's own rows; nothing is read into Python
    to be filtered. A row stored before kinds is searched in its stored text, which it shows in every language.
    """
    condition = Q()
    for word in search.split()[:SEARCH_WORDS]:
        condition &= _saying_word(word)
    if translation.get_language() == settings.LANGUAGE_CODE:  # the stored sentence is the one this reader reads
        condition |= Q(message__icontains=search.strip())
    return condition


def _saying_word(word: str) -> Q:
    needle = word.casefold()
    said = (
        Q(case__number__icontains=word)
        | Q(kind=NotificationKind.STORED, message__icontains=word)
        | Q(kind=NotificationKind.ACTION, params__note__icontains=word)
    )
    steps = [step.value for step in Action if _in_words(needle, str(step.label), str(STEP_SYNONYMS.get(step, "")))]
    if steps:
        said |= Q(kind=NotificationKind.ACTION, params__action__in=steps)
    if _in_words(needle, *_PLACEHOLDER.split(str(ACTION_SENTENCE))):
        said |= Q(kind=NotificationKind.ACTION)
    if _in_words(needle, *_PLACEHOLDER.split(str(REASSIGNED_AWAY_SENTENCE))):
        said |= Q(kind=NotificationKind.ACTION, params__away="1")
    levels = [level for level, text in DEADLINE_SENTENCES.items() if _in_words(needle, *_PLACEHOLDER.split(str(text)))]
    if levels:
        said |= Q(kind=NotificationKind.DEADLINE, params__level__in=levels)
    numbers = _date_numbers(word)
    if numbers:  # the deadline as shown, in any language: its numbers are in the stored sentence
        in_message = Q(kind=NotificationKind.DEADLINE)
        for number in numbers:
            in_message &= Q(message__icontains=number)
        said |= in_message
    return said


def _date_numbers(word: str) -> list[str]:
    """The numbers of a date or a time as the reader sees it (11月23日 → 11, 23; 14:30; a month's name in the
    active language — Nov. — as its number); [] when ``word`` is not part of a date."""
    if _DATE_LIKE.fullmatch(word):
        return _DATE_NUMBERS.findall(word)
    name = word.casefold().rstrip(".,")
    for month in range(1, 13):
        first = date(2000, month, 1)
        if name in {formats.date_format(first, code).casefold().rstrip(".") for code in ("N", "F", "M")}:
            return [str(month)]
    return []


def _in_words(needle: str, *texts: str) -> bool:
    """Whether ``needle`` (casefolded) is part of one of ``texts``, or one of their words inflected: "dispatched"
    or "dispatching" for "Dispatch", "resolving" for "Resolve"."""
    for text in texts:
        folded = text.casefold()
        if needle in folded:
            return True
        for known in re.findall(r"\w+", folded):
            stem = known.removesuffix("e")
            if len(known) >= 4 and needle.startswith(stem) and len(needle) - len(known) <= 3:
                return True
    return False


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def mark_read(*, user_id: int, notification_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Mark the user's messages read (all unread ones when ``notification_ids`` is None); returns how many."""
    qs = Notification.objects.filter(user_id=user_id, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=now or timezone.now())


# ---------------------------------------------------------------------------------------------------
# A case that has left its reader: their message stays, and says why the case no longer opens for them


@dataclass(frozen=True, slots=True)
class OutOfReach:
    """A case its reader was told of (or worked on) and may no longer see: its number — which their message
    showed already — and why it no longer opens, in the active language."""

    number: str
    reason: str


def out_of_reach(*, user: User, case_ids: Collection[int]) -> dict[int, OutOfReach]:
    """Of ``case_ids``, the cases ``user`` was told of or acted on and may no longer see, each with why.

    Whether ``user`` may see a case is the scope check's answer (``visible_cases``), asked here of all the cases
    at once. Why not: the latest step that took the case out of one of ``user``'s units — returned by it to the
    command room, or reassigned away from it; otherwise it is simply out of their scope now (another grid, a
    membership ended). A case they never heard of and never worked on is left out: to them it stays "not found".
    At most four queries, however many cases.
    """
    ids = set(case_ids)
    if not ids:
        return {}
    gone = ids - set(visible_cases(user, Case.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    if not gone:
        return {}
    told = Notification.objects.filter(user_id=user.pk, case_id=OuterRef("pk"))
    acted = CaseAction.objects.filter(actor_id=user.pk, case_id=OuterRef("pk"))
    known = dict(Case.objects.filter(pk__in=gone).filter(Exists(told) | Exists(acted)).values_list("pk", "number"))
    departed: dict[int, str] = {}  # case → the latest step that took it out of one of the user's units
    units = handling_departments(user)
    if known and units:
        steps = (
            CaseAction.objects.filter(case_id__in=known)
            .filter(
                Q(action=Action.RETURN, data__department__id__in=units)
                | Q(action=Action.REDISPATCH, data__from_department__in=units)
            )
            .order_by("case_id", "seq")
            .values_list("case_id", "action")
        )
        departed.update(steps)  # in step order: the latest wins
    return {pk: OutOfReach(number=number, reason=_why_out_of_reach(departed.get(pk))) for pk, number in known.items()}


def _why_out_of_reach(step: str | None) -> str:
    if step == Action.RETURN:
        return _("该事件已退回镇指挥室，不再由本单位处理")
    if step == Action.REDISPATCH:
        return _("该事件已改派其他单位，不再由本单位处理")
    return _("该事件已不在您的查看范围内")
