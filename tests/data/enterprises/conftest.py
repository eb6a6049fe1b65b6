"""Enterprise-ledger fixtures: the test town plus two enterprises, the hazard and service categories, and
an enterprise user for each company (``world.enterprise`` belongs to the shipyard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.enterprises.categories import hazard_categories, install_enterprise_categories
from gridgov.data.enterprises.domain.enterprises import add_enterprise_user, create_enterprise
from gridgov.data.enterprises.domain.hazards import HazardInput, accept_hazard, record_hazard, report_rectification
from gridgov.data.enterprises.enums import Book, Grade
from gridgov.data.enterprises.models import Hazard
from gridgov.data.org.models import Enterprise, User
from gridgov.data.taxonomy.models import Category
from tests.factories import MONDAY_0900, TownWorld, _user, photo


def valid_code(first17: str) -> str:
    from gridgov.data.org.credit_code import check_character

    return first17 + check_character(first17)


@dataclass
class EnterpriseWorld:
    w: TownWorld
    shipyard: Enterprise
    chemical: Enterprise
    shipyard_user: User
    chemical_user: User
    fire: Category  # YH01 消防安全
    electric: Category  # YH02 电气安全

    def hazard(
        self,
        *,
        enterprise: Enterprise | None = None,
        book: Book = Book.SELF,
        grade: Grade = Grade.GENERAL,
        category: Category | None = None,
        location: str = "1号车间",
        description: str = "配电箱未接地",
        found_on: date = date(2026, 11, 23),
        deadline: date | None = None,
        actor: User | None = None,
        now: datetime = MONDAY_0900,
    ) -> Hazard:
        enterprise = enterprise or self.shipyard
        if actor is None:
            actor = (
                (self.shipyard_user if enterprise == self.shipyard else self.chemical_user)
                if book == Book.SELF
                else self.w.operator
            )
        return record_hazard(
            actor=actor,
            data=HazardInput(
                enterprise=enterprise,
                book=book,
                grade=grade,
                category=category or self.electric,
                location=location,
                description=description,
                found_on=found_on,
                deadline=deadline,
                responsible="张安全",
                measures="更换接地线",
            ),
            now=now,
        )

    def rectify(self, hazard: Hazard, *, now: datetime = MONDAY_0900, accept: bool = True) -> Hazard:
        """Register, dispatch, sign, report the rectification and (optionally) accept = 销号."""
        w = self.w
        case_id = hazard.case_id
        t = now
        apply_action(case_id=case_id, actor=w.operator, action=Action.REGISTER, now=t + timedelta(minutes=1))
        apply_action(
            case_id=case_id, actor=w.operator, action=Action.DISPATCH, department=w.dept_a, now=t + timedelta(minutes=2)
        )
        apply_action(case_id=case_id, actor=w.handler_a, action=Action.SIGN, now=t + timedelta(minutes=3))
        report_rectification(
            case_id=case_id,
            actor=w.handler_a,
            measures="已更换接地线",
            funds=Decimal("1200.50"),
            rectified_on=(t + timedelta(minutes=4)).date(),
            photos=photo(),
            now=t + timedelta(minutes=4),
        )
        if accept:
            accept_hazard(
                case_id=case_id,
                actor=w.operator,
                acceptor="王验收",
                accepted_on=(t + timedelta(minutes=5)).date(),
                now=t + timedelta(minutes=5),
            )
        hazard.refresh_from_db()
        hazard.case.refresh_from_db()
        return hazard


@pytest.fixture
def ew(world: TownWorld) -> EnterpriseWorld:
    return build_enterprise_world(world)


def build_enterprise_world(world: TownWorld) -> EnterpriseWorld:
    install_enterprise_categories(town=world.town)
    shipyard = create_enterprise(
        town=world.town,
        name="岱西船舶修造有限公司",
        credit_code=valid_code("91330921MA2A0B1C2"),
        address="岱西镇双合村海港路1号",
        village=world.village_a,
        contact_name="陈厂长",
        contact_phone="13805801234",
    )
    chemical = create_enterprise(
        town=world.town,
        name="岱西石化储运有限公司",
        credit_code=valid_code("91330921MA2A0B1D3"),
        village=world.village_b,
    )
    add_enterprise_user(user=world.enterprise, enterprise=shipyard)
    chemical_user = _user("chem", "储运安全员")
    add_enterprise_user(user=chemical_user, enterprise=chemical)
    cats = {c.code: c for c in hazard_categories(town=world.town)}
    return EnterpriseWorld(
        w=world,
        shipyard=shipyard,
        chemical=chemical,
        shipyard_user=world.enterprise,
        chemical_user=chemical_user,
        fire=cats["YH01"],
        electric=cats["YH02"],
    )
