"""A domain function's refusal shown on the form that asked for the write: beside the field it names, or at the
top of the form — one rule for the desk's ledger pages, the dashboard's forms and the phone."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from gridgov.data.errors import DomainError, InvalidInput


def show_refusal(form: forms.Form, error: DomainError, *, rename: Mapping[str, str] | None = None) -> None:
    """Put ``error`` beside the field it names (an InvalidInput's ``field``; ``rename`` gives the form's name for a
    domain field the form calls otherwise), or at the top of the form when it names none the form shows."""
    named = error.field if isinstance(error, InvalidInput) else None
    field = (rename or {}).get(named, named) if named else None
    form.add_error(field if field in form.fields else None, error.message)
