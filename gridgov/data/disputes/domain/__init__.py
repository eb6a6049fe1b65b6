"""Petitions and disputes: register (a case dispatched to the handling unit, with parties), record the
mediation, resolve through the engine, clear a backlog case (积案化解), the petition limit (60 days, +30
with approval) and the parties' personal data (masked; full view for the command room and leaders, logged).
The package, by concept: ``categories`` (the types' categories and limits), ``parties`` (their personal data),
``register`` (a dispute registered or planned) and ``handling`` (mediation, backlog, petition extension); its
names are importable from here, where the views, the API, the importer, the demo, the permission module and the
tests import them.
"""

from gridgov.data.disputes.domain.categories import (
    BACKLOG_PETITION,
    CATEGORIES,
    PETITION_DAYS,
    PETITION_EXTENSION_DAYS,
    dispute_category,
    install_dispute_categories,
)
from gridgov.data.disputes.domain.handling import clear_backlog, record_mediation, request_petition_extension
from gridgov.data.disputes.domain.parties import (
    PartyInput,
    PartyView,
    check_party_number,
    check_phone,
    kind_of_name,
    parties_shown,
    party_kind_named,
    party_names,
    party_rows,
    reveal_parties,
)
from gridgov.data.disputes.domain.register import (
    MANAGER_ROLES,
    PlannedDispute,
    dispute_case_fields,
    dispute_rows,
    plan_dispute,
    register_dispute,
)

__all__ = [
    "BACKLOG_PETITION",
    "CATEGORIES",
    "MANAGER_ROLES",
    "PETITION_DAYS",
    "PETITION_EXTENSION_DAYS",
    "PartyInput",
    "PartyView",
    "PlannedDispute",
    "check_party_number",
    "check_phone",
    "clear_backlog",
    "dispute_case_fields",
    "dispute_category",
    "dispute_rows",
    "install_dispute_categories",
    "kind_of_name",
    "parties_shown",
    "party_kind_named",
    "party_names",
    "party_rows",
    "plan_dispute",
    "record_mediation",
    "register_dispute",
    "request_petition_extension",
    "reveal_parties",
]
