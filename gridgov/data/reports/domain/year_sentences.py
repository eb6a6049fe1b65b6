"""The year in review's sentences, phrased as the town's work report phrases them, from each source's figures:
the platform's events, the ledgers', the economic indicators' (``economy_sentences``) and the people register's,
the visits' and social assistance's."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.figures import Figure
from gridgov.data.reports.domain.economy_sentences import economy_sentences
from gridgov.data.reports.domain.sentences import Sentence, Style, Writer


def _same_rate(found: Mapping[str, Figure], a: str, b: str) -> bool:
    return a in found and b in found and found[a].value == found[b].value


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
    return [*sentences, *economy_sentences(w), *_people_sentences(w)]


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
