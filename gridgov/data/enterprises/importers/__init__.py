"""Excel import of the enterprise ledgers: the enterprise directory (企业名录), hazards (隐患台账) and
enterprise service requests (企业诉求台账), on the sheets framework (dry run, all-or-nothing, no duplicates).

Hazards and requests still open are imported as new cases, filed as ``record_hazard``/``raise_request`` file
them (``plan_hazard``/``plan_request``; the rectification or handling then happens in the system). A row
already finished — a hazard with its 验收日期/销号日期, a request with its 办结日期 — or rectified awaiting
acceptance (整改完成日期 only) is imported as a historical case (its milestones from the row's dates as
历史导入 actions on the audit chain), so the ledger's figures of past years (整改率, 解决问题数) are right.
Both go through the bulk path at once (``ledger_import.LedgerImporter``). Each row's identity (credit code +
book + date + location + description) is kept as ``source_key`` so the same file imported twice creates
nothing twice.
"""

from __future__ import annotations

from gridgov.data.enterprises.importers.common import may_import
from gridgov.data.enterprises.importers.directory import ENTERPRISES
from gridgov.data.enterprises.importers.hazards import HAZARDS
from gridgov.data.enterprises.importers.service_requests import SERVICE_REQUESTS

__all__ = ["ENTERPRISES", "HAZARDS", "SERVICE_REQUESTS", "may_import"]
