"""Year figures of social assistance, as the work report counts them — each with the records behind it:

- assistance_living: 低保、低边及生活补助 paid in [start, end), in 元 ("低保低边及生活补助共计167万元");
- assistance_condolence: 慰问金 paid in the period, in 元 ("发放慰问金21万元");
- insurance_subsidies: 社会养老保险、医疗保险补助 payments in the period, 人次 ("共61人次");
- veteran_cards_issued: 优待证 issued in the period ("完成301名退役军人优待证申领及发放");
- day_care_persons: persons with day-care attendance in the period ("16名残疾人享受日间照料服务").

Only records written by ``as_of`` count, so a year in review drawn up on a day reads what was known then.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from gridgov.data.assistance.enums import INSURANCE_KINDS, LIVING_KINDS, PaymentKind
from gridgov.data.assistance.models import DayCareAttendance, Payment, VeteranCard
from gridgov.data.cases.figures import Figure
from gridgov.data.org.models import Area


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``), each figure with its records (not cases) behind it."""
    payments = Payment.objects.filter(town=town, paid_on__gte=start, paid_on__lt=end, created_at__lte=as_of)
    living = payments.filter(kind__in=LIVING_KINDS)
    condolence = payments.filter(kind=PaymentKind.CONDOLENCE)
    insurance = payments.filter(kind__in=INSURANCE_KINDS)
    cards = VeteranCard.objects.filter(town=town, issued_on__gte=start, issued_on__lt=end, created_at__lte=as_of)
    care = DayCareAttendance.objects.filter(town=town, day__gte=start, day__lt=end, created_at__lte=as_of)
    # The payments' three figures in one query (each the sum or count of its records).
    paid = payments.aggregate(
        living=Sum("amount", filter=Q(kind__in=LIVING_KINDS)),
        condolence=Sum("amount", filter=Q(kind=PaymentKind.CONDOLENCE)),
        insurance=Count("pk", filter=Q(kind__in=INSURANCE_KINDS)),
    )
    return {
        "assistance_living": Figure(_("低保低边及生活补助"), _or_zero(paid["living"]), _("元"), records=living),
        "assistance_condolence": Figure(_("发放慰问金"), _or_zero(paid["condolence"]), _("元"), records=condolence),
        "insurance_subsidies": Figure(_("社会养老保险、医疗保险补助"), paid["insurance"], _("人次"), records=insurance),
        "veteran_cards_issued": Figure(_("退役军人优待证申领及发放"), cards.count(), _("名"), records=cards),
        "day_care_persons": Figure(
            _("残疾人享受日间照料服务"), care.values("resident").distinct().count(), _("名"), records=care
        ),
    }


def _or_zero(total: Decimal | None) -> Decimal:
    return total if total is not None else Decimal(0)
