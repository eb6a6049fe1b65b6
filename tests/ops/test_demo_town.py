"""The demo town command builds 岱西镇 through the domain functions, with logins for every role."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Membership
from gridgov.data.taxonomy.models import Category
from gridgov.ops.demo.organisation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

README_LOGINS = {
    "admin": Role.ADMIN,
    "zhihuishi": Role.OPERATOR,
    "lingdao": Role.LEADER,
    "zhifa": Role.HANDLER,
    "cun-shuanghe": Role.VILLAGE_STAFF,
    "wgy-shuanghe-1": Role.GRID_WORKER,
    "qiye": Role.ENTERPRISE,
    "jumin": Role.RESIDENT,
}


def test_demo_town_builds_the_town_people_and_history(capsys) -> None:
    call_command("demo_town", "--cases", "80", "--seed", "7", "--no-2022", "--no-ledgers")
    town = Area.objects.get(level=AreaLevel.TOWN)
    assert (town.name, town.case_prefix) == ("岱西镇", "DX")
    villages = list(Area.objects.filter(level=AreaLevel.VILLAGE).values_list("name", flat=True))
    assert villages == ["双合村", "火箭村", "摇星浦村", "前岸村", "后岸村", "海丰村", "青黑村", "茶前山村"]
    assert Area.objects.filter(level=AreaLevel.GRID).count() == 24
    assert Department.objects.filter(town=town).count() == 15 + 8
    assert Category.objects.filter(town=town, parent__isnull=True).count() == 22
    assert Category.objects.filter(town=town, parent__isnull=False).count() == 108
    for username, role in README_LOGINS.items():
        user = authenticate(RequestFactory().post("/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert Membership.objects.filter(user=user, role=role).exists(), username
    made = Case.objects.count()
    assert 70 <= made <= 80
    assert CaseAction.objects.filter(action="verify_pass").exists()
    assert all(broken is None for _case, broken in verify_chains(Case.objects.all()))
    assert f"已生成岱西镇演示数据：{made} 件事件" in capsys.readouterr().out
    # Written through the bulk path, the open cases still reach the people who have them: each one's latest
    # step waits in the outbox for the worker (and nothing of the closed ones does).
    still_open = Case.objects.exclude(status__in=["closed", "rejected"])
    owed = CaseAction.objects.filter(notify_due_at__isnull=False)
    assert still_open.exists()
    assert sorted(owed.values_list("case_id", flat=True)) == sorted(still_open.values_list("pk", flat=True))
    assert all(row.seq == row.case.action_count for row in owed.select_related("case"))


def test_demo_town_is_skipped_when_it_exists(capsys) -> None:
    call_command("demo_town", "--cases", "5", "--no-2022", "--no-ledgers")
    capsys.readouterr()
    call_command("demo_town", "--cases", "5", "--no-2022", "--no-ledgers")
    assert capsys.readouterr().out.strip() == "演示乡镇已存在，跳过（使用 --reset 重新生成）"
    assert Area.objects.filter(level=AreaLevel.TOWN).count() == 1
