"""The two halves of every form page: show a refused input on its fields, render with the right
status (400 when a submitted form was refused, 200 otherwise)."""

from __future__ import annotations

from flask import render_template
from flask_wtf import FlaskForm

from app.domain import DomainError


def show_errors(form: FlaskForm, error: DomainError, fields: dict[str, str] | None = None) -> None:
    """Put each message on its field (`fields` renames a service's field to the form's); messages
    for a field the form does not have go on top of the form."""
    for field, messages in error.messages().items():
        target = getattr(form, (fields or {}).get(field, field), None)
        (target.errors if target is not None else form.form_errors).extend(messages)


def render_form(template: str, form: FlaskForm, **context):
    """The page of a form: 400 when it was submitted and refused, 200 when first shown."""
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status
