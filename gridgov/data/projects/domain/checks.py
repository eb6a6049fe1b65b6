"""What the project records share: the first year a record may name, the models' lengths and who may register
key projects."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from gridgov.data.errors import NotAllowed
from gridgov.data.org.models import Area, User
from gridgov.data.projects.scope import may_create_project

FIRST_YEAR = 2000
MAX_QUANTITY = Decimal("9999999999")
MAX_NAME, MAX_MILESTONE, MAX_UNIT, MAX_GROUP = 120, 32, 8, 64  # the models' max_length


def check_may_create(actor: User, town: Area) -> None:
    """Only the command room and admins register key projects (and their groups)."""
    if not may_create_project(actor, town):
        raise NotAllowed(_("只有镇指挥室或管理员可以登记重点项目"))
