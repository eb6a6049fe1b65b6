"""A year end on the pages: provisional deadlines are marked 暂定 (case page, API), the administrator is reminded
from 1 November to enter next year's schedule, and confirming it in the admin recomputes the deadlines."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.org.models import User
from gridgov.data.worktime.models import CalendarDay, CalendarYear
from tests.factories import TownWorld, at, signed_in
from tests.ui.api.conftest import ApiClient

REMINDER = "2027年的节假日与调休安排尚未录入：跨入2027年的期限暂按法定节假日计算（不含调休）"


def provisional_case(world: TownWorld) -> Case:
    """Dispatched on 31 December with three working days: the deadline falls in 2027."""
    case = world.report(now=at(2026, 12, 31, 9, 0), category=world.category_days)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 12, 31, 9, 0))
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=at(2026, 12, 31, 9)
    )
    case.refresh_from_db()
    return case


def test_case_page_and_api_mark_a_provisional_deadline(world: TownWorld, clock: time_machine.Traveller) -> None:
    clock.move_to(at(2026, 12, 31, 10, 0))
    case = provisional_case(world)
    page = signed_in(world.operator).get(reverse("web:case_detail", args=[case.pk])).text
    assert "期限 2027年1月6日 09:00" in page
    assert 'id="deadline-provisional"' in page
    detail = ApiClient(world.operator).get(f"/api/cases/{case.pk}").json()
    assert (detail["deadline"]["deadline"], detail["deadline"]["provisional"]) == ("2027-01-06T01:00:00Z", True)
    settled = world.bring_to(Status.HANDLING, now=at(2026, 12, 31, 9, 0))
    assert (
        'id="deadline-provisional"'
        not in signed_in(world.operator).get(reverse("web:case_detail", args=[settled.pk])).text
    )


def test_admin_is_reminded_from_november(world: TownWorld, clock: time_machine.Traveller) -> None:
    clock.move_to(at(2026, 10, 31, 10, 0))
    assert REMINDER not in signed_in(world.admin).get("/").text
    clock.move_to(at(2026, 11, 1, 10, 0))
    page = signed_in(world.admin).get("/").text
    assert REMINDER in page
    assert reverse("admin:worktime_calendaryear_changelist") in page
    CalendarYear.objects.create(year=2027, confirmed=True)
    assert REMINDER not in signed_in(world.admin).get("/").text


def test_confirming_the_year_in_the_admin_recomputes_and_says_so(world: TownWorld, clock) -> None:
    clock.move_to(at(2026, 12, 31, 10, 0))
    case = provisional_case(world)
    root = User.objects.create_superuser(username="root", password="pw-for-tests-1")
    client = signed_in(root)
    changelist = client.get(reverse("admin:worktime_calendaryear_changelist"))
    assert REMINDER in changelist.text
    CalendarDay.objects.create(date=at(2027, 1, 1).date(), is_workday=False, name="元旦")
    response = client.post(
        reverse("admin:worktime_calendaryear_add"),
        {"year": "2027", "confirmed": "on", "note": "国办发明电"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"已按2027年的正式安排重新计算 1 件事件的暂定期限：{case.number}" in response.text
    case.refresh_from_db()
    assert (case.handle_deadline, case.handle_provisional) == (at(2027, 1, 6, 9, 0), False)
    last = CaseAction.objects.filter(case=case).order_by("-seq").first()
    assert (last.action, last.data["reason"]) == (Action.RECALENDAR, "管理员确认了2027年的节假日与调休安排")
