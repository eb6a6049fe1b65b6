"""The categories the ledgers install for their cases read in English too (the case lists, filters and exports)."""

from __future__ import annotations

from django.utils import translation

from gridgov.data.enterprises.categories import install_hazard_categories, install_service_categories
from gridgov.data.projects.supervision import install_project_category
from tests.factories import TownWorld


def test_the_ledgers_own_categories_have_english_names(world: TownWorld) -> None:
    hazards = install_hazard_categories(town=world.town)
    services = list(install_service_categories(town=world.town).values())
    project = install_project_category(town=world.town)
    with translation.override("en"):
        assert [c.local_name for c in (hazards[0].parent, services[0].parent, project.parent)] == [
            "Enterprise safety hazards",
            "Enterprise service requests",
            "Key projects",
        ]
        assert [c.local_name for c in hazards] == [
            "Fire safety",
            "Electrical safety",
            "Special equipment",
            "Hazardous chemicals",
            "Confined spaces",
            "Worksite",
            "Other",
        ]
        assert [c.local_name for c in services] == [
            "Resource support",
            "Financing",
            "Employment",
            "Approvals",
            "Policy",
        ]
        assert project.local_name == "Milestone supervision"
    assert [c.local_name for c in hazards][:2] == ["消防安全", "电气安全"]  # Chinese first
