"""Chinese first; English through Django i18n. Times and deadlines as people read them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gridgov.data.cases.domain.deadlines import DeadlineView
from gridgov.data.cases.enums import Action, Lamp, Status
from gridgov.data.errors import InvalidInput
from gridgov.data.worktime.enums import Clock, TimeUnit
from gridgov.ui.web.templatetags.gridgov import time_left
from tests.factories import TownWorld


def test_chinese_is_the_default() -> None:
    page = Client().get(reverse("web:login")).text
    assert '<html lang="zh-hans">' in page
    assert "登录基层智治平台" in page
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in page


def test_english_by_switching_language(db) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    page = client.get(reverse("web:login")).text
    assert '<html lang="en">' in page
    assert "Sign in to the Grassroots Smart Governance Platform" in page
    assert '<button type="submit" name="language" value="zh-hans" lang="zh-hans">简体中文</button>' in page


def test_domain_errors_speak_the_users_language(world: TownWorld) -> None:
    from gridgov.data.cases.domain.engine import apply_action

    case = world.bring_to(Status.REPORTED)
    with translation.override("en"), pytest.raises(InvalidInput) as error:
        apply_action(case_id=case.pk, actor=world.operator, action=Action.REJECT, note="")
    assert error.value.message == '"Reject" requires a comment or note'
    with translation.override("zh-hans"):
        assert str(Status.REJECTED.label) == "不予立案"
        assert str(Action.REJECT.label) == "不予立案"


def test_time_left_reads_in_the_unit_of_the_limit() -> None:
    def view(lamp: Lamp, minutes: int, unit: TimeUnit) -> DeadlineView:
        return DeadlineView(lamp, None, "handle", minutes, Clock.WORKING, unit=unit, day_minutes=450)

    assert time_left(view(Lamp.RED, -900, TimeUnit.WORK_DAYS)) == "已超期2个工作日"
    assert time_left(view(Lamp.GREEN, 450 + 180, TimeUnit.WORK_DAYS)) == "剩余1个工作日3小时"
    assert time_left(view(Lamp.YELLOW, 200, TimeUnit.WORK_HOURS)) == "剩余3个工作小时20分钟"
    assert time_left(view(Lamp.RED, -1500, TimeUnit.CALENDAR_DAYS)) == "已超期1天1小时"
    assert time_left(DeadlineView(Lamp.NONE, None, "", None, None)) == ""
    with translation.override("en"):
        assert time_left(view(Lamp.RED, -900, TimeUnit.WORK_DAYS)) == "2 working days overdue"
        assert time_left(view(Lamp.GREEN, 450 + 180, TimeUnit.WORK_DAYS)) == "1 working day 3 hours left"
        assert time_left(view(Lamp.YELLOW, 61, TimeUnit.WORK_HOURS)) == "1 working hour 1 minute left"


def test_an_english_browser_still_gets_chinese_until_the_user_switches(db) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    response = client.get(reverse("web:login"))
    assert '<html lang="zh-hans">' in response.text
    assert response["Content-Language"] == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert '<html lang="en">' in client.get(reverse("web:login")).text
