"""The platform's catalogue of indicator templates (product.md §6): shipped with the common
lines of ACI annexes, kept by the platform admin. A CPTS indicator made from a template shares
its definition, so the regional layer compares like with like."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import DomainError
from app.extensions import db
from app.models.aci import Mission
from app.models.indicator import IndicatorTemplate, PeriodKind
from app.models.targets import Aggregation, Direction, Unit
from app.rollups.monthly import bump
from app.services import audit
from app.services.indicators import definition as _definition

CPAM = "Requête de la CPAM (données de l'assurance maladie)"


class Line(NamedTuple):
    code: str
    name: str
    mission: Mission
    unit: Unit
    direction: Direction
    period: PeriodKind
    aggregation: Aggregation
    definition: str
    evidence: str
    pathway: str | None = None


A, P, V = Mission.ACCESS, Mission.PATHWAYS, Mission.PREVENTION
COUNT, PCT, PER_K = Unit.COUNT, Unit.PERCENT, Unit.PER_THOUSAND
UP, DOWN = Direction.HIGHER, Direction.LOWER
Q, Y, M = PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.MONTH
LAST, SUM = Aggregation.LAST, Aggregation.SUM

CATALOGUE = (
    Line("mt_ald", "Patients en ALD sans médecin traitant", A, COUNT, DOWN, Q, LAST,
         "Patients en affection de longue durée du territoire sans médecin traitant déclaré, "
         "au dernier jour de la période.", CPAM),
    Line("mt_70", "Patients de 70 ans et plus sans médecin traitant", A, COUNT, DOWN, Q, LAST,
         "Patients de 70 ans et plus du territoire sans médecin traitant déclaré, au dernier "
         "jour de la période.", CPAM),
    Line("mt_c2s_ald", "Patients C2S ou en ALD sans médecin traitant", A, COUNT, DOWN, Q, LAST,
         "Patients bénéficiaires de la complémentaire santé solidaire ou en ALD sans médecin "
         "traitant déclaré, au dernier jour de la période.", CPAM),
    Line("mt_16", "Part des 16 ans et plus ayant un médecin traitant", A, PCT, UP, Q, LAST,
         "Patients de 16 ans et plus ayant déclaré un médecin traitant, rapportés aux patients "
         "de 16 ans et plus du territoire.", CPAM),
    Line("snp_sas", "Médecins participant au SAS", A, COUNT, UP, Q, LAST,
         "Médecins du territoire inscrits à la régulation du service d'accès aux soins.",
         "Liste des médecins inscrits transmise par le SAS"),
    Line("snp_rdv", "Rendez-vous de soins non programmés honorés", A, PCT, UP, M, SUM,
         "Rendez-vous non programmés honorés, rapportés aux rendez-vous proposés par le "
         "dispositif de la CPTS.", "Extraction de l'outil de prise de rendez-vous"),
    Line("parcours_inclus", "Patients inclus dans un parcours", P, COUNT, UP, Q, SUM,
         "Patients entrés dans un parcours pluriprofessionnel de la CPTS pendant la période.",
         "Tableau de suivi du parcours"),
    Line("rehospit_30j", "Réhospitalisations à 30 jours après une sortie", P, PCT, DOWN, Q, SUM,
         "Patients du parcours réhospitalisés dans les 30 jours suivant leur sortie, rapportés "
         "aux sorties de la période.", "Données de l'établissement ou de la CPAM",
         "insuffisance_cardiaque"),
    Line("ic_suivi_7j", "Insuffisants cardiaques vus dans les 7 jours après la sortie", P, PCT,
         UP, Q, SUM, "Patients vus par leur médecin et un infirmier dans les 7 jours suivant "
         "une sortie d'hospitalisation pour insuffisance cardiaque, rapportés aux sorties.",
         "Tableau de suivi du parcours", "insuffisance_cardiaque"),
    Line("diabete_hba1c", "Diabétiques de type 2 avec trois dosages d'HbA1c dans l'année", P,
         PCT, UP, Y, LAST, "Patients diabétiques de type 2 du parcours ayant eu au moins trois "
         "dosages d'HbA1c dans l'année, rapportés aux patients du parcours.", CPAM,
         "diabete_type2"),
    Line("urgences_sans_hospit", "Passages aux urgences non suivis d'hospitalisation", A, PER_K,
         DOWN, Q, SUM, "Passages aux urgences des habitants du territoire non suivis "
         "d'hospitalisation, pour 1 000 habitants.", "Données de l'ARS (résumés de passage)"),
    Line("depistage_sein", "Participation au dépistage du cancer du sein", V, PCT, UP, Y, LAST,
         "Femmes de 50 à 74 ans ayant réalisé une mammographie de dépistage sur deux ans, "
         "rapportées à la population cible.", "Données du centre régional de dépistage"),
    Line("depistage_colorectal", "Participation au dépistage du cancer colorectal", V, PCT, UP,
         Y, LAST, "Personnes de 50 à 74 ans ayant réalisé un test de dépistage sur deux ans, "
         "rapportées à la population cible.", "Données du centre régional de dépistage"),
    Line("prevention_touches", "Personnes touchées par une action de prévention", V, COUNT, UP,
         Q, SUM, "Personnes ayant participé à une action de prévention de la CPTS.",
         "Feuilles d'émargement, comptes rendus d'action"),
    Line("crise_formes", "Professionnels formés à la réponse aux crises sanitaires",
         Mission.CRISIS, COUNT, UP, Y, SUM, "Professionnels du territoire ayant suivi une "
         "formation ou un exercice du plan de réponse aux crises.",
         "Feuilles d'émargement, attestations"),
)  # fmt: skip


def load_catalogue() -> int:
    """Add the shipped templates the catalogue lacks (an admin's edits are kept); how many."""
    known = set(db.session.scalars(select(IndicatorTemplate.code)))
    added = [IndicatorTemplate(**line._asdict()) for line in CATALOGUE if line.code not in known]
    db.session.add_all(added)
    db.session.flush()
    return len(added)


def templates() -> list[IndicatorTemplate]:
    return list(
        db.session.scalars(
            select(IndicatorTemplate).order_by(IndicatorTemplate.mission, IndicatorTemplate.name)
        )
    )


def get_template(template_id: int) -> IndicatorTemplate | None:
    return db.session.get(IndicatorTemplate, template_id)


def save_template(data: Mapping, template: IndicatorTemplate | None = None) -> IndicatorTemplate:
    """Add a template (template=None) or change one; the code of a template never changes (the
    CPTS's indicators made from it keep their definition)."""
    errors: dict[str, list] = {}
    fields = _definition(data, errors)
    if template is not None:
        fields.pop("code")
        errors.pop("code", None)
    elif db.session.scalar(select(IndicatorTemplate.id).filter_by(code=fields["code"])):
        errors["code"] = [_l("Ce code est déjà celui d'un modèle.")]
    if errors:
        raise DomainError(errors)
    created = template is None
    template = template or IndicatorTemplate()
    for name, value in fields.items():
        setattr(template, name, value)
    db.session.add(template)
    db.session.flush()
    action = "indicator_template_added" if created else "indicator_template_changed"
    audit.record(action, obj=template, details={"code": template.code})
    bump()  # every region's pages name the templates
    return template
