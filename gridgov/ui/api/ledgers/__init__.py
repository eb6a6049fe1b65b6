"""Ledger endpoints: enterprises, hazards (两本账), service requests (三服务), disputes, inspection rounds and their
problems, problem lists and items — one module a ledger, its schemas beside its endpoints. Every record hangs off
a case, so every read goes through ``cases.scope.visible_cases`` (an enterprise user sees only its company's
records); enterprises through ``enterprises.domain.visible_enterprises``; writes through the ledgers' domain
functions. Importing this package registers the endpoints on ``api``."""

# The people register registers its endpoints first (imported, not used here): the API description has always listed
# its paths before the other ledgers' (the assistance ledgers, imported first, took their ids and refs from it).
import gridgov.ui.api.ledgers.people  # noqa: F401
from gridgov.ui.api.ledgers import (
    assistance,  # social assistance payments (issue 15)
    assistance_services,  # veterans' cards and day care (issue 15)
    collective,  # the villages' collective incomes (issue 16)
    disputes,
    enterprise_years,  # the enterprises' yearly figures (issue 16)
    enterprises,
    hazards,
    inspections,
    investment,  # investment attraction (issue 16)
    people,  # the people register (issue 15)
    problemlists,
    projects,  # key projects (issue 16)
    residents,  # the people register's residents (issue 15)
    services,
    visits,  # grid visits (issue 15)
)

__all__ = [
    "assistance",
    "assistance_services",
    "collective",
    "disputes",
    "enterprise_years",
    "enterprises",
    "hazards",
    "inspections",
    "investment",
    "people",
    "problemlists",
    "projects",
    "residents",
    "services",
    "visits",
]
