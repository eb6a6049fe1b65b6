"""Bulletins (通报): generated from the indicators for a period and scope as of a moment T, frozen as JSON,
previewed, then issued with the next number of the town's year (2026年第N期, 文号 岱西智治〔2026〕N号).

Generation writes a draft; issuing assigns the number under a row lock on the town's counter, so two
bulletins issued at the same moment get 第1期 and 第2期, never the same number.

What a bulletin says is ``bulletin_content``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.errors import Conflict, first_or_not_found
from gridgov.data.metrics.indicators import Period, Scope
from gridgov.data.org.enums import AreaLevel, DepartmentKind
from gridgov.data.org.models import Area, Department, User
from gridgov.data.org.numbering import last_values, next_value
from gridgov.data.reports.domain.bulletin_content import Progress, bulletin_content, cn_date
from gridgov.data.reports.enums import BulletinStatus
from gridgov.data.reports.models import Bulletin
from gridgov.data.writers import Outline

BULLETIN_SERIES = "bulletin"  # 2026年第N期 of the platform's bulletins (the inspection rounds number theirs apart)
# The town's units a bulletin is addressed to besides its villages (镇各有关部门): its offices and stations.
TOWN_UNITS = (DepartmentKind.TOWN_OFFICE, DepartmentKind.STATION)


def document_prefix(town: Area) -> str:
    """岱西镇 → 岱西智治 (the 文号 prefix of the town's governance office)."""
    short = town.name
    for suffix in ("街道", "镇", "乡"):
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)]
            break
    return _("%(town)s智治") % {"town": short}


def generate_bulletin(
    *,
    user: User,
    scope: Scope,
    scope_key: str,
    period: Period,
    as_of: datetime | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Bulletin:
    """Compute and freeze a draft bulletin (not yet numbered)."""
    now = now or timezone.now()
    as_of = as_of or now
    content = bulletin_content(scope=scope, period=period, as_of=as_of, progress=progress)
    if progress:
        progress(_("正在保存通报草稿……"))
    return Bulletin.objects.create(
        town=scope.town,
        title=_("关于%(period)s%(scope)s基层智治工作情况的通报") % {"period": period.label, "scope": scope.label},
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        scope_kind=scope_key.partition(":")[0] or "town",
        scope_key=scope_key,
        scope_label=scope.label,
        as_of=as_of,
        content=content,
        created_by=user,
        created_at=now,
    )


def issue_bulletin(*, bulletin_id: int, town: Area, user: User, now: datetime | None = None) -> Bulletin:
    """Give a draft the next number of its town's year and mark it issued (atomic; a second issue conflicts)."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    with transaction.atomic():
        bulletin = first_or_not_found(
            Bulletin.objects.select_for_update().filter(pk=bulletin_id, town=town), _("通报不存在")
        )
        if bulletin.status == BulletinStatus.ISSUED:
            raise Conflict(
                _("该通报已于%(when)s印发为%(year)s年第%(n)s期")
                % {"when": cn_date(bulletin.issued_at or now), "year": bulletin.year, "n": bulletin.number}
            )
        number = next_value(series=BULLETIN_SERIES, town=town, year=year)
        bulletin.status = BulletinStatus.ISSUED
        bulletin.year = year
        bulletin.number = number
        bulletin.document_number = document_number(town=town, year=year, number=number)
        bulletin.issued_by = user
        bulletin.issued_at = now
        bulletin.save(update_fields=["status", "year", "number", "document_number", "issued_by", "issued_at"])
    return bulletin


def document_number(*, town: Area, year: int, number: int) -> str:
    """The 文号 of the town's ``number``-th bulletin of ``year``: 岱西智治〔2026〕3号."""
    return _("%(prefix)s〔%(year)s〕%(n)s号") % {"prefix": document_prefix(town), "year": year, "n": number}


@dataclass(frozen=True, slots=True)
class IssuePlan:
    """What issuing a draft will do, said before it is done: the number and 文号 it takes — the next of the town's
    year as things stand (a bulletin issued meanwhile moves it on) — whom it is addressed to (the town's villages
    and communities, and its offices and stations), and whom it names for praise or criticism."""

    year: int
    number: int
    document_number: str
    villages: int
    departments: int
    commendations: list[str]
    criticisms: list[str]


def issue_plan(*, bulletin: Bulletin, now: datetime | None = None) -> IssuePlan:
    """What ``issue_bulletin`` would do to the draft ``bulletin`` at ``now``: reads only."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    town = bulletin.town
    number = last_values(series=BULLETIN_SERIES, town=town, years=[year]).get(year, 0) + 1
    return IssuePlan(
        year=year,
        number=number,
        document_number=document_number(town=town, year=year, number=number),
        villages=Area.objects.filter(town=town, level=AreaLevel.VILLAGE).count(),
        departments=Department.objects.filter(town=town, active=True, kind__in=TOWN_UNITS).count(),
        commendations=list(bulletin.content.get("commendations", [])),
        criticisms=list(bulletin.content.get("criticisms", [])),
    )


def bulletin_for_town(*, town: Area, bulletin_id: int) -> Bulletin:
    bulletins = Bulletin.objects.select_related("created_by", "issued_by").filter(pk=bulletin_id, town=town)
    return first_or_not_found(bulletins, _("通报不存在"))


def issue_line(bulletin: Bulletin) -> str:
    if bulletin.number is None:
        return _("（草稿，未编号）")
    return _("%(year)s年第%(n)s期") % {"year": bulletin.year, "n": bulletin.number}


def bulletin_outline(bulletin: Bulletin) -> Outline:
    """The bulletin as a document outline for the .docx and .xlsx writers."""
    c = bulletin.content
    outline = Outline(
        header=_("%(town)s基层智治工作通报") % {"town": bulletin.town.name},
        title=bulletin.title,
        document_number=bulletin.document_number,
        issue_line=issue_line(bulletin),
        signature=[
            _("%(town)s综合信息指挥室") % {"town": bulletin.town.name},
            cn_date(bulletin.issued_at or bulletin.created_at),
        ],
    )
    outline.paragraph(
        _("各村（社区）、镇各有关部门：现将%(period)s基层智治平台事件办理情况通报如下（数据截至%(as_of)s）。")
        % {"period": bulletin.period_label, "as_of": c.get("as_of_label", "")}
    )
    outline.heading(_("一、总体情况"))
    outline.paragraph(c["summary_text"])
    outline.table(
        [_("指标"), _("数值"), _("分子/分母"), _("计算方法")],
        [
            [
                row["label"],
                row["value"],
                f"{row['numerator']}/{row['denominator']}" if row["denominator"] is not None else "—",
                row["formula"],
            ]
            for row in c["summary"]
        ],
    )
    section = 2
    numerals = "一二三四五六七八九十"
    if c["rankings"]:
        outline.heading(_("%(n)s、综合指标排名（擂台赛）") % {"n": numerals[section - 1]})
        for table in c["rankings"]:
            outline.paragraph(table["title"])
            outline.table(table["header"], table["rows"])
        section += 1
    outline.heading(_("%(n)s、超期事件") % {"n": numerals[section - 1]})
    section += 1
    if c["overdue"]:
        outline.paragraph(_("截至统计时点，共有超期事件%(n)s件：") % {"n": c["overdue_total"]})
        outline.table(
            [_("案卷编号"), _("分类"), _("村（社区）"), _("处置部门"), _("处置期限"), _("状态")],
            [
                [r["number"], r["category"], r["village"], r["department"], r["deadline"], r["status"]]
                for r in c["overdue"]
            ],
        )
    else:
        outline.paragraph(_("本期无超期事件。"))
    outline.heading(_("%(n)s、返工事件") % {"n": numerals[section - 1]})
    section += 1
    if c["reworked"]:
        outline.paragraph(_("本期共有返工事件%(n)s件：") % {"n": c["reworked_total"]})
        outline.table(
            [_("案卷编号"), _("分类"), _("村（社区）"), _("处置部门"), _("返工次数"), _("状态")],
            [
                [r["number"], r["category"], r["village"], r["department"], r["reworks"], r["status"]]
                for r in c["reworked"]
            ],
        )
    else:
        outline.paragraph(_("本期无返工事件。"))
    outline.heading(_("%(n)s、表扬与批评") % {"n": numerals[section - 1]})
    if c["commendations"]:
        outline.paragraph(_("对%(names)s予以通报表扬。") % {"names": _("、").join(c["commendations"])})
    if c["criticisms"]:
        outline.paragraph(
            _("对%(names)s予以通报批评，请相关村（社区）和部门认真分析原因，限期整改到位。")
            % {"names": _("、").join(c["criticisms"])}
        )
    if not c["commendations"] and not c["criticisms"]:
        outline.paragraph(_("本期不作表扬和批评。"))
    if c.get("praise_rule"):
        outline.paragraph(c["praise_rule"])
    return outline
