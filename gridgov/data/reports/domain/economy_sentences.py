"""The year in review's sentences of the economic ledgers (issue 16), written as the work report writes them: the
investment attraction, the key projects and rural works, the enterprises' yearly figures, the villages' collective
economy and enterprises' help to the villages. Each sentence says a clause only when the year has its records, and
each number links to the records behind it (their figures carry ``records``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.figures import Figure
from gridgov.data.collective import figures as collective
from gridgov.data.projects import figures as projects
from gridgov.data.reports import phrasing
from gridgov.data.reports.domain.sentences import Sentence, Style, Writer


def economy_sentences(w: Writer) -> list[Sentence]:
    """The economic ledgers' sentences, in the work report's order."""
    return [
        *_investment_sentences(w),
        *_projects_sentences(w),
        _enterprise_year_sentence(w),
        _collective_sentence(w),
        _support_sentence(w),
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
