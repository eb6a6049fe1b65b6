"""The 消息设置 page: which channels bring which kinds of message (htmx: each switch saves itself)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.errors import InvalidInput
from gridgov.data.notify.domain.preferences import preference_table, set_preference
from gridgov.ui.signed_in import signed_in_user


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """GET: the table; POST (the whole form, without JavaScript): save every switch shown."""
    user = signed_in_user(request)
    if request.method == "POST":
        table = preference_table(user=user)
        for row in table.rows:
            for cell in row.cells:
                wanted = f"{cell.kind}:{cell.channel}" in request.POST.getlist("on")
                if wanted != cell.enabled:
                    set_preference(user=user, kind=cell.kind, channel=cell.channel, enabled=wanted)
        messages.success(request, _("消息设置已保存"))
        return redirect("web:notification_preferences")
    return render(request, "web/notification_preferences.html", {"table": preference_table(user=user)})


@login_required
@require_POST
def preference_switch(request: HttpRequest) -> HttpResponse:
    """One switch (htmx): saves it and answers the cell."""
    user = signed_in_user(request)
    try:
        cell = set_preference(
            user=user,
            kind=request.POST.get("kind", ""),
            channel=request.POST.get("channel", ""),
            enabled=request.POST.get("enabled") == "1",
        )
    except InvalidInput as error:
        return HttpResponse(error.message, status=400)
    return render(request, "web/notification_preferences.html#cell", {"cell": cell})
