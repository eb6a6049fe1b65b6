"""Builders for tests: a town with two villages (A, B), one grid each, departments and personas.

Everything is built through the domain functions, as the application itself would.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.db.models import JSONField, Model
from django.db.models.base import ModelState
from django.test import Client
from PIL import Image

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import home_area, may_report_into
from gridgov.data.org.domain import create_area, create_department, grant_role
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.taxonomy.defaults import install_default_taxonomy
from gridgov.data.taxonomy.models import Category

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning in an ordinary working week of 2026.
MONDAY_0900 = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
# What the process clock reads in a test with the world (the ``clock`` fixture): the same morning, an hour on.
WORLD_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
WORLD_TODAY = WORLD_NOW.date()


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def jpeg(color: tuple[int, int, int] = (200, 100, 50), size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def photo(kind: AttachmentKind = AttachmentKind.AFTER, color: tuple[int, int, int] = (10, 150, 60)) -> list[Upload]:
    return [Upload(name=f"{kind}.jpg", data=jpeg(color), kind=kind)]


@dataclass
class TownWorld:
    county: Area
    town: Area
    village_a: Area
    village_b: Area
    grid_a: Area
    grid_b: Area
    dept_a: Department  # 综合行政执法中队 (code ZFZ)
    dept_b: Department  # 村镇建设办 (code JSB)
    committee_a: Department  # village A's committee
    category: Category  # 市容环卫 / 暴露垃圾: 4 working hours
    category_days: Category  # 公共设施 / 路灯: 3 working days
    category_calendar: Category  # 信访 / 初信初访: 60 calendar days
    operator: User
    leader: User
    admin: User
    handler_a: User
    handler_b: User
    grid_worker_a: User
    grid_worker_b: User
    village_staff_a: User
    village_staff_b: User
    resident: User
    enterprise: User

    def persona(self, role: Role) -> User:
        return {
            Role.OPERATOR: self.operator,
            Role.LEADER: self.leader,
            Role.ADMIN: self.admin,
            Role.HANDLER: self.handler_a,
            Role.GRID_WORKER: self.grid_worker_a,
            Role.VILLAGE_STAFF: self.village_staff_a,
            Role.RESIDENT: self.resident,
            Role.ENTERPRISE: self.enterprise,
        }[role]

    def report(
        self,
        *,
        reporter: User | None = None,
        area: Area | None = None,
        category: Category | None = None,
        now: datetime = MONDAY_0900,
        channel: Channel = Channel.GRID_WORKER,
    ) -> Case:
        if area is None and reporter is not None and not may_report_into(reporter, self.grid_a):
            area = home_area(reporter)  # a grid worker reports in their own grid
        area = area or self.grid_a
        return report_case(
            town=self.town,
            reporter=reporter if reporter is not None else self.reporter_in(area),
            channel=channel,
            category=category or self.category,
            description="路边垃圾桶满溢",
            area=area,
            now=now,
        )

    def reporter_in(self, area: Area) -> User:
        """Who reports in ``area`` by default: the grid worker of its grid (a grid worker reports only in their own
        grids), the command room elsewhere."""
        for worker, grid in ((self.grid_worker_a, self.grid_a), (self.grid_worker_b, self.grid_b)):
            if area.path.startswith(grid.path):
                return worker
        return self.operator

    def bring_to(
        self,
        status: Status,
        *,
        now: datetime = MONDAY_0900,
        reporter: User | None = None,
        department: Department | None = None,
    ) -> Case:
        """A case driven through the engine to ``status`` (suspended: from registered)."""
        case = self.report(reporter=reporter, now=now)
        op = self.operator
        steps: list[tuple[User, Action, dict[str, object]]] = []
        dept = department or self.dept_a
        handler = (
            self.handler_a
            if dept == self.dept_a
            else (self.village_staff_a if dept == self.committee_a else self.handler_b)
        )
        if status == Status.REJECTED:
            steps = [(op, Action.REJECT, {"note": "不属于受理范围"})]
        elif status == Status.SUSPENDED:
            steps = [(op, Action.REGISTER, {}), (op, Action.SUSPEND, {"note": "等待司法结论"})]
        else:
            path: list[tuple[User, Action, dict[str, object]]] = [
                (op, Action.REGISTER, {}),
                (op, Action.DISPATCH, {"department": dept}),
                (handler, Action.SIGN, {}),
                (handler, Action.RESOLVE, {"note": "已清运", "photos": photo()}),
                (self.grid_worker_a, Action.VERIFY_PASS, {}),
            ]
            order = [
                Status.REPORTED,
                Status.REGISTERED,
                Status.DISPATCHED,
                Status.HANDLING,
                Status.RESOLVED,
                Status.CLOSED,
            ]
            steps = path[: order.index(status)]
        for minutes, (actor, action, kwargs) in enumerate(steps, start=1):
            apply_action(
                case_id=case.pk,
                actor=actor,
                action=action,
                now=now + timedelta(minutes=minutes),
                **kwargs,
            )
        case.refresh_from_db()
        assert case.status == status
        return case


def _user(username: str, name: str) -> User:
    user = User(username=username, full_name=name)
    user.set_password("pw-for-tests-1")
    user.save()
    return user


def build_world() -> TownWorld:
    county = create_area(code="330921", name="岱山县", level=AreaLevel.COUNTY)
    town = create_area(code="330921102", name="岱西镇", level=AreaLevel.TOWN, parent=county, case_prefix="DX")
    village_a = create_area(code="330921102201", name="双合村", level=AreaLevel.VILLAGE, parent=town)
    village_b = create_area(code="330921102202", name="火箭村", level=AreaLevel.VILLAGE, parent=town)
    grid_a = create_area(code="33092110220101", name="双合村第1网格", level=AreaLevel.GRID, parent=village_a)
    grid_b = create_area(code="33092110220201", name="火箭村第1网格", level=AreaLevel.GRID, parent=village_b)
    dept_a = create_department(town=town, code="ZFZ", name="综合行政执法中队", kind=DepartmentKind.STATION)
    dept_b = create_department(town=town, code="JSB", name="村镇建设办", kind=DepartmentKind.TOWN_OFFICE)
    committee_a = create_department(
        town=town, code="VC01", name="双合村村民委员会", kind=DepartmentKind.VILLAGE_COMMITTEE, area=village_a
    )
    create_department(
        town=town, code="VC02", name="火箭村村民委员会", kind=DepartmentKind.VILLAGE_COMMITTEE, area=village_b
    )
    install_default_taxonomy(town=town)
    operator = _user("operator", "王芳")
    grant_role(user=operator, role=Role.OPERATOR, area=town)
    leader = _user("leader", "李建国")
    grant_role(user=leader, role=Role.LEADER, area=town)
    admin = _user("admin", "管理员")
    grant_role(user=admin, role=Role.ADMIN, area=town)
    handler_a = _user("handler_a", "赵执法")
    grant_role(user=handler_a, role=Role.HANDLER, department=dept_a)
    handler_b = _user("handler_b", "钱建设")
    grant_role(user=handler_b, role=Role.HANDLER, department=dept_b)
    grid_worker_a = _user("gw_a", "孙网格")
    grant_role(user=grid_worker_a, role=Role.GRID_WORKER, area=grid_a)
    grid_worker_b = _user("gw_b", "周网格")
    grant_role(user=grid_worker_b, role=Role.GRID_WORKER, area=grid_b)
    village_staff_a = _user("vs_a", "吴村干")
    grant_role(user=village_staff_a, role=Role.VILLAGE_STAFF, area=village_a)
    village_staff_b = _user("vs_b", "郑村干")
    grant_role(user=village_staff_b, role=Role.VILLAGE_STAFF, area=village_b)
    resident = _user("resident", "张居民")
    grant_role(user=resident, role=Role.RESIDENT)
    enterprise = _user("enterprise", "岱西船厂")
    grant_role(user=enterprise, role=Role.ENTERPRISE)
    return TownWorld(
        county=county,
        town=town,
        village_a=village_a,
        village_b=village_b,
        grid_a=grid_a,
        grid_b=grid_b,
        dept_a=dept_a,
        dept_b=dept_b,
        committee_a=committee_a,
        category=Category.objects.get(town=town, code="1201"),
        category_days=Category.objects.get(town=town, code="1302"),
        category_calendar=Category.objects.get(town=town, code="0301"),
        operator=operator,
        leader=leader,
        admin=admin,
        handler_a=handler_a,
        handler_b=handler_b,
        grid_worker_a=grid_worker_a,
        grid_worker_b=grid_worker_b,
        village_staff_a=village_staff_a,
        village_staff_b=village_staff_b,
        resident=resident,
        enterprise=enterprise,
    )


# The rows of the first world built in this process, by model, and where each TownWorld attribute is among them.
_WORLD_ROWS: list[tuple[type[Model], list[Model]]] = []
_WORLD_PLACES: dict[str, tuple[type[Model], object]] = {}


def town_world() -> TownWorld:
    """The ``world`` fixture's town: ``build_world()`` the first time in a process, then the same rows put back.

    A test's rows roll back with it, so every test needs the world anew. Building it goes through the domain
    (600 rows: the default taxonomy's categories and time limits, personas, memberships); inserting the rows of
    the first build again in one bulk insert a table gives the same database rows for a tenth of the time.
    """
    if not _WORLD_ROWS:
        return _first_world()
    restored: dict[type[Model], dict[object, Model]] = {}
    for model, rows in _WORLD_ROWS:
        copies = [copy.copy(row) for row in rows]
        mutable = [f.attname for f in model._meta.concrete_fields if isinstance(f, JSONField)]
        for row in copies:
            row._state = ModelState()
            for attname in mutable:  # a test that changes a dict in place changes its own copy only
                setattr(row, attname, copy.deepcopy(getattr(row, attname)))
        model._base_manager.bulk_create(copies)
        restored[model] = {row.pk: row for row in copies}
    if connection.vendor == "postgresql":  # a flush that restarted the sequences must not hand out these keys
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in _WORLD_ROWS]):
                cursor.execute(sql)
    return TownWorld(**{name: restored[model][pk] for name, (model, pk) in _WORLD_PLACES.items()})


def _first_world() -> TownWorld:
    models = apps.get_models(include_auto_created=True)
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
    world = build_world()
    for model in models:
        added = set(model._base_manager.values_list("pk", flat=True)) - before[model]
        if added:
            _WORLD_ROWS.append((model, list(model._base_manager.filter(pk__in=added).order_by("pk"))))
    for place in fields(world):
        value = getattr(world, place.name)
        _WORLD_PLACES[place.name] = (type(value), value.pk)
    return world


def signed_in(user: User) -> Client:
    """A test client signed in as ``user`` (no password, no second factor)."""
    client = Client()
    client.force_login(user)
    return client
