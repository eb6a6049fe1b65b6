from django.urls import URLPattern, URLResolver, path

from gridgov.ui.ledgers import views_civic as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("inspections/", v.rounds, name="rounds"),
    path("inspections/new/", v.round_new, name="round_new"),
    path("inspections/<int:round_id>/", v.round_detail, name="round_detail"),
    path("inspections/<int:round_id>/record/", v.round_record, name="round_record"),
    path("inspections/<int:round_id>/export.xlsx", v.round_export, name="round_export"),
    path("inspections/<int:round_id>/finish/", v.round_finish, name="round_finish"),
    path("inspections/<int:round_id>/bulletin/", v.round_issue_bulletin, name="round_issue_bulletin"),
    path("inspections/bulletins/<int:bulletin_id>.docx", v.bulletin_download, name="bulletin_download"),
    path("problem-lists/", v.problem_lists, name="problem_lists"),
    path("problem-lists/export.xlsx", v.problem_items_export, name="problem_items_export"),
    path("problem-lists/seven/", v.seven_lists, name="seven_lists"),
    path("problem-lists/items/new/", v.problem_item_new, name="problem_item_new"),
    path("problem-lists/items/<int:item_id>/", v.problem_item, name="problem_item"),
    path("problem-lists/items/<int:item_id>/write-off/", v.problem_item_write_off, name="problem_item_write_off"),
    path("disputes/", v.disputes, name="disputes"),
    path("disputes/export.xlsx", v.disputes_export, name="disputes_export"),
    path("disputes/new/", v.dispute_new, name="dispute_new"),
    path("disputes/<int:dispute_id>/", v.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/reveal/", v.dispute_reveal, name="dispute_reveal"),
    path("disputes/<int:dispute_id>/extension/", v.dispute_extension, name="dispute_extension"),
    path("disputes/<int:dispute_id>/clear-backlog/", v.dispute_clear_backlog, name="dispute_clear_backlog"),
    path("figures/civic/", v.civic_figures, name="civic_figures"),
]
