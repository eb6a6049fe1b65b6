from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisputeType(models.TextChoices):
    PETITION = "petition", _("信访")
    CONFLICT = "conflict", _("矛盾纠纷")
    LABOUR = "labour", _("劳资纠纷")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWN = "town", _("镇级")
    VILLAGE = "village", _("村级")


class Method(models.TextChoices):
    PEOPLES = "peoples", _("人民调解")
    ADMINISTRATIVE = "administrative", _("行政调解")
    JUDICIAL = "judicial", _("司法调解")
    ARBITRATION = "arbitration", _("劳动仲裁")
    NEGOTIATION = "negotiation", _("协商和解")
    LEADER = "leader", _("领导包案")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("调解成功")
    PARTIAL = "partial", _("部分化解")
    FAILED = "failed", _("调解不成")
    REFERRED = "referred", _("引导诉讼/仲裁")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人/信访人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class PartyKind(models.TextChoices):
    """A party is a natural person (masked on display) or a company or other organisation (not personal data)."""

    PERSON = "person", _("个人")
    ORGANISATION = "organisation", pgettext_lazy("party", "单位")  # a company, not a unit of measure
