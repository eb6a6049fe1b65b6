from django import forms
from django.apps import AppConfig
from django.db.models import fields as model_fields

from gridgov.data.safetext import validate_form_text
from gridgov.ui.choices import CHOOSE


class Config(AppConfig):
    name = "gridgov.ui.web"
    label = "web"

    def ready(self) -> None:
        from django.core import checks

        from gridgov.settings_checks import static_files_check

        checks.register(static_files_check)  # DEBUG off: no page server without collected static files
        # Every text field of every form (pages, phone, ledgers, imports, admin) refuses control characters
        # other than newline and tab; the error shows at the field. Django itself only refuses NUL.
        if validate_form_text not in forms.CharField.default_validators:
            forms.CharField.default_validators = [*forms.CharField.default_validators, validate_form_text]
        # The blank choice of a model's select (a ModelChoiceField, a model field's choices, the admin's) reads as
        # ours (gridgov.ui.choices.CHOOSE): Django 6.1's "- Select an option -" has no Chinese translation.
        model_fields.BLANK_CHOICE_LABEL = CHOOSE[0][1]
