"""Two to six CPTS of a region side by side, on the overview's figures and on each catalogue
template's outcome (small counts masked), with the regional median beside them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext

from app.models.contract import ConventionStatus
from app.reports import trends
from app.reports.dashboard import Table
from app.reports.overview import OverviewRow, medians
from app.schemas.convention import STATUS_LABELS
from app.schemas.tenant import STAGE_LABELS

MAX_PICKED = 6


@dataclass
class Comparison:
    picked: list[OverviewRow]
    months: list[date] = field(default_factory=list)
    series: dict[str, list[float | None]] = field(default_factory=dict)  # per 10,000, by month
    table: Table = field(default_factory=lambda: Table([]))


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f} %".replace(".", ",")


def comparison(rows: list[OverviewRow], slugs: list[str], today: date, sums: dict | None = None,
               medians_by_template: dict | None = None) -> Comparison:  # fmt: skip
    """The CPTS named by `slugs` among `rows` (others ignored: only the region's), in the order
    of the list, at most MAX_PICKED. `sums` and `medians_by_template`: the region's outcome sums
    and medians (trends), when the caller keeps them."""
    by_slug = {r.tenant.slug: r for r in rows}
    picked = [by_slug[s] for s in dict.fromkeys(slugs) if s in by_slug][:MAX_PICKED]
    if not picked:
        return Comparison([])
    median = medians(rows)
    table = Table([gettext("Indicateur"), *(r.tenant.name for r in picked),
                   gettext("Médiane régionale")], masked=True)  # fmt: skip

    def line(label: str, values: list, middle=None) -> None:
        table.rows.append([label, *values, middle])

    line(gettext("Étape"), [gettext(STAGE_LABELS[r.stage]) for r in picked])
    line(gettext("Population"), [r.tenant.population for r in picked], median["population"])
    line(gettext("Taille"), [r.tenant.size_class for r in picked])
    line(gettext("Membres"), [r.members for r in picked], median["members"])
    line(gettext("Membres pour 10 000 habitants"), [r.per_10k for r in picked], median["per_10k"])
    line(gettext("Croissance sur 12 mois"), [_percent(r.growth) for r in picked],
         _percent(median["growth"]))  # fmt: skip
    line(gettext("Convention"), [gettext(STATUS_LABELS[ConventionStatus(r.current.convention)])
                                 if r.current.convention else None for r in picked])  # fmt: skip
    line(gettext("Missions en retard"), [r.missions_late for r in picked], median["missions_late"])
    line(gettext("Complétude des remises (12 mois)"), [_percent(r.completeness) for r in picked],
         _percent(median["completeness"]))  # fmt: skip
    line(gettext("Remises à l'heure (12 mois)"), [_percent(r.timeliness) for r in picked],
         _percent(median["timeliness"]))  # fmt: skip
    found = sums if sums is not None else trends.outcome_sums([r.tenant.id for r in rows], today)
    middles = medians_by_template if medians_by_template is not None else (
        trends.outcome_medians(rows, found))  # fmt: skip
    for template in trends.templates():
        if template.code not in middles:
            continue
        values = [trends.outcome_of(r, template, found).value for r in picked]
        line(f"{template.name} ({trends.unit_label(template.unit)})", values,
             middles[template.code])  # fmt: skip
    growth = trends.growth(picked, today)
    series = {
        r.tenant.name: [trends.per_10k(n, r.tenant.population) if n is not None else None
                        for n in growth.cpts[r.tenant.id]]
        for r in picked
    }  # fmt: skip
    months = growth.months
    first = next((i for i, m in enumerate(months) if any(s[i] for s in series.values())), 0)
    return Comparison(picked, months[first:], {k: v[first:] for k, v in series.items()}, table)
