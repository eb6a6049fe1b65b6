"""Figures of the enterprise ledgers, for the year in review and the ledger pages (see yearkeys.md).

Hazards are counted by their found date (发现日期) in [start, end); one is rectified (整改) when its case
was closed (销号) by ``as_of``; overdue (超期) when at ``as_of`` it is not closed and its rectification
deadline (整改期限) has passed. Service requests are counted by their report time in [start, end); solved
when closed by ``as_of``; financing = financing arranged on the solved ones. Meetings by their date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Kind
from gridgov.data.cases.figures import Figure
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.enums import GOVERNMENT_BOOKS, Book, Grade
from gridgov.data.enterprises.models import Hazard, Meeting, ServiceRequest
from gridgov.data.org.models import Area


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def rate(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


@dataclass(frozen=True, slots=True)
class BookFigures:
    label: str
    found: int
    rectified: int
    overdue: int
    major: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.rectified, self.found)


def book_figures(hazards: QuerySet[Hazard], *, as_of: datetime, label: str) -> BookFigures:
    """found / rectified / overdue / major of a set of hazards, in one query."""
    closed = Q(case__closed_at__isnull=False, case__closed_at__lte=as_of)
    row = hazards.aggregate(
        found=Count("id"),
        rectified=Count("id", filter=closed),
        overdue=Count("id", filter=~closed & Q(deadline__lt=timezone.localdate(as_of))),
        major=Count("id", filter=Q(grade=Grade.MAJOR)),
    )
    return BookFigures(
        label=label, found=row["found"], rectified=row["rectified"], overdue=row["overdue"], major=row["major"]
    )


def hazards_in(*, town: Area, start: date, end: date) -> QuerySet[Hazard]:
    return Hazard.objects.filter(town=town, found_on__gte=start, found_on__lt=end)


def figures_by_book(*, hazards: QuerySet[Hazard], as_of: datetime) -> list[BookFigures]:
    """One line per book, then government + third party together (as the work report counts them)."""
    lines = [book_figures(hazards.filter(book=b), as_of=as_of, label=str(b.label)) for b in Book]
    lines.append(book_figures(hazards.filter(book__in=GOVERNMENT_BOOKS), as_of=as_of, label=_("政府端和第三方合计")))
    return lines


def _cases(hazards: QuerySet[Hazard]) -> QuerySet[Case]:
    return Case.objects.filter(pk__in=hazards.values("case_id"))


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    hazards = hazards_in(town=town, start=start, end=end)
    closed = Q(case__closed_at__isnull=False, case__closed_at__lte=as_of)
    own = hazards.filter(book=Book.SELF)
    gov = hazards.filter(book__in=GOVERNMENT_BOOKS)
    major = hazards.filter(grade=Grade.MAJOR)
    # One query for the hazards, one for the service requests (each count is that of its figure's records).
    mine, theirs = Q(book=Book.SELF), Q(book__in=GOVERNMENT_BOOKS)
    found = hazards.aggregate(
        own=Count("id", filter=mine),
        own_fixed=Count("id", filter=mine & closed),
        gov=Count("id", filter=theirs),
        gov_fixed=Count("id", filter=theirs & closed),
        major=Count("id", filter=Q(grade=Grade.MAJOR)),
    )

    requests = ServiceRequest.objects.filter(
        town=town, case__reported_at__gte=_moment(start), case__reported_at__lt=_moment(end)
    )
    solved = requests.filter(closed)
    asked = requests.aggregate(
        n=Count("id"), solved=Count("id", filter=closed), total=Sum("financing_amount", filter=closed)
    )
    financing = asked["total"] or Decimal(0)
    meetings = Meeting.objects.filter(town=town, held_on__gte=start, held_on__lt=end).count()
    services = Case.objects.filter(kind=Kind.SERVICE)
    return {
        "hazards_self_found": Figure(_("企业自查隐患"), found["own"], _("条"), _cases(own)),
        "hazards_self_rectified": Figure(
            _("企业自查隐患已整改"), found["own_fixed"], _("条"), _cases(own.filter(closed))
        ),
        "hazards_self_rate": Figure(_("企业自查隐患整改率"), rate(found["own_fixed"], found["own"]), "%", _cases(own)),
        "hazards_gov_found": Figure(_("政府端和第三方排查隐患"), found["gov"], _("条"), _cases(gov)),
        "hazards_gov_rectified": Figure(
            _("政府端和第三方排查隐患已整改"), found["gov_fixed"], _("条"), _cases(gov.filter(closed))
        ),
        "hazards_gov_rate": Figure(
            _("政府端和第三方排查隐患整改率"), rate(found["gov_fixed"], found["gov"]), "%", _cases(gov)
        ),
        "hazards_major": Figure(_("重大隐患"), found["major"], _("条"), _cases(major)),
        "service_requests": Figure(
            _("企业诉求"), asked["n"], _("个"), services.filter(pk__in=requests.values("case_id"))
        ),
        "service_solved": Figure(
            _("帮助企业解决实际问题"), asked["solved"], _("个"), services.filter(pk__in=solved.values("case_id"))
        ),
        "service_meetings": Figure(_("乡镇长有约"), meetings, _("期"), None),
        "financing_amount": Figure(
            _("协调融资"),
            financing,
            _("元"),
            services.filter(pk__in=solved.filter(financing_amount__gt=0).values("case_id")),
        ),
    }
