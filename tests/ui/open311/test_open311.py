"""Open311 GeoReport v2: every endpoint in JSON and XML, checked field by field; bad input; nothing written."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from gridgov.data.access import open311
from gridgov.data.access.models import Open311Submission
from gridgov.data.access.tokens import authenticate_api_key, issue_api_key
from gridgov.data.cases.enums import Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.taxonomy.models import Category
from tests.factories import MONDAY_0900, TownWorld

V2 = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def key(world: TownWorld) -> str:
    return issue_api_key(town=world.town, name="居民随手拍 App").secret


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def post(data: dict[str, str], fmt: str = "json"):
    return Client().post(f"{V2}/requests.{fmt}", data)


def body(key: str, **extra: str) -> dict[str, str]:
    data = {
        "api_key": key,
        "jurisdiction_id": "330921102",
        "service_code": "1201",
        "description": "村口垃圾三天没人清理",
        "address_string": "双合村村口",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800138000",
        "email": "zhang@example.com",
        "media_url": "https://img.example.com/a.jpg",
        "attribute[priority]": "urgent",
    }
    data.update(extra)
    return data


def test_discovery_in_both_formats(world: TownWorld) -> None:
    data = Client().get("/open311/discovery.json").json()
    assert data["endpoints"][0] == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2/",
        "changeset": "2026-11-25T00:00:00+08:00",
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    root = xml(Client().get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_services_are_public_sub_categories_grouped_by_major(world: TownWorld) -> None:
    services = Client().get(f"{V2}/services.json", {"jurisdiction_id": "330921102"}).json()
    first = services[0]
    assert first == {
        "service_code": "0601",
        "service_name": "企业隐患",
        "description": "安全生产 / 企业隐患",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "安全生产",
    }
    codes = {s["service_code"] for s in services}
    assert {"1201", "1802"} <= codes
    # never disputes, petitions, public-order tips, persons, a family's welfare, stability, an illness
    assert {c for c in codes if c[:2] in {"01", "02", "03", "04", "05", "17", "21"} or c == "1801"} == set()
    root = xml(Client().get(f"{V2}/services.xml"))
    assert root.tag == "services"
    service = root.find("service")
    assert [child.tag for child in service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert (service.findtext("service_code"), service.findtext("metadata"), service.findtext("group")) == (
        "0601",
        "true",
        "安全生产",
    )
    assert len(root.findall("service")) == len(services)


def test_service_definition_with_attributes(world: TownWorld) -> None:
    definition = Client().get(f"{V2}/services/1201.json").json()
    assert definition["service_code"] == "1201"
    priority = definition["attributes"][0]
    assert priority == {
        "variable": True,
        "code": "priority",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "",
        "order": 1,
        "description": "紧急程度",
        "values": [
            {"key": "normal", "name": "一般"},
            {"key": "urgent", "name": "紧急"},
            {"key": "major", "name": "重大"},
        ],
    }
    root = xml(Client().get(f"{V2}/services/1201.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("datatype") == "singlevaluelist"
    assert [(v.findtext("key"), v.findtext("name")) for v in attribute.findall("values/value")] == [
        ("normal", "一般"),
        ("urgent", "紧急"),
        ("major", "重大"),
    ]
    missing = Client().get(f"{V2}/services/0101.xml")  # a private category is not a service
    assert missing.status_code == 404
    assert xml(missing).find("error/code").text == "404"


def test_post_request_creates_an_open311_case(world: TownWorld, key: str) -> None:
    response = post(body(key))
    assert response.status_code == 201
    [answer] = response.json()
    case = Case.objects.get()
    submission = Open311Submission.objects.get()
    assert answer == {
        "service_request_id": case.number,
        "token": submission.token,
        "service_notice": f"已受理，编号 {case.number}，可凭编号查询办理进度",
        "account_id": None,
    }
    assert (case.channel, case.status, case.priority, case.reporter_id) == (
        Channel.OPEN311,
        Status.REPORTED,
        "urgent",
        None,
    )
    assert (case.reporter_name, case.reporter_phone, case.address) == ("张三", "13800138000", "双合村村口")
    assert (submission.media_url, submission.email) == ("https://img.example.com/a.jpg", "zhang@example.com")
    # contact data is never echoed back
    listed = Client().get(f"{V2}/requests/{case.number}.json").content.decode()
    assert "13800138000" not in listed
    assert "张三" not in listed
    assert "zhang@example.com" not in listed


def test_post_in_xml(world: TownWorld, key: str) -> None:
    response = post(body(key), fmt="xml")
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == ["service_request_id", "token", "service_notice", "account_id"]
    assert request.findtext("service_request_id") == Case.objects.get().number
    assert request.findtext("account_id") == ""


def test_get_requests_field_by_field(world: TownWorld, key: str) -> None:
    number = post(body(key, lat="", long=""))
    case = Case.objects.get(number=number.json()[0]["service_request_id"])
    rows = Client().get(f"{V2}/requests.json").json()
    assert [r["service_request_id"] for r in rows] == [case.number]
    row = rows[0]
    assert list(row) == REQUEST_FIELDS
    reported = timezone.localtime(case.reported_at).isoformat(timespec="seconds")
    assert row == {
        "service_request_id": case.number,
        "status": "open",
        "status_notes": "待受理",
        "service_name": "暴露垃圾",
        "service_code": "1201",
        "description": "村口垃圾三天没人清理",
        "agency_responsible": "",
        "service_notice": "",
        "requested_datetime": reported,
        "updated_datetime": timezone.localtime(case.updated_at).isoformat(timespec="seconds"),
        "expected_datetime": None,
        "address": "双合村村口",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "https://img.example.com/a.jpg",
    }
    assert reported.endswith("+08:00")
    root = xml(Client().get(f"{V2}/requests.xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert {child.tag: (child.text or "") for child in request} == {
        k: ("" if v is None else str(v)) for k, v in row.items()
    }


def test_request_status_follows_the_workflow_with_deadline_and_history(world: TownWorld) -> None:
    now = timezone.now()
    case = world.bring_to(Status.CLOSED, now=now)
    [row] = Client().get(f"{V2}/requests/{case.number}.json", {"extensions": "true"}).json()
    assert (row["status"], row["status_notes"]) == ("closed", "已结案：已清运")
    assert row["agency_responsible"] == "综合行政执法中队"
    assert row["expected_datetime"] == timezone.localtime(case.handle_deadline).isoformat(timespec="seconds")
    assert [(n["summary"], n["status"]) for n in row["notes"]] == [
        ("上报", "open"),
        ("立案", "open"),
        ("派遣", "open"),
        ("签收", "open"),
        ("处置反馈", "open"),
        ("核查通过", "closed"),
    ]
    assert row["notes"][4]["description"] == "已清运"
    root = xml(Client().get(f"{V2}/requests/{case.number}.xml", {"extensions": "true"}))
    notes = root.findall("request/notes/note")
    assert [n.findtext("summary") for n in notes][-1] == "核查通过"
    assert Client().get(f"{V2}/requests.json", {"status": "open"}).json() == []
    assert len(Client().get(f"{V2}/requests.json", {"status": "closed"}).json()) == 1
    assert len(Client().get(f"{V2}/requests.json", {"service_code": "1302"}).json()) == 0


def test_default_window_is_90_days_and_paging(world: TownWorld) -> None:
    old = world.report(now=timezone.now() - timezone.timedelta(days=120))
    recent = [world.report(now=timezone.now() - timezone.timedelta(minutes=m)) for m in (1, 2, 3)]
    rows = Client().get(f"{V2}/requests.json").json()
    assert [r["service_request_id"] for r in rows] == [c.number for c in recent]
    assert old.number not in {r["service_request_id"] for r in rows}
    page2 = Client().get(f"{V2}/requests.json", {"page": "2", "page_size": "2"}).json()
    assert [r["service_request_id"] for r in page2] == [recent[2].number]
    by_id = Client().get(f"{V2}/requests.json", {"service_request_id": f"{old.number},{recent[0].number}"}).json()
    assert {r["service_request_id"] for r in by_id} == {old.number, recent[0].number}
    since = (timezone.now() - timezone.timedelta(days=200)).isoformat()
    assert len(Client().get(f"{V2}/requests.json", {"start_date": since}).json()) == 4
    before_recent = (timezone.now() - timezone.timedelta(minutes=30)).isoformat()
    assert Client().get(f"{V2}/requests.json", {"end_date": before_recent}).json() == []  # 90 days up to it
    just_after_old = (timezone.now() - timezone.timedelta(days=119)).isoformat()
    assert [
        r["service_request_id"] for r in Client().get(f"{V2}/requests.json", {"end_date": just_after_old}).json()
    ] == [old.number]


def test_token_lookup(world: TownWorld, key: str) -> None:
    [answer] = post(body(key)).json()
    assert Client().get(f"{V2}/tokens/{answer['token']}.json").json() == [
        {"service_request_id": answer["service_request_id"], "token": answer["token"]}
    ]
    root = xml(Client().get(f"{V2}/tokens/{answer['token']}.xml"))
    assert root.find("request/service_request_id").text == answer["service_request_id"]
    assert Client().get(f"{V2}/tokens/nope.json").status_code == 404


def test_token_of_a_case_reclassified_into_a_private_category_is_not_found(world: TownWorld, key: str) -> None:
    [answer] = post(body(key)).json()
    private = Category.objects.select_related("parent").get(town=world.town, code="0101")
    Case.objects.filter(number=answer["service_request_id"]).update(category=private, major_category=private.parent)
    assert Client().get(f"{V2}/requests/{answer['service_request_id']}.json").status_code == 404
    assert Client().get(f"{V2}/tokens/{answer['token']}.json").status_code == 404


def test_cases_whose_kind_is_private_are_never_listed(world: TownWorld) -> None:
    codes = ("0405", "1701", "1801", "1201")  # 盗窃, 救助低保, 传染病 — and 暴露垃圾, which is public
    reported = {c: world.report(category=Category.objects.get(town=world.town, code=c)) for c in codes}
    listed = [r["service_request_id"] for r in Client().get(f"{V2}/requests.json").json()]
    assert listed == [reported["1201"].number]
    assert Client().get(f"{V2}/requests/{reported['1701'].number}.json").status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "fragment"),
    [
        ({"api_key": ""}, 403, "api_key"),
        ({"api_key": "o311_wrong"}, 403, "api_key"),
        ({"service_code": "9999"}, 404, "service_code"),
        ({"service_code": "0101"}, 404, "service_code"),
        ({"service_code": ""}, 400, "service_code"),
        ({"jurisdiction_id": "000000"}, 404, "jurisdiction_id"),
        ({"description": "长" * 2001}, 400, "description"),
        ({"description": ""}, 400, "description"),
        ({"address_string": "", "lat": "", "long": ""}, 400, "lat 和 long，或 address_string"),
        ({"lat": "91", "long": "122.1"}, 400, "超出经纬度范围"),
        ({"lat": "abc", "long": "122.1"}, 400, "十进制度数"),
        ({"lat": "NaN", "long": "122.1"}, 400, "十进制度数"),
        ({"lat": "30.2"}, 400, "同时提供"),
        ({"attribute[priority]": "very"}, 400, "attribute[priority]"),
        ({"attribute[colour]": "red"}, 400, "未知的属性"),
        ({"attribute": "x"}, 400, "attribute[代码]"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_bad_posts_are_spec_errors_and_write_nothing(world: TownWorld, key: str, change, status, fragment) -> None:
    response = post(body(key, **change))
    assert response.status_code == status
    [problem] = response.json()
    assert problem["code"] == status
    assert fragment in problem["description"]
    assert Case.objects.count() == 0
    assert Open311Submission.objects.count() == 0
    root = xml(post(body(key, **change), fmt="xml"))
    assert (root.tag, root.findtext("error/code")) == ("errors", str(status))


def test_point_outside_the_town_is_refused_when_boundaries_are_known(world: TownWorld, key: str) -> None:
    world.town.boundary = {
        "type": "Polygon",
        "coordinates": [[[122.0, 30.2], [122.2, 30.2], [122.2, 30.3], [122.0, 30.3], [122.0, 30.2]]],
    }
    world.town.save()
    outside = post(body(key, lat="31.5", long="121.4"))
    assert (outside.status_code, outside.json()[0]["description"]) == (400, "坐标不在岱西镇范围内")
    inside = post(body(key, lat="30.25", long="122.1"))
    assert inside.status_code == 201
    case = Case.objects.get()
    assert (float(case.latitude), float(case.longitude)) == (30.25, 122.1)


def test_key_of_another_town_and_revoked_key(world: TownWorld, key: str) -> None:
    from gridgov.data.access.models import ApiKey
    from gridgov.data.org.domain import create_area
    from gridgov.data.org.enums import AreaLevel

    other = create_area(code="330921103", name="衢山镇", level=AreaLevel.TOWN, parent=world.county)
    foreign = issue_api_key(town=other, name="别的镇").secret
    response = post(body(foreign))
    assert (response.status_code, response.json()[0]["description"]) == (403, "该 api_key 不属于 岱西镇")
    ApiKey.objects.update(revoked_at=timezone.now())
    assert post(body(key)).status_code == 403
    assert Case.objects.count() == 0


def test_bad_queries_are_400_not_500(world: TownWorld) -> None:
    for params in (
        {"start_date": "yesterday"},
        {"end_date": "2026-02-30T00:00:00"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "5000"},
        {"start_date": "2026-11-25T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"},
    ):
        response = Client().get(f"{V2}/requests.json", params)
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400
    assert Client().get(f"{V2}/requests.json", {"jurisdiction_id": "nope"}).status_code == 404
    assert Client().get(f"{V2}/requests/DX1999-000001.xml").status_code == 404
    unknown_format = Client().get(f"{V2}/services.csv")
    assert unknown_format.status_code == 404
    assert xml(unknown_format).tag == "errors"
    assert json.loads(Client().get(f"{V2}/nothing.json").content)[0]["code"] == 404
    put = Client().put(f"{V2}/requests.json")
    assert put.status_code == 405


def test_malformed_bodies_never_500(world: TownWorld, key: str) -> None:
    client = Client()
    for content_type, data in (
        ("application/json", '{"api_key": "'),
        ("application/xml", "<req><api_key>"),
        ("multipart/form-data; boundary=zzz", "--zzz\r\nbroken"),
        ("application/x-www-form-urlencoded", "%%%=&&=%ZZ"),
    ):
        response = client.post(f"{V2}/requests.json", data=data, content_type=content_type)
        assert response.status_code in (400, 403), content_type
        assert response.json()[0]["code"] == response.status_code
    assert Case.objects.count() == 0


def test_an_identical_request_sent_again_returns_the_first(world: TownWorld, key: str) -> None:
    first = post(body(key))
    again = post(body(key, description="  村口垃圾三天没人清理 "))  # the same request (trimmed), after a lost answer
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert (first["Idempotent-Replayed"], again["Idempotent-Replayed"]) == ("false", "true")
    assert Case.objects.count() == 1
    # a different description, place or contact is a different request
    assert post(body(key, description="村口垃圾又满了")).status_code == 201
    assert post(body(key, address_string="双合村桥头")).status_code == 201
    assert post(body(key, phone="13900139000")).status_code == 201
    # so is the same text from another client (another api_key)
    other = issue_api_key(town=world.town, name="12345 热线").secret
    assert post(body(other)).status_code == 201
    assert Case.objects.count() == 5


def test_the_same_request_after_the_window_is_a_new_case(world: TownWorld) -> None:
    api_key = authenticate_api_key(issue_api_key(town=world.town, name="App").secret)
    assert api_key is not None
    request = open311.NewRequest(service_code="1201", description="井盖缺失", address_string="双合村村口")
    first = open311.submit_request(api_key=api_key, town=world.town, request=request, now=MONDAY_0900)
    within = open311.submit_request(
        api_key=api_key, town=world.town, request=request, now=MONDAY_0900 + open311.REPEAT_WINDOW
    )
    after = open311.submit_request(
        api_key=api_key,
        town=world.town,
        request=request,
        now=MONDAY_0900 + open311.REPEAT_WINDOW + timedelta(seconds=1),
    )
    assert (first.repeated, within.repeated, after.repeated) == (False, True, False)
    assert within.submission.pk == first.submission.pk
    assert after.submission.case.number != first.submission.case.number
    assert Case.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_identical_requests_sent_at_once_make_one_case(world: TownWorld, key: str) -> None:
    start = threading.Barrier(4)
    statuses: list[int] = []
    ids: set[str] = set()
    lock = threading.Lock()

    def send() -> None:
        try:
            start.wait()
            response = post(body(key))
            with lock:
                statuses.append(response.status_code)
                ids.add(response.json()[0]["service_request_id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    assert ids == {Case.objects.get().number}


def test_other_methods_are_spec_405_errors_not_the_csrf_page(world: TownWorld) -> None:
    client = Client(enforce_csrf_checks=True)  # as a real client: no cookie, no CSRF token
    for path, allowed in (
        ("/open311/discovery.json", "GET, HEAD"),
        (f"{V2}/services.json", "GET, HEAD"),
        (f"{V2}/services/1201.json", "GET, HEAD"),
        (f"{V2}/requests/DX2026-000001.json", "GET, HEAD"),
        (f"{V2}/tokens/abc.json", "GET, HEAD"),
        (f"{V2}/requests.json", "GET, POST, HEAD"),
    ):
        method = client.delete if "POST" in allowed else client.post
        response = method(path)
        assert (response.status_code, response["Allow"]) == (405, allowed), path
        assert response.json() == [{"code": 405, "description": f"只支持 {allowed} 方法"}]
    response = client.post(f"{V2}/services.xml")
    assert response.status_code == 405
    assert xml(response).find("error/code").text == "405"
    assert client.post(f"{V2}/nothing.json").json()[0]["code"] == 404


def test_bodies_django_will_not_read_are_spec_400_errors(world: TownWorld, key: str, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client()
    gbk = f"api_key={key}&service_code=1201&address_string=x&description=村口垃圾"  # the client encodes it as GBK
    too_big = f"api_key={key}&service_code=1201&address_string=x&description={'垃' * 5000}"
    for data, content_type in (
        (gbk, "application/x-www-form-urlencoded; charset=gbk"),
        (too_big, "application/x-www-form-urlencoded"),
    ):
        response = client.post(f"{V2}/requests.json", data=data, content_type=content_type)
        assert response.status_code == 400, content_type
        assert response.json() == [
            {"code": 400, "description": "请求内容无法解析（须为 UTF-8 编码的表单，且不超过大小限制）"}
        ]
    response = client.post(f"{V2}/requests.xml", data=too_big, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert xml(response).find("error/code").text == "400"
    assert Case.objects.count() == 0


def test_characters_xml_cannot_hold_do_not_break_the_xml(world: TownWorld, key: str) -> None:
    created = post(body(key, description="井盖缺失\uffff\ufffe，危险"), "xml")
    number = xml(created).find("request/service_request_id").text
    for path in (f"{V2}/requests.xml", f"{V2}/requests/{number}.xml"):
        found = xml(Client().get(path)).find("request/description")
        assert found.text == "井盖缺失，危险"
    assert Client().get(f"{V2}/requests/{number}.json").json()[0]["description"] == "井盖缺失\uffff\ufffe，危险"
