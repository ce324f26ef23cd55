"""The demo's health projects, conventions, amendments, payments and prevention actions.

From the articles: the Hérault CPTS (Agde) was created on 26 Dec 2023 with €380,000 a year for
five years, and its priorities (type 2 diabetes, heart failure, cancers and smoking, attracting
doctors); Costières en Camargue owed its projet de santé to the ARS at the end of April 2023;
the Grand Narbonne and the Pays Horloger signed the ACI (undated); the others' priorities.
Every other date and amount is chosen, and said so in the demo's printout. Two dates follow the
day of loading, so that the CPAM and ARS pages always have a mission at risk to show: the
deployment deadline of Agde's attractiveness mission, and the Grand Chalon's signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.models.aci import Mission
from app.models.contract import Contract, add_months
from app.services import convention, prevention, project
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

M = Mission


@dataclass(frozen=True)
class DemoContract:
    steps: Mapping[str, date] = field(default_factory=dict)
    priorities: tuple[str, ...] = ()
    reference: str | None = None
    signed_on: date | None = None
    terms: Mapping[str, object] = field(default_factory=dict)
    amendments: tuple[dict, ...] = ()
    progress: Mapping[Mission, tuple[date, date | None]] = field(default_factory=dict)
    actions: tuple[dict, ...] = ()
    prevention: tuple[dict, ...] = ()
    paid: bool = True  # the payments due so far were received (all but the latest)


def _yearly(**amounts: int) -> dict[str, object]:
    """Terms in euros per year for five years: running=75_000, fixed_parcours=35_000, ..."""
    terms: dict[str, object] = {}
    for name, euros in amounts.items():
        kind, _, mission = name.partition("_")
        key = f"{kind}:{mission}" if mission else kind
        terms |= {f"{key}:{year}": euros * 100 for year in range(1, 6)}
    return terms


def _tiers(code: str, *tiers: tuple[float, int]) -> dict[str, object]:
    """The same tiers (threshold, euros) each of the five years, easiest first."""
    return {
        f"tier:{code}:{year}:{n}": f"{threshold}={euros * 100}"
        for year in range(1, 6)
        for n, (threshold, euros) in enumerate(tiers, start=1)
    }


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def catalogue(today: date) -> dict[str, DemoContract]:
    agde_signed = date(2023, 12, 26)  # article
    chalon_signed = add_months(today + timedelta(days=30), -12)  # follows the day of loading
    return {
        "agde": DemoContract(
            steps={
                "letter_submitted_on": date(2023, 3, 1),
                "letter_validated_on": date(2023, 5, 10),
                "association_registered_on": date(2023, 4, 3),
                "project_submitted_on": date(2023, 9, 1),
                "project_validated_on": date(2023, 11, 15),
            },
            priorities=(
                "Diabète de type 2",
                "Insuffisance cardiaque",
                "Prévention des cancers et du tabac",
                "Attirer de nouveaux médecins",
                "Une précarité forte à Agde : aller vers les publics éloignés du soin",
            ),
            reference="ACI-34-2023-009",
            signed_on=agde_signed,
            # €380,000 a year (article), split as chosen: 60k + 80k + 80k + 70k + 30k + 60k.
            terms=_yearly(
                running=60_000,
                fixed_acces_soins=50_000,
                variable_acces_soins=30_000,
                fixed_parcours=45_000,
                variable_parcours=35_000,
                fixed_prevention=40_000,
                variable_prevention=30_000,
                fixed_crise_sanitaire=20_000,
                variable_crise_sanitaire=10_000,
                conditional=25_000,
                fixed_accompagnement_professionnels=40_000,
                variable_accompagnement_professionnels=20_000,
            )
            | {
                "included:accompagnement_professionnels": True,
                "start_months:accompagnement_professionnels": 12,
                "deploy_months:accompagnement_professionnels": min(
                    60, _months_between(agde_signed, today) + 1
                ),
            },
            progress={
                M.ACCESS: (date(2024, 5, 15), None),
                M.PATHWAYS: (date(2024, 11, 4), date(2025, 11, 30)),
                M.PREVENTION: (date(2024, 10, 1), date(2025, 12, 10)),
                M.CRISIS: (date(2024, 6, 1), date(2025, 5, 1)),
                M.SUPPORT: (date(2024, 9, 1), None),
            },
            actions=(
                {
                    "mission": "acces_soins",
                    "title": "Plages de soins non programmés en MSP",
                    "professions": ["medecin_generaliste", "infirmier"],
                    "status": "en_cours",
                },
                {
                    "mission": "accompagnement_professionnels",
                    "title": "Accueil des internes et des jeunes médecins",
                    "professions": ["medecin_generaliste"],
                    "status": "en_cours",
                },
            ),
            prevention=(
                {
                    "held_on": "2024-10-15",
                    "theme": "depistage_cancers",
                    "description": "Octobre rose : stand d'information au marché d'Agde",
                    "people_reached": 320,
                    "partners": "Ligue contre le cancer",
                },
                {
                    "held_on": "2024-11-05",
                    "theme": "tabac",
                    "description": "Mois sans tabac : consultations d'aide au sevrage",
                    "people_reached": 85,
                    "partners": "CPAM de l'Hérault",
                },
            ),
        ),  # fmt: skip
        "costieres-en-camargue": DemoContract(
            # Due at the end of April 2023 (article): submitted on the 28th, no objection, so
            # deemed validated two months later.
            steps={
                "letter_submitted_on": date(2022, 10, 3),
                "letter_validated_on": date(2022, 12, 12),
                "project_submitted_on": date(2023, 4, 28),
            },
            priorities=(
                "Du temps médical pour les médecins",
                "Le lien ville–hôpital",
                "Des soins sans rendez-vous",
                "Les soins à domicile",
                "Les maladies chroniques",
            ),
        ),  # fmt: skip
        "centre-saone-et-loire": DemoContract(
            steps={"letter_submitted_on": date(2023, 3, 1)},
            priorities=(
                "Un médecin traitant pour les nouveaux arrivants",
                "La sortie d'hôpital sans réhospitalisation",
                "Le suivi de l'insuffisance cardiaque",
            ),
        ),  # fmt: skip
        "pays-horloger": DemoContract(
            steps={
                "letter_submitted_on": date(2019, 9, 2),
                "letter_validated_on": date(2019, 11, 20),
                "association_registered_on": date(2019, 5, 6),
                "project_submitted_on": date(2020, 6, 15),
                "project_validated_on": date(2020, 9, 30),
            },
            priorities=("Un médecin traitant pour chaque habitant",),
            reference="ACI-25-2021-004",
            signed_on=date(2021, 4, 13),
            terms=_yearly(
                running=60_000,
                fixed_acces_soins=35_000,
                variable_acces_soins=20_000,
                fixed_parcours=30_000,
                variable_parcours=20_000,
                fixed_prevention=25_000,
                variable_prevention=15_000,
                fixed_crise_sanitaire=15_000,
                variable_crise_sanitaire=5_000,
            )
            | {f"running:{y}": 105_000_00 for y in (1, 2)},  # signed before the end of 2021
            amendments=(
                {
                    "signed_on": "2026-03-20",
                    "effective_on": "2026-04-01",
                    "reason": "Prolongation d'un an dans l'attente du nouvel accord",
                    "changes": {
                        "end_on": "2027-04-12",
                        "running:6": 60_000_00,
                        "fixed:acces_soins:6": 35_000_00,
                        "fixed:parcours:6": 30_000_00,
                    },
                },
            ),
            progress={
                M.ACCESS: (date(2021, 6, 1), date(2022, 9, 30)),
                M.PATHWAYS: (date(2022, 3, 1), None),
                M.PREVENTION: (date(2022, 2, 14), date(2023, 3, 31)),
                M.CRISIS: (date(2021, 10, 1), date(2022, 9, 1)),
            },
            prevention=(
                {
                    "held_on": "2025-03-12",
                    "theme": "diabete",
                    "description": "Journée de dépistage du diabète en pharmacie",
                    "people_reached": 140,
                    "partners": "Pharmacies du Russey et de Maîche",
                },
            ),
        ),  # fmt: skip
        "grand-narbonne": DemoContract(
            steps={
                "letter_submitted_on": date(2020, 6, 1),
                "letter_validated_on": date(2020, 9, 15),
                "association_registered_on": date(2021, 1, 12),
                "project_submitted_on": date(2021, 5, 3),
                "project_validated_on": date(2021, 9, 20),
            },
            priorities=(
                "Un médecin traitant pour chaque habitant",
                "Le parcours des personnes âgées à domicile",
                "La vaccination sur tout le territoire",
            ),
            reference="ACI-11-2022-003",
            signed_on=date(2022, 3, 15),
            terms=_yearly(
                running=75_000,
                fixed_acces_soins=40_000,
                variable_acces_soins=20_000,
                fixed_parcours=35_000,
                variable_parcours=20_000,
                fixed_prevention=30_000,
                variable_prevention=15_000,
                fixed_crise_sanitaire=15_000,
                variable_crise_sanitaire=10_000,
                conditional=30_000,
            )
            | _tiers("mt_ald", (400, 3_000), (250, 6_000), (150, 9_000))
            | _tiers("mt_16", (88, 2_000), (90, 4_000))
            | _tiers("depistage_sein", (60, 1_000), (65, 2_500), (70, 3_500)),
            amendments=(
                {
                    "signed_on": "2023-06-20",
                    "effective_on": "2023-07-01",
                    "reason": "Ajout de la mission qualité et pertinence ; hausse du budget "
                    "de fonctionnement de l'année 3",
                    "changes": {
                        "included:qualite_pertinence": True,
                        "start_months:qualite_pertinence": 24,
                        "deploy_months:qualite_pertinence": 48,
                        "running:3": 85_000_00,
                        **{f"fixed:qualite_pertinence:{y}": 20_000_00 for y in (2, 3, 4, 5)},
                        **{f"variable:qualite_pertinence:{y}": 10_000_00 for y in (2, 3, 4, 5)},
                    },
                },
            ),
            progress={
                M.ACCESS: (date(2022, 6, 1), date(2023, 6, 30)),
                M.PATHWAYS: (date(2023, 2, 1), None),
                M.PREVENTION: (date(2022, 11, 15), date(2024, 1, 20)),
                M.CRISIS: (date(2022, 9, 1), date(2023, 9, 1)),
                M.QUALITY: (date(2024, 2, 1), None),
            },
            actions=(
                {
                    "mission": "parcours",
                    "title": "Parcours de la personne âgée fragile",
                    "professions": ["infirmier", "masseur_kinesitherapeute", "pharmacien"],
                    "status": "en_cours",
                },
            ),
            prevention=(
                {
                    "held_on": "2023-10-20",
                    "theme": "vaccination",
                    "description": "Campagne de vaccination antigrippale en officine et à domicile",
                    "people_reached": 540,
                    "partners": "Centre hospitalier de Narbonne",
                },
            ),
        ),  # fmt: skip
        "fictive-carcassonne": DemoContract(
            steps={
                "letter_submitted_on": date(2022, 3, 1),
                "letter_validated_on": date(2022, 5, 10),
                "association_registered_on": date(2025, 6, 2),
                "project_submitted_on": date(2025, 11, 3),
                "project_validated_on": date(2026, 1, 20),
            },
        ),  # fmt: skip
        "fictive-grand-chalon": DemoContract(
            reference="ACI-71-FICTIVE",
            signed_on=chalon_signed,
            terms=_yearly(
                running=75_000,
                fixed_acces_soins=40_000,
                variable_acces_soins=20_000,
                fixed_parcours=35_000,
                fixed_prevention=30_000,
                fixed_crise_sanitaire=15_000,
            ),
            progress={M.CRISIS: (add_months(chalon_signed, 2), None)},
            paid=False,
        ),  # fmt: skip
    }


CHOSEN = (
    "Conventions de démonstration : les dates et les montants sont choisis, sauf pour Agde "
    "(créée le 26/12/2023 avec 380 000 € par an pendant cinq ans, d'après l'article) et "
    "l'échéance du projet de santé de Costières en Camargue (fin avril 2023)."
)


@for_tenant
def sync_contract(tenant: Tenant, spec: DemoContract, today: date) -> None:
    """Make the CPTS's project and contract those of the spec (amendments are only added)."""
    project.save_steps(tenant, {k: v.isoformat() for k, v in spec.steps.items()})
    _sync_priorities(tenant, spec.priorities)
    if spec.signed_on is not None:
        _sync_terms(tenant, spec)
        numbers = {a.number for a in convention.contract_record(tenant).amendments}
        for number, amendment in enumerate(spec.amendments, start=1):
            if number not in numbers:
                convention.record_amendment(tenant, {**amendment, "number": number})
    for mission, (started, deployed) in spec.progress.items():
        dates = {
            "started_on": started.isoformat(),
            "deployed_on": deployed and deployed.isoformat(),
        }
        project.save_progress(tenant, mission, dates)
    _sync_actions(tenant, spec.actions)
    _sync_prevention(tenant, spec.prevention)


@for_tenant
def sync_payments(tenant: Tenant, spec: DemoContract, today: date) -> None:
    """After the indicators (their validated values settle the variable parts due)."""
    if spec.signed_on is not None:
        _sync_payments(tenant, spec, today)


def _sync_priorities(tenant: Tenant, wanted: tuple[str, ...]) -> None:
    existing = project.priorities(tenant)
    if [p.text for p in existing] == list(wanted):
        return
    for priority in existing:
        project.remove_priority(tenant, priority.id)
    for text in wanted:
        project.add_priority(tenant, {"text": text})


def _sync_terms(tenant: Tenant, spec: DemoContract) -> None:
    record = convention.contract_record(tenant)
    if record.amendments:
        return  # the original terms no longer change
    data = {
        "reference": spec.reference,
        "signed_on": spec.signed_on.isoformat() if spec.signed_on else None,
        "starts_on": spec.signed_on.isoformat() if spec.signed_on else None,
        "terms": dict(spec.terms),
    }
    current = (record.reference, record.signed_on, record.starts_on, dict(record.original))
    wanted = convention.original_terms(spec.terms, spec.signed_on)
    if current != (spec.reference, spec.signed_on, spec.signed_on, wanted):
        convention.save_convention(tenant, data)


def _sync_actions(tenant: Tenant, wanted: tuple[dict, ...]) -> None:
    titles = {a.title for a in project.actions(tenant)}
    for action in wanted:
        if action["title"] not in titles:
            project.save_action(tenant, action)


def _sync_prevention(tenant: Tenant, wanted: tuple[dict, ...]) -> None:
    held = {(a.held_on.isoformat(), a.description) for a in prevention.prevention_actions(tenant)}
    for action in wanted:
        if (action["held_on"], action["description"]) not in held:
            prevention.save_prevention_action(tenant, action)


def _sync_payments(tenant: Tenant, spec: DemoContract, today: date) -> None:
    """Each payment due at least three weeks ago was received 20 days after it fell due, all
    but the latest (a gap for the pages to show)."""
    contract = Contract(convention.contract_record(tenant), today)
    due = [d for d in contract.schedule if d.amount and d.due_on + timedelta(days=21) <= today]
    wanted = (
        {(d.due_on + timedelta(days=20), d.amount, d.key) for d in due[:-1]} if spec.paid else set()
    )
    existing = {(r.received_on, r.amount, r.due_key): r.id for r in contract.record.receipts}
    for key, payment_id in existing.items():
        if key not in wanted and payment_id is not None:
            convention.delete_payment(tenant, payment_id)
    for received_on, amount, due_key in sorted(wanted - set(existing)):
        data = {"received_on": received_on.isoformat(), "amount_cents": amount, "due_key": due_key}
        convention.record_payment(tenant, data)
