from django.urls import URLPattern, URLResolver, path

from gridgov.ui.ledgers import views_assistance as assistance
from gridgov.ui.ledgers import views_assistance_services as services
from gridgov.ui.ledgers import views_disputes as disputes
from gridgov.ui.ledgers import views_figures as figures
from gridgov.ui.ledgers import views_inspections as inspections
from gridgov.ui.ledgers import views_problemlists as lists
from gridgov.ui.ledgers import views_project as project
from gridgov.ui.ledgers import views_projects as projects
from gridgov.ui.ledgers import views_rentals as rentals

urlpatterns: list[URLPattern | URLResolver] = [
    path("inspections/", inspections.rounds, name="rounds"),
    path("inspections/new/", inspections.round_new, name="round_new"),
    path("inspections/<int:round_id>/", inspections.round_detail, name="round_detail"),
    path("inspections/<int:round_id>/record/", inspections.round_record, name="round_record"),
    path("inspections/<int:round_id>/export.xlsx", inspections.round_export, name="round_export"),
    path("inspections/<int:round_id>/finish/", inspections.round_finish, name="round_finish"),
    path("inspections/<int:round_id>/bulletin/", inspections.round_issue_bulletin, name="round_issue_bulletin"),
    path("inspections/bulletins/<int:bulletin_id>.docx", inspections.bulletin_download, name="bulletin_download"),
    path("problem-lists/", lists.problem_lists, name="problem_lists"),
    path("problem-lists/export.xlsx", lists.problem_items_export, name="problem_items_export"),
    path("problem-lists/seven/", lists.seven_lists, name="seven_lists"),
    path("problem-lists/items/new/", lists.problem_item_new, name="problem_item_new"),
    path("problem-lists/items/<int:item_id>/", lists.problem_item, name="problem_item"),
    path("problem-lists/items/<int:item_id>/write-off/", lists.problem_item_write_off, name="problem_item_write_off"),
    path("disputes/", disputes.disputes, name="disputes"),
    path("disputes/export.xlsx", disputes.disputes_export, name="disputes_export"),
    path("disputes/new/", disputes.dispute_new, name="dispute_new"),
    path("disputes/<int:dispute_id>/", disputes.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/reveal/", disputes.dispute_reveal, name="dispute_reveal"),
    path("disputes/<int:dispute_id>/extension/", disputes.dispute_extension, name="dispute_extension"),
    path("disputes/<int:dispute_id>/clear-backlog/", disputes.dispute_clear_backlog, name="dispute_clear_backlog"),
    path("figures/civic/", figures.civic_figures, name="civic_figures"),
    path("rentals/", rentals.rectifications, name="rectifications"),
    path("rentals/export.xlsx", rentals.rectifications_export, name="rectifications_export"),
    path("rentals/new/", rentals.rectification_new, name="rectification_new"),
    path("rentals/<int:rectification_id>/", rentals.rectification_detail, name="rectification"),
    path("farmhouses/", rentals.farmhouses, name="farmhouses"),
    path("farmhouses/export.xlsx", rentals.farmhouses_export, name="farmhouses_export"),
    path("farmhouses/<int:house_id>/revitalise/", rentals.farmhouse_revitalise, name="farmhouse_revitalise"),
    path("assistance/", assistance.payments, name="assistance_payments"),
    path("assistance/export.xlsx", assistance.payments_export, name="assistance_payments_export"),
    path("assistance/new/", assistance.payment_new, name="assistance_payment_new"),
    path("assistance/cards/", services.cards, name="assistance_cards"),
    path("assistance/cards/export.xlsx", services.cards_export, name="assistance_cards_export"),
    path("assistance/cards/new/", services.card_new, name="assistance_card_new"),
    path("assistance/cards/<int:card_id>/issue/", services.card_issue, name="assistance_card_issue"),
    path("assistance/day-care/", services.day_care, name="assistance_day_care"),
    path("assistance/day-care/export.xlsx", services.day_care_export, name="assistance_day_care_export"),
    path("assistance/day-care/new/", services.day_care_new, name="assistance_day_care_new"),
    path("assistance/figures/", assistance.figures, name="assistance_figures"),
    path("projects/", projects.projects, name="projects"),
    path("projects/export.xlsx", projects.projects_export, name="projects_export"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:project_id>/", project.project_detail, name="project"),
    path("projects/<int:project_id>/progress/", project.project_progress, name="project_progress"),
    path(
        "projects/<int:project_id>/photos/<int:photo_id>/<str:size>/",
        project.progress_photo,
        name="project_photo",
    ),
    path("projects/<int:project_id>/milestones/", project.project_milestones, name="project_milestones"),
    path(
        "projects/<int:project_id>/milestones/<int:milestone_id>/done/",
        project.milestone_done,
        name="milestone_done",
    ),
]
