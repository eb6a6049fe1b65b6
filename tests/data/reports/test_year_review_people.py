"""Year in review, issue 15: the register's, the visits' and social assistance's sentences, phrased as the work
report phrases them, in Chinese and (through the .po) in English; their numbers link to the records behind them;
the .docx holds them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext, pgettext
from docx import Document

from gridgov.data.assistance.domain import PaymentInput, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import Payment
from gridgov.data.cases.figures import Figure
from gridgov.data.cases.models import Case
from gridgov.data.people.enums import GroupKind
from gridgov.data.people.models import House
from gridgov.data.reports.domain.year_review import review_sentences, year_outline, year_review
from gridgov.data.visits.models import Visit
from gridgov.data.writers import write_docx
from tests.data.assistance.people import head, household
from tests.data.visits.builders import group, member, resident, visited
from tests.factories import TownWorld, at

AS_OF = at(2027, 1, 10)
TOPICS = ["群租房整改", "农房盘活", "纳管人员", "救助帮扶", "社会保障", "退役军人", "残疾人服务"]


def _report_figures() -> dict[str, dict[str, Figure]]:
    """The 2022 work report's numbers, as the sources give them (units in the active language)."""
    rooms, households, persons = gettext("间"), pgettext("unit", "户"), pgettext("unit", "人")
    yuan, times, named = gettext("元"), gettext("人次"), gettext("名")
    cases, houses = Case.objects.none(), House.objects.none()
    payments, visits = Payment.objects.none(), Visit.objects.none()
    return {
        "rentals": {
            "rental_rooms_rectified": Figure("整改群租房", 1278, rooms, cases),
            "farmhouses_revitalised": Figure("盘活闲置农房", 205, households, records=houses),
            "farmhouses_added_income": Figure("农户增收", Decimal("2412345.67"), yuan, records=houses),
        },
        "people": {"managed_persons": Figure("纳管人员", 1406, persons, records=visits)},
        "visits": {"hardship_households_visited": Figure("走访困难对象", 170, households, records=visits)},
        "assistance": {
            "assistance_condolence": Figure("发放慰问金", Decimal("210000.00"), yuan, records=payments),
            "assistance_living": Figure("低保低边及生活补助", Decimal("1670000.00"), yuan, records=payments),
            "insurance_subsidies": Figure("社会养老保险、医疗保险补助", 61, times, records=payments),
            "veteran_cards_issued": Figure("退役军人优待证申领及发放", 301, named, records=payments),
            "day_care_persons": Figure("残疾人享受日间照料服务", 16, named, records=payments),
        },
    }


def test_the_sentences_read_as_the_work_report() -> None:
    sentences = {s.topic: s for s in review_sentences(_report_figures())}
    assert {topic: sentences[topic].text for topic in TOPICS} == {
        "群租房整改": "开展群租房消防安全专项整治，整改群租房1278间。",
        "农房盘活": "推进农房“三权分置”改革，盘活闲置农房205户，实现农户年增收240余万元。",
        "纳管人员": "全年纳管人员1406人，切实做好“应管尽管”。",
        "救助帮扶": "深入开展救助帮扶工作，累计走访困难对象170户，发放慰问金21万元，低保低边及生活补助共计167万元。",
        "社会保障": "全面落实各类惠民政策，社会养老保险、医疗保险补助共61人次。",
        "退役军人": "关心关爱退役军人，完成301名退役军人优待证申领及发放。",
        "残疾人服务": "全年16名残疾人享受日间照料服务。",
    }
    linked = {(p.source, p.key): p.records for s in sentences.values() for p in s.pieces if p.linked}
    assert linked == {
        ("rentals", "rental_rooms_rectified"): False,  # its cases
        ("rentals", "farmhouses_revitalised"): True,
        ("rentals", "farmhouses_added_income"): True,
        ("people", "managed_persons"): True,
        ("visits", "hardship_households_visited"): True,  # one sentence, two sources
        ("assistance", "assistance_condolence"): True,
        ("assistance", "assistance_living"): True,
        ("assistance", "insurance_subsidies"): True,
        ("assistance", "veteran_cards_issued"): True,
        ("assistance", "day_care_persons"): True,
    }


def test_the_sentences_read_as_english() -> None:
    with translation.override("en"):
        texts = {s.topic: s.text for s in review_sentences(_report_figures())}
    assert list(texts)[-7:] == [
        "Group-rental rectifications",
        "Farmhouse revitalisation",
        "Persons brought under management",
        "Social assistance",
        "Social security",
        "Veterans",
        "Services for persons with disabilities",
    ]
    assert [texts[t] for t in list(texts)[-7:]] == [
        "Fire-safety campaign on group-rental houses; rectified: 1,278 rooms.",
        "Farmhouse reform (separating the three rights); idle farmhouses revitalised: 205 households, adding to"
        " households' yearly income over 2.4 million yuan.",
        "Brought under management this year: 1,406 persons, so that all who should be managed are.",
        "Social assistance: visits to families in hardship reached 170 households, condolence payments of 210,000 yuan,"
        " minimum living, near-poverty and living subsidies totalling 1.67 million yuan.",
        "Welfare policies carried out; social pension and medical insurance subsidies: 61 person-times.",
        "Care for veterans: 301 persons had their preferential cards applied for and issued.",
        "In the year, 16 persons with disabilities received day care.",
    ]


def test_a_year_review_counts_the_records_and_the_docx_holds_the_sentences(world: TownWorld) -> None:
    key = group(world, code="key_youth", every=90, kind=GroupKind.KEY)
    poor = group(world, code="poor_family", every=30)
    member(resident(world, name="甲"), key, since=date(2026, 5, 1))
    visited_one = resident(world, name="乙")
    member(visited_one, poor, since=date(2026, 1, 1))
    visited(world, at=at(2026, 6, 1), person=visited_one)
    hh = household(world, world.village_a, "A-001", "张阿大", serial=1)
    for kind, amount in ((PaymentKind.CONDOLENCE, "2000"), (PaymentKind.MINIMUM_LIVING, "3.5万")):
        data = PaymentInput(household=hh, resident=head(hh), kind=kind, amount=amount, paid_on=date(2026, 3, 1))
        record_payment(town=world.town, actor=world.operator, data=data)

    review = year_review(town=world.town, year=2026, as_of=AS_OF)
    texts = {s.topic: s.text for s in review.sentences}
    assert texts["纳管人员"] == "全年纳管人员1人，切实做好“应管尽管”。"
    assert (
        texts["救助帮扶"]
        == "深入开展救助帮扶工作，累计走访困难对象1户，发放慰问金2000元，低保低边及生活补助共计3.5万元。"
    )
    assert texts["农房盘活"] == "推进农房“三权分置”改革，盘活闲置农房0户，实现农户年增收0元。"
    paragraphs = [p.text for p in Document(io.BytesIO(write_docx(year_outline(review)))).paragraphs]
    assert [texts[topic] in paragraphs for topic in TOPICS] == [True] * len(TOPICS)
