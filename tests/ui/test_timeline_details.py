"""One rule for what each step of a case decided (``cases.domain.timeline.step_detail``), shown alike on every
surface that shows a timeline: the desk's case page, the phone's case page and the API's case detail — the
handling deadline a dispatch set, the extension asked for and granted with its new deadline, and the rating."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.org.models import User
from tests.factories import MONDAY_0900, TownWorld, photo, signed_in
from tests.ui.api.conftest import ApiClient


def lived_case(world: TownWorld) -> Case:
    """A case taken from report to rating on the test's clock, one minute a step: dispatched to the 综合行政执法中队
    (暴露垃圾: 4 working hours to handle), two working hours more asked for and granted, resolved, verified, rated."""
    case = world.report(now=MONDAY_0900)
    op, handler = world.operator, world.handler_a
    steps: list[tuple[User, Action, dict[str, object]]] = [
        (op, Action.REGISTER, {}),
        (op, Action.DISPATCH, {"department": world.dept_a}),
        (handler, Action.SIGN, {}),
        (handler, Action.REQUEST_EXTENSION, {"note": "缺材料", "extension": 2}),
        (op, Action.APPROVE_EXTENSION, {"note": "同意"}),
        (handler, Action.RESOLVE, {"note": "已清运", "photos": photo()}),
        (world.grid_worker_a, Action.VERIFY_PASS, {}),
        (op, Action.RATE, {"rating": Satisfaction.SATISFIED}),
    ]
    for minutes, (actor, action, needs) in enumerate(steps, start=1):
        apply_action(case_id=case.pk, actor=actor, action=action, now=MONDAY_0900 + timedelta(minutes=minutes), **needs)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    return case


def desk_details(html: str) -> list[str]:
    return re.findall(r'<div class="step-detail">([^<]*)</div>', html)


def phone_details(html: str) -> list[str]:
    return re.findall(r'<span class="step-detail">([^<]*)</span>', html)


# Monday 09:02 plus 4 working hours is 14:32 (12:00-13:30 is no working time); the 2 granted make it 16:32.
EXPECTED = [
    ("report", ""),
    ("register", ""),
    ("dispatch", "处置期限 2026年11月23日 14:32"),
    ("sign", ""),
    ("request_extension", "延期2个工作小时"),
    ("approve_extension", "延期2个工作小时，新期限 2026年11月23日 16:32"),
    ("resolve", ""),
    ("verify_pass", ""),
    ("rate", "评价：满意"),
]


def test_the_desk_the_phone_and_the_api_say_the_same_of_each_step(world: TownWorld) -> None:
    case = lived_case(world)
    reader = world.grid_worker_a  # the grid's worker: reads the case on the desk, the phone and through the API
    desk = signed_in(reader).get(reverse("web:case_detail", args=[case.pk]))
    phone = signed_in(reader).get(f"/m/cases/{case.pk}/")
    api = ApiClient(reader).get(f"/api/cases/{case.pk}")
    assert (desk.status_code, phone.status_code, api.status_code) == (200, 200, 200)
    assert [(step["action"], step["detail"]) for step in api.json()["timeline"]] == EXPECTED
    shown = [detail for _action, detail in EXPECTED if detail]
    assert desk_details(desk.text) == shown
    assert phone_details(phone.text) == shown


def test_the_api_writes_each_step_s_detail_in_the_request_s_language(world: TownWorld) -> None:
    case = lived_case(world)
    api = ApiClient(world.operator)
    api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    details = [step["detail"] for step in api.get(f"/api/cases/{case.pk}").json()["timeline"] if step["detail"]]
    assert details == [
        "Handling deadline Nov. 23, 2026 14:32",
        "Extension of 2 working hours",
        "Extension of 2 working hours, New deadline Nov. 23, 2026 16:32",  # an English comma between the parts
        "Rating: Satisfied",
    ]


def test_the_phone_case_page_costs_no_more_queries_for_a_longer_history(
    world: TownWorld, django_assert_max_num_queries
) -> None:
    short = world.bring_to(Status.DISPATCHED)
    long = lived_case(world)
    client = signed_in(world.grid_worker_a)
    with django_assert_max_num_queries(30) as baseline:
        client.get(f"/m/cases/{short.pk}/")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(f"/m/cases/{long.pk}/")


def test_the_api_case_detail_costs_no_more_queries_for_a_longer_history(
    world: TownWorld, django_assert_max_num_queries
) -> None:
    short = world.bring_to(Status.DISPATCHED)
    long = lived_case(world)
    api = ApiClient(world.operator)
    with django_assert_max_num_queries(30) as baseline:
        api.get(f"/api/cases/{short.pk}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        api.get(f"/api/cases/{long.pk}")
