"""The pager under a ledger's list: previous and next keep the filters and replace the page."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_the_pager_replaces_the_page_and_keeps_the_filters():
    request = RequestFactory().get("/ledgers/hazards/", {"book": "self", "page": "2"})
    page = Paginator(range(30), 10).get_page(2)
    context = {"page": page, "query": request.GET.urlencode()}  # as views_common.page_context gives it
    html = render_to_string("ledgers/enterprise/_pager.html", context, request=request)
    assert re.findall(r'href="([^"]+)"', html) == ["?book=self&amp;page=1", "?book=self&amp;page=3"]
