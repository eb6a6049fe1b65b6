from django.urls import URLPattern, URLResolver, path

from gridgov.ui.ledgers import views_collective as collective

urlpatterns: list[URLPattern | URLResolver] = [
    path("collective/", collective.collective, name="collective"),
    path("collective/export.xlsx", collective.collective_export, name="collective_export"),
    path("collective/supports/", collective.supports, name="collective_supports"),
    path("collective/supports/export.xlsx", collective.supports_export, name="collective_supports_export"),
    path("collective/villages/<int:village_id>/", collective.collective_village, name="collective_village"),
]
