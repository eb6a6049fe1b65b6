"""A ledger's list as its page and its Excel export both read it.

Every ledger list answers two URLs: the page (the filters in the query string, paged) and ``export.xlsx`` (the
same filters, every row). Both read the same facts from the request — who asks, the town the ledger works on for
them, the filters — and select the same records. A ledger states these once (``LedgerList``), and its export as a
``Sheet``: the title, the headers, and each record's cells in the headers' order — written ``@sheet(title, headers)``
over the function that gives the cells. ``export_view`` is then the whole export page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from gridgov.data.org.models import Area, User
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.signed_in import signed_in_user


@dataclass(frozen=True)
class Shown:
    """What a list page and its export read from the request: who asks, the ledger's town for them, the filters
    ("" for those absent)."""

    user: User
    town: Area
    params: dict[str, str]


@dataclass(frozen=True)
class LedgerList:
    """A ledger's list: the rule that finds the user's town (403/404 for those it refuses) and the filters it
    reads from the query string."""

    town_of: Callable[[User], Area]
    filters: tuple[str, ...]

    def read(self, request: HttpRequest) -> Shown:
        user = signed_in_user(request)
        return Shown(user, self.town_of(user), common.list_params(request, *self.filters))


@dataclass(frozen=True)
class Sheet[R]:
    """A ledger list's Excel export: its title (the sheet's, and the file's with today's date), its headers, and the
    cells of one record in the headers' order."""

    title: str | Promise
    headers: Sequence[str | Promise]
    cells: Callable[[R], Sequence[CellValue]]

    def response(self, records: Iterable[R]) -> HttpResponse:
        return common.list_xlsx(str(self.title), self.headers, (self.cells(record) for record in records))


def sheet[R](
    title: str | Promise, headers: Sequence[str | Promise]
) -> Callable[[Callable[[R], Sequence[CellValue]]], Sheet[R]]:
    """``@sheet(title, headers)`` over the function that gives one record's cells makes it the export's ``Sheet``:
    the headers stand right above the cells they name."""

    def declare(cells: Callable[[R], Sequence[CellValue]]) -> Sheet[R]:
        return Sheet(title, headers, cells)

    return declare


def export_view[R](
    listing: LedgerList, records: Callable[[User, Area, dict[str, str]], Iterable[R]], sheet: Sheet[R]
) -> Callable[[HttpRequest], HttpResponse]:
    """The export page of a ledger list: the ``records`` the list's filters select for the user, as ``sheet``."""

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        shown = listing.read(request)
        return sheet.response(records(shown.user, shown.town, shown.params))

    return view
