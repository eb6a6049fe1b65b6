"""Read-only admin view of the group-rental rectifications (written only through ``rentals.domain``)."""

from django.contrib import admin

from gridgov.data.cases.admin import ReadOnlyAdmin
from gridgov.data.rentals.models import Rectification


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin[Rectification]):
    list_display = ["case", "house", "rooms", "problems", "found_on", "rectified_on"]
    list_select_related = ["case", "house"]
    list_filter = ["found_on"]
