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

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
from gridgov.data.metrics.indicators import Period, Scope, cases_behind
from gridgov.data.org.models import Area
from gridgov.data.people import figures as people
from gridgov.data.problemlists import figures as problemlists
from gridgov.data.projects import figures as projects
from gridgov.data.rentals import figures as rentals
from gridgov.data.reports import phrasing
from gridgov.data.reports.domain.economy import indicator_table
from gridgov.data.reports.domain.sentences import Piece, Sentence, Style, Writer
from gridgov.data.reports.enums import BulletinStatus
from gridgov.data.reports.models import Bulletin
from gridgov.data.visits import figures as visits
from gridgov.data.writers import Outline


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
    cohort, done = registered.count(), closed.count()
    since, until = period.bounds()
    issued = Bulletin.objects.filter(
        town=town, status=BulletinStatus.ISSUED, issued_at__gte=since, issued_at__lt=until, issued_at__lte=as_of
    ).count()
    # 各类通报: the platform's bulletins and the inspection rounds' bulletins.
    rounds = inspections.year_figures(town=town, start=start, end=end, as_of=as_of)
    issued += int(rounds["inspection_bulletins"].value or 0)
    grid_closed = events(grid_scope, "completion_rate")
    return {
        "events_registered": Figure(_("处理基层智治平台事件"), cohort, _("件"), registered),
        "events_closed": Figure(_("办结事件"), done, _("件"), closed),
        "events_completion_rate": Figure(
            _("办结率"), None if cohort == 0 else Decimal(done) / Decimal(cohort), "%", closed
        ),
        "grid_resolved": Figure(_("通过网格采集解决问题信息"), grid_closed.count(), _("条"), grid_closed),
        "major_categories": Figure(_("事件大类"), _major_categories(registered), _("大项"), registered),
        "bulletins_issued": Figure(_("发布各类通报"), issued, _("期")),
    }


def _major_categories(events: QuerySet[Case]) -> int:
    """The major categories the period's events were collected in (a period without events used none)."""
    return (
        Case.objects.filter(pk__in=events.values("pk"))
        .exclude(major_category_id__isnull=True)
        .values("major_category_id")
        .distinct()
        .count()
    )


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


def _same_rate(found: Mapping[str, Figure], a: str, b: str) -> bool:
    return a in found and b in found and found[a].value == found[b].value


def year_review(*, town: Area, year: int, as_of: datetime | None = None) -> YearReview:
    as_of = as_of or timezone.now()
    period = Period.year(year)
    figures = {
        source: function(town=town, start=period.start, end=period.end, as_of=as_of)
        for source, function in SOURCES.items()
    }
    # An indicator whose number the enterprise records state (and link) is said once, in the records' sentence.
    recorded = figures["enterprise_years"]
    stated = {
        name
        for name, key in enterprise_years.INDICATOR_NAMES.items()
        if (rows := recorded[key].records) is not None and rows.exists()
    }
    return YearReview(
        town=town,
        year=year,
        as_of=as_of,
        sentences=review_sentences(figures),
        economy=_economy(town=town, year=year, stated=stated),
    )


def review_sentences(figures: Mapping[str, Mapping[str, Figure]]) -> list[Sentence]:
    """The year's sentences, phrased as the work report phrases them, from each source's figures."""
    w = Writer(figures)
    sentences = [
        w.sentence(
            _("基层智治"),
            "cases",
            [
                pgettext("year review sentence", "处理基层智治平台事件"),
                ("events_registered", "count"),
                _("，办结率"),
                ("events_completion_rate", "rate"),
                _("。"),
            ],
        ),
        w.sentence(
            _("网格治理"),
            "cases",
            [
                _("以"),
                ("major_categories", "count"),
                _("事件分类采集信息，通过网格共采集解决问题信息"),
                ("grid_resolved", "approx"),
                _("。"),
            ],
        ),
        w.sentence(
            _("问题清单"),
            "problemlists",
            [_("报送“七张问题清单”"), ("problem_items", "count"), _("，整改完成率"), ("problem_rate", "rate"), _("。")],
        ),
    ]
    hazards = w.figures("enterprises")
    if _same_rate(hazards, "hazards_self_rate", "hazards_gov_rate"):
        rate_parts: list[str | tuple[str, Style]] = [_("，整改率"), ("hazards_self_rate", "rate"), _("。")]
    else:
        rate_parts = [
            _("，整改率分别为"),
            ("hazards_self_rate", "rate"),
            _("和"),
            ("hazards_gov_rate", "rate"),
            _("。"),
        ]
    sentences += [
        w.sentence(
            _("安全生产"),
            "enterprises",
            [
                _("全年企业自查隐患"),
                ("hazards_self_found", "count"),
                _("，政府端和第三方机构排查隐患"),
                ("hazards_gov_found", "count"),
                *rate_parts,
            ],
        ),
        w.sentence(
            _("创城督查"),
            "inspections",
            [
                _("全年发布创城督查通报"),
                ("inspection_bulletins", "count"),
                _("，累计巡查发现并整改突出问题"),
                ("inspection_rectified", "approx"),
                _("。"),
            ],
        ),
        w.sentence(
            _("三服务"),
            "enterprises",
            [
                pgettext("year review sentence", "帮助企业解决实际问题"),
                ("service_solved", "count"),
                _("，全年帮助企业融资"),
                ("financing_amount", "money_approx"),
                _("。"),
            ],
        ),
        w.sentence(
            _("信访维稳"),
            "disputes",
            [
                _("集中化解信访积案"),
                ("petition_backlog_cleared", "count"),
                _("，妥善解决企业劳资纠纷"),
                ("labour_disputes", "count"),
                _("，涉及金额"),
                ("labour_amount", "money_approx"),
                _("。"),
            ],
        ),
        w.sentence(_("通报"), "cases", [_("全年共发布各类通报"), ("bulletins_issued", "count"), _("。")]),
    ]
    economy = [
        *_investment_sentences(w),
        *_projects_sentences(w),
        _enterprise_year_sentence(w),
        _collective_sentence(w),
        _support_sentence(w),
    ]
    return [*sentences, *economy, *_people_sentences(w)]


def _people_sentences(w: Writer) -> list[Sentence]:
    """The register's, the visits' and social assistance's sentences (issue 15), as the work report writes them."""
    said = "year review sentence"
    return [
        w.sentence(
            _("群租房整改"),
            "rentals",
            [pgettext(said, "开展群租房消防安全专项整治，整改群租房"), ("rental_rooms_rectified", "count"), _("。")],
        ),
        w.sentence(
            _("农房盘活"),
            "rentals",
            [
                pgettext(said, "推进农房“三权分置”改革，盘活闲置农房"),
                ("farmhouses_revitalised", "count"),
                pgettext(said, "，实现农户年增收"),
                ("farmhouses_added_income", "money_approx"),
                _("。"),
            ],
        ),
        w.sentence(
            _("纳管人员"),
            "people",
            [pgettext(said, "全年纳管人员"), ("managed_persons", "count"), pgettext(said, "，切实做好“应管尽管”。")],
        ),
        Sentence(
            pgettext("year review topic", "救助帮扶"),
            w.pieces(
                "visits",
                [pgettext(said, "深入开展救助帮扶工作，累计走访困难对象"), ("hardship_households_visited", "count")],
            )
            + w.pieces(
                "assistance",
                [
                    pgettext(said, "，发放慰问金"),
                    ("assistance_condolence", "money"),
                    pgettext(said, "，低保低边及生活补助共计"),
                    ("assistance_living", "money"),
                    _("。"),
                ],
            ),
        ),
        w.sentence(
            _("社会保障"),
            "assistance",
            [
                pgettext(said, "全面落实各类惠民政策，社会养老保险、医疗保险补助共"),
                ("insurance_subsidies", "count"),
                _("。"),
            ],
        ),
        w.sentence(
            pgettext("year review topic", "退役军人"),
            "assistance",
            [
                pgettext(said, "关心关爱退役军人，完成"),
                ("veteran_cards_issued", "count"),
                pgettext(said, "退役军人优待证申领及发放。"),
            ],
        ),
        w.sentence(
            _("残疾人服务"),
            "assistance",
            [pgettext(said, "全年"), ("day_care_persons", "count"), pgettext(said, "残疾人享受日间照料服务。")],
        ),
    ]


def _collective_sentence(w: Writer) -> Sentence:
    """全镇8个村实现村级集体经济收入1529万元，其中经营性收入683万元，实现经营性收入增幅19%，6个村完成经营性收入超50万元。"""
    said = "year review sentence"
    over = phrasing.money(collective.OPERATING_THRESHOLD)
    growth = w.figures("collective").get("collective_operating_growth")
    falling = growth is not None and growth.value is not None and growth.value < 0
    return w.sentence(
        pgettext("year review topic", "村级集体经济"),
        "collective",
        [
            pgettext(said, "全镇"),
            ("villages_with_income", "count"),
            pgettext(said, "实现村级集体经济收入"),
            ("collective_income", "money"),
            pgettext(said, "，其中经营性收入"),
            ("collective_operating", "money"),
            pgettext(said, "，经营性收入降幅") if falling else pgettext(said, "，实现经营性收入增幅"),
            ("collective_operating_growth", "size"),
            pgettext(said, "，"),
            ("villages_operating_over", "count"),
            pgettext(said, "完成经营性收入超%(amount)s") % {"amount": over},
            *_leading_villages(w),
            pgettext(said, "。"),
        ],
    )


def _leading_villages(w: Writer) -> list[str]:
    """，其中摇星浦村、前岸村均突破180万元 (one village: 其中摇星浦村突破180万元); nothing when no village leads."""
    said = "year review sentence"
    leading = w.figures("collective").get("villages_operating_leading")
    names, passed = collective.leaders(leading) if leading is not None else ([], Decimal(0))
    if not names:
        return []
    values = {"villages": pgettext(said, "、").join(names), "amount": phrasing.money(passed)}
    if len(names) == 1:
        return [pgettext(said, "，其中%(villages)s突破%(amount)s") % values]
    return [pgettext(said, "，其中%(villages)s均突破%(amount)s") % values]


def _enterprise_year_sentence(w: Writer) -> Sentence:
    """新增规上企业4家，重点企业固定资产投资7.7亿元，全面完成辖区内13家低效企业整治。 — from the enterprises' yearly
    rows (``enterprises.yearly_figures``, which says how they stand beside the town's economic indicators); while
    some low-efficiency enterprises are not rectified: 完成11家低效企业整治，2家未完成整治。"""
    said = "year review sentence"
    found = w.figures("enterprise_years")
    parts: list[str | tuple[str, Style]] = [
        pgettext(said, "新增规上企业"),
        ("enterprises_new_above_scale", "count"),
        pgettext(said, "，重点企业固定资产投资"),
        ("key_investment", "money"),
    ]
    low, still_open = found.get("low_efficiency"), found.get("low_efficiency_open")
    if low is not None and low.value and still_open is not None and not still_open.value:
        parts += [pgettext(said, "，全面完成辖区内"), ("low_efficiency", "count"), pgettext(said, "低效企业整治")]
    elif low is not None and low.value:
        parts += [
            pgettext(said, "，完成"),
            ("low_efficiency_rectified", "count"),
            pgettext(said, "低效企业整治，"),
            ("low_efficiency_open", "count"),
            pgettext(said, "未完成整治"),
        ]
    parts.append(pgettext(said, "。"))
    return w.sentence(pgettext("year review topic", "企业发展"), "enterprise_years", parts)


def _investment_sentences(w: Writer) -> list[Sentence]:
    """全年引进项目10个，其中亿元项目1个，重大产业项目1个，引进石化配套企业1家。全年新增企业16家，到位资金2.1亿元。
    In a year that introduced 飞地项目 (built elsewhere, counted for the town), after 重大产业项目:
    ，飞地项目1个（签约金额1200万元）."""
    said = "year review sentence"
    enclave = w.figures("investment").get("leads_enclave")
    enclave_parts: list[str | tuple[str, Style]] = []
    if enclave is not None and enclave.value:
        enclave_parts = [
            pgettext(said, "，飞地项目"),
            ("leads_enclave", "count"),
            pgettext(said, "（签约金额"),
            ("leads_enclave_amount", "money"),
            pgettext(said, "）"),
        ]
    return [
        w.sentence(
            pgettext("year review topic", "招商引资"),
            "investment",
            [
                pgettext(said, "全年引进项目"),
                ("leads_introduced", "count"),
                pgettext(said, "，其中亿元项目"),
                ("leads_billion", "count"),
                pgettext(said, "，重大产业项目"),
                ("leads_major", "count"),
                *enclave_parts,
                pgettext(said, "，引进石化配套企业"),
                ("introduced_petrochemical", "count"),
                _("。"),
            ],
        ),
        w.sentence(
            pgettext("year review topic", "新增企业"),
            "investment",
            [
                pgettext(said, "全年新增企业"),
                ("enterprises_added", "count"),
                pgettext(said, "，到位资金"),
                ("funds_arrived", "money"),
                _("。"),
            ],
        ),
    ]


def _projects_sentences(w: Writer) -> list[Sentence]:
    """The key projects' sentence, in a year with any of the projects it counts (none otherwise)."""
    found = w.figures("projects")
    counted = ("group_projects", "projects_ahead", "land_mu", "renewal_projects")
    if not any(key in found and found[key].value for key in counted):
        return []
    return [_projects_sentence(w)]


def _projects_sentence(w: Writer) -> Sentence:
    """双合入岛门户打造21个工程项目全面启动，前岸智慧村社、智慧停车场、房屋风貌提升、杆线序化等4个项目超时序完成；超额完成
    抛荒地整治520亩；投入250万元实施8个乡村蝶变项目。 (The group's clause and the named projects only when there
    are.)"""
    said = "year review sentence"
    found = w.figures("projects")
    parts: list[str | tuple[str, Style]] = []
    group = found.get("group_projects")
    if group is not None:
        parts += [pgettext(said, "%(group)s打造") % {"group": group.label}, ("group_projects", "count")]
        parts += [pgettext(said, "工程项目全面启动，")]
    ahead = found.get("projects_ahead")
    names = projects.ahead_names(ahead) if ahead is not None else []
    if names:
        parts += [pgettext(said, "、").join(names), pgettext(said, "等"), ("projects_ahead", "count")]
        parts += [pgettext(said, "项目超时序完成；")]
    parts += [pgettext(said, "超额完成抛荒地整治"), ("land_mu", "count"), pgettext(said, "；投入")]
    parts += [("renewal_investment", "money"), pgettext(said, "实施"), ("renewal_projects", "count")]
    parts += [pgettext(said, "乡村蝶变项目。")]
    return w.sentence(pgettext("year review topic", "重点项目"), "projects", parts)


def _has(found: Mapping[str, Figure], key: str) -> bool:
    """Whether ``found`` has the figure ``key`` and it is not zero."""
    figure = found.get(key)
    return figure is not None and bool(figure.value)


def _support_sentence(w: Writer) -> Sentence:
    """全镇5个村实现村企结对，搭建2个共富工坊，累计实现企业助农30万元。 (each clause only with its records)"""
    said = "year review sentence"
    found = w.figures("collective_supports")
    parts: list[str | tuple[str, Style]] = []
    paired = _has(found, "villages_paired")
    if paired:
        parts += [pgettext(said, "全镇"), ("villages_paired", "count"), pgettext(said, "实现村企结对，")]
    if _has(found, "village_workshops"):
        built = pgettext(said, "搭建") if paired else pgettext(said, "全镇搭建")
        parts += [built, ("village_workshops", "count"), pgettext(said, "，")]
    parts += [pgettext(said, "累计实现企业助农"), ("village_support_amount", "money"), pgettext(said, "。")]
    return w.sentence(pgettext("year review topic", "企业助农"), "collective_supports", parts)


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
