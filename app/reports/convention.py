"""What the convention pages show: the parties, each term in words, the schedule of payments
with what settled each one, and the figures (deadline timeline, money per year)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal, gettext

from app.extensions import db
from app.models.aci import MISSION_SHORT_LABELS, Mission, TermKind, parse_term, term_kind
from app.models.contract import Contract, DuePayment, MissionStatus, Receipt
from app.models.referential import Department, Region
from app.models.targets import Tier
from app.reports.figures import DeadlineBar, deadlines_figure, money_figure
from app.schemas.convention import TERM_LABELS, euros
from app.tenants.models import Tenant


def parties(tenant: Tenant) -> dict[str, str | None]:
    """The three signatories, named from the referential."""
    department = db.session.get(Department, tenant.department_code or "")
    region = db.session.get(Region, tenant.region_code)
    return {
        "cpts": tenant.name,
        "cpam": gettext("Caisse primaire d'assurance maladie — %(name)s (%(code)s)",
                        name=department.name, code=department.code) if department else None,
        "ars": gettext("Agence régionale de santé — %(name)s", name=region.name) if region else None,
    }  # fmt: skip


def term_label(key: str) -> str:
    """ "fixed:parcours:2" -> "Part fixe · Parcours · année 2"."""
    name, *parts = key.split(":")
    words = [gettext(TERM_LABELS.get(name, name))]
    if name == "tier":  # tier:<code>:<year>:<n>
        code, year, n = parts
        return " · ".join(
            [*words, code, gettext("année %(n)s", n=year), gettext("palier %(n)s", n=n)]
        )
    for part in parts:
        if part in Mission._value2member_map_:
            words.append(gettext(MISSION_SHORT_LABELS[Mission(part)]))
        elif part.isdigit():
            words.append(gettext("année %(n)s", n=part))
    return " · ".join(words)


def term_value(key: str, text: str | None) -> str:
    kind = term_kind(key)
    if text is None or kind is None:
        return "—"
    value = parse_term(kind, text)
    if kind is TermKind.CENTS:
        return euros(value)  # type: ignore[arg-type]
    if kind is TermKind.DATE:
        return value.strftime("%d/%m/%Y")  # type: ignore[union-attr]
    if kind is TermKind.FLAG:
        return gettext("oui") if value else gettext("non")
    if isinstance(value, Tier):
        threshold = format_decimal(value.threshold)
        return gettext(
            "seuil %(threshold)s → %(amount)s",
            threshold=threshold,
            amount=euros(value.amount_cents),
        )
    return gettext("%(n)s mois", n=value)


@dataclass(frozen=True)
class ScheduleRow:
    due: DuePayment
    received: int  # settled by receipts naming this due payment
    state: str  # "upcoming", "awaiting_review", "received", "partly", "unpaid"


def schedule_rows(contract: Contract, today: date) -> list[ScheduleRow]:
    settled: dict[str, int] = {}
    for receipt in contract.record.receipts:
        if receipt.due_key:
            settled[receipt.due_key] = settled.get(receipt.due_key, 0) + receipt.amount
    rows = []
    for due in contract.schedule:
        received = settled.get(due.key, 0)
        if due.amount is None:
            state = "awaiting_review"
        elif received >= due.amount > 0 or (due.amount == 0 and due.due_on <= today):
            state = "received"
        elif due.due_on > today:
            state = "upcoming"
        else:
            state = "partly" if received else "unpaid"
        rows.append(ScheduleRow(due, received, state))
    return rows


def unassigned(contract: Contract) -> list[Receipt]:
    keys = {d.key for d in contract.schedule}
    return [r for r in contract.record.receipts if r.due_key not in keys]


_COLOUR_OF = {
    MissionStatus.AT_RISK: "at_risk",
    MissionStatus.LATE: "late",
    MissionStatus.DEPLOYED: "done",
}


def deadlines_chart(contract: Contract, today: date) -> dict | None:
    signed = contract.record.signed_on
    bars = [
        DeadlineBar(
            gettext(MISSION_SHORT_LABELS[s.mission]), signed, s.start_due, s.deploy_due,
            s.started_on, s.deployed_on, _COLOUR_OF.get(s.status, "on_time"),  # type: ignore[arg-type]
        )
        for s in contract.missions
        if signed and s.included and s.start_due and s.deploy_due
    ]  # fmt: skip
    if not bars:
        return None
    names = {
        "start": gettext("échéance de démarrage"),
        "deploy": gettext("échéance de déploiement complet"),
        "started": gettext("démarrée le"),
        "deployed": gettext("déployée le"),
    }
    return deadlines_figure(bars, today, names, contract.end_on)


def money_chart(contract: Contract) -> dict | None:
    rows = contract.money[:-1]
    if not rows:
        return None
    series = {
        gettext("Prévu"): [r.planned for r in rows],
        gettext("Dû à ce jour"): [r.due for r in rows],
        gettext("Reçu"): [r.received for r in rows],
    }
    return money_figure([r.year for r in rows], series, gettext("Euros"))
