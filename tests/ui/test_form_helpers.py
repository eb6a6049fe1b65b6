"""The helpers the ledger forms and views share: a select's choices from the view, a domain refusal beside its field."""

from __future__ import annotations

import pytest
from django import forms

from gridgov.data.errors import Conflict, InvalidInput
from gridgov.data.org.models import Area
from gridgov.ui.choices import CHOOSE, options, set_choices
from gridgov.ui.ledgers.views_common import FormRefusal


class PickForm(forms.Form):
    village = forms.ChoiceField(required=False)
    note = forms.CharField(required=False)


def test_options_put_the_blank_first_and_the_pks_as_posted_text():
    assert options([(3, "北岙村"), (12, "东沙村")]) == [*CHOOSE, ("3", "北岙村"), ("12", "东沙村")]


def test_a_model_select_offers_the_same_blank_as_ours():
    field = forms.ModelChoiceField(queryset=Area.objects.none(), required=False)
    assert list(field.choices) == CHOOSE


def test_set_choices_lets_the_form_take_only_the_given_choices():
    form = PickForm(data={"village": "12"})
    set_choices(form, "village", options([(3, "北岙村")]))
    assert not form.is_valid()
    assert "village" in form.errors


def test_set_choices_refuses_a_field_that_is_not_a_choice():
    with pytest.raises(AssertionError):
        set_choices(PickForm(), "note", CHOOSE)


def test_a_refusal_skips_the_rest_of_the_block_and_stands_beside_its_field():
    form = PickForm(data={})
    assert form.is_valid()
    reached = False
    with FormRefusal(form):
        raise InvalidInput("写错了", field="note")
        reached = True  # what the refusal skips
    assert not reached
    assert list(form.errors["note"]) == ["写错了"]


def test_a_refusal_without_a_field_of_the_form_is_the_forms_own_error():
    form = PickForm(data={})
    assert form.is_valid()
    with FormRefusal(form):
        raise Conflict("已被他人处理")
    assert form.non_field_errors() == ["已被他人处理"]


def test_other_errors_pass_through():
    form = PickForm(data={})
    assert form.is_valid()
    with pytest.raises(ValueError, match="boom"), FormRefusal(form):
        raise ValueError("boom")
