"""Forms of the web pages. Validation messages are Chinese first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.org.security import locked_until


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying plainly when an account is locked after repeated failures."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            until = locked_until(username)
            if until is not None:
                raise forms.ValidationError(
                    _("连续登录失败次数过多，账号已暂时锁定，请于 %(time)s 后再试")
                    % {"time": timezone.localtime(until).strftime("%H:%M")},
                    code="locked",
                )
        return super().clean()
