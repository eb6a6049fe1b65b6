"""Read-only admin views: rounds, problems and bulletins are written by the domain functions."""

from django.contrib import admin

from gridgov.data.cases.admin import ReadOnlyAdmin
from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem, InspectionRound


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin[InspectionRound]):
    list_display = ["name", "start_date", "end_date", "status", "organizer"]
    list_filter = ["status", "town"]


@admin.register(InspectionProblem)
class InspectionProblemAdmin(ReadOnlyAdmin[InspectionProblem]):
    list_display = ["case", "round", "village", "item", "deduction", "found_at"]
    list_select_related = ["case", "round", "village", "item"]
    list_filter = ["round"]


@admin.register(InspectionBulletin)
class InspectionBulletinAdmin(ReadOnlyAdmin[InspectionBulletin]):
    list_display = ["title", "round", "issued_at", "issued_by"]
    exclude = ["snapshot"]
