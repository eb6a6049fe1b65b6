"""Problem-list pages: the seven lists, adding an item (errors next to fields), progress, 销号, export."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.problemlists.domain import ItemInput, add_item, ensure_seven_lists
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from tests.factories import TownWorld, photo, signed_in


def test_add_item_progress_and_write_off(world: TownWorld) -> None:
    client = signed_in(world.operator)
    client.post(reverse("ledgers:seven_lists"))
    assert ProblemList.objects.count() == 7
    plist = ProblemList.objects.get(name="基层治理问题清单")
    today = timezone.localdate()
    form = {
        "problem_list": str(plist.pk),
        "description": "村级工程审批资料不全",
        "source": Source.SUPERIOR,
        "department": str(world.dept_b.pk),
        "responsible_person": "钱建设",
        "plan": "补齐资料",
        "found_on": today.isoformat(),
        "deadline": (today - timedelta(days=1)).isoformat(),
    }
    bad = client.post(reverse("ledgers:problem_item_new"), form)
    assert bad.status_code == 200
    assert 'id="deadline-errors"><li>整改时限不能早于发现日期' in bad.text
    assert ProblemItem.objects.count() == 0
    good = client.post(
        reverse("ledgers:problem_item_new"), {**form, "deadline": (today + timedelta(days=30)).isoformat()}
    )
    item = ProblemItem.objects.get()
    assert good["Location"] == reverse("ledgers:problem_item", args=[item.pk])

    handler = signed_in(world.handler_b)
    apply_action(case_id=item.case_id, actor=world.handler_b, action=Action.SIGN)
    url = reverse("ledgers:problem_item", args=[item.pk])
    assert 'id="progress-form"' in handler.get(url).text
    handler.post(url, {"note": "已补齐三份资料"})
    assert "已补齐三份资料" in handler.get(url).text
    apply_action(case_id=item.case_id, actor=world.handler_b, action=Action.RESOLVE, note="完成", photos=photo())
    page = client.get(url)
    assert 'id="write-off"' in page.text
    client.post(reverse("ledgers:problem_item_write_off", args=[item.pk]))
    item.case.refresh_from_db()
    assert item.case.status == Status.CLOSED
    assert signed_in(world.handler_a).get(url).status_code == 404  # another department's item


def test_list_page_rates_filters_export_and_query_count(world: TownWorld, django_assert_max_num_queries) -> None:
    first, second = ensure_seven_lists(town=world.town, actor=world.operator)[:2]
    for n in range(8):
        add_item(
            actor=world.operator,
            data=ItemInput(
                problem_list=first if n < 6 else second,
                source=Source.MEDIA if n % 2 else Source.SUPERIOR,
                description=f"问题{n}",
                department=world.dept_b if n < 4 else world.dept_a,
                responsible_person="某人",
                plan="整改",
                deadline=date(2030, 1, 1),
            ),
        )
    client = signed_in(world.operator)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("ledgers:problem_lists"))
    assert page.status_code == 200
    assert "<td>党建统领问题清单</td><td>6</td><td>0</td><td>0.0%</td><td>0</td>" in page.text
    assert "<td>平安稳定问题清单</td><td>0</td><td>0</td><td>—</td>" in page.text
    partial = client.get(reverse("ledgers:problem_lists"), {"source": Source.MEDIA}, headers={"HX-Request": "true"})
    assert partial.text.count("ledgers/problem-lists/items/") == 4
    export = client.get(reverse("ledgers:problem_items_export"), {"department": str(world.dept_a.pk)})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert sorted(r[2] for r in rows[1:]) == ["问题4", "问题5", "问题6", "问题7"]
    # A handler sees only their department's items and no town-wide rates.
    handler_page = signed_in(world.handler_b).get(reverse("ledgers:problem_lists"))
    assert handler_page.text.count("ledgers/problem-lists/items/") == 4
    assert 'id="progress"' not in handler_page.text
