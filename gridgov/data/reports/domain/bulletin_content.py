"""What a bulletin (通报) says, computed from the indicators for a period and scope as of a moment T (JSON-ready,
frozen into the ``Bulletin`` by ``bulletins.generate_bulletin``): the summary, the rankings of villages and
departments (the whole town only), the overdue and reworked cases, praise and criticism under the rule printed
with them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.models import Case
from gridgov.data.metrics.indicators import (
    MEASURE_KEYS,
    SMALL_SAMPLE,
    IndicatorSet,
    Period,
    RankRow,
    Scope,
    Weights,
    cases_behind,
    compute,
    ranking,
)
from gridgov.data.metrics.models import Dim
from gridgov.data.org.enums import DepartmentKind
from gridgov.data.org.models import Department
from gridgov.types import JSONObject

LISTED_CASES = 50  # overdue / reworked cases named in a bulletin at most
PRAISED = 3  # villages commended (top) and criticised (bottom)

Progress = Callable[[str], None]


def cn_datetime(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(y)d年%(m)d月%(d)d日%(h)d时%(mi)02d分") % {
        "y": local.year,
        "m": local.month,
        "d": local.day,
        "h": local.hour,
        "mi": local.minute,
    }


def cn_date(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": local.year, "m": local.month, "d": local.day}


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
    praise = [_judged_line(r) for r in top if r.key not in blamed]
    blame = [_judged_line(r) for r in reversed(bottom)]
    for name, n in sorted(late_by_department.items(), key=lambda kv: (-kv[1], kv[0])):
        blame.append(_("%(name)s（超期事件%(n)s件）") % {"name": name, "n": n})
    return praise, blame


def _judged_line(r: RankRow) -> str:
    """A village as the bulletin names it when praising or criticising it for its score."""
    return _("%(name)s（综合指标值%(score)s，立案%(n)s件）") % {"name": r.name, "score": r.score.display, "n": r.n}


def bulletin_content(*, scope: Scope, period: Period, as_of: datetime, progress: Progress | None = None) -> JSONObject:
    """Everything a bulletin says, computed as of ``as_of`` (JSON-ready; frozen into the Bulletin)."""
    say = progress or (lambda _message: None)
    say(_("正在统计考核指标……"))
    weights = Weights.for_town(scope.town)  # read once: the summary and both rankings score with the same weights
    figures = compute(scope=scope, period=period, as_of=as_of, weights=weights)
    whole_town = scope.rollup_key() == (Dim.TOWN, "")
    rankings: list[JSONObject] = []
    villages: list[RankRow] = []
    if whole_town:
        say(_("正在计算村（社区）和部门排名……"))
        villages = ranking(town=scope.town, period=period, by="village", as_of=as_of, weights=weights)
        departments = ranking(town=scope.town, period=period, by="department", as_of=as_of, weights=weights)
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
