"""Recording investment attraction (招商引资): leads, their stage moves, the funds arrived by month, and the new
enterprise of a landed lead.

Every function checks who acts (``investment.scope``) and the input (each refusal an ``InvalidInput`` whose Chinese
message names the field), then writes in one transaction: **nothing is written when a check fails**.

- ``record_lead``: a new lead, at the stage its dates reach (a lead already signed or landed is entered with the
  day of each stage, in order, none skipped); the stages it passed are written to its history.
- ``advance_stage``: one step forward (线索 → 洽谈 → 签约 → 落地 → 投产), on a day not before the last stage's and not
  in the future; signing needs the signed amount (签约须填写签约金额).
- ``record_arrival``: the funds of a signed lead arrived in one month (not a future month, not before the signing
  month); a second entry for the same lead and month corrects the first (its time and author kept beside).
- ``register_enterprise``: the company a landed lead became — linked to the enterprise ledger's record with the
  same unified social credit code, or created there by ``enterprises.domain.enterprises.create_enterprise``
  (GB 32100 check) — with the day it was registered, from which 新增企业 is counted.

The package, by concept: ``checks`` (shared by all three), ``leads``, ``arrivals`` and ``newcomers``; its
names are importable from here, where the views, the API, the importer and the demo import them.
"""

from gridgov.data.investment.domain.arrivals import ArrivalInput, arrival_row, clean_arrival, record_arrival
from gridgov.data.investment.domain.checks import AmountValue
from gridgov.data.investment.domain.leads import (
    EDITABLE,
    CleanLead,
    LeadInput,
    advance_stage,
    clean_lead,
    edit_lead,
    history_rows,
    lead_row,
    next_stage,
    record_lead,
)
from gridgov.data.investment.domain.newcomers import LANDED_STAGES, NewEnterpriseInput, register_enterprise
from gridgov.data.worktime.days import chinese_day

__all__ = [
    "EDITABLE",
    "LANDED_STAGES",
    "AmountValue",
    "ArrivalInput",
    "CleanLead",
    "LeadInput",
    "NewEnterpriseInput",
    "advance_stage",
    "arrival_row",
    "chinese_day",
    "clean_arrival",
    "clean_lead",
    "edit_lead",
    "history_rows",
    "lead_row",
    "next_stage",
    "record_arrival",
    "record_lead",
    "register_enterprise",
]
