"""What every dashboard page needs: the viewer (who sees which figures) and the town being looked at."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gridgov.data.access.permissions import Viewer, viewer_of
from gridgov.data.org.models import Area
from gridgov.ui.params import id_param
from gridgov.ui.signed_in import signed_in_user


def viewer_for(request: HttpRequest) -> Viewer:
    """The signed-in user as a viewer of figures; 403 for users who may see none (grid workers, residents…)."""
    viewer = viewer_of(signed_in_user(request))
    if not viewer.sees_anything:
        raise PermissionDenied(_("您没有查看统计数据的权限"))
    return viewer


def town_for(request: HttpRequest, viewer: Viewer) -> Area:
    """The town chosen with ?town= among those the viewer may look at; by default the viewer's first."""
    raw = request.GET.get("town") or request.POST.get("town") or ""
    if raw:
        town_id = id_param(raw)
        for town in viewer.towns:
            if town.pk == town_id:
                return town
        if town_id is not None and any(village.town_id == town_id for village in viewer.villages):
            return Area.objects.get(pk=town_id)
        raise PermissionDenied(_("您无权查看该乡镇的数据"))
    return viewer.default_town()


def town_wide(request: HttpRequest) -> tuple[Viewer, Area]:
    """For pages only the town's leaders, command room and admins see (rankings, bulletins, economy)."""
    viewer = viewer_for(request)
    town = town_for(request, viewer)
    if not viewer.sees_town(town):
        raise PermissionDenied(_("只有本镇领导、指挥室和管理员可以查看全镇数据"))
    return viewer, town
