"""Grid visits (走访): a grid worker's visit to a resident of a key or care group, or to a group-rental house.

A visit keeps where and when it happened, one photo (an upright JPEG copy without metadata, checked as a case's
photos are), the note and the findings; a finding may become a case on the engine (``case``). Rows are written
only through ``visits.domain``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import Case
from gridgov.data.cases.models.attachments import hashed_path
from gridgov.data.org.fields import coordinate_field, optional_link
from gridgov.data.org.models import Area, TownEntry, User
from gridgov.data.people.models import House, Resident


def visit_photo_path(instance: Visit, filename: str) -> str:
    return hashed_path("visits", town_id=instance.town_id, sha256=instance.photo_sha256, suffix=".jpg")


class Visit(TownEntry):
    """One visit of a grid worker: to a resident or to a house (exactly one of them)."""

    worker = models.ForeignKey(User, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="+")
    resident = optional_link(Resident, _("走访对象"), related_name="visits")
    house = optional_link(House, _("走访房屋"), related_name="visits")
    # The visited place's village and grid when the visit was recorded (coverage per grid and village).
    village = optional_link(Area)
    grid = optional_link(Area)
    visited_at = models.DateTimeField(_("走访时间"))
    latitude = coordinate_field(_("纬度"))
    longitude = coordinate_field(_("经度"))
    photo = models.FileField(_("现场照片"), upload_to=visit_photo_path, max_length=255, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True, editable=False)  # of the kept original
    note = models.TextField(_("走访情况"), blank=True)
    findings = models.TextField(_("发现问题"), blank=True)
    case = optional_link(Case, _("转为事件"))

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(resident__isnull=False, house__isnull=True))
                | (models.Q(resident__isnull=True, house__isnull=False)),
                name="visit_resident_or_house",
            ),
        ]
        indexes = [
            models.Index(fields=["resident", "visited_at"], name="visit_resident_last"),
            models.Index(fields=["house", "visited_at"], name="visit_house_last"),
            models.Index(fields=["town", "grid", "visited_at"], name="visit_grid_period"),
            models.Index(fields=["town", "village", "visited_at"], name="visit_village_period"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
