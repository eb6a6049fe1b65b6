"""Chinese first; English through Django i18n. Times and deadlines as people read them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gridgov.data.cases.domain.deadlines import DeadlineView
from gridgov.data.cases.enums import Action, Lamp, Status
from gridgov.data.errors import InvalidInput
from gridgov.data.worktime.enums import Clock
from gridgov.ui.web.templatetags.gridgov import deadline_phrase, duration
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


def test_durations_read_naturally() -> None:
    assert duration(200, Clock.WORKING) == "3小时20分钟"
    assert duration(120, Clock.WORKING) == "2小时"
    assert duration(45, Clock.WORKING) == "45分钟"
    assert duration(-30, Clock.WORKING) == "30分钟"
    assert duration(3000, Clock.CALENDAR) == "2天2小时"
    assert duration(2880, Clock.CALENDAR) == "2天"
    with translation.override("en"):
        assert duration(200, Clock.WORKING) == "3 h 20 min"


def test_deadline_phrases() -> None:
    left = DeadlineView(Lamp.GREEN, None, "handle", 200, Clock.WORKING)
    late = DeadlineView(Lamp.RED, None, "handle", -30, Clock.WORKING)
    calendar = DeadlineView(Lamp.GREEN, None, "handle", 2880, Clock.CALENDAR)
    assert deadline_phrase(left) == "剩余 3小时20分钟（按工作时间）"
    assert deadline_phrase(late) == "已超期 30分钟（按工作时间）"
    assert deadline_phrase(calendar) == "剩余 2天"
    assert deadline_phrase(DeadlineView(Lamp.NONE, None, "", None, None)) == ""


def test_an_english_browser_still_gets_chinese_until_the_user_switches(db) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    response = client.get(reverse("web:login"))
    assert '<html lang="zh-hans">' in response.text
    assert response["Content-Language"] == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert '<html lang="en">' in client.get(reverse("web:login")).text
