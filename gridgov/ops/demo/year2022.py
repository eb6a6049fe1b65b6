"""岱西镇's 2022, as the 2023 work report tells it: ``build_2022`` builds the year's events (``events2022``,
through the real engine) and then lets each ledger add its own 2022: the ``build`` function of each module of
``gridgov.ops.demo.ledgers_2022`` (``LEDGER_BUILDERS``, in name order), and the platform's bulletins of the year.
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Protocol

from django.utils import timezone

from gridgov.data.cases.domain.engine import without_notifications
from gridgov.data.org.models import Area
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.db.analyze import analyze_after_commit
from gridgov.ops.demo.events2022 import EVENTS, GRID_EVENTS, YEAR, YEAR_END, Year2022, build_events_2022
from gridgov.ops.demo.ledgers_2022 import (
    collective,
    disputes,
    economy,
    enterprises,
    firms,
    inspections,
    investment,
    people,
    problemlists,
    projects,
)
from gridgov.ops.demo.organisation import Town

__all__ = ["EVENTS", "GRID_EVENTS", "LEDGER_BUILDERS", "Year2022", "build_2022", "built_2022"]

log = logging.getLogger("gridgov.demo")


def build_2022(
    *,
    town: Town,
    rng: random.Random,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
    ledgers: bool | None = None,
) -> Year2022:
    """The town's 2022: its events (scaled down by ``scale`` for tests), then each ledger's 2022.

    The ledgers reproduce the work report's own counts and cannot be scaled down, so by default they are
    built only at full scale (``ledgers`` overrides that).

    A build stopped at any moment (``kill -9``) is finished by running it again with the same seed: the events
    are written in order, a slice per transaction, so what exists is always a prefix of them and the re-run
    writes the rest (same numbers, none skipped or used twice); each ledger and the bulletins are steps
    (``DemoStep``) with their own random stream, done once. A ledger step that was itself cut short is not
    repeated over its own half (that would duplicate its rows): it is reported, and ``--reset`` rebuilds.
    """
    seed = rng.getrandbits(32)  # each later step gets its own stream: a skipped step changes no other
    made = build_events_2022(town=town, rng=rng, scale=scale, progress=progress)
    if ledgers if ledgers is not None else scale >= 1.0:
        # The ledgers' 2022 goes through the live domain functions, step by step as it happened; nobody is told
        # of those steps now (no 消息, no robot): a past year is written, not announced.
        with without_notifications():
            for name, build in LEDGER_BUILDERS.items():
                stream = random.Random(f"{seed}:{name}")
                _step(town.town, f"2022:{name}", functools.partial(build, town=town.town, rng=stream, year=YEAR))
            _step(town.town, "2022:bulletins", lambda: issue_bulletins_2022(town=town))
    _step(town.town, "2022", lambda: None)
    analyze_after_commit()  # planner statistics of the tables just filled (PostgreSQL)
    return made


def _step(town: Area, name: str, run: Callable[[], object]) -> bool:
    """Run one step of the build unless it finished before; False when it was skipped."""
    from gridgov.ops.demo.models import DemoStep

    step, created = DemoStep.objects.get_or_create(town=town, name=name, defaults={"started_at": timezone.now()})
    if step.finished_at is not None:
        return False
    if not created:
        log.warning("演示数据步骤“%s”上次生成时被中断，未重复生成（如需完整数据请用 bin/demo --reset 重建）", name)
        return False
    run()
    step.finished_at = timezone.now()
    step.save(update_fields=["finished_at"])
    return True


# 全年共发布各类通报26期: the five inspection-round bulletins come with that ledger; the platform's own are a
# monthly bulletin (12), a quarterly one (4) and a half-year bulletin for each of the five lowest-ranked
# villages in the second half (5) — 21.
PLATFORM_BULLETINS_2022 = 21


def issue_bulletins_2022(*, town: Town) -> int:
    """Generate and issue 2022's platform bulletins, each a few working days after its period ends."""
    from gridgov.data.metrics.indicators import Period, Scope, ranking
    from gridgov.data.reports.domain.bulletins import generate_bulletin, issue_bulletin

    def issue(scope: Scope, scope_key: str, period: Period) -> None:
        last_day = period.end - timedelta(days=1)
        moment = datetime(last_day.year, last_day.month, last_day.day, 16, 0, tzinfo=SHANGHAI)
        when = min(moment + timedelta(days=5), YEAR_END)
        draft = generate_bulletin(
            user=town.leader, scope=scope, scope_key=scope_key, period=period, as_of=when, now=when
        )
        issue_bulletin(bulletin_id=draft.pk, town=town.town, user=town.leader, now=when)

    whole_town = Scope(town=town.town)
    for month in range(1, 13):
        issue(whole_town, "", Period.month(YEAR, month))
    for quarter in range(1, 5):
        issue(whole_town, "", Period.quarter(YEAR, quarter))
    second_half = Period.custom(date(YEAR, 7, 1), date(YEAR, 12, 20))
    rows = ranking(town=town.town, period=second_half, by="village", as_of=YEAR_END)
    villages = {v.pk: v for v in town.villages}
    lowest = [villages[row.key] for row in rows if row.key in villages][-5:]
    for village in lowest:
        issue(Scope(town=town.town, area=village), f"village:{village.pk}", second_half)
    return 12 + 4 + len(lowest)


class LedgerBuilder(Protocol):
    def __call__(self, *, town: Area, rng: random.Random, year: int) -> None: ...


# Each ledger's year, by the name of its build step (``DemoStep`` "2022:<name>"), in name order.
LEDGER_BUILDERS: dict[str, LedgerBuilder] = {
    "collective": collective.build,
    "disputes": disputes.build,
    "economy": economy.build,
    "enterprises": enterprises.build,
    "firms": firms.build,  # the enterprises' yearly figures (issue 16)
    "inspections": inspections.build,
    "investment": investment.build,
    "people": people.build,
    "problemlists": problemlists.build,
    "projects": projects.build,
}


def built_2022(town: Area) -> bool:
    """Whether ``town``'s 2022 was built to the end (the demo then skips it; an interrupted build resumes)."""
    from gridgov.ops.demo.models import DemoStep

    return DemoStep.objects.filter(town=town, name="2022", finished_at__isnull=False).exists()
