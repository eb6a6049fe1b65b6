import pytest

from gridgov.data.access.permissions import (
    may_create_project,
    may_manage_project,
    may_report_progress,
    visible_projects,
)
from gridgov.data.org.enums import Role
from tests.data.projects.builders import project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "seen", "creates", "reports"),
    [
        (Role.OPERATOR, ["前岸智慧村社", "智慧停车场"], True, True),
        (Role.ADMIN, ["前岸智慧村社", "智慧停车场"], True, True),
        (Role.LEADER, ["前岸智慧村社", "智慧停车场"], False, False),
        (Role.HANDLER, ["前岸智慧村社"], False, True),  # dept A's handler: the projects dept A owns
        (Role.VILLAGE_STAFF, ["前岸智慧村社"], False, False),  # village A's staff: the projects in village A
        (Role.GRID_WORKER, [], False, False),
        (Role.RESIDENT, [], False, False),
        (Role.ENTERPRISE, [], False, False),
    ],
)
def test_scope_per_role(world, role, seen, creates, reports):
    in_village = project(world, name="前岸智慧村社")
    elsewhere = project(world, name="智慧停车场", village=False)
    elsewhere.department = world.dept_b
    elsewhere.save(update_fields=["department"])
    user = world.persona(role)
    assert sorted(visible_projects(user).values_list("name", flat=True)) == seen
    assert may_create_project(user, world.town) is creates
    assert may_manage_project(user, in_village) is creates
    assert may_report_progress(user, in_village) is reports
    assert may_report_progress(user, elsewhere) is (reports and role != Role.HANDLER)


def test_village_staff_of_another_village_and_other_handler_see_none(world):
    project(world, name="前岸智慧村社")
    assert list(visible_projects(world.village_staff_b)) == []
    assert list(visible_projects(world.handler_b)) == []
