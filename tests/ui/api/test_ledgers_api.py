"""Ledgers through the API: enterprises, hazards (with idempotent create), service requests, disputes (parties
masked); scope as on the ledger pages (an enterprise user sees only its company)."""

from __future__ import annotations

from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.disputes.domain import PartyInput, register_dispute
from gridgov.data.disputes.enums import DisputeType
from gridgov.data.enterprises.enums import Book
from gridgov.data.enterprises.models import Hazard
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent
from tests.data.enterprises.conftest import build_enterprise_world
from tests.factories import MONDAY_0900, WORLD_TODAY, TownWorld


def test_enterprises_scoped_and_phone_masked(world: TownWorld, as_user) -> None:
    ew = build_enterprise_world(world)
    staff = as_user(world.operator).get("/api/enterprises").json()
    assert [e["name"] for e in staff] == ["岱西石化储运有限公司", "岱西船舶修造有限公司"]
    shipyard = next(e for e in staff if e["id"] == ew.shipyard.pk)
    assert shipyard["contact_phone"] == "138****1234"
    own = as_user(ew.shipyard_user).get("/api/enterprises").json()
    assert [e["id"] for e in own] == [ew.shipyard.pk]
    assert as_user(ew.shipyard_user).get(f"/api/enterprises/{ew.chemical.pk}").status_code == 404
    assert as_user(ew.shipyard_user).get(f"/api/enterprises/{ew.shipyard.pk}").json() == shipyard
    assert as_user(world.resident).get("/api/enterprises").json() == []


def test_hazards_list_detail_and_scope(world: TownWorld, as_user) -> None:
    ew = build_enterprise_world(world)
    mine = ew.hazard()
    theirs = ew.hazard(enterprise=ew.chemical)
    government = ew.hazard(book=Book.GOVERNMENT, location="码头")
    staff = as_user(world.operator)
    body = staff.get("/api/hazards").json()
    assert body["count"] == 3
    assert {r["case"]["id"] for r in body["results"]} == {mine.case_id, theirs.case_id, government.case_id}
    assert [r["case"]["id"] for r in staff.get("/api/hazards", book="government").json()["results"]] == [
        government.case_id
    ]
    assert staff.get("/api/hazards", enterprise=ew.chemical.pk).json()["count"] == 1
    assert staff.get("/api/hazards", status="closed").json()["count"] == 0
    assert staff.get("/api/hazards", status="open").json()["count"] == 3
    assert staff.get("/api/hazards", status="planet").status_code == 422
    detail = staff.get(f"/api/hazards/{mine.case_id}").json()
    assert (detail["enterprise"]["id"], detail["book"], detail["location"], detail["responsible"]) == (
        ew.shipyard.pk,
        "self",
        "1号车间",
        "张安全",
    )
    owner = as_user(ew.shipyard_user)
    assert {r["case"]["id"] for r in owner.get("/api/hazards").json()["results"]} == {
        mine.case_id,
        government.case_id,
    }
    assert owner.get(f"/api/hazards/{theirs.case_id}").status_code == 404


def test_create_hazard_idempotent_and_checked(world: TownWorld, as_user) -> None:
    ew = build_enterprise_world(world)
    owner = as_user(ew.shipyard_user)
    body = {
        "enterprise_id": ew.shipyard.pk,
        "category": ew.fire.code,
        "location": "2号仓库",
        "description": "灭火器过期",
        "found_on": WORLD_TODAY.isoformat(),
    }
    first = owner.post("/api/hazards", body, **{"Idempotency-Key": "hz-1"})
    assert first.status_code == 201, first.content
    again = owner.post("/api/hazards", body, **{"Idempotency-Key": "hz-1"})
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (200, first.json(), "true")
    assert Hazard.objects.count() == 1
    created = first.json()
    assert (created["book"], created["location"], created["enterprise"]["id"]) == ("self", "2号仓库", ew.shipyard.pk)
    reused = owner.post("/api/hazards", {**body, "location": "3号仓库"}, **{"Idempotency-Key": "hz-1"})
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    refused = owner.post("/api/hazards", {**body, "book": "government"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    other = owner.post("/api/hazards", {**body, "enterprise_id": ew.chemical.pk})
    assert (other.status_code, other.json()["field"]) == (422, "enterprise_id")
    bad_category = owner.post("/api/hazards", {**body, "category": "1201"})
    assert (bad_category.status_code, bad_category.json()["field"]) == (422, "category")
    for garbage in ("{", {"enterprise_id": "x"}, {**body, "found_on": "yesterday"}, {**body, "funds": -1}):
        response = owner.post("/api/hazards", garbage)
        assert response.status_code in (400, 422), garbage
    assert (Hazard.objects.count(), IdempotencyRecord.objects.count()) == (1, 1)


def test_disputes_masked_and_scoped(world: TownWorld, as_user) -> None:
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type=DisputeType.LABOUR,
        description="工人反映拖欠工资",
        parties=[PartyInput(name="张三丰", phone="13800138000", id_number="")],
        amount="5000",
        department=world.dept_a,
        now=MONDAY_0900,
    )
    staff = as_user(world.operator)
    body = staff.get("/api/disputes").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["id"], row["type"], row["amount"], row["backlog"]) == (dispute.pk, "labour", 5000.0, False)
    assert row["parties"] == [
        {
            "role": "申请人/信访人",
            "kind": "person",
            "name": "张**",
            "phone": "138****8000",
            "id_number": "",
            "masked": True,
        }
    ]
    assert "张三丰" not in staff.get(f"/api/disputes/{dispute.pk}").content.decode()
    assert staff.get("/api/disputes", backlog="true").json()["count"] == 0
    assert as_user(world.resident).get(f"/api/disputes/{dispute.pk}").status_code == 404
    assert as_user(world.resident).get("/api/disputes").json()["count"] == 0
    revealed = staff.post(f"/api/disputes/{dispute.pk}/reveal-parties", {}).json()
    assert revealed == [
        {
            "role": "申请人/信访人",
            "kind": "person",
            "name": "张三丰",
            "phone": "13800138000",
            "id_number": "",
            "masked": False,
        }
    ]
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).count() == 1
    handler = as_user(world.handler_a).post(f"/api/disputes/{dispute.pk}/reveal-parties", {})
    assert (handler.status_code, handler.json()["code"]) == (403, "not_allowed")
    assert as_user(world.resident).post(f"/api/disputes/{dispute.pk}/reveal-parties", {}).status_code == 404
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).count() == 1


def test_inspection_rounds_and_problems(world: TownWorld, as_user) -> None:
    from tests.data.inspections.test_rounds import make_round, record_three

    round_ = make_round(world)
    problems = record_three(world, round_)
    rounds = as_user(world.leader).get("/api/inspection-rounds").json()
    assert [(r["id"], r["name"], r["status"]) for r in rounds] == [(round_.pk, "2026年第11月创城督查", "open")]
    detail = as_user(world.operator).get(f"/api/inspection-rounds/{round_.pk}").json()
    assert [p["id"] for p in detail["problems"]] == [problems[0].pk, problems[1].pk, problems[2].pk]
    assert (detail["problems"][0]["deduction"], detail["problems"][0]["spot"]) == (2.0, "双合村村口")
    only_b = as_user(world.operator).get(f"/api/inspection-rounds/{round_.pk}", village=world.village_b.pk).json()
    assert [p["id"] for p in only_b["problems"]] == [problems[2].pk]
    # an inspector sees the round; someone neither inspector nor manager does not
    assert [r["id"] for r in as_user(world.grid_worker_a).get("/api/inspection-rounds").json()] == [round_.pk]
    assert as_user(world.handler_b).get("/api/inspection-rounds").json() == []
    assert as_user(world.handler_b).get(f"/api/inspection-rounds/{round_.pk}").status_code == 404


def test_problem_lists_and_items(world: TownWorld, as_user) -> None:
    from gridgov.data.problemlists.domain import create_list
    from tests.data.problemlists.test_items import item

    plist = create_list(town=world.town, actor=world.operator, name="上级交办问题清单", now=MONDAY_0900)
    first = item(world, plist, n=1)
    second = item(world, plist, n=2, department=world.dept_a)
    staff = as_user(world.operator)
    assert [p["name"] for p in staff.get("/api/problem-lists").json()] == ["上级交办问题清单"]
    body = staff.get("/api/problem-items").json()
    assert {r["id"] for r in body["results"]} == {first.pk, second.pk}
    by_department = staff.get("/api/problem-items", department=world.dept_a.pk).json()
    assert [r["id"] for r in by_department["results"]] == [second.pk]
    detail = staff.get(f"/api/problem-items/{first.pk}").json()
    assert (detail["problem_list"]["id"], detail["responsible_person"], detail["deadline"]) == (
        plist.pk,
        "钱建设",
        "2026-12-31",
    )
    handler = as_user(world.handler_a)
    assert [r["id"] for r in handler.get("/api/problem-items").json()["results"]] == [second.pk]
    assert handler.get(f"/api/problem-items/{first.pk}").status_code == 404
    assert as_user(world.resident).get("/api/problem-lists").json() == []


def test_service_requests_scoped(world: TownWorld, as_user) -> None:
    from gridgov.data.enterprises.domain.services import raise_request
    from gridgov.data.enterprises.enums import RequestType

    ew = build_enterprise_world(world)
    mine = raise_request(
        actor=ew.shipyard_user,
        enterprise=ew.shipyard,
        request_type=RequestType.LABOUR,
        description="急需焊工20名",
        now=MONDAY_0900,
    )
    theirs = raise_request(
        actor=ew.chemical_user,
        enterprise=ew.chemical,
        request_type=RequestType.POLICY,
        description="咨询技改补助政策",
        now=MONDAY_0900,
    )
    staff = as_user(world.operator).get("/api/service-requests").json()
    assert {r["case"]["id"] for r in staff["results"]} == {mine.case_id, theirs.case_id}
    owner = as_user(ew.shipyard_user)
    rows = owner.get("/api/service-requests").json()["results"]
    assert [(r["case"]["id"], r["request_type"], r["enterprise"]["id"]) for r in rows] == [
        (mine.case_id, "labour", ew.shipyard.pk)
    ]
    assert owner.get(f"/api/service-requests/{theirs.case_id}").status_code == 404
    assert as_user(world.operator).get("/api/service-requests", type="policy").json()["count"] == 1


def test_ledger_lists_take_few_queries(world: TownWorld, as_user, django_assert_max_num_queries) -> None:
    ew = build_enterprise_world(world)
    for n in range(4):
        ew.hazard(location=f"{n}号车间")
    for n in range(3):
        register_dispute(
            town=world.town,
            actor=world.operator,
            type=DisputeType.CONFLICT,
            description=f"邻里纠纷{n}",
            parties=[PartyInput(name="李四", phone="13800138001", id_number="")],
            department=world.dept_a,
            now=MONDAY_0900,
        )
    staff = as_user(world.operator)
    with django_assert_max_num_queries(6):
        assert staff.get("/api/hazards").json()["count"] == 4
    with django_assert_max_num_queries(6):
        assert staff.get("/api/disputes").json()["count"] == 3


def test_create_dispute_idempotent_masked_and_refused(world: TownWorld, as_user) -> None:
    from gridgov.data.disputes.models import Dispute

    body = {
        "type": "conflict",
        "description": "邻里宅基地纠纷",
        "parties": [{"name": "王大明", "phone": "13800138002"}, {"name": "赵小红", "role": "respondent"}],
        "amount": "1200.50",
        "department_id": world.dept_a.pk,
    }
    operator = as_user(world.operator)
    first = operator.post("/api/disputes", body, **{"Idempotency-Key": "dp-1"})
    assert first.status_code == 201, first.content
    created = first.json()
    assert (created["type"], created["amount"], created["case"]["department"]["id"]) == (
        "conflict",
        1200.5,
        world.dept_a.pk,
    )
    assert [(p["role"], p["name"], p["phone"]) for p in created["parties"]] == [
        ("申请人/信访人", "王**", "138****8002"),
        ("被申请人", "赵**", ""),
    ]
    again = operator.post("/api/disputes", body, **{"Idempotency-Key": "dp-1"})
    assert (again.status_code, again.json()) == (200, created)
    assert Dispute.objects.count() == 1
    refused = as_user(world.handler_a).post("/api/disputes", body)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    for garbage in ({**body, "parties": []}, {**body, "type": "war"}, {**body, "department_id": 99999}, "["):
        response = operator.post("/api/disputes", garbage)
        assert response.status_code in (400, 422), garbage
    assert Dispute.objects.count() == 1


def test_create_dispute_with_a_company_party_by_its_credit_code(world: TownWorld, as_user) -> None:
    from gridgov.data.disputes.models import Dispute
    from gridgov.data.org.credit_code import check_character

    code = "91330921MA2A3B4C5" + check_character("91330921MA2A3B4C5")
    company = {"name": "东海渔业", "kind": "organisation", "id_number": "330921199001011237"}
    body = {"type": "labour", "description": "欠薪", "parties": [company], "department_id": world.dept_a.pk}
    operator = as_user(world.operator)
    refused = operator.post("/api/disputes", body)
    assert (refused.status_code, refused.json()["message"]) == (
        422,
        "单位当事人请填写18位统一社会信用代码，330921********1237 是身份证号；当事人是个人的，请将当事人类型选为“个人”",
    )
    assert Dispute.objects.count() == 0
    created = operator.post("/api/disputes", {**body, "parties": [{**company, "id_number": code}]})
    assert [(p["kind"], p["name"], p["id_number"], p["masked"]) for p in created.json()["parties"]] == [
        ("organisation", "东海渔业", code, False)
    ]


def test_create_service_request_and_problem_item(world: TownWorld, as_user) -> None:
    from gridgov.data.enterprises.models import ServiceRequest
    from gridgov.data.problemlists.domain import create_list
    from gridgov.data.problemlists.models import ProblemItem

    ew = build_enterprise_world(world)
    owner = as_user(ew.shipyard_user)
    body = {"enterprise_id": ew.shipyard.pk, "request_type": "labour", "description": "急需焊工20名"}
    first = owner.post("/api/service-requests", body, **{"Idempotency-Key": "sr-1"})
    assert first.status_code == 201, first.content
    assert (first.json()["request_type"], first.json()["enterprise"]["id"]) == ("labour", ew.shipyard.pk)
    again = owner.post("/api/service-requests", body, **{"Idempotency-Key": "sr-1"})
    assert (again.status_code, again.json()) == (200, first.json())
    other = owner.post("/api/service-requests", {**body, "enterprise_id": ew.chemical.pk})
    assert (other.status_code, other.json()["field"]) == (422, "enterprise_id")
    assert ServiceRequest.objects.count() == 1

    plist = create_list(town=world.town, actor=world.operator, name="上级交办问题清单", now=MONDAY_0900)
    item = {
        "problem_list_id": plist.pk,
        "source": "superior",
        "description": "村级工程审批资料不全",
        "department_id": world.dept_b.pk,
        "responsible_person": "钱建设",
        "plan": "补齐资料并建立台账",
        "deadline": "2099-12-31",
    }
    operator = as_user(world.operator)
    created = operator.post("/api/problem-items", item, **{"Idempotency-Key": "pi-1"})
    assert created.status_code == 201, created.content
    assert (created.json()["problem_list"]["id"], created.json()["department"]["id"]) == (plist.pk, world.dept_b.pk)
    assert operator.post("/api/problem-items", item, **{"Idempotency-Key": "pi-1"}).json() == created.json()
    unseen = as_user(world.handler_a).post("/api/problem-items", item)  # a list outside their town roles
    assert (unseen.status_code, unseen.json()["field"]) == (422, "problem_list_id")
    assert operator.post("/api/problem-items", {**item, "responsible_person": " "}).json()["field"] == (
        "responsible_person"
    )
    assert operator.post("/api/problem-items", {**item, "problem_list_id": 99999}).status_code == 422
    assert ProblemItem.objects.count() == 1


def test_a_party_number_typed_with_spaces_or_dashes_is_cleaned_before_its_length_is_checked(
    world: TownWorld, as_user
) -> None:
    from gridgov.data.disputes.models import DisputeParty
    from gridgov.data.org.credit_code import check_character

    code = "91330921MA2A3B4C5" + check_character("91330921MA2A3B4C5")
    person = {"name": "王五", "kind": "person", "id_number": "330921 19900101 1237"}
    company = {"name": "东海渔业", "kind": "organisation", "id_number": f"{code[:4]}-{code[4:8]}-{code[8:]}"}
    body = {"type": "labour", "description": "欠薪", "parties": [person, company], "department_id": world.dept_a.pk}
    operator = as_user(world.operator)
    created = operator.post("/api/disputes", body)
    assert created.status_code == 201
    assert list(DisputeParty.objects.order_by("sort_order").values_list("id_number", flat=True)) == [
        "330921199001011237",
        code,
    ]
    too_long = operator.post("/api/disputes", {**body, "parties": [{**person, "id_number": "330921 19900101 12377"}]})
    assert (too_long.status_code, too_long.json()["message"]) == (422, "身份证号 330921*********2377 应为18位")
