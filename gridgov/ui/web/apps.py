from django import forms
from django.apps import AppConfig

from gridgov.data.safetext import validate_form_text


class Config(AppConfig):
    name = "gridgov.ui.web"
    label = "web"

    def ready(self) -> None:
        # Every text field of every form (pages, phone, ledgers, imports, admin) refuses control characters
        # other than newline and tab; the error shows at the field. Django itself only refuses NUL.
        if validate_form_text not in forms.CharField.default_validators:
            forms.CharField.default_validators = [*forms.CharField.default_validators, validate_form_text]
