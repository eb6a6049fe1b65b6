"""Read-only admin view of disputes. Parties are left out: their personal data is shown only on the
dispute page, masked, with a logged reveal."""

from django.contrib import admin

from gridgov.data.cases.admin import ReadOnlyAdmin
from gridgov.data.disputes.models import Dispute


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin[Dispute]):
    list_display = ["case", "type", "level", "amount", "backlog", "backlog_cleared_at", "received_on"]
    list_select_related = ["case"]
    list_filter = ["type", "backlog", "level"]
