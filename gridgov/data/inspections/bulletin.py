"""The rounds' bulletins (通报): issued with their own number series, and written as a .docx in the look of
an official document (红头, 文号, 仿宋 body, tables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Status
from gridgov.data.inspections.domain import check_manager
from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem, InspectionRound
from gridgov.data.inspections.scoring import village_scores
from gridgov.data.org.models import User
from gridgov.data.org.numbering import last_values, next_value
from gridgov.data.writers import Outline, write_docx
from gridgov.types import JSONObject


def _date(text: str) -> str:
    day = datetime.fromisoformat(text)
    return f"{day.year}年{day.month}月{day.day}日"


def bulletin_docx(bulletin: InspectionBulletin, *, issuer: str = "") -> bytes:
    """The bulletin as .docx bytes, built from its archived snapshot (the same text every time)."""
    snap = bulletin.snapshot
    issuer = issuer or _("%(town)s创城工作领导小组办公室") % {"town": bulletin.town.name}
    outline = Outline(
        header=bulletin.round.bulletin_title,
        issue_line=_("%(year)s年第%(seq)s期") % {"year": bulletin.year, "seq": bulletin.seq},
        title=_("关于%(round)s情况的通报") % {"round": snap["round"]},
        signature=[issuer, _date(bulletin.issued_at.isoformat())],
    )
    outline.paragraph(_("各村（社区）、各有关单位："))
    problems: list[JSONObject] = snap["problems"]  # Any: the archived snapshot is JSON
    fixed = sum(1 for p in problems if p["rectified"])
    outline.paragraph(
        _(
            "%(start)s至%(end)s，镇督查组开展了%(round)s，共发现问题%(n)s个，截至%(as_of)s已整改%(fixed)s个。"
            "现将各村得分排名及问题清单通报如下："
        )
        % {
            "start": _date(snap["start"]),
            "end": _date(snap["end"]),
            "round": snap["round"],
            "n": len(problems),
            "as_of": _date(snap["as_of"]),
            "fixed": fixed,
        }
    )
    outline.heading(_("一、各村得分排名"))
    outline.table(
        [_("名次"), _("村（社区）"), _("问题数"), _("已整改"), _("扣分"), _("得分")],
        [
            [str(r["rank"]), r["village"], str(r["problems"]), str(r["rectified"]), r["deduction"], r["score"]]
            for r in snap["ranking"]
        ],
    )
    outside = len(problems) - sum(r["problems"] for r in snap["ranking"])
    if outside > 0:  # the table's 问题数 add up to the total the opening paragraph gives, or this line says why not
        outline.paragraph(
            _("另有%(n)s个问题的点位不在各村（社区）范围内，列入下方问题清单，不计入各村得分。") % {"n": outside}
        )
    outline.heading(_("二、发现的问题"))
    if problems:
        outline.table(
            [_("序号"), _("村（社区）"), _("点位"), _("检查项目"), _("问题描述"), _("扣分"), _("整改情况")],
            [
                [str(i), p["village"], p["spot"], p["item"], p["description"], p["deduction"], p["status"]]
                for i, p in enumerate(problems, start=1)
            ],
        )
    else:
        outline.paragraph(_("本轮督查未发现问题。"))
    outline.heading(_("三、工作要求"))
    outline.paragraph(_("请各村对照问题清单立即整改，整改情况通过基层智治平台反馈，镇督查组将逐一复查销号。"))
    return write_docx(outline)


# ---------------------------------------------------------------------------------------------------
# Bulletins


BULLETIN_SERIES = "inspection_bulletin"  # the rounds' bulletins are numbered apart from the platform's


def bulletin_number(title: str, year: int, seq: int) -> str:
    return _("%(title)s%(year)s年第%(seq)s期") % {"title": title, "year": year, "seq": seq}


@dataclass(frozen=True, slots=True)
class IssuePlan:
    """What issuing the round's bulletin will do, said before it is done: the number it takes — the next of the
    rounds' series in the town's year as things stand (a bulletin issued meanwhile moves it on) — and what it
    freezes: the ranking of the town's villages and the problems it names (``bulletin_problems``), with how many
    are rectified."""

    title: str
    number: str
    villages: int
    problems: int
    rectified: int


def issue_plan(*, round: InspectionRound, actor: User, now: datetime | None = None) -> IssuePlan:
    """What ``issue_bulletin`` would do for ``actor`` at ``now``: reads only (refused as it would be)."""
    now = now or timezone.now()
    check_manager(actor, round.town)
    year = timezone.localtime(now).year
    seq = last_values(series=BULLETIN_SERIES, town=round.town, years=[year]).get(year, 0) + 1
    counts = bulletin_problems(round).aggregate(
        problems=Count("pk"), rectified=Count("pk", filter=Q(case__status=Status.CLOSED))
    )
    return IssuePlan(
        title=_("关于%(round)s情况的通报") % {"round": round.name},
        number=bulletin_number(round.bulletin_title, year, seq),
        villages=len(village_scores(round)),
        problems=counts["problems"],
        rectified=counts["rectified"],
    )


def bulletin_problems(round: InspectionRound) -> QuerySet[InspectionProblem]:
    """The problems ``round``'s bulletin names, in its order: every one the command room did not reject (不予立案),
    wherever it lies — also one outside the town's villages, which no village's score counts. What the
    confirmation says is issued (``issue_plan``) and what is issued (``issue_bulletin``) are these rows."""
    return (
        InspectionProblem.objects.filter(round=round)
        .exclude(case__status=Status.REJECTED)
        .select_related("village", "item", "case")
        .order_by("village__sort_order", "village__code", "found_at", "id")
    )


def issue_bulletin(*, round: InspectionRound, actor: User, now: datetime | None = None) -> InspectionBulletin:
    """Number and archive the round's bulletin: the ranking and every problem, as they stand at ``now``."""
    now = now or timezone.now()
    check_manager(actor, round.town)
    year = timezone.localtime(now).year
    scores = village_scores(round)
    problems = bulletin_problems(round)
    with transaction.atomic():
        seq = next_value(series=BULLETIN_SERIES, town=round.town, year=year)
        number = bulletin_number(round.bulletin_title, year, seq)
        snapshot = {
            "number": number,
            "round": round.name,
            "start": round.start_date.isoformat(),
            "end": round.end_date.isoformat(),
            "as_of": now.isoformat(),
            "base_score": str(round.base_score),
            "ranking": [
                {
                    "rank": s.rank,
                    "village": s.village.name,
                    "problems": s.problems,
                    "rectified": s.rectified,
                    "deduction": str(s.deduction),
                    "score": str(s.score),
                }
                for s in scores
            ],
            "problems": [
                {
                    "case": p.case.number,
                    "village": p.village.name,
                    "spot": p.spot,
                    "item": p.item.name,
                    "description": p.case.description,
                    "deduction": str(p.deduction),
                    "status": str(Status(p.case.status).label),
                    "rectified": p.case.status == Status.CLOSED,
                }
                for p in problems
            ],
        }
        return InspectionBulletin.objects.create(
            town=round.town,
            round=round,
            year=year,
            seq=seq,
            title=number,
            issued_at=now,
            issued_by=actor,
            snapshot=snapshot,
        )
