"""The people register's pages (实有人口、实有房屋), under /ledgers/people/."""

from django.urls import URLPattern, URLResolver, path

from gridgov.ui.ledgers import views_houses as houses
from gridgov.ui.ledgers import views_pipl as pipl
from gridgov.ui.ledgers import views_residents as residents

urlpatterns: list[URLPattern | URLResolver] = [
    path("people/houses/", houses.houses, name="houses"),
    path("people/houses/export.xlsx", houses.houses_export, name="houses_export"),
    path("people/houses/new/", houses.house_new, name="house_new"),
    path("people/houses/<int:house_id>/", houses.house_detail, name="house"),
    path("people/houses/<int:house_id>/edit/", houses.house_edit, name="house_edit"),
    path("people/households/<int:household_id>/", houses.household_detail, name="household"),
    path("people/households/<int:household_id>/edit/", houses.household_edit, name="household_edit"),
    path("people/residents/", residents.residents, name="residents"),
    path("people/residents/export.xlsx", residents.residents_export, name="residents_export"),
    path("people/residents/<int:resident_id>/", residents.resident_detail, name="resident"),
    path("people/residents/<int:resident_id>/edit/", residents.resident_edit, name="resident_edit"),
    path("people/residents/<int:resident_id>/reveal/", residents.resident_reveal, name="resident_reveal"),
    path("people/residents/<int:resident_id>/groups/", residents.resident_join, name="resident_join"),
    path(
        "people/residents/<int:resident_id>/groups/<int:membership_id>/end/",
        residents.membership_end,
        name="membership_end",
    ),
    path("people/residents/<int:resident_id>/move-out/", residents.resident_move_out, name="resident_move_out"),
    path("people/residents/<int:resident_id>/personal-data/", pipl.resident_export, name="resident_export"),
    path("people/residents/<int:resident_id>/erase/", pipl.resident_erase, name="resident_erase"),
]
