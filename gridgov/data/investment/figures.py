"""Year figures of investment attraction, as the work report counts them ("全年引进项目10个，其中亿元项目1个，
重大产业项目1个 … 引进石化配套企业1家；全年新增企业16家，到位资金2.1亿元") — each with the records behind it:

- leads_introduced: **引进** — the leads *signed* in the period (签约日期 in [start, end)), whatever stage they have
  reached since; a lead only talked about is not introduced;
- leads_billion: those of them that are 亿元项目 (signed for at least 1亿元, ``models.BILLION``);
- leads_major: those of them marked 重大产业项目;
- leads_enclave, leads_enclave_amount: those of them that are 飞地项目 (built elsewhere, counted for the town), and
  their signed amount in 元;
- introduced_<industry> (for each ``Industry``, e.g. introduced_petrochemical): those of them in the industry
  (the report's "引进石化配套企业1家" counts the signed petrochemical-supply leads);
- enterprises_added: **新增企业** — the enterprises of the enterprise ledger registered from leads in the period
  (the lead's 企业注册日期 in [start, end)), counted from the enterprise records themselves;
- funds_arrived: **到位资金** — the funds arrived in the months whose first day lies in [start, end), in 元.

Only what was known at ``as_of`` counts: leads entered by then and signed (enterprises registered) on a day not
after it; arrivals entered by then (a later correction of an entered month reads its corrected amount).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.figures import Figure
from gridgov.data.collective.figures import months_between
from gridgov.data.investment.enums import Industry, Stage
from gridgov.data.investment.models import FundArrival, Lead, billion_q
from gridgov.data.org.models import Area, Enterprise


def _last_day(start: date, end: date, as_of: datetime) -> tuple[date, date]:
    """[start, end) cut at the day of ``as_of`` (a day after it is not known yet)."""
    known = timezone.localdate(as_of)
    return start, min(end, date.fromordinal(known.toordinal() + 1))


def introduced(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[Lead]:
    """引进: the town's leads signed in [start, end), known at ``as_of``."""
    first, until = _last_day(start, end, as_of)
    return Lead.objects.filter(town=town, signed_on__gte=first, signed_on__lt=until, created_at__lte=as_of)


def enterprises_added(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[Enterprise]:
    """新增企业: the enterprises registered from the town's leads in [start, end), known at ``as_of``."""
    first, until = _last_day(start, end, as_of)
    leads = Lead.objects.filter(town=town, enterprise_on__gte=first, enterprise_on__lt=until, created_at__lte=as_of)
    return Enterprise.objects.filter(pk__in=leads.values("enterprise"))


def arrivals(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[FundArrival]:
    """到位资金: the town's arrivals of the months whose first day lies in [start, end), entered by ``as_of``."""
    return FundArrival.objects.filter(months_between(start, end), town=town, created_at__lte=as_of)


def arrivals_by_month(rows: QuerySet[FundArrival]) -> dict[tuple[int, int], Decimal]:
    """The total of ``rows`` in each (year, month) that has any."""
    totals = rows.order_by().values("year", "month").annotate(total=Sum("amount"))
    return {(row["year"], row["month"]): row["total"] for row in totals}


def _total(rows: QuerySet[FundArrival]) -> Decimal:
    total: Decimal | None = rows.aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0.00")


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``), each figure with its records (leads, enterprises, arrivals)."""
    leads = introduced(town=town, start=start, end=end, as_of=as_of)
    billion = leads.filter(billion_q())
    major = leads.filter(major_industrial=True)
    enclave = leads.filter(enclave=True)
    added = enterprises_added(town=town, start=start, end=end, as_of=as_of)
    funds = arrivals(town=town, start=start, end=end, as_of=as_of)
    # Classifiers, not nouns: in English the sentence names what is counted, and the phrasing drops a unit that
    # stays Chinese (``reports.phrasing.count``), so the English catalogue keeps them as they are.
    projects, companies = pgettext("classifier", "个"), pgettext("classifier", "家")
    # The leads' figures in one query (each the count or sum of its records), not one per flag and industry.
    found = leads.aggregate(
        n=Count("pk"),
        n_billion=Count("pk", filter=billion_q()),
        n_major=Count("pk", filter=Q(major_industrial=True)),
        n_enclave=Count("pk", filter=Q(enclave=True)),
        enclave_total=Sum("signed_amount", filter=Q(enclave=True)),
        **{f"industry_{industry.value}": Count("pk", filter=Q(industry=industry)) for industry in Industry},
    )
    enclave_amount: Decimal | None = found["enclave_total"]
    figures = {
        "leads_introduced": Figure(_("引进项目"), found["n"], projects, records=leads),
        "leads_billion": Figure(_("亿元项目"), found["n_billion"], projects, records=billion),
        "leads_major": Figure(_("重大产业项目"), found["n_major"], projects, records=major),
        "leads_enclave": Figure(_("飞地项目"), found["n_enclave"], projects, records=enclave),
        "leads_enclave_amount": Figure(
            _("飞地项目签约金额"),
            enclave_amount if enclave_amount is not None else Decimal("0.00"),
            _("元"),
            records=enclave,
        ),
        "enterprises_added": Figure(_("新增企业"), added.count(), companies, records=added),
        "funds_arrived": Figure(_("到位资金"), _total(funds), _("元"), records=funds),
    }
    for industry in Industry:
        of_industry = leads.filter(industry=industry)
        label = _("引进%(industry)s项目") % {"industry": industry.label}
        n = found[f"industry_{industry.value}"]
        figures[f"introduced_{industry.value}"] = Figure(label, n, companies, records=of_industry)
    return figures


def leads_by_stage(leads: QuerySet[Lead]) -> dict[Stage, int]:
    """How many of ``leads`` stand at each stage now (every stage, 0 where none)."""
    found = dict(leads.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return {stage: found.get(stage.value, 0) for stage in Stage}
