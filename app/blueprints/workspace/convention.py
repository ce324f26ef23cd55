"""The convention page: parties, status, mission deadlines, money planned, due and received,
the schedule of payments; recording a received payment, and the termination."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice

from app.blueprints.forms import render_form, show_errors
from app.blueprints.workspace.blueprint import bp, may
from app.blueprints.workspace.contract_forms import PaymentForm, TerminationForm
from app.domain import DomainError
from app.extensions import db
from app.models.aci import MISSION_SHORT_LABELS
from app.models.contract import Contract
from app.reports.convention import (
    deadlines_chart,
    money_chart,
    parties,
    schedule_rows,
    unassigned,
)
from app.schemas.convention import DUE_LABELS, euros, euros_to_cents
from app.security.permissions import Action, require
from app.services import convention as service
from app.tenants.resolver import current_tenant


def _due_labels(contract: Contract) -> dict[str, str]:
    """Each due payment in words: "Solde de la part fixe · Parcours · année 2"."""
    labels = {}
    for due in contract.schedule:
        words = [gettext(DUE_LABELS[due.kind])]
        if due.mission:
            words.append(gettext(MISSION_SHORT_LABELS[due.mission]))
        labels[due.key] = " · ".join([*words, gettext("année %(n)s", n=due.year)])
    return labels


def _payment_form(contract: Contract, form: PaymentForm | None = None) -> PaymentForm:
    form = form or PaymentForm(formdata=None, received_on=date.today().isoformat())
    labels = _due_labels(contract)
    form.due_key.choices = [SelectChoice("", gettext("— aucune en particulier —"))] + [
        SelectChoice(due.key, f"{due.due_on:%d/%m/%Y} · {labels[due.key]} · {euros(due.amount)}")
        for due in contract.schedule
        if due.amount
    ]
    return form


def _page(contract: Contract, payment_form: PaymentForm | None = None):
    today = contract.today
    return render_template(
        "workspace/convention.html",
        tenant=current_tenant,
        contract=contract,
        today=today,
        parties=parties(current_tenant),
        schedule=schedule_rows(contract, today),
        unassigned=unassigned(contract),
        deadlines_figure=deadlines_chart(contract, today),
        money_figure=money_chart(contract),
        payment_form=_payment_form(contract, payment_form),
        due_labels=_due_labels(contract),
        can_write=may(Action.WRITE),
    )


@bp.get("/convention/")
@require(Action.READ)
def convention():
    return _page(service.contract_of(current_tenant))


@bp.post("/convention/versements")
@require(Action.WRITE)
def record_payment():
    contract = service.contract_of(current_tenant)
    form = _payment_form(contract, PaymentForm())
    if form.validate_on_submit():
        try:
            amount = euros_to_cents(form.amount.data or "")
        except ValueError:
            form.amount.errors.append(gettext("Montant invalide : un nombre positif d'euros."))
        else:
            data = {
                "received_on": form.received_on.data or None,
                "amount_cents": amount,
                "due_key": form.due_key.data or None,
                "note": (form.note.data or "").strip() or None,
            }
            try:
                service.record_payment(current_tenant, data)
            except DomainError as error:
                show_errors(form, error, {"amount_cents": "amount"})
            else:
                db.session.commit()
                flash(
                    gettext("Versement de %(amount)s enregistré.", amount=euros(amount)), "success"
                )
                return redirect(url_for("workspace.convention") + "#versements")
    return _page(contract, form), 400


@bp.post("/convention/versements/<id:payment_id>/supprimer")
@require(Action.WRITE)
def delete_payment(payment_id: int):
    if not service.delete_payment(current_tenant, payment_id):
        abort(404)
    db.session.commit()
    flash(gettext("Versement retiré (la trace reste au journal)."), "success")
    return redirect(url_for("workspace.convention") + "#versements")


@bp.route("/convention/resiliation", methods=["GET", "POST"])
@require(Action.WRITE)
def terminate():
    contract = service.contract_of(current_tenant)
    form = TerminationForm()
    if form.validate_on_submit():
        data = {name: (getattr(form, name).data or "").strip() or None for name in form.data}
        data.pop("csrf_token", None)
        try:
            service.record_termination(current_tenant, data)
        except DomainError as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(gettext("Résiliation enregistrée."), "success")
            return redirect(url_for("workspace.convention"))
    return render_form("workspace/termination.html", form, tenant=current_tenant, contract=contract)
