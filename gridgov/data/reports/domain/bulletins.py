"""Bulletins (通报): generated from the indicators for a period and scope as of a moment T, frozen as JSON,
previewed, then issued with the next number of the town's year (2026年第N期, 文号 岱西智治〔2026〕N号).

Generation writes a draft; issuing assigns the number under a row lock on the town's counter, so two
bulletins issued at the same moment get 第1期 and 第2期, never the same number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.models import Case
from gridgov.data.errors import Conflict, NotFound
from gridgov.data.metrics.indicators import (
    MEASURE_KEYS,
    SMALL_SAMPLE,
    IndicatorSet,
    Period,
    RankRow,
    Scope,
    cases_behind,
    compute,
    ranking,
)
from gridgov.data.metrics.models import Dim
from gridgov.data.org.enums import DepartmentKind
from gridgov.data.org.models import Area, Department, User
from gridgov.data.org.numbering import next_value
from gridgov.data.reports.enums import BulletinStatus
from gridgov.data.reports.models import Bulletin
from gridgov.data.writers import Outline
from gridgov.types import JSONObject

LISTED_CASES = 50  # overdue / reworked cases named in a bulletin at most
PRAISED = 3  # villages commended (top) and criticised (bottom)
BULLETIN_SERIES = "bulletin"  # 2026年第N期 of the platform's bulletins (the inspection rounds number theirs apart)

Progress = Callable[[str], None]


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def cn_datetime(moment: datetime) -> str:
    local = _local(moment)
    return _("%(y)d年%(m)d月%(d)d日%(h)d时%(mi)02d分") % {
        "y": local.year,
        "m": local.month,
        "d": local.day,
        "h": local.hour,
        "mi": local.minute,
    }


def cn_date(moment: datetime) -> str:
    local = _local(moment)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": local.year, "m": local.month, "d": local.day}


def document_prefix(town: Area) -> str:
    """岱西镇 → 岱西智治 (the 文号 prefix of the town's governance office)."""
    short = town.name
    for suffix in ("街道", "镇", "乡"):
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)]
            break
    return _("%(town)s智治") % {"town": short}


def _case_rows(qs: QuerySet[Case]) -> list[dict[str, str]]:
    rows = []
    for case in qs.select_related("category", "village", "department").order_by("handle_deadline", "id")[:LISTED_CASES]:
        rows.append(
            {
                "id": str(case.pk),
                "number": case.number,
                "category": case.category.name,
                "village": case.village.name if case.village else "—",
                "department": case.department.name if case.department else "—",
                "deadline": cn_date(case.handle_deadline) if case.handle_deadline else "—",
                "status": str(case.get_status_display()),
                "reworks": str(case.rework_count),
            }
        )
    return rows


def _ranking_table(rows: list[RankRow]) -> list[list[str]]:
    return [
        [
            str(r.rank) if r.rank is not None else "—",
            r.name,
            str(r.n),
            r.score.display,
            r.on_time_closure_rate.display,
            r.closure_rate.display,
            r.rework_rate.display,
            r.satisfaction_rate.display,
            r.note,
        ]
        for r in rows
    ]


def ranking_header(by_label: str) -> list[str]:
    return [
        _("名次"),
        by_label,
        _("立案数"),
        _("综合指标值"),
        _("按期结案率"),
        _("结案率"),
        _("返工率"),
        _("满意率"),
        _("备注"),
    ]


def _summary_text(*, scope: Scope, period: Period, figures: IndicatorSet) -> str:
    c = figures.counts
    return _(
        "%(period)s，%(scope)s共上报事件%(reported)s件，立案%(registered)s件，已结案%(closed)s件，"
        "办结率%(completion)s，按期结案率%(on_time)s，超期%(late)s件，返工率%(rework)s，综合指标值%(score)s。"
    ) % {
        "period": period.label,
        "scope": scope.label,
        "reported": c.reported,
        "registered": c.cohort,
        "closed": c.closed,
        "completion": figures.completion_rate.display,
        "on_time": figures.on_time_closure_rate.display,
        "late": c.late,
        "rework": figures.rework_rate.display,
        "score": figures.score.display,
    }


def praise_threshold() -> Decimal:
    """The lowest 综合指标值 a praised unit may have (setting ``GRIDGOV_BULLETIN_PRAISE_SCORE``)."""
    return Decimal(getattr(settings, "GRIDGOV_BULLETIN_PRAISE_SCORE", 85))


def praise_rule(threshold: Decimal) -> str:
    """The rule the bulletin prints under its praise and criticism."""
    return _(
        "表扬和批评仅限立案不少于%(n)s件的村（社区）；表扬须综合指标值不低于%(score)s；"
        "同一村（社区）及其村民委员会不同时受表扬和批评。"
    ) % {"n": SMALL_SAMPLE, "score": format(threshold.normalize(), "f")}


def _praise_lines(
    villages: list[RankRow], overdue: list[dict[str, str]], committees: dict[str, int], threshold: Decimal
) -> tuple[list[str], list[str]]:
    """Commend the top villages and criticise the bottom ones — only those with at least the ranking's
    sample minimum of cases, praise only at or above ``threshold`` — and criticise the departments with
    overdue cases. A village and its committee (``committees``: committee name → village id) are one unit:
    a unit criticised for anything is not praised."""
    judged = [r for r in villages if r.rank is not None and not r.small_sample and r.score.value is not None]
    late_by_department: dict[str, int] = {}
    for row in overdue:
        if row["department"] != "—":
            late_by_department[row["department"]] = late_by_department.get(row["department"], 0) + 1
    late_units = {committees[name] for name in late_by_department if name in committees}
    top = [r for r in judged if r.score.value is not None and r.score.value >= threshold][:PRAISED]
    bottom = [
        r
        for r in judged[-PRAISED:]
        if r not in top and r.rank != judged[0].rank and r.score.value is not None and r.score.value < threshold
    ]
    blamed = late_units | {r.key for r in bottom}
    praise = [
        _("%(name)s（综合指标值%(score)s，立案%(n)s件）") % {"name": r.name, "score": r.score.display, "n": r.n}
        for r in top
        if r.key not in blamed
    ]
    blame = [
        _("%(name)s（综合指标值%(score)s，立案%(n)s件）") % {"name": r.name, "score": r.score.display, "n": r.n}
        for r in reversed(bottom)
    ]
    for name, n in sorted(late_by_department.items(), key=lambda kv: (-kv[1], kv[0])):
        blame.append(_("%(name)s（超期事件%(n)s件）") % {"name": name, "n": n})
    return praise, blame


def bulletin_content(*, scope: Scope, period: Period, as_of: datetime, progress: Progress | None = None) -> JSONObject:
    """Everything a bulletin says, computed as of ``as_of`` (JSON-ready; frozen into the Bulletin)."""
    say = progress or (lambda _message: None)
    say(_("正在统计考核指标……"))
    figures = compute(scope=scope, period=period, as_of=as_of)
    whole_town = scope.rollup_key() == (Dim.TOWN, "")
    rankings: list[JSONObject] = []
    villages: list[RankRow] = []
    if whole_town:
        say(_("正在计算村（社区）和部门排名……"))
        villages = ranking(town=scope.town, period=period, by="village", as_of=as_of)
        departments = ranking(town=scope.town, period=period, by="department", as_of=as_of)
        rankings = [
            {
                "by": "village",
                "title": _("各村（社区）综合指标排名"),
                "header": ranking_header(_("村（社区）")),
                "rows": _ranking_table(villages),
            },
            {
                "by": "department",
                "title": _("各处置部门综合指标排名"),
                "header": ranking_header(_("处置部门")),
                "rows": _ranking_table([r for r in departments if r.n > 0]),
            },
        ]
    say(_("正在整理超期和返工案件……"))
    overdue = _case_rows(
        cases_behind(scope=scope, period=period, measure="overdue_rate", part="numerator", as_of=as_of)
    )
    reworked = _case_rows(
        cases_behind(scope=scope, period=period, measure="rework_rate", part="numerator", as_of=as_of)
    )
    committees = dict(
        Department.objects.filter(
            town=scope.town, kind=DepartmentKind.VILLAGE_COMMITTEE, area__isnull=False
        ).values_list("name", "area_id")
    )
    threshold = praise_threshold()
    praise, blame = _praise_lines(villages, overdue, committees, threshold)
    return {
        "summary": [
            {
                "key": m.key,
                "label": m.label,
                "value": m.display,
                "numerator": m.numerator,
                "denominator": m.denominator,
                "formula": m.formula,
            }
            for m in (figures[key] for key in MEASURE_KEYS)
        ],
        "summary_text": _summary_text(scope=scope, period=period, figures=figures),
        "rankings": rankings,
        "overdue": overdue,
        "overdue_total": figures.counts.late,
        "reworked": reworked,
        "reworked_total": figures.counts.reworked,
        "commendations": praise,
        "criticisms": blame,
        "praise_rule": praise_rule(threshold) if whole_town else "",
        "as_of_label": cn_datetime(as_of),
    }


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
    year = _local(now).year
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().filter(pk=bulletin_id, town=town).first()
        if bulletin is None:
            raise NotFound(_("通报不存在"))
        if bulletin.status == BulletinStatus.ISSUED:
            raise Conflict(
                _("该通报已于%(when)s印发为%(year)s年第%(n)s期")
                % {"when": cn_date(bulletin.issued_at or now), "year": bulletin.year, "n": bulletin.number}
            )
        number = next_value(series=BULLETIN_SERIES, town=town, year=year)
        bulletin.status = BulletinStatus.ISSUED
        bulletin.year = year
        bulletin.number = number
        bulletin.document_number = _("%(prefix)s〔%(year)s〕%(n)s号") % {
            "prefix": document_prefix(town),
            "year": year,
            "n": number,
        }
        bulletin.issued_by = user
        bulletin.issued_at = now
        bulletin.save(update_fields=["status", "year", "number", "document_number", "issued_by", "issued_at"])
    return bulletin


def bulletin_for_town(*, town: Area, bulletin_id: int) -> Bulletin:
    bulletin = Bulletin.objects.select_related("created_by", "issued_by").filter(pk=bulletin_id, town=town).first()
    if bulletin is None:
        raise NotFound(_("通报不存在"))
    return bulletin


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
