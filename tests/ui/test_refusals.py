"""A domain refusal on the form that asked for the write: beside the field it names, under the form's own name for
it, or at the top of the form."""

from __future__ import annotations

from django import forms

from gridgov.data.errors import InvalidInput
from gridgov.ui.refusals import show_refusal


class PartyForm(forms.Form):
    party_phone = forms.CharField(required=False)
    note = forms.CharField(required=False)


def _checked() -> PartyForm:
    form = PartyForm(data={})
    assert form.is_valid()
    return form


def test_a_renamed_field_takes_the_refusal_under_the_forms_name():
    form = _checked()
    show_refusal(form, InvalidInput("手机号码格式不正确", field="phone"), rename={"phone": "party_phone"})
    assert ({name: list(errors) for name, errors in form.errors.items()}, list(form.non_field_errors())) == (
        {"party_phone": ["手机号码格式不正确"]},
        [],
    )


def test_a_field_the_form_does_not_show_puts_the_refusal_on_top():
    form = _checked()
    show_refusal(form, InvalidInput("身份证号码校验位不正确", field="id_number"), rename={"phone": "party_phone"})
    assert form.non_field_errors() == ["身份证号码校验位不正确"]
