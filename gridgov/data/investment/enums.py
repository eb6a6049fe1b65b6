from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """A lead's stages, in the only order it moves through them."""

    LEAD = "lead", _("线索")
    TALKS = "talks", _("洽谈")
    SIGNED = "signed", _("签约")
    LANDED = "landed", _("落地")
    PRODUCING = "producing", _("投产")


#: The stages in order; a lead moves one step forward at a time.
STAGE_ORDER: tuple[Stage, ...] = (Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.LANDED, Stage.PRODUCING)
#: The field holding the day each stage was reached.
STAGE_DATE_FIELDS: dict[Stage, str] = {
    Stage.LEAD: "lead_on",
    Stage.TALKS: "talks_on",
    Stage.SIGNED: "signed_on",
    Stage.LANDED: "landed_on",
    Stage.PRODUCING: "producing_on",
}


class Source(models.TextChoices):
    """How the lead was found."""

    LEADER = "leader", _("一把手招商")
    NATIVE = "native", _("乡贤招商")
    BUSINESS = "business", _("以商招商")
    OTHER = "other", _("其他")


class Industry(models.TextChoices):
    """The lead's industry, as the town's attraction plan groups them."""

    PETROCHEMICAL = "petrochemical", _("石化配套")
    SHIPBUILDING = "shipbuilding", _("船舶修造")
    AQUATIC = "aquatic", _("水产加工")
    TOURISM = "tourism", _("文旅")
    OTHER = "other", _("其他")
