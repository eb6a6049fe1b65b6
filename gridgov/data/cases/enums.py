from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    REPORTED = "reported", _("待受理")
    REGISTERED = "registered", _("已立案")
    DISPATCHED = "dispatched", _("已派遣")
    HANDLING = "handling", _("处置中")
    RESOLVED = "resolved", _("待核查")
    CLOSED = "closed", _("已结案")
    REJECTED = "rejected", _("不予立案")
    SUSPENDED = "suspended", _("缓办")


TERMINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED})
OPEN_STATUSES = frozenset(set(Status) - TERMINAL_STATUSES)
# Statuses in which the dispatch clock runs (before the case reaches a department).
DISPATCH_PHASE_STATUSES = frozenset({Status.REPORTED, Status.REGISTERED})
HANDLE_PHASE_STATUSES = frozenset({Status.DISPATCHED, Status.HANDLING})


class Action(models.TextChoices):
    REPORT = "report", _("上报")
    SELF_RESOLVE = "self_resolve", pgettext_lazy("case action", "自行处置")
    REGISTER = "register", _("立案")
    REJECT = "reject", pgettext_lazy("case action", "不予立案")
    DISPATCH = "dispatch", _("派遣")
    REDISPATCH = "redispatch", _("改派")
    RETURN = "return", _("退回")
    SIGN = "sign", _("签收")
    PROGRESS = "progress", _("处置进展")
    RESOLVE = "resolve", _("处置反馈")
    VERIFY_PASS = "verify_pass", _("核查通过")
    VERIFY_FAIL = "verify_fail", _("核查不通过（返工）")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    DENY_EXTENSION = "deny_extension", _("驳回延期")
    SUSPEND = "suspend", pgettext_lazy("case action", "缓办")
    RESUME = "resume", _("恢复办理")
    SUPERVISE = "supervise", _("督办")
    COMMENT = "comment", _("备注")
    RECLASSIFY = "reclassify", _("调整分类/紧急程度")
    RATE = "rate", _("回访评价")
    REOPEN = "reopen", _("重新办理")
    IMPORT = "import", _("历史导入")
    RECALENDAR = "recalendar", _("期限重算")


class Channel(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员上报")
    RESIDENT = "resident", _("群众上报")
    HOTLINE = "hotline", _("12345热线")
    ENTERPRISE = "enterprise", _("企业上报")
    INSPECTION = "inspection", _("督查巡查")
    PETITION = "petition", _("信访")
    SUPERIOR = "superior", _("上级交办")
    OPEN311 = "open311", _("Open311")
    OTHER = "other", _("其他")


class Kind(models.TextChoices):
    EVENT = "event", _("事件")
    HAZARD = "hazard", _("隐患")
    INSPECTION = "inspection", _("督查问题")
    PROBLEM_LIST = "problem_list", _("问题清单")
    SERVICE = "service", _("三服务")
    DISPUTE = "dispute", _("信访/矛盾纠纷")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# The ratings that count as satisfied (满意率): the indicators' definition and the rollups' count.
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


class Lamp(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("超期")
    PAUSED = "paused", _("暂停计时")
    NONE = "none", _("无期限")


class AttachmentKind(models.TextChoices):
    BEFORE = "before", _("处置前")
    AFTER = "after", _("处置后")
    OTHER = "other", _("其他")


class NotificationKind(models.TextChoices):
    """What a notification says, written as a sentence in the reader's language when it is read (its row keeps
    the kind and its parameters). No kind: a notification stored before kinds, shown as its stored text."""

    STORED = "", _("原文")
    ACTION = "action", _("案卷流转")
    DEADLINE = "deadline", _("期限预警")
