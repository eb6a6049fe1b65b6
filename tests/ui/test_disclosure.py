"""One rule of showing personal data (``org.disclosure``), held on every surface for every persona: a case's
reporter is named in the same form in the case page's facts, its timeline, the phone page and the API answer — a
grid worker who reported in office in full, a resident masked — and a dispute's parties in the same form in the
ledger list, its Excel export, the record page and the API: a person masked, a company by its name."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.disputes.domain import PartyInput, register_dispute
from gridgov.data.disputes.enums import PartyKind, PartyRole
from gridgov.data.org.enums import Role
from tests.factories import MONDAY_0900, TownWorld, signed_in
from tests.ui.api.conftest import ApiClient

COMPANY = "岱西船舶修造有限公司"
STAFF_ROLES = [Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.HANDLER, Role.GRID_WORKER, Role.VILLAGE_STAFF]


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def reporter_on_page(html: str) -> str:
    """The 上报人 of the case page's facts (the reveal button left out)."""
    cell = _between(_between(html, '<dl class="facts">', "</dl>"), "上报人</dt>", "</dd>")
    return re.sub(r"<form.*", "", cell, flags=re.S).replace("<dd>", "").strip()


def first_actor_on_page(html: str) -> str:
    """Who took the first step, as the desktop timeline names them (<strong>上报</strong> · 孙网格 <span…)."""
    step = _between(_between(html, '<ol class="timeline">', "</ol>"), "<li>", "</li>")
    return step.split("</strong> · ", 1)[1].split(" <span", 1)[0].strip()


def first_actor_on_phone(html: str) -> str:
    step = _between(_between(html, '<ol class="timeline">', "</ol>"), '<span class="muted">', "</span>")
    return step.split(" · ", 1)[0].strip()


def shown_everywhere(world: TownWorld, role: Role, case_id: int) -> dict[str, str]:
    """The reporter's name as ``role`` is shown it on each surface."""
    user = world.persona(role)
    page = signed_in(user).get(reverse("web:case_detail", args=[case_id]))
    assert page.status_code == 200
    api = ApiClient(user).get(f"/api/cases/{case_id}").json()
    shown = {
        "facts": reporter_on_page(page.text),
        "timeline": first_actor_on_page(page.text),
        "api reporter": api["reporter"]["name"],
        "api timeline": api["timeline"][0]["actor_name"],
    }
    if role in (Role.GRID_WORKER, Role.VILLAGE_STAFF):
        shown["phone timeline"] = first_actor_on_phone(signed_in(user).get(f"/m/cases/{case_id}/").text)
    return shown


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_grid_worker_who_reported_is_named_in_full_on_every_surface(world: TownWorld, role: Role) -> None:
    case = world.bring_to(Status.HANDLING)  # reported by 孙网格, the grid worker, in office
    shown = shown_everywhere(world, role, case.pk)
    assert shown == dict.fromkeys(shown, "孙网格")


@pytest.mark.parametrize("role", [*STAFF_ROLES, Role.RESIDENT])
def test_a_resident_who_reported_is_masked_on_every_surface(world: TownWorld, role: Role) -> None:
    case = world.report(reporter=world.resident, channel=Channel.RESIDENT, area=world.grid_a)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=MONDAY_0900)  # the handler's too
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=MONDAY_0900
    )
    shown = shown_everywhere(world, role, case.pk)
    assert shown == dict.fromkeys(shown, "张**")


def test_after_the_command_room_reveals_a_resident_the_timeline_names_them_in_full_too(world: TownWorld) -> None:
    case = world.report(reporter=world.resident, channel=Channel.RESIDENT, area=world.grid_a)
    page = signed_in(world.operator).post(reverse("web:case_reveal_contact", args=[case.pk]))
    assert (reporter_on_page(page.text), first_actor_on_page(page.text)) == ("张居民", "张居民")


def test_an_enterprise_account_is_named_as_its_company(world: TownWorld) -> None:
    case = world.report(reporter=world.enterprise, channel=Channel.ENTERPRISE, area=world.grid_a)
    page = signed_in(world.operator).get(reverse("web:case_detail", args=[case.pk]))
    assert (reporter_on_page(page.text), first_actor_on_page(page.text)) == ("岱西船厂", "岱西船厂")


DISPUTE_ROLES = [Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.HANDLER]


@pytest.mark.parametrize("role", DISPUTE_ROLES)
def test_a_company_party_is_named_and_a_person_masked_on_every_surface(world: TownWorld, role: Role) -> None:
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type="labour",
        description="船厂外包班组反映拖欠工资",
        parties=[
            PartyInput(name="欧阳锋", phone="13912345678"),
            PartyInput(name=COMPANY, phone="05803050000", role=PartyRole.RESPONDENT),
        ],
        amount="160000",
        department=world.dept_a,
    )
    user = world.persona(role)
    client = signed_in(user)
    listing = client.get(reverse("ledgers:disputes"))
    export = client.get(reverse("ledgers:disputes_export"))
    [row] = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[1:]
    detail = client.get(reverse("ledgers:dispute", args=[dispute.pk]))
    api = ApiClient(user).get(f"/api/disputes/{dispute.pk}").json()
    assert "欧**、岱西船舶修造有限公司" in listing.text
    assert row[3] == "欧**、岱西船舶修造有限公司"
    assert re.findall(r"<td>(欧\*\*|" + COMPANY + r")</td>", detail.text) == ["欧**", COMPANY]
    assert [(p["kind"], p["name"], p["phone"], p["masked"]) for p in api["parties"]] == [
        ("person", "欧**", "139****5678", True),
        ("organisation", COMPANY, "058****0000", True),  # a company's phone is usually someone's mobile
    ]
    assert "欧阳锋" not in listing.text + detail.text + str(row) + str(api)


def test_the_party_kind_is_told_by_the_name_unless_given(world: TownWorld) -> None:
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type="conflict",
        description="邻里纠纷",
        parties=[
            PartyInput(name="王建厂"),  # three characters: a person's name, though it ends like a factory's
            PartyInput(name="岱西镇双合村股份经济合作社"),
            PartyInput(name="某某某某", kind=PartyKind.ORGANISATION),
            PartyInput(name="岱西超市", kind=PartyKind.PERSON),
        ],
        department=world.dept_a,
    )
    assert [p.kind for p in dispute.parties.order_by("sort_order")] == [
        PartyKind.PERSON,
        PartyKind.ORGANISATION,
        PartyKind.ORGANISATION,
        PartyKind.PERSON,
    ]
