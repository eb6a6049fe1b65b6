"""Enterprise ledger pages: scope (enterprise users see only their own company), forms with errors next to
fields, filters and exports with the same filters, query counts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gridgov.data.cases.enums import Status
from gridgov.data.enterprises.domain.services import raise_request, record_meeting
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.models import Hazard, Meeting, ServiceRequest
from gridgov.data.org.models import Enterprise
from tests.data.enterprises.conftest import EnterpriseWorld, build_enterprise_world, valid_code
from tests.data.enterprises.test_services import solve
from tests.factories import MONDAY_0900, WORLD_TODAY, TownWorld, jpeg, signed_in


@pytest.fixture
def ew(world: TownWorld) -> EnterpriseWorld:
    return build_enterprise_world(world)


def sheet_rows(content: bytes) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_enterprise_user_sees_only_its_own_company(ew: EnterpriseWorld) -> None:
    own = ew.hazard(location="1号船台")
    ew.hazard(location="储罐区", enterprise=ew.chemical)
    gov = ew.hazard(location="2号船台", book=Book.GOVERNMENT)
    client = signed_in(ew.shipyard_user)
    page = client.get(reverse("ledgers:hazards"))
    assert page.status_code == 200
    assert ("1号船台" in page.text, "2号船台" in page.text, "储罐区" in page.text) == (True, True, False)
    # the other company's hazard by URL → 404, on the ledger page and the case page alike
    other = Hazard.objects.get(enterprise=ew.chemical)
    assert client.get(reverse("ledgers:hazard_detail", args=[other.case_id])).status_code == 404
    assert client.get(reverse("web:case_detail", args=[other.case_id])).status_code == 404
    assert client.get(reverse("ledgers:hazard_detail", args=[own.case_id])).status_code == 200
    assert client.get(reverse("web:case_detail", args=[own.case_id])).status_code == 200
    assert client.get(reverse("ledgers:reconcile", args=[ew.chemical.pk])).status_code == 404
    # the export holds only its own company's rows
    rows = sheet_rows(client.get(reverse("ledgers:hazards_export")).content)
    assert sorted(str(r[5]) for r in rows[1:]) == ["1号船台", "2号船台"]
    assert {r[0] for r in rows[1:]} == {"岱西船舶修造有限公司"}
    assert gov.case_id in {h.case_id for h in Hazard.objects.filter(enterprise=ew.shipyard)}
    # the enterprise directory shows only its own company
    directory = client.get(reverse("ledgers:enterprises"))
    assert ("岱西船舶修造有限公司" in directory.text, "岱西石化储运有限公司" in directory.text) == (True, False)
    assert "138****1234" in directory.text
    assert "13805801234" not in directory.text


def test_the_phone_home_does_not_start_the_grid_workers_offline_app(ew: EnterpriseWorld) -> None:
    """The offline app fetches the grid's data and keeps the /m/ pages, which an enterprise user is refused."""
    page = signed_in(ew.shipyard_user).get(reverse("ledgers:enterprise_home"))
    assert (page.status_code, 'id="offline-script"' in page.text, reverse("phone:offline_data") in page.text) == (
        200,
        False,
        False,
    )


def test_hazard_filters_and_export_use_the_same_filters(ew: EnterpriseWorld) -> None:
    ew.hazard(location="甲", grade=Grade.MAJOR)
    ew.hazard(location="乙", book=Book.THIRD_PARTY)
    ew.hazard(location="丙", book=Book.GOVERNMENT, enterprise=ew.chemical)
    client = signed_in(ew.w.operator)
    page = client.get(reverse("ledgers:hazards"), {"book": "gov"})
    assert ("乙" in page.text, "丙" in page.text, ">甲<" in page.text) == (True, True, False)
    rows = sheet_rows(client.get(reverse("ledgers:hazards_export"), {"book": "gov"}).content)
    assert rows[0][:4] == ("企业名称", "统一社会信用代码", "台账", "隐患等级")
    assert sorted(str(r[5]) for r in rows[1:]) == ["丙", "乙"]
    rows = sheet_rows(client.get(reverse("ledgers:hazards_export"), {"grade": "major"}).content)
    assert [(r[5], r[3], r[2]) for r in rows[1:]] == [("甲", "重大隐患", "企业自查")]
    htmx = client.get(reverse("ledgers:hazards"), {"book": "self"}, headers={"HX-Request": "true"})
    assert "<html" not in htmx.text
    assert "甲" in htmx.text


def test_hazard_list_has_no_n_plus_one(ew: EnterpriseWorld, django_assert_max_num_queries) -> None:
    for i in range(12):
        ew.hazard(location=f"部位{i}", enterprise=ew.chemical if i % 2 else ew.shipyard)
    client = signed_in(ew.w.operator)
    client.get(reverse("ledgers:hazards"))  # warm the session
    with django_assert_max_num_queries(11):  # constant: session, user, scope, page, header (导入 link, figures)
        response = client.get(reverse("ledgers:hazards"))
    assert sum(f">部位{i}</a>" in response.text for i in range(12)) == 12


def test_self_check_form_errors_next_to_fields_and_nothing_written(ew: EnterpriseWorld) -> None:
    client = signed_in(ew.shipyard_user)
    form = client.get(reverse("ledgers:hazard_new"))
    assert form.status_code == 200
    assert 'name="enterprise"' not in form.text
    assert 'name="book"' not in form.text
    response = client.post(
        reverse("ledgers:hazard_new"),
        {
            "grade": "general",
            "category": ew.fire.pk,
            "location": "仓库",
            "description": "灭火器过期",
            "found_on": "2026-11-20",
            "deadline": "2026-11-01",
            "funds": "-5",
        },
    )
    assert response.status_code == 200
    assert "整改资金不能为负数" in response.text
    assert Hazard.objects.count() == 0
    response = client.post(
        reverse("ledgers:hazard_new"),
        {
            "grade": "general",
            "category": ew.fire.pk,
            "location": "仓库",
            "description": "灭火器过期",
            "found_on": "2026-11-20",
            "deadline": "2026-11-01",
        },
    )
    assert "整改期限不能早于发现日期" in response.text
    assert Hazard.objects.count() == 0


def test_self_check_with_photo_from_the_phone_form(ew: EnterpriseWorld) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(ew.shipyard_user)
    today = WORLD_TODAY.isoformat()
    response = client.post(
        reverse("ledgers:hazard_new"),
        {
            "grade": "major",
            "category": ew.fire.pk,
            "location": "油漆库",
            "description": "油漆库未设防爆灯具",
            "found_on": today,
            "photos": [SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledgers:hazard_detail", args=[hazard.case_id])
    assert (hazard.book, hazard.grade, hazard.enterprise_id) == (Book.SELF, Grade.MAJOR, ew.shipyard.pk)
    assert hazard.case.attachments.count() == 1
    assert hazard.case.supervision_count == 1


def test_rectify_and_accept_from_the_detail_page(ew: EnterpriseWorld) -> None:
    from datetime import timedelta

    from gridgov.data.cases.domain.engine import apply_action
    from gridgov.data.cases.enums import Action

    hazard = ew.hazard(found_on=WORLD_TODAY - timedelta(days=3))
    case_id = hazard.case_id
    apply_action(case_id=case_id, actor=ew.w.operator, action=Action.REGISTER)
    apply_action(case_id=case_id, actor=ew.w.operator, action=Action.DISPATCH, department=ew.w.dept_a)
    apply_action(case_id=case_id, actor=ew.w.handler_a, action=Action.SIGN)
    from django.core.files.uploadedfile import SimpleUploadedFile

    handler = signed_in(ew.w.handler_a)
    url = reverse("ledgers:hazard_detail", args=[case_id])
    response = handler.post(
        url,
        {
            "step": "rectify",
            "measures": "更换接地线",
            "funds": "800",
            "rectified_on": WORLD_TODAY.isoformat(),
            "photos": [SimpleUploadedFile("b.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert response.status_code == 302
    operator = signed_in(ew.w.operator)
    bad = operator.post(
        url, {"step": "accept", "acceptor": "王验收", "accepted_on": (WORLD_TODAY - timedelta(days=10)).isoformat()}
    )
    assert "验收日期不能早于发现日期" in bad.text
    good = operator.post(url, {"step": "accept", "acceptor": "王验收", "accepted_on": WORLD_TODAY.isoformat()})
    assert good.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.case.status, hazard.acceptor, hazard.funds) == (Status.CLOSED, "王验收", Decimal("800.00"))
    shown = operator.get(url).text
    assert ("<dt>整改资金</dt><dd>800元</dd>" in shown, "800.00" in shown) == (True, False)


def test_enterprise_directory_form_checks_the_credit_code(ew: EnterpriseWorld) -> None:
    client = signed_in(ew.w.operator)
    response = client.post(reverse("ledgers:enterprises"), {"name": "新企业", "credit_code": "91330921MA2A0B1E4A"})
    assert "校验位错误" in response.text
    assert Enterprise.objects.count() == 2
    code = valid_code("91330921MA2A0B1E4")
    response = client.post(reverse("ledgers:enterprises"), {"name": "新企业", "credit_code": code})
    assert response.status_code == 302
    assert Enterprise.objects.filter(credit_code=code).count() == 1
    # enterprise users cannot register enterprises
    assert (
        signed_in(ew.shipyard_user).post(reverse("ledgers:enterprises"), {"name": "x", "credit_code": code}).status_code
        == 404
    )


def test_reconciliation_page_lists_missed_hazards(ew: EnterpriseWorld) -> None:
    ew.hazard(location="仓库", description="灭火器压力不足", category=ew.fire)
    ew.hazard(book=Book.GOVERNMENT, location="仓库", description="灭火器压力不足", category=ew.fire)
    ew.hazard(book=Book.THIRD_PARTY, location="码头", description="油罐区防雷检测过期", category=ew.fire)
    page = signed_in(ew.w.leader).get(reverse("ledgers:reconcile", args=[ew.shipyard.pk]))
    assert "企业自查遗漏：1 条" in page.text
    assert "两本账一致：1 对" in page.text
    missed = page.text.split('id="missed-table"')[1].split("</table>")[0]
    assert "油罐区防雷检测过期" in missed
    assert "灭火器压力不足" not in missed


def test_reconciliation_compares_only_the_hazards_the_reader_may_see(ew: EnterpriseWorld) -> None:
    # A government-book hazard handled by department A (rectified there), one found by the enterprise itself.
    ew.rectify(ew.hazard(book=Book.GOVERNMENT, location="码头", description="油罐区防雷检测过期", category=ew.fire))
    ew.hazard(location="仓库", description="灭火器压力不足", category=ew.fire)
    url = reverse("ledgers:reconcile", args=[ew.shipyard.pk])
    own_department = signed_in(ew.w.handler_a).get(url)
    other_department = signed_in(ew.w.handler_b).get(url)
    assert (own_department.status_code, other_department.status_code) == (200, 200)
    # department B reads nothing of department A's case: not its text, not a link to a page it cannot open
    assert ("油罐区防雷检测过期" in own_department.text, "油罐区防雷检测过期" in other_department.text) == (True, False)
    case_id = Hazard.objects.get(book=Book.GOVERNMENT).case_id
    link = reverse("ledgers:hazard_detail", args=[case_id])
    assert (link in own_department.text, link in other_department.text) == (True, False)
    assert signed_in(ew.w.handler_b).get(link).status_code == 404


def test_figures_page_shows_rates_as_percentages(ew: EnterpriseWorld) -> None:
    ew.rectify(ew.hazard(found_on=date(2026, 3, 1)))
    ew.hazard(found_on=date(2026, 4, 1))
    ew.hazard(found_on=date(2026, 5, 1))
    page = signed_in(ew.w.leader).get(reverse("ledgers:enterprise_figures"), {"year": 2026})
    table = page.text.split('id="book-figures"')[1].split("</table>")[0]
    self_row = table.split("企业自查")[1].split("</tr>")[0]
    assert ">3<" in self_row
    assert ">1<" in self_row
    assert "33.3%" in self_row
    assert "—" in table.split("第三方</td>")[1].split("</tr>")[0]


def test_services_meetings_and_enterprise_rating(ew: EnterpriseWorld) -> None:
    meeting = record_meeting(
        actor=ew.w.leader,
        town=ew.w.town,
        held_on=date(2026, 11, 20),
        enterprises=[ew.shipyard],
        today=date(2026, 11, 23),
    )
    request = raise_request(
        actor=ew.w.operator,
        enterprise=ew.shipyard,
        request_type=RequestType.FINANCING,
        description="流动资金贷款",
        meeting=meeting,
        now=MONDAY_0900,
    )
    raise_request(
        actor=ew.w.operator,
        enterprise=ew.chemical,
        request_type=RequestType.LABOUR,
        description="招工",
        now=MONDAY_0900,
    )
    solve(ew, request, Decimal("16000000"))
    client = signed_in(ew.shipyard_user)
    listing = client.get(reverse("ledgers:services"))
    assert ("流动资金贷款" in listing.text, "招工" in listing.text, "1600万元" in listing.text) == (True, False, True)
    rows = sheet_rows(client.get(reverse("ledgers:services_export")).content)
    assert [(r[1], r[2], r[8]) for r in rows[1:]] == [("岱西船舶修造有限公司", "融资", 16000000)]
    detail = reverse("ledgers:service_detail", args=[request.case_id])
    assert client.post(detail, {"step": "rate", "rating": "satisfied"}).status_code == 302
    request.case.refresh_from_db()
    assert request.case.satisfaction == "satisfied"
    meeting_page = client.get(reverse("ledgers:meeting_detail", args=[meeting.pk]))
    assert request.case.number in meeting_page.text
    other = ServiceRequest.objects.get(enterprise=ew.chemical)
    assert client.get(reverse("ledgers:service_detail", args=[other.case_id])).status_code == 404


def test_meeting_form_and_request_raised_at_it(ew: EnterpriseWorld) -> None:
    client = signed_in(ew.w.leader)
    response = client.post(reverse("ledgers:meetings"), {"held_on": "2026-11-20", "enterprises": []})
    assert "这个字段是必填项" in response.text or "请至少选择一家参会企业" in response.text
    response = client.post(
        reverse("ledgers:meetings"),
        {"held_on": "2026-11-20", "title": "乡镇长有约第6期", "enterprises": [ew.shipyard.pk, ew.chemical.pk]},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("ledgers:meeting_detail", args=[meeting.pk])
    response = client.post(
        reverse("ledgers:service_new") + f"?meeting={meeting.pk}",
        {
            "enterprise": ew.chemical.pk,
            "request_type": "approval",
            "description": "用地审批代办",
            "meeting": meeting.pk,
        },
    )
    request = ServiceRequest.objects.get()
    assert (request.meeting_id, request.enterprise_id, request.case.enterprise_id) == (
        meeting.pk,
        ew.chemical.pk,
        ew.chemical.pk,
    )
    assert signed_in(ew.shipyard_user).post(reverse("ledgers:meetings"), {"held_on": "2026-11-20"}).status_code == 404


def test_index_page(ew: EnterpriseWorld) -> None:
    page = signed_in(ew.w.leader).get(reverse("ledgers:index"))
    assert page.status_code == 200
    assert "隐患台账（两本账）" in page.text


def test_service_list_has_no_n_plus_one(ew: EnterpriseWorld, django_assert_max_num_queries) -> None:
    meeting = record_meeting(
        actor=ew.w.leader,
        town=ew.w.town,
        held_on=date(2026, 11, 20),
        enterprises=[ew.shipyard],
        today=date(2026, 11, 23),
    )
    for i in range(10):
        raise_request(
            actor=ew.w.operator,
            enterprise=ew.chemical if i % 2 else ew.shipyard,
            request_type=RequestType.POLICY,
            description=f"政策咨询{i}",
            meeting=meeting if i % 3 == 0 else None,
            now=MONDAY_0900,
        )
    client = signed_in(ew.w.operator)
    client.get(reverse("ledgers:services"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("ledgers:services"))
    assert sum(f"政策咨询{i}" in response.text for i in range(10)) == 10


def test_the_directory_opens_each_enterprise_s_yearly_figures_for_those_who_record_them(ew: EnterpriseWorld) -> None:
    years = reverse("ledgers:enterprise_years_of", args=[ew.shipyard.pk])
    operator = signed_in(ew.w.operator)
    assert f'<a href="{years}">岱西船舶修造有限公司</a>' in operator.get(reverse("ledgers:enterprises")).text
    assert operator.get(years).status_code == 200
    own = signed_in(ew.shipyard_user).get(reverse("ledgers:enterprises")).text
    assert ("<td>岱西船舶修造有限公司</td>" in own, f'href="{years}"' in own) == (True, False)


def test_the_enterprise_directory_export_holds_what_the_directory_shows(ew: EnterpriseWorld) -> None:
    """Its own company only, the contact's phone masked as on the page, under its name and today's date (as every
    ledger export)."""
    answer = signed_in(ew.shipyard_user).get(reverse("ledgers:enterprises_export"))
    rows = sheet_rows(answer.content)
    assert rows[0] == ("企业名称", "统一社会信用代码", "所在村/社区", "地址", "联系人", "联系电话")
    assert [(r[0], r[5]) for r in rows[1:]] == [("岱西船舶修造有限公司", "138****1234")]
    today = timezone.localtime().strftime("%Y%m%d")
    assert (
        answer["Content-Disposition"]
        == f"attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95{today}.xlsx"
    )
