"""Demo petitions and disputes. 2022: 17 labour disputes worth 16,280,000 元 (1600余万元), all resolved; 24
neighbourhood disputes (23 resolved); 9 petitions; and 2 backlog petitions from earlier years cleared
(积案化解). The current year gets a handful of each, some still open."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from gridgov.data.disputes.domain import PartyInput, clear_backlog, record_mediation, register_dispute
from gridgov.data.disputes.enums import DisputeType, Level, Method, Outcome, PartyRole
from gridgov.data.idcard import check_digit
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department
from gridgov.ops.demo.ledgers_2022.problemlists import is_current, people, period, rectify, working_moment

LABOUR_AMOUNTS_2022 = [
    3_200_000,
    2_450_000,
    1_860_000,
    1_500_000,
    1_320_000,
    1_080_000,
    960_000,
    850_000,
    720_000,
    610_000,
    480_000,
    390_000,
    300_000,
    220_000,
    180_000,
    150_000,
    10_000,
]
assert len(LABOUR_AMOUNTS_2022) == 17
assert sum(LABOUR_AMOUNTS_2022) == 16_280_000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑"
GIVEN = "建国海峰志强丽娟秀英伟华明杰静敏晓东文军"
COMPANIES = [
    "岱西船舶修造有限公司",
    "和泰船舶有限公司",
    "华丰船舶配套有限公司",
    "卓然石化装备有限公司",
    "岱西水产加工厂",
]
CONFLICTS = [
    "两户村民因排水沟走向发生争执",
    "邻居加盖围墙占用公共通道",
    "宅基地界址纠纷",
    "租赁合同到期押金退还纠纷",
    "婚姻家庭矛盾引发争吵",
]
PETITIONS = ["反映土地征收补偿标准问题", "反映村道硬化工程质量", "反映渔船补贴发放问题", "反映邻近企业噪声扰民"]


def _id_number(rng: random.Random, birth_year: int) -> str:
    body = f"330921{birth_year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + check_digit(body)


def _person(rng: random.Random) -> PartyInput:
    return PartyInput(
        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
        phone=f"139{rng.randint(0, 99_999_999):08d}",
        id_number=_id_number(rng, rng.randint(1955, 2000)),
    )


def build(*, town: Area, rng: random.Random, year: int = 2022) -> None:
    who = people(town)
    first, last = period(year)
    current = is_current(year)
    departments = {d.code: d for d in Department.objects.filter(town=town)}
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE))
    span = (last - first).days

    def one(
        dtype: DisputeType,
        n: int,
        total: int,
        *,
        amount: int = 0,
        done: bool = True,
        backlog_from: int = 0,
        level: Level = Level.TOWN,
        description: str,
        parties: list[PartyInput],
    ) -> None:
        day = first + timedelta(days=span * n // max(1, total) + rng.randint(0, 5))
        now = working_moment(min(day, last), rng)
        code = {DisputeType.LABOUR: "LDS", DisputeType.CONFLICT: "SFS", DisputeType.PETITION: "PAB"}[dtype]
        department = departments[code]
        dispute = register_dispute(
            town=town,
            actor=who.operator,
            type=dtype,
            description=description,
            parties=parties,
            level=level,
            amount=Decimal(amount),
            backlog=bool(backlog_from),
            received_on=date(backlog_from, 6, 1) if backlog_from else now.date(),
            department=department,
            area=rng.choice(villages),
            now=now,
        )
        handler = who.handlers[department.pk]
        days = min(rng.randint(3, 20), max(1, (last - now.date()).days))
        rectify(
            dispute.case_id,
            handler=handler,
            verifier=who.operator,
            start=now,
            rng=rng,
            days=days,
            close=done,
            progress_note="组织双方调解" if not done else "",
        )
        method = {DisputeType.LABOUR: Method.ARBITRATION, DisputeType.CONFLICT: Method.PEOPLES}.get(
            dtype, Method.LEADER
        )
        record_mediation(
            dispute=dispute,
            actor=handler,
            method=method,
            outcome=Outcome.RESOLVED if done else Outcome.PARTIAL,
            note="双方达成协议" if done else "继续跟进",
            now=now + timedelta(hours=3),
        )
        if backlog_from and done:
            dispute.refresh_from_db()
            closed = dispute.case.closed_at
            assert closed is not None
            clear_backlog(dispute=dispute, actor=who.leader, note="积案化解，实现清零", now=closed + timedelta(days=1))

    labour = LABOUR_AMOUNTS_2022 if not current else [380_000, 125_000, 60_000]
    for n, amount in enumerate(labour):
        company = rng.choice(COMPANIES)
        one(
            DisputeType.LABOUR,
            n,
            len(labour),
            amount=amount,
            done=not current or n > 0,
            description=f"{company}外包班组反映拖欠工资",
            parties=[_person(rng), PartyInput(name=company, role=PartyRole.RESPONDENT)],
        )
    conflicts = 24 if not current else 6
    for n in range(conflicts):
        one(
            DisputeType.CONFLICT,
            n,
            conflicts,
            done=n < conflicts - (1 if not current else 2),
            level=Level.VILLAGE,
            description=rng.choice(CONFLICTS),
            parties=[_person(rng), _person(rng)],
        )
    petitions = 9 if not current else 3
    for n in range(petitions):
        one(
            DisputeType.PETITION,
            n,
            petitions,
            done=not current or n == 0,
            description=rng.choice(PETITIONS),
            parties=[_person(rng)],
        )
    if not current:
        for n, (since, level) in enumerate(((2019, Level.PROVINCE), (2020, Level.CITY))):
            one(
                DisputeType.PETITION,
                n * 3 + 1,
                6,
                backlog_from=since,
                level=level,
                description=f"{since}年起反复信访：反映征迁补偿历史遗留问题",
                parties=[_person(rng)],
            )
