"""Evaluation indicators (综合评价) exactly as the design defines them, for any period, scope and moment T.

Public API (used by the dashboard, rankings, bulletins and the year in review):

- ``Period``: [start, end) in whole local days, with day/week/month/quarter/year/custom helpers and labels;
- ``Scope``: a town, optionally narrowed to one area (village, grid or any subtree), department, grid worker,
  category (major or sub) or channel;
- ``compute`` → ``IndicatorSet`` (every indicator as a ``Measure``: numerator, denominator, value, formula);
- ``compute_by`` → one ``IndicatorSet`` per village, grid, department, grid worker, category, major
  category, channel or month, in one pass;
- ``cases_behind``: the cases behind a numerator or denominator (always equal to the counts);
- ``ranking`` (擂台赛) by 综合指标值, ties sharing a rank, n shown, small samples flagged.

How the counts are obtained: when no case of the town changed after T (always true for T = now), the
T-independent counts come from the maintained day × dimension rollups and the T-dependent part of 超期
(open cases past their deadline at T) is counted live from the small set of open cases. Otherwise — T in
the past, or a scope the rollups do not cover (a micro-grid subtree) — a plain recount over the cases
evaluates the same conditions (``facts``) with T. See docs/indicators.md for what is exact as of a past T.

Each concept has its module — ``periods``, ``scope``, ``weights`` (and the inspection deductions),
``measures`` (counts → indicator set), ``counting``, ``drilldown``, ``rankings`` — and this one names the
public API, so callers import it from one place.
"""

from gridgov.data.metrics.counting import Group, GroupKey, compute, compute_by, count, count_by, rollups_current
from gridgov.data.metrics.drilldown import Part, cases_behind
from gridgov.data.metrics.measures import MEASURE_KEYS, Counts, IndicatorSet, Measure, MeasureKey, build_set
from gridgov.data.metrics.periods import Period
from gridgov.data.metrics.rankings import SMALL_SAMPLE, RankRow, ranking
from gridgov.data.metrics.scope import Scope
from gridgov.data.metrics.weights import Weights, inspection_deductions

__all__ = [
    "MEASURE_KEYS",
    "SMALL_SAMPLE",
    "Counts",
    "Group",
    "GroupKey",
    "IndicatorSet",
    "Measure",
    "MeasureKey",
    "Part",
    "Period",
    "RankRow",
    "Scope",
    "Weights",
    "build_set",
    "cases_behind",
    "compute",
    "compute_by",
    "count",
    "count_by",
    "inspection_deductions",
    "ranking",
    "rollups_current",
]
