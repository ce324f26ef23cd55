"""Two to six CPTS of a region side by side, on the overview's figures and on each catalogue
template's outcome (small counts masked), with the regional median beside them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.i18n import gettext
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


@dataclass(frozen=True)
class RegionFigures:
    """What a comparison needs of the whole region (the caller keeps it per rollups' version)."""

    medians: dict[str, float | None]  # of the overview's figures
    sums: dict  # trends.outcome_sums of the region
    template_medians: dict[str, float | None]  # template code -> regional median
    templates: list[trends.TemplateFacts]


def region_figures(rows: list[OverviewRow], sums: dict) -> RegionFigures:
    return RegionFigures(
        medians(rows), sums, trends.outcome_medians(rows, sums), trends.templates()
    )


def comparison(rows: list[OverviewRow], slugs: list[str], today: date,
               region: RegionFigures) -> Comparison:  # fmt: skip
    """The CPTS named by `slugs` among `rows` (others ignored: only the region's), in the order
    of the list, at most MAX_PICKED, beside the region's medians (`region`, which the caller
    keeps per rollups' version)."""
    by_slug = {r.tenant.slug: r for r in rows}
    picked = [by_slug[s] for s in dict.fromkeys(slugs) if s in by_slug][:MAX_PICKED]
    if not picked:
        return Comparison([])
    median = region.medians
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
    for template in region.templates:
        if template.code not in region.template_medians:
            continue
        values = [trends.outcome_of(r, template, region.sums).value for r in picked]
        line(f"{template.name} ({trends.unit_label(template.unit)})", values,
             region.template_medians[template.code])  # fmt: skip
    months, counts = trends.member_counts([r.tenant.id for r in picked], today)
    series = {
        r.tenant.name: [trends.per_10k(n, r.tenant.population) if n is not None else None
                        for n in counts[r.tenant.id]]
        for r in picked
    }  # fmt: skip
    first = next((i for i, m in enumerate(months) if any(s[i] for s in series.values())), 0)
    return Comparison(picked, months[first:], {k: v[first:] for k, v in series.items()}, table)
