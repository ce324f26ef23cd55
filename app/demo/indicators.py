"""The demo's indicators and their reporting: catalogue indicators for the seed CPTS, about
three years of quarterly and yearly values, and periods in every state.

Every value is invented (plausible orders of magnitude, smooth trends). The latest quarter
reported is the last one whose due date has passed; before it, every period is validated.
For that quarter: Grand Narbonne (Occitanie) and the Pays Horloger (Bourgogne-Franche-Comté)
have submitted and wait for their ARS; Agde and Centre Saône-et-Loire were sent back with a
comment on one value; Costières en Camargue is still a draft. Grand Narbonne's tiers are in its
original terms, so its last closed contract year shows how each euro was earned.

Idempotent: a period that already has a trail is left as it is (a demo user may have acted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.models.indicator import Indicator, PeriodKind, PeriodStatus, ReportingPeriod
from app.models.pathway import PATHWAY_LABELS, PathwayKind
from app.services import catalogue, evidence, pathways, reporting
from app.services.indicators import add_indicator
from app.services.reporting import DUE_DAYS
from app.tenants.context import for_tenant
from app.tenants.models import Tenant

Q, Y = PeriodKind.QUARTER, PeriodKind.YEAR


@dataclass(frozen=True)
class Series:
    """A value that moves from `start` to `end` over the demo's quarters (or years); rates
    are given per 1,000 of `denominator`."""

    start: float
    end: float
    denominator: int | None = None


INDICATORS: dict[str, dict[str, Series]] = {
    "grand-narbonne": {
        "mt_ald": Series(420, 160),
        "mt_16": Series(862, 905, 98_000),
        "depistage_sein": Series(583, 641, 14_200),
        "prevention_touches": Series(180, 420),
    },
    "agde": {"mt_ald": Series(610, 380)},
    "centre-saone-et-loire": {"mt_70": Series(1_450, 1_120)},
    "pays-horloger": {
        "mt_ald": Series(140, 60),
        "mt_70": Series(520, 240),
        "mt_16": Series(871, 932, 21_500),
    },
    "costieres-en-camargue": {
        "mt_16": Series(845, 873, 61_000),
        "prevention_touches": Series(60, 240),
    },
}
# Pathways from the articles (kind, name or None, start, professions) and the series of their
# outcome indicators, by catalogue code.
PATHWAYS: dict[str, list[tuple[str, str | None, date, tuple[str, ...], dict[str, Series]]]] = {
    "agde": [
        ("insuffisance_cardiaque", None, date(2024, 3, 1), ("medecin_generaliste", "infirmier",
         "pharmacien"), {"parcours_inclus": Series(12, 64), "rehospit_30j": Series(214, 152, 140),
                         "ic_suivi_7j": Series(380, 560, 140)}),
        ("diabete_type2", None, date(2024, 6, 1), ("medecin_generaliste", "infirmier",
         "dieteticien"), {"parcours_inclus": Series(20, 85),
                          "diabete_hba1c": Series(512, 588, 2_300)}),
    ],
    "centre-saone-et-loire": [
        ("sortie_hospitalisation_agees", None, date(2023, 9, 1), ("infirmier", "pharmacien",
         "medecin_generaliste"), {"parcours_inclus": Series(8, 45)}),
        ("insuffisance_cardiaque", "Suivi de l'insuffisance cardiaque après la sortie",
         date(2023, 11, 1), ("infirmier", "medecin_generaliste"),
         {"parcours_inclus": Series(6, 38), "ic_suivi_7j": Series(402, 611, 96),
          "rehospit_30j": Series(231, 168, 96)}),
    ],
    "pays-horloger": [
        ("autre", "Un médecin traitant pour chaque habitant", date(2022, 1, 10),
         ("medecin_generaliste", "infirmier"), {"parcours_inclus": Series(40, 310)}),
    ],
}  # fmt: skip
# The latest quarter's fate, by CPTS (the earlier periods are validated).
LATEST = {
    "grand-narbonne": PeriodStatus.SUBMITTED,
    "pays-horloger": PeriodStatus.SUBMITTED,
    "agde": PeriodStatus.SENT_BACK,
    "centre-saone-et-loire": PeriodStatus.SENT_BACK,
    "costieres-en-camargue": PeriodStatus.DRAFT,
}
SENT_BACK_COMMENT = (
    "Valeur à vérifier avant validation : merci de joindre l'extraction de la CPAM qui la justifie."
)
FIRST_YEAR = 2023
NOT_STARTED = "Parcours pas encore démarré"


def quarters(today: date) -> list[date]:
    """From January 2023 to the last quarter whose due date has passed."""
    starts: list[date] = []
    start = date(FIRST_YEAR, 1, 1)
    while True:
        following = date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
        if following - timedelta(days=1) + timedelta(days=DUE_DAYS) >= today:
            return starts
        starts.append(start)
        start = following


def _value(series: Series, step: int, steps: int) -> dict:
    share = step / max(steps - 1, 1)
    level = series.start + (series.end - series.start) * share
    if series.denominator is None:
        return {"numerator": round(level)}
    return {
        "numerator": round(level * series.denominator / 1000),
        "denominator": series.denominator,
    }


@for_tenant
def sync_indicators(tenant: Tenant, today: date) -> None:
    wanted = dict(INDICATORS.get(tenant.slug, {}))
    if not wanted and tenant.slug not in PATHWAYS:
        return
    known = {i.code: i for i in db.session.scalars(select(Indicator))}
    for code in wanted:
        if code not in known:
            known[code] = add_indicator(tenant, {"template": code})
    started: dict[int, date] = {}  # outcome indicator id -> its pathway's start
    wanted |= _sync_pathways(tenant, known, started)
    quarter_starts = quarters(today)
    year_starts = [date(y, 1, 1) for y in range(FIRST_YEAR, today.year)]
    for kind, starts in ((Q, quarter_starts), (Y, year_starts)):
        series = {known[c]: s for c, s in wanted.items() if known[c].period is kind}
        if not series:
            continue
        for step, start in enumerate(starts):
            latest = kind is Q and step == len(starts) - 1
            state = LATEST[tenant.slug] if latest else PeriodStatus.VALIDATED
            values = {
                i.id: _value(s, step, len(starts))
                if start >= started.get(i.id, start)
                else {"missing_reason": NOT_STARTED}
                for i, s in series.items()
            }
            _sync_period(tenant, series, start, values, state)


def _sync_pathways(
    tenant: Tenant, known: dict[str, Indicator], started: dict[int, date]
) -> dict[str, Series]:
    """The CPTS's pathways and the series of their outcomes, by indicator code."""
    existing = {(p.kind.value, p.name): p for p in pathways.pathways(tenant)}
    templates = {t.id: t.code for t in catalogue.templates()}
    series: dict[str, Series] = {}
    for kind, name, begun, professions, outcomes in PATHWAYS.get(tenant.slug, []):
        label = name or gettext(PATHWAY_LABELS[PathwayKind(kind)])
        pathway = existing.get((kind, label)) or pathways.add_pathway(tenant, {
            "kind": kind, "name": name, "started_on": begun.isoformat(),
            "professions": list(professions),
        })  # fmt: skip
        for indicator in pathways.outcomes(tenant, pathway):
            known[indicator.code] = indicator
            started[indicator.id] = pathway.started_on or date.min
            template = templates.get(indicator.template_id or 0)
            if template in outcomes:
                series[indicator.code] = outcomes[template]
    return series


def pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (the demo's evidence documents)."""
    line = text.replace("\\", "").replace("(", "").replace(")", "").encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + line + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref, size = len(out), len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11), tzinfo=UTC)


def _sync_period(
    tenant: Tenant,
    series: dict[Indicator, Series],
    start: date,
    values: dict[int, dict],
    state: PeriodStatus,
) -> ReportingPeriod:
    kind = next(iter(series)).period
    period = reporting.open_period(tenant, kind, start)
    if reporting.trail(period):
        return period
    reporting.enter_values(tenant, period, values)
    if kind is Y:  # the yearly figures come with the document they were taken from
        indicator = min(series, key=lambda i: i.id)
        name = f"Bilan {start.year} - {tenant.slug}.pdf"
        evidence.attach(tenant, period, indicator, pdf(name), name, None)
    if state is PeriodStatus.DRAFT:
        return period
    submitted = _noon(min(period.due_on - timedelta(days=10), date.today()))
    reporting.submit(tenant, period, submitted)
    reviewed = _noon(min(period.due_on + timedelta(days=5), date.today()))
    if state is PeriodStatus.VALIDATED:
        reporting.validate(tenant, period, reviewed)
    elif state is PeriodStatus.SENT_BACK:
        first = min(values)
        reporting.send_back(tenant, period, {first: SENT_BACK_COMMENT}, reviewed)
    return period
