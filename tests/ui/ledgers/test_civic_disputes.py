"""Dispute pages: registering with errors next to fields, masked parties everywhere, logged reveal,
mediation, backlog clearing, masked export and the figures page."""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.disputes.domain import PartyInput, install_dispute_categories, register_dispute
from gridgov.data.disputes.models import Dispute
from gridgov.data.org.credit_code import check_character
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent
from gridgov.data.taxonomy.models import TimeLimit
from gridgov.data.worktime.enums import TimeUnit
from tests.factories import TownWorld, photo, signed_in


def register(world: TownWorld, **kw) -> Dispute:
    return register_dispute(
        town=world.town,
        actor=world.operator,
        type=kw.pop("type", "labour"),
        description="船厂拖欠工资",
        parties=[PartyInput(name="欧阳锋", phone="13912345678")],
        amount=kw.pop("amount", "160000"),
        department=world.dept_a,
        **kw,
    )


def test_register_page_errors_then_success(world: TownWorld) -> None:
    client = signed_in(world.operator)
    today = timezone.localdate().isoformat()
    form = {
        "type": "labour",
        "description": "拖欠工资",
        "party_name": "王五",
        "party_phone": "12",
        "party_id_number": "",
        "level": "town",
        "amount": "-1",
        "received_on": today,
        "department": str(world.dept_a.pk),
        "area": "",
    }
    bad = client.post(reverse("ledgers:dispute_new"), form)
    assert 'id="amount-errors"><li>涉及金额不能为负数' in bad.text
    bad = client.post(reverse("ledgers:dispute_new"), {**form, "amount": "5000"})
    assert 'id="party_phone-errors"><li>电话号码“12”格式不正确' in bad.text
    assert Dispute.objects.count() == 0
    good = client.post(reverse("ledgers:dispute_new"), {**form, "amount": "5000", "party_phone": "13800138000"})
    dispute = Dispute.objects.get()
    assert good["Location"] == reverse("ledgers:dispute", args=[dispute.pk])


def test_a_company_party_takes_its_credit_code_shown_in_full(world: TownWorld) -> None:
    code = "91330921MA2A3B4C5" + check_character("91330921MA2A3B4C5")
    client = signed_in(world.operator)
    form = {
        "type": "labour",
        "description": "拖欠工资",
        "party_name": "东海渔业",
        "party_kind": "organisation",
        "party_id_number": "330921199001011237",
        "level": "town",
        "received_on": timezone.localdate().isoformat(),
        "department": str(world.dept_a.pk),
    }
    bad = client.post(reverse("ledgers:dispute_new"), form)
    error = 'id="party_id_number-errors"><li>单位当事人请填写18位统一社会信用代码，330921********1237 是身份证号'
    assert error in bad.text
    assert Dispute.objects.count() == 0
    client.post(reverse("ledgers:dispute_new"), {**form, "party_id_number": code.lower()})
    dispute = Dispute.objects.get()
    page = client.get(reverse("ledgers:dispute", args=[dispute.pk]))
    assert f"<td>东海渔业</td><td>—</td><td>{code}</td>" in page.text


def test_a_party_number_typed_with_spaces_or_dashes_is_taken_once_cleaned(world: TownWorld) -> None:
    code = "91330921MA2A3B4C5" + check_character("91330921MA2A3B4C5")
    client = signed_in(world.operator)
    form = {
        "type": "labour",
        "description": "拖欠工资",
        "party_name": "王五",
        "party_id_number": "330921 19900101 1237",  # 20 characters as typed, 18 once the spaces are out
        "level": "town",
        "received_on": timezone.localdate().isoformat(),
        "department": str(world.dept_a.pk),
    }
    client.post(reverse("ledgers:dispute_new"), form)
    company = {
        **form,
        "party_name": "东海渔业",
        "party_kind": "organisation",
        "party_id_number": f"{code[:8]}-{code[8:]}",
    }
    client.post(reverse("ledgers:dispute_new"), company)
    too_long = client.post(reverse("ledgers:dispute_new"), {**form, "party_id_number": "330921 19900101 12377"})
    assert 'id="party_id_number-errors"><li>身份证号 330921*********2377 应为18位' in too_long.text
    assert [[(p.name, p.id_number) for p in d.parties.all()] for d in Dispute.objects.order_by("pk")] == [
        [("王五", "330921199001011237")],
        [("东海渔业", code)],
    ]


def test_parties_shown_in_list_detail_and_export_reveal_logged(world: TownWorld, django_assert_max_num_queries) -> None:
    for _n in range(5):
        register(world)
    dispute = Dispute.objects.first()
    client = signed_in(world.leader)
    with django_assert_max_num_queries(15):
        listing = client.get(reverse("ledgers:disputes"))
    assert listing.text.count("欧**") == 5
    assert "欧阳锋" not in listing.text
    detail = client.get(reverse("ledgers:dispute", args=[dispute.pk]))
    assert ("欧**" in detail.text, "139****5678" in detail.text, "欧阳锋" in detail.text) == (True, True, False)
    export = client.get(reverse("ledgers:disputes_export"))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[3] for r in rows[1:]] == ["欧**"] * 5
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).exists()

    revealed = client.post(reverse("ledgers:dispute_reveal", args=[dispute.pk]))
    assert ("欧阳锋" in revealed.text, "13912345678" in revealed.text) == (True, True)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED, user=world.leader).count() == 1
    handler = signed_in(world.handler_a)
    assert 'id="reveal"' not in handler.get(reverse("ledgers:dispute", args=[dispute.pk])).text
    assert handler.post(reverse("ledgers:dispute_reveal", args=[dispute.pk])).status_code == 403
    assert signed_in(world.handler_b).get(reverse("ledgers:dispute", args=[dispute.pk])).status_code == 404


def test_the_amount_reads_as_written_in_the_list_and_on_the_page(world: TownWorld) -> None:
    dispute = register(world, amount="160000")
    register(world, type="petition", amount="0")
    client = signed_in(world.leader)
    listing = client.get(reverse("ledgers:disputes")).text
    assert (listing.count("<td>160,000</td>"), listing.count("<td>0</td>"), "160000.00" in listing) == (1, 1, False)
    detail = client.get(reverse("ledgers:dispute", args=[dispute.pk])).text
    assert ("<dd>160,000</dd>" in detail, "160000.00" in detail) == (True, False)


def test_mediation_backlog_clearing_and_figures_page(world: TownWorld) -> None:
    dispute = register(world, type="petition", backlog=True, amount="0")
    handler = signed_in(world.handler_a)
    url = reverse("ledgers:dispute", args=[dispute.pk])
    missing = handler.post(url, {"method": "", "outcome": "resolved"})
    assert 'id="method-errors"' in missing.text
    handler.post(url, {"method": "leader", "outcome": "resolved", "note": "领导包案化解"})
    dispute.refresh_from_db()
    assert (dispute.method, dispute.outcome) == ("leader", "resolved")
    now = timezone.now()
    apply_action(case_id=dispute.case_id, actor=world.handler_a, action=Action.SIGN, now=now)
    apply_action(
        case_id=dispute.case_id,
        actor=world.handler_a,
        action=Action.RESOLVE,
        note="已化解",
        photos=photo(),
        now=now + timedelta(seconds=1),
    )
    apply_action(
        case_id=dispute.case_id, actor=world.operator, action=Action.VERIFY_PASS, now=now + timedelta(seconds=2)
    )
    leader = signed_in(world.leader)
    assert 'id="clear-backlog"' in leader.get(url).text
    leader.post(reverse("ledgers:dispute_clear_backlog", args=[dispute.pk]))
    assert Dispute.objects.get(pk=dispute.pk).backlog_cleared_at is not None
    labour = register(world, amount="16050000")
    apply_action(case_id=labour.case_id, actor=world.handler_a, action=Action.SIGN)
    apply_action(case_id=labour.case_id, actor=world.handler_a, action=Action.RESOLVE, note="已支付", photos=photo())
    apply_action(case_id=labour.case_id, actor=world.operator, action=Action.VERIFY_PASS)
    figures = leader.get(reverse("ledgers:civic_figures"))
    assert '<tr data-key="petition_backlog_cleared"><th>化解信访积案</th><td>1件</td></tr>' in figures.text
    assert '<tr data-key="labour_amount"><th>劳资纠纷涉及金额</th><td>1605.00万元</td></tr>' in figures.text
    assert '<tr data-key="disputes_rate"><th>矛盾纠纷化解率</th><td>100.0%</td></tr>' in figures.text
    assert '<tr data-key="problem_rate"><th>问题清单整改完成率</th><td>—</td></tr>' in figures.text
    assert handler.get(reverse("ledgers:civic_figures")).status_code == 403


def test_petition_extension_asked_by_handler_and_approved_by_leader(world: TownWorld) -> None:
    dispute = register(world, type="petition", amount="0")
    apply_action(case_id=dispute.case_id, actor=world.handler_a, action=Action.SIGN)
    handler = signed_in(world.handler_a)
    url = reverse("ledgers:dispute", args=[dispute.pk])
    assert 'id="extension-form"' in handler.get(url).text
    too_long = handler.post(reverse("ledgers:dispute_extension", args=[dispute.pk]), {"days": "45", "note": "复杂"})
    assert 'id="extension-errors"><li>信访件延期不得超过30日' in too_long.text
    handler.post(reverse("ledgers:dispute_extension", args=[dispute.pk]), {"days": "30", "note": "需进一步调查"})
    leader = signed_in(world.leader)
    assert "申请延期30天，待审批" in leader.get(url).text
    leader.post(reverse("ledgers:dispute_extension", args=[dispute.pk]), {"decision": "approve"})
    dispute.case.refresh_from_db()
    assert dispute.case.dispatched_at is not None
    assert dispute.case.handle_deadline == dispute.case.dispatched_at + timedelta(days=90)
    assert 'id="extension-form"' not in handler.get(url).text  # only once


def test_a_petition_extension_reads_in_the_unit_of_the_petitions_limit(world: TownWorld) -> None:
    petitions = install_dispute_categories(town=world.town)["petition"]
    TimeLimit.objects.filter(category=petitions).update(unit=TimeUnit.WORK_DAYS)  # the town counts working days
    dispute = register(world, type="petition", amount="0")
    apply_action(case_id=dispute.case_id, actor=world.handler_a, action=Action.SIGN)
    handler = signed_in(world.handler_a)
    url = reverse("ledgers:dispute", args=[dispute.pk])
    assert "申请延期（单位：工作日；信访件最多30日，只能延期一次）" in handler.get(url).text
    handler.post(reverse("ledgers:dispute_extension", args=[dispute.pk]), {"days": "3", "note": "需进一步调查"})
    assert "（申请延期3个工作日，待审批）" in signed_in(world.leader).get(url).text


def test_refusals_are_the_403_page_with_the_reason(world: TownWorld) -> None:
    """A refused reveal or page is the site's 403 page (styled, with the way home), naming the reason."""
    dispute = register(world)
    handler = signed_in(world.handler_a)
    figures = handler.get(reverse("ledgers:civic_figures"))
    assert (figures.status_code, figures["Content-Type"]) == (403, "text/html; charset=utf-8")
    assert '<p id="forbidden-reason">只有镇指挥室、领导或管理员可以查看全镇数据</p>' in figures.text
    assert "返回首页" in figures.text
    reveal = handler.post(reverse("ledgers:dispute_reveal", args=[dispute.pk]))
    assert (reveal.status_code, '<p id="forbidden-reason">' in reveal.text, "返回首页" in reveal.text) == (
        403,
        True,
        True,
    )
    assert "欧阳锋" not in reveal.text
