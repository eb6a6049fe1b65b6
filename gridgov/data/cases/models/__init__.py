"""Cases (事件/案卷), their append-only action log (流转记录), attachments and notifications, one concept a module:
``case`` (the case), ``detail`` (what a ledger's detail row of a case declares), ``log`` (its action log and the
audit-chain checks), ``attachments`` (its files) and ``alerts`` (deadline alerts and notifications). Everything is
importable from here, as before.
"""

from gridgov.data.cases.models.alerts import DeadlineAlert, Notification

# The upload paths stay importable here: the migrations name them ``gridgov.data.cases.models.<name>_path``.
from gridgov.data.cases.models.attachments import Attachment, attachment_path, display_path, thumbnail_path
from gridgov.data.cases.models.case import Case
from gridgov.data.cases.models.detail import CaseDetail, case_link
from gridgov.data.cases.models.log import AuditRun, CaseAction

# The day rollups (a projection of cases kept in each case's transaction) are defined apart; registered here.
from gridgov.data.cases.rollup_model import DailyRollup

__all__ = [
    "Attachment",
    "AuditRun",
    "Case",
    "CaseAction",
    "CaseDetail",
    "DailyRollup",
    "DeadlineAlert",
    "Notification",
    "attachment_path",
    "case_link",
    "display_path",
    "thumbnail_path",
]
