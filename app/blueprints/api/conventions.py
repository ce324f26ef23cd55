"""Conventions through the API: the status list over the caller's scope, one CPTS's convention,
and recording an amendment or a received payment (with a write token of the CPTS)."""

from __future__ import annotations

from datetime import date

from flask_login import current_user
from marshmallow import RAISE

from app.blueprints.api.blueprint import account_api, tenant_api
from app.blueprints.api.paging import page_meta
from app.extensions import db
from app.models.contract import Contract
from app.reports.convention import parties
from app.reports.convention_exports import export_record
from app.reports.conventions import ConventionFilters, convention_rows
from app.schemas.convention import (
    AmendmentInputSchema,
    AmendmentSchema,
    ConventionQuerySchema,
    ConventionSchema,
    ConventionStatusSchema,
    PaymentInputSchema,
    ReceiptSchema,
)
from app.schemas.envelope import envelope
from app.security.permissions import Action, readable_tenants, require
from app.services import convention as service
from app.tenants.resolver import current_tenant


@account_api.route("/conventions", methods=["GET"])
@account_api.arguments(ConventionQuerySchema, location="query", as_kwargs=True, unknown=RAISE)
@account_api.response(200, envelope(ConventionStatusSchema, paged=True))
def conventions(page: int, per_page: int, **query):
    """The convention status of every CPTS the caller may read (the CPAM export's rows)."""
    filters = ConventionFilters(
        status=query["status"],
        department=query["department"],
        size_class=query["size_class"],
        alert=query["alert"],
        signed_year=query["signed_year"],
    )
    rows = [
        r for r in convention_rows(readable_tenants(current_user), date.today()) if filters.keeps(r)
    ]
    shown = rows[(page - 1) * per_page : page * per_page]
    return {"data": [export_record(r) for r in shown], "meta": page_meta(len(rows), page, per_page)}


def _shown(contract: Contract) -> dict:
    history = {a.number: changes for a, changes in contract.history()}
    return {
        "stage": contract.stage,
        "status": contract.status,
        "reference": contract.record.reference,
        "signed_on": contract.record.signed_on,
        "starts_on": contract.starts_on,
        "end_on": contract.end_on,
        "parties": parties(current_tenant),
        "terms": dict(contract.terms.values),
        "missions": contract.missions,
        "money": contract.money if contract.years else [],
        "schedule": contract.schedule,
        "payments": list(contract.record.receipts),
        "amendments": [_amendment(a, history.get(a.number, [])) for a in contract.amendments()],
        "repayment": contract.repayment,
    }


def _amendment(amendment, changes) -> dict:
    return {
        **vars(amendment),
        "changes": [{"key": k, "before": b, "after": a} for k, b, a in changes],
    }


@tenant_api.route("/convention", methods=["GET"])
@require(Action.READ)
@tenant_api.response(200, envelope(ConventionSchema))
def convention():
    """The convention: terms in force, missions with deadlines and status, money planned, due
    and received per year (0 is the total), the schedule of payments due, amendments."""
    return {"data": _shown(service.contract_of(current_tenant))}


@tenant_api.route("/convention/amendments", methods=["POST"])
@require(Action.WRITE)
@tenant_api.arguments(AmendmentInputSchema, location="json")
@tenant_api.response(201, envelope(AmendmentSchema))
def record_amendment(data: dict):
    """Record an amendment: the terms it changes (amounts in cents). It can never be changed or
    deleted afterwards."""
    amendment = service.record_amendment(current_tenant, AmendmentInputSchema().dump(data))
    db.session.commit()
    contract = service.contract_of(current_tenant)
    changes = dict((a.number, c) for a, c in contract.history())[amendment.number]
    record = next(a for a in contract.amendments() if a.number == amendment.number)
    return {"data": _amendment(record, changes)}


@tenant_api.route("/convention/payments", methods=["POST"])
@require(Action.WRITE)
@tenant_api.arguments(PaymentInputSchema, location="json")
@tenant_api.response(201, envelope(ReceiptSchema))
def record_payment(data: dict):
    """Record a payment received (amount in cents; `due_key` names the due payment it settles,
    as listed in the convention's schedule)."""
    payment = service.record_payment(current_tenant, PaymentInputSchema().dump(data))
    db.session.commit()
    return {
        "data": {
            "id": payment.id,
            "received_on": payment.received_on,
            "amount": payment.amount_cents,
            "due_key": payment.due_key,
            "note": payment.note,
        }
    }
