"""The convention of a CPTS: its original terms, amendments and termination (written once,
never changed), and the payments it received. Every write is audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.domain import DomainError
from app.extensions import db
from app.identifiers import patient_detail_problem
from app.models.aci import MAX_YEARS, TermKind, format_term, parse_term, term_kind, term_year
from app.models.contract import (
    Contract,
    ContractRecord,
    add_months,
    default_end,
)
from app.models.contract_rows import details, heads, record_of
from app.models.convention import (
    Amendment,
    AmendmentChange,
    Convention,
    ConventionTerm,
    ReceivedPayment,
)
from app.models.targets import Tier
from app.schemas import validated
from app.schemas.convention import (
    AmendmentInputSchema,
    ConventionInputSchema,
    PaymentInputSchema,
    TerminationInputSchema,
)
from app.services import audit
from app.tenants.context import for_tenant
from app.tenants.models import Stage, Tenant

# -- reading


@for_tenant
def get_convention(tenant: Tenant) -> Convention | None:
    return db.session.scalar(select(Convention))


@for_tenant
def contract_record(tenant: Tenant) -> ContractRecord:
    """Everything recorded about the CPTS's project and contract (five queries)."""
    scope = Tenant.id == tenant.id
    head = db.session.execute(heads(scope)).one()
    rows = {name: list(db.session.execute(statement)) for name, statement in details(scope).items()}
    return record_of(head, rows)[1]


@for_tenant
def stage_of(tenant: Tenant, today: date | None = None) -> Stage:
    """The CPTS's lifecycle stage, from its dates (one query)."""
    head = db.session.execute(heads(Tenant.id == tenant.id, full=False)).one()
    return Contract(record_of(head, {})[1], today or date.today()).stage


def contract_of(tenant: Tenant, today: date | None = None) -> Contract:
    return Contract(contract_record(tenant), today or date.today())


# -- terms


def clean_terms(raw: Mapping[str, object], starts_on: date | None) -> dict[str, str]:
    """Terms as stored (key -> text), each key and value checked; errors name the key."""
    errors: dict[str, list] = {}
    clean: dict[str, str] = {}
    for key, value in raw.items():
        kind = term_kind(key)
        if kind is None:
            errors[key] = [_l("Terme inconnu du contrat.")]
            continue
        try:
            clean[key] = format_term(parse_term(kind, _as_text(kind, value)))
        except (TypeError, ValueError):
            errors[key] = [_TERM_PROBLEM[kind]]
    if "end_on" in clean and starts_on is not None and "end_on" not in errors:
        end = date.fromisoformat(clean["end_on"])
        if not starts_on < end <= add_months(starts_on, 12 * MAX_YEARS):
            errors["end_on"] = [_l("La fin doit suivre le début, de dix ans au plus.")]
    if errors:
        raise DomainError(errors)
    return clean


UNSET = ("0", "false")  # the value of an amount or an inclusion the terms do not state
_UNSET_OF: dict[TermKind | None, str] = {TermKind.CENTS: "0", TermKind.FLAG: "false"}
_TERM_PROBLEM = {
    TermKind.DATE: _l("Date invalide : attendue au format AAAA-MM-JJ."),
    TermKind.CENTS: _l("Montant invalide : un nombre positif d'euros (centimes dans l'API)."),
    TermKind.FLAG: _l("Valeur attendue : oui ou non."),
    TermKind.MONTHS: _l("Nombre de mois entre 1 et 60."),
    TermKind.TIER: _l("Palier invalide : un seuil (nombre, jusqu'à trois décimales), « = », "
                      "puis le montant en centimes."),
}  # fmt: skip


def original_terms(raw: Mapping[str, object], starts_on: date | None) -> dict[str, str]:
    """The terms as signed, as stored: checked, with the end date stated (five years unless
    given), amounts of zero and missions left out omitted (they are the default)."""
    terms = {k: v for k, v in clean_terms(raw, starts_on).items() if v not in UNSET}
    if "end_on" not in terms and starts_on is not None:
        terms["end_on"] = default_end(starts_on).isoformat()
    return terms


def _as_text(kind: TermKind, value: object) -> str:
    """A value given to the API or a form, as the stored text (TypeError when mistyped)."""
    if kind is TermKind.DATE and isinstance(value, date):
        return value.isoformat()
    if kind is TermKind.DATE and isinstance(value, str):
        return value
    if kind is TermKind.FLAG and isinstance(value, bool):
        return format_term(value)
    if kind in (TermKind.CENTS, TermKind.MONTHS) and type(value) is int:
        return str(value)
    if kind is TermKind.TIER and isinstance(value, str):
        return value
    if kind is TermKind.TIER and isinstance(value, Tier):
        return format_term(value)
    raise TypeError(value)


def _years_problem(terms: Mapping[str, str], starts_on: date | None) -> DomainError | None:
    """A yearly term beyond the contract's last year."""
    if starts_on is None:
        return None
    end = date.fromisoformat(terms["end_on"]) if "end_on" in terms else default_end(starts_on)
    years = next(n for n in range(1, MAX_YEARS + 2) if add_months(starts_on, 12 * n) > end)
    beyond = [k for k in terms if (term_year(k) or 0) > years]
    if beyond:
        message = _l("Année au-delà de la fin du contrat (%(years)s ans).", years=years)
        return DomainError({key: [message] for key in beyond})
    return None


# -- writing


@for_tenant
def save_convention(tenant: Tenant, data: Mapping) -> Convention:
    """Create the convention or correct its original terms, until the first amendment: after
    it, terms change only by amendment."""
    clean = validated(ConventionInputSchema(), data)
    convention = get_convention(tenant)
    if convention is not None and _amendment_count(convention) > 0:
        raise DomainError.on(
            "terms", _l("Les termes d'origine ne changent plus : enregistrez un avenant.")
        )
    signed, starts = clean["signed_on"], clean["starts_on"]
    if starts is not None and (signed is None or starts < signed):
        raise DomainError.on("starts_on", _l("Le début ne peut précéder la signature."))
    terms = original_terms(clean["terms"], starts or signed)
    if problem := _years_problem(terms, starts or signed):
        raise problem
    created = convention is None
    if convention is None:
        convention = Convention()
        db.session.add(convention)
    before = {t.key: t.value for t in convention.terms}
    changed = _diff(
        {"reference": convention.reference, "signed_on": _iso(convention.signed_on),
         "starts_on": _iso(convention.starts_on), **before},
        {"reference": clean["reference"], "signed_on": _iso(signed), "starts_on": _iso(starts),
         **terms},
    )  # fmt: skip
    convention.reference, convention.signed_on, convention.starts_on = (
        clean["reference"],
        signed,
        starts,
    )
    _replace_terms(convention, terms)
    db.session.flush()
    audit.record(
        "convention_created" if created else "convention_changed",
        obj=convention,
        details={"changed": changed},
    )
    return convention


def _replace_terms(convention: Convention, terms: Mapping[str, str]) -> None:
    """In place: a key kept keeps its row (a new row for it would meet the old one in the
    unique index before the old one is deleted)."""
    rows = {t.key: t for t in convention.terms}
    for key, row in rows.items():
        if key in terms:
            row.value = terms[key]
        else:
            convention.terms.remove(row)
    db.session.flush()  # the removed rows go before any new row comes
    convention.terms.extend(
        ConventionTerm(key=k, value=v) for k, v in sorted(terms.items()) if k not in rows
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _diff(before: Mapping[str, str | None], after: Mapping[str, str | None]) -> dict:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _amendment_count(convention: Convention) -> int:
    count = select(func.count(Amendment.id)).where(Amendment.convention_id == convention.id)
    return db.session.scalar(count) or 0


def _signed_convention(tenant: Tenant, contract: Contract) -> Convention:
    convention = get_convention(tenant)
    if convention is None or convention.signed_on is None:
        raise DomainError.on(
            "convention",
            _l("La convention n'est pas encore signée : saisissez d'abord ses termes."),
        )
    if contract.termination is not None:
        raise DomainError.on(
            "convention", _l("La convention est résiliée : plus rien ne s'y ajoute.")
        )
    return convention


def _check_text(field: str, text: str | None) -> None:
    if problem := patient_detail_problem(text):
        raise DomainError.on(field, problem)


@for_tenant
def record_amendment(tenant: Tenant, data: Mapping) -> Amendment:
    """An avenant: the terms it changes, each different from its value before."""
    clean = validated(AmendmentInputSchema(), data)
    contract = contract_of(tenant)
    convention = _signed_convention(tenant, contract)
    _check_text("reason", clean["reason"])
    _check_dates(convention, clean)
    starts = convention.starts_on or convention.signed_on
    changes = clean_terms(clean["changes"], starts)
    current = dict(contract.original.values)
    for amendment in contract.amendments():
        current.update(amendment.changes)
    changes = {k: v for k, v in changes.items() if current.get(k, _UNSET_OF.get(term_kind(k))) != v}
    if not changes:
        raise DomainError.on(
            "changes", _l("Aucun terme ne change : un avenant en modifie au moins un.")
        )
    if problem := _years_problem({**current, **changes}, starts):
        raise problem
    return _write(tenant, convention, contract, clean, changes, termination=False)


@for_tenant
def record_termination(tenant: Tenant, data: Mapping) -> Amendment:
    clean = validated(TerminationInputSchema(), data)
    contract = contract_of(tenant)
    convention = _signed_convention(tenant, contract)
    _check_text("reason", clean["reason"])
    _check_dates(convention, clean)
    return _write(tenant, convention, contract, clean, {}, termination=True)


def _check_dates(convention: Convention, clean: dict) -> None:
    assert convention.signed_on is not None
    errors = {}
    for name in ("signed_on", "effective_on"):
        if clean[name] < convention.signed_on:
            errors[name] = [_l("Date antérieure à la signature de la convention.")]
    if clean["signed_on"] > date.today():
        errors["signed_on"] = [_l("La signature ne peut être dans le futur.")]
    if errors:
        raise DomainError(errors)


def _write(
    tenant: Tenant,
    convention: Convention,
    contract: Contract,
    clean: dict,
    changes: dict[str, str],
    termination: bool,
) -> Amendment:
    numbers = [a.number for a in contract.amendments()]
    number = clean.get("number") or max(numbers, default=0) + 1
    if number in numbers:
        raise DomainError.on("number", _l("Ce numéro d'avenant est déjà enregistré."))
    user = audit.current_actor()
    amendment = Amendment(
        convention_id=convention.id,
        number=number,
        termination=termination,
        signed_on=clean["signed_on"],
        effective_on=clean["effective_on"],
        reason=clean["reason"].strip(),
        created_by_id=getattr(user, "id", None),
        created_by_email=getattr(user, "email", None),
        changes=[AmendmentChange(key=k, value=v) for k, v in sorted(changes.items())],
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        "convention_terminated" if termination else "amendment_recorded",
        obj=amendment,
        details={"number": number, "effective_on": clean["effective_on"].isoformat(),
                 "changes": changes},
    )  # fmt: skip
    return amendment


@for_tenant
def record_payment(tenant: Tenant, data: Mapping) -> ReceivedPayment:
    """Money the CPTS received: not before the signature, not in the future."""
    clean = validated(PaymentInputSchema(), data)
    contract = contract_of(tenant)
    convention = get_convention(tenant)
    if convention is None or convention.signed_on is None:
        raise DomainError.on(
            "convention", _l("La convention n'est pas encore signée : aucun versement possible.")
        )
    if clean["received_on"] < convention.signed_on:
        raise DomainError.on("received_on", _l("Aucun versement ne peut précéder la signature."))
    if clean["received_on"] > date.today():
        raise DomainError.on("received_on", _l("La date de réception ne peut être dans le futur."))
    if clean["due_key"] and clean["due_key"] not in {d.key for d in contract.schedule}:
        raise DomainError.on("due_key", _l("Échéance inconnue pour cette convention."))
    _check_text("note", clean["note"])
    user = audit.current_actor()
    payment = ReceivedPayment(
        convention_id=convention.id, created_by_id=getattr(user, "id", None), **clean
    )
    db.session.add(payment)
    db.session.flush()
    audit.record(
        "payment_recorded",
        obj=payment,
        details={"received_on": clean["received_on"].isoformat(),
                 "amount_cents": clean["amount_cents"], "due_key": clean["due_key"]},
    )  # fmt: skip
    return payment


@for_tenant
def delete_payment(tenant: Tenant, payment_id: int) -> bool:
    """Take back a payment recorded by mistake (audited with what it was)."""
    payment = db.session.scalar(select(ReceivedPayment).where(ReceivedPayment.id == payment_id))
    if payment is None:
        return False
    audit.record(
        "payment_deleted",
        obj=payment,
        details={"received_on": payment.received_on.isoformat(),
                 "amount_cents": payment.amount_cents},
    )  # fmt: skip
    db.session.delete(payment)
    db.session.flush()
    return True
