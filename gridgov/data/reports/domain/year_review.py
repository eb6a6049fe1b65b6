"""Year in review: the year's figures written as the town's work report writes them, each number traceable
to the cases behind it.

Figures come from sources:
- ``cases`` (here): the platform's events — 立案数 and 办结率 ("处理基层智治平台事件3124件,办结率100%"), the
  grid-worker channel cases resolved ("通过网格共采集解决问题信息1460余条"), the categories, the bulletins;
- each ledger app's ``gridgov/data/<app>/figures.py`` (problemlists, enterprises, inspections, disputes,
  rentals), and the people register's, the grid visits', social assistance's and the villages' collective
  economy's — whose numbers are counted from records that are not cases (houses, memberships, visits, payments,
  village incomes): their figures carry those ``records``;
- the economic indicators (targets and actuals) for the report's opening figures.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gridgov.data.assistance import figures as assistance
from gridgov.data.cases.enums import Channel, Kind
from gridgov.data.cases.figures import Figure
from gridgov.data.cases.models import Case
from gridgov.data.collective import figures as collective
from gridgov.data.disputes import figures as disputes
from gridgov.data.enterprises import figures as enterprises
from gridgov.data.enterprises import yearly_figures as enterprise_years
from gridgov.data.errors import NotFound
from gridgov.data.inspections import figures as inspections
from gridgov.data.investment import figures as investment
from gridgov.data.metrics import facts
from gridgov.data.metrics.indicators import Period, Scope, cases_behind
from gridgov.data.org.models import Area
from gridgov.data.people import figures as people
from gridgov.data.problemlists import figures as problemlists
from gridgov.data.projects import figures as projects
from gridgov.data.rentals import figures as rentals
from gridgov.data.reports import phrasing
from gridgov.data.reports.domain.economy import indicator_table
from gridgov.data.reports.domain.sentences import Piece, Sentence
from gridgov.data.reports.domain.year_sentences import review_sentences
from gridgov.data.reports.enums import BulletinStatus
from gridgov.data.reports.models import Bulletin
from gridgov.data.visits import figures as visits
from gridgov.data.writers import Outline

__all__ = ["SOURCES", "YearReview", "figure_cases", "review_sentences", "year_outline", "year_review"]


class YearFigures(Protocol):
    """A source's figures for [start, end) as of a moment (``cases.figures`` describes the shape)."""

    def __call__(self, *, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]: ...


def case_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The platform's own figures for [start, end), in the same shape as a ledger's.

    The work report's "基层智治平台事件" are the events (kind 事件); the ledgers' cases (hazards, problem-list
    items …) have their own sentences, so they are left out here. Counted from the same drill-down sets the
    indicator pages use (``cases_behind``), narrowed to events, so each number links to exactly its cases."""
    period = Period(start, end)
    town_scope = Scope(town=town)
    grid_scope = Scope(town=town, channel=Channel.GRID_WORKER)

    def events(scope: Scope, measure: str) -> QuerySet[Case]:
        return cases_behind(scope=scope, period=period, measure=measure, part="numerator", as_of=as_of).filter(
            kind=Kind.EVENT
        )

    registered = events(town_scope, "registered")
    closed = events(town_scope, "completion_rate")
    grid_closed = events(grid_scope, "completion_rate")
    # The four counts in one query over the period's events: the drill-down sets above are the cohort, the cohort
    # closed by then, and those of the grid-worker channel (``cases_behind``'s conditions, from ``facts``).
    closed_then = facts.closed_by(as_of)
    counted = registered.aggregate(
        cohort=Count("pk"),
        done=Count("pk", filter=closed_then),
        grid=Count("pk", filter=grid_scope.case_filter() & closed_then),
        majors=Count("major_category", distinct=True),  # the categories used (a null one is not counted)
    )
    cohort, done = counted["cohort"], counted["done"]
    since, until = period.bounds()
    issued = Bulletin.objects.filter(
        town=town, status=BulletinStatus.ISSUED, issued_at__gte=since, issued_at__lt=until, issued_at__lte=as_of
    ).count()
    # 各类通报: the platform's bulletins and the inspection rounds' bulletins.
    issued += inspections.bulletins_issued(town=town, start=start, end=end).count()
    return {
        "events_registered": Figure(_("处理基层智治平台事件"), cohort, _("件"), registered),
        "events_closed": Figure(_("办结事件"), done, _("件"), closed),
        "events_completion_rate": Figure(
            _("办结率"), None if cohort == 0 else Decimal(done) / Decimal(cohort), "%", closed
        ),
        "grid_resolved": Figure(_("通过网格采集解决问题信息"), counted["grid"], _("条"), grid_closed),
        "major_categories": Figure(_("事件大类"), counted["majors"], _("大项"), registered),
        "bulletins_issued": Figure(_("发布各类通报"), issued, _("期")),
    }


# Where each figure of the year in review comes from: the platform's own, and each ledger's.
SOURCES: dict[str, YearFigures] = {
    "cases": case_figures,
    "problemlists": problemlists.year_figures,
    "enterprises": enterprises.year_figures,
    "inspections": inspections.year_figures,
    "disputes": disputes.year_figures,
    "rentals": rentals.year_figures,
    "assistance": assistance.year_figures,
    "people": people.year_figures,
    "visits": visits.year_figures,
    "collective": collective.year_figures,
    "enterprise_years": enterprise_years.year_figures,
    "investment": investment.year_figures,
    "projects": projects.year_figures,
    "collective_supports": collective.support_figures,  # 村企结对 and 共富工坊 (issue 16)
}


@dataclass
class YearReview:
    town: Area
    year: int
    as_of: datetime
    sentences: list[Sentence]
    economy: list[Sentence]

    @property
    def title(self) -> str:
        return _("%(town)s%(year)s年基层治理工作情况") % {"town": self.town.name, "year": self.year}


def year_review(*, town: Area, year: int, as_of: datetime | None = None) -> YearReview:
    as_of = as_of or timezone.now()
    period = Period.year(year)
    figures = {
        source: function(town=town, start=period.start, end=period.end, as_of=as_of)
        for source, function in SOURCES.items()
    }
    # An indicator whose number the enterprise records state (and link) is said once, in the records' sentence:
    # when there are records behind it (both figures are a count or a sum of positive amounts of their records).
    recorded = figures["enterprise_years"]
    stated = {
        name
        for name, key in enterprise_years.INDICATOR_NAMES.items()
        if recorded[key].records is not None and recorded[key].value
    }
    return YearReview(
        town=town,
        year=year,
        as_of=as_of,
        sentences=review_sentences(figures),
        economy=_economy(town=town, year=year, stated=stated),
    )


_SCALE = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def _economy(*, town: Area, year: int, stated: Collection[str] = ()) -> list[Sentence]:
    """全年实现工业总产值27.8亿元，同比增长66.17%。 — from the indicators with an actual for the year, except those
    named in ``stated`` (their number is said elsewhere, from records)."""
    sentences = []
    for row in indicator_table(town=town, year=year):
        if row.to_date is None or row.indicator.name in stated:
            continue
        unit = row.indicator.unit
        if unit in _SCALE:
            value = phrasing.money(row.to_date * _SCALE[unit])
        else:
            text = format(row.to_date.normalize(), "f")
            # A Chinese classifier (家, 个) reads as nothing in English: "4", not "4家".
            value = text if phrasing.english() and phrasing.CJK.search(unit) else f"{text}{unit}"
        through = "" if row.through == (12 if row.indicator.frequency == "monthly" else 4) else row.through_label
        parts = [
            Piece(
                _("%(through)s实现%(name)s%(value)s")
                % {
                    "through": _("截至%(p)s，") % {"p": through} if through else _("全年"),
                    "name": row.indicator.name,
                    "value": value,
                }
            )
        ]
        if row.change is not None:
            parts.append(Piece(_("，同比%(change)s") % {"change": phrasing.change(row.change)}))
        if row.completion is not None:
            parts.append(Piece(_("，完成年度目标的%(rate)s") % {"rate": phrasing.percent(row.completion, prose=True)}))
        parts.append(Piece(_("。")))
        sentences.append(Sentence(row.indicator.name, parts))
    return sentences


def figure_cases(*, town: Area, year: int, source: str, key: str, as_of: datetime) -> QuerySet[Case]:
    """The cases behind one figure of the year in review (callers restrict them to what the user may see)."""
    function = SOURCES.get(source)
    if function is None:
        raise NotFound(_("该数字没有对应的案件清单"))
    period = Period.year(year)
    figure = function(town=town, start=period.start, end=period.end, as_of=as_of).get(key)
    if figure is None or figure.cases is None:
        raise NotFound(_("该数字没有对应的案件清单"))
    return figure.cases


def year_outline(review: YearReview) -> Outline:
    outline = Outline(
        header=_("%(town)s基层智治工作") % {"town": review.town.name},
        title=review.title,
        signature=[review.town.name, phrasing_date(review.as_of)],
    )
    outline.paragraph(
        _("以下数字均由基层智治平台按%(year)s年全年数据自动生成，数据截至%(as_of)s。")
        % {"year": review.year, "as_of": phrasing_date(review.as_of)}
    )
    if review.economy:
        outline.heading(_("一、经济社会发展"))
        for sentence in review.economy:
            outline.paragraph(sentence.text)
    outline.heading(_("二、基层治理") if review.economy else _("一、基层治理"))
    for sentence in review.sentences:
        outline.paragraph(sentence.text)
    return outline


def phrasing_date(moment: datetime) -> str:
    """2026年12月4日 in Chinese, Dec. 4, 2026 in English (the active language's DATE_FORMAT)."""
    return formats.date_format(timezone.localtime(moment).date(), "DATE_FORMAT")
