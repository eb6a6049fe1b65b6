"""The case page's timeline says what each step decided: the handling deadline a dispatch set, the extension
asked for and granted (with the new deadline) and the rating given — not just who acted when."""

from __future__ import annotations

import re
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case, CaseAction
from tests.factories import TownWorld, signed_in


def act(case: Case, action: str) -> str:
    return reverse("web:case_action", args=[case.pk, action])


def step_details(page: str) -> list[str]:
    return re.findall(r'<div class="step-detail">([^<]*)</div>', page)


def written(moment: datetime | None) -> str:
    assert moment is not None
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def test_the_timeline_shows_the_extension_asked_and_granted_with_its_new_deadline(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    dispatched_deadline = case.handle_deadline
    signed_in(world.handler_a).post(
        act(case, "request_extension"), {"expected_version": case.version, "note": "缺材料", "extension": 2}
    )
    case.refresh_from_db()
    operator = signed_in(world.operator)
    operator.post(act(case, "approve_extension"), {"expected_version": case.version, "note": "同意"})
    page = operator.get(reverse("web:case_detail", args=[case.pk])).text
    granted_deadline = Case.objects.get(pk=case.pk).handle_deadline
    assert step_details(page) == [
        f"处置期限 {written(dispatched_deadline)}",
        "延期2个工作小时",  # the category's handling limit is in working hours
        f"延期2个工作小时，新期限 {written(granted_deadline)}",
    ]


def test_the_timeline_shows_the_rating_given(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    operator = signed_in(world.operator)
    operator.post(act(case, "rate"), {"expected_version": case.version, "rating": "basically"})
    page = operator.get(reverse("web:case_detail", args=[case.pk])).text
    assert step_details(page)[-1] == "评价：基本满意"


def test_a_rating_must_be_chosen_not_taken_from_the_first_option(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    operator = signed_in(world.operator)
    form = operator.get(act(case, "rate")).text
    assert '<option value="" selected>请选择满意度</option>' in form
    response = operator.post(act(case, "rate"), {"expected_version": case.version, "note": "电话回访", "rating": ""})
    assert response.status_code == 200
    assert "请选择满意度</li>" in response.text
    assert "电话回访</textarea>" in response.text
    assert CaseAction.objects.filter(case=case, action="rate").count() == 0
