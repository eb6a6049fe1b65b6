"""Read-only admin views: lists and items are written by the domain functions."""

from django.contrib import admin

from gridgov.data.cases.admin import ReadOnlyAdmin
from gridgov.data.problemlists.models import ProblemItem, ProblemList


@admin.register(ProblemList)
class ProblemListAdmin(ReadOnlyAdmin[ProblemList]):
    list_display = ["name", "town", "created_at"]


@admin.register(ProblemItem)
class ProblemItemAdmin(ReadOnlyAdmin[ProblemItem]):
    list_display = ["case", "problem_list", "source", "department", "responsible_person", "deadline"]
    list_select_related = ["case", "problem_list", "department"]
    list_filter = ["problem_list", "source"]
