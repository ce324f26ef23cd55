"""Pure figure builders: plain rows in, plotly figure JSON out (served with the local plotly.js)."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from app.models.member import Profession
from app.reports.members import GrowthPoint, TenantRow

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
LAYOUT = {
    "font": {"family": FONT, "size": 13},
    "plot_bgcolor": "#ffffff",
    "paper_bgcolor": "#ffffff",
    "separators": ", ",
}


def plain(text: str) -> str:
    """Text as plotly must receive it: plotly reads a subset of HTML (<a href>, <b>, <br>) in
    labels, so anything from the data is escaped and shown as typed, never as a link."""
    return html.escape(text, quote=False)


def members_per_10k_figure(rows: list[TenantRow]) -> dict:
    """Horizontal bars: members per 10,000 inhabitants for each CPTS, best first."""
    ranked = sorted(
        (r for r in rows if r.members_per_10k is not None), key=lambda r: r.members_per_10k or 0
    )
    figure = go.Figure(
        go.Bar(
            x=[r.members_per_10k for r in ranked],
            y=[plain(r.tenant.name) for r in ranked],
            orientation="h",
            marker_color=["#8a94a6" if r.tenant.fictitious else "#1f5fa8" for r in ranked],
            hovertemplate="%{y}<br>%{x} membres pour 10 000 habitants<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(220, 90 + 34 * len(ranked)),
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        xaxis_title="Membres pour 10 000 habitants",
        yaxis={"automargin": True},
        **LAYOUT,
    )
    return json.loads(figure.to_json())


@dataclass(frozen=True)
class GrowthTable:
    """Membership growth pivoted for people: a row a month, a column per group of professions
    (the largest ones, the others together), and the total."""

    groups: list[str]
    months: list[date]
    counts: list[list[int]]  # counts[i][j]: month i, group j

    def totals(self) -> list[int]:
        return [sum(row) for row in self.counts]


def growth_table(
    points: list[GrowthPoint], label: Callable[[Profession], str], others: str, largest: int = 5
) -> GrowthTable:
    months = sorted({p.month for p in points})
    last = months[-1] if months else None
    latest = sorted(((p.members, p.profession) for p in points if p.month == last), reverse=True)
    kept = [profession for _count, profession in latest[:largest]]
    groups = [label(p) for p in kept]
    if len({p.profession for p in points}) > len(kept):
        groups.append(others)
    index = {month: i for i, month in enumerate(months)}
    counts = [[0] * len(groups) for _ in months]
    for point in points:
        column = kept.index(point.profession) if point.profession in kept else len(kept)
        counts[index[point.month]][column] += point.members
    return GrowthTable(groups, months, counts)


PALETTE = ("#1f5fa8", "#0f7b6c", "#c2185b", "#e8a13a", "#6a4c93", "#8a94a6")


def growth_figure(table: GrowthTable, y_title: str, month_format: str = "%m/%Y") -> dict:
    """Stacked areas: active members at the end of each month, by group of professions."""
    figure = go.Figure()
    for column, group in enumerate(table.groups):
        figure.add_trace(
            go.Scatter(
                x=[m.isoformat() for m in table.months],
                y=[row[column] for row in table.counts],
                name=plain(group),
                stackgroup="members",
                mode="lines",
                line={"width": 1, "color": PALETTE[column % len(PALETTE)]},
                hovertemplate="%{x|" + month_format + "} : %{y}<extra>" + plain(group) + "</extra>",
            )
        )
    figure.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        yaxis={"title": y_title, "rangemode": "tozero", "automargin": True},
        xaxis={"tickformat": month_format},
        legend={"orientation": "h", "y": -0.2},
        hovermode="x unified",
        **LAYOUT,
    )
    return json.loads(figure.to_json())


@dataclass(frozen=True)
class DeadlineBar:
    """One mission on the deadline timeline (labels already in the reader's language)."""

    label: str
    signed_on: date
    start_due: date
    deploy_due: date
    started_on: date | None
    deployed_on: date | None
    status: str  # a key of STATUS_COLOURS


STATUS_COLOURS = {"on_time": "#0f7b6c", "at_risk": "#e8a13a", "late": "#b42318", "done": "#8a94a6"}


def deadlines_figure(
    bars: list[DeadlineBar], today: date, names: dict[str, str], end: date | None = None
) -> dict:
    """Each mission from the signature to its start deadline, then to its deployment deadline,
    coloured by status; diamonds where the CPTS recorded its start and deployment; today."""
    figure = go.Figure()
    for bar in bars:
        colour, label = STATUS_COLOURS[bar.status], plain(bar.label)
        for start, end, width, part in (
            (bar.signed_on, bar.start_due, 10, names["start"]),
            (bar.start_due, bar.deploy_due, 18, names["deploy"]),
        ):
            figure.add_trace(
                go.Scatter(
                    x=[start.isoformat(), end.isoformat()],
                    y=[label, label],
                    mode="lines",
                    line={"color": colour, "width": width},
                    opacity=0.55 if width == 10 else 0.9,
                    showlegend=False,
                    hovertemplate=f"{label}<br>{plain(part)} : %{{x|%d/%m/%Y}}<extra></extra>",
                )
            )
        for day, name in ((bar.started_on, names["started"]), (bar.deployed_on, names["deployed"])):
            if day is not None:
                figure.add_trace(
                    go.Scatter(
                        x=[day.isoformat()],
                        y=[label],
                        mode="markers",
                        marker={"symbol": "diamond", "size": 12, "color": "#1b2330"},
                        showlegend=False,
                        hovertemplate=f"{label}<br>{plain(name)} : %{{x|%d/%m/%Y}}<extra></extra>",
                    )
                )
    figure.add_vline(x=today.isoformat(), line={"color": "#1f4e8c", "dash": "dot", "width": 2})
    figure.update_layout(
        height=90 + 46 * len(bars),
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        xaxis={
            "type": "date",
            "tickformat": "%m/%Y",
            "range": [
                min(b.signed_on for b in bars).isoformat(),
                max([today, end or today, *(b.deploy_due for b in bars)]).isoformat(),
            ],
        },
        yaxis={"automargin": True, "autorange": "reversed"},
        **LAYOUT,
    )
    return json.loads(figure.to_json())


def money_figure(years: list[int], series: dict[str, list[int]], y_title: str) -> dict:
    """Grouped bars per contract year (amounts in cents, shown in euros)."""
    figure = go.Figure()
    for column, (name, cents) in enumerate(series.items()):
        figure.add_trace(
            go.Bar(
                x=[str(year) for year in years],
                y=[amount / 100 for amount in cents],
                name=plain(name),
                marker_color=PALETTE[column % len(PALETTE)],
                hovertemplate="%{y:,.2f} €<extra>" + plain(name) + "</extra>",
            )
        )
    figure.update_layout(
        barmode="group",
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        yaxis={"title": y_title, "rangemode": "tozero", "automargin": True},
        legend={"orientation": "h", "y": -0.2},
        **LAYOUT,
    )
    return json.loads(figure.to_json())


def lines_figure(labels: list[str], series: dict[str, list[float | None]], y_title: str) -> dict:
    """One line per series over ordered labels (periods); gaps where a value is missing."""
    figure = go.Figure()
    for column, (name, values) in enumerate(series.items()):
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                name=plain(name),
                mode="lines+markers",
                line={"width": 2, "color": PALETTE[column % len(PALETTE)]},
                hovertemplate="%{x} : %{y}<extra>" + plain(name) + "</extra>",
            )
        )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        yaxis={"title": y_title, "rangemode": "tozero", "automargin": True},
        xaxis={"type": "category"},
        legend={"orientation": "h", "y": -0.25},
        **LAYOUT,
    )
    return json.loads(figure.to_json())


def peers_figure(values: list[float | None], own: list[bool], median: float | None,
                 x_title: str, own_label: str, median_label: str) -> dict:  # fmt: skip
    """Anonymous bars, the CPTS's own in colour, the regional median as a line (its label says
    the figure, in the reader's number format)."""
    shown = [(v, o) for v, o in zip(values, own, strict=True) if v is not None]
    figure = go.Figure(
        go.Bar(
            x=list(range(1, len(shown) + 1)),
            y=[v for v, _ in shown],
            marker_color=[PALETTE[2] if o else "#c7ccd6" for _, o in shown],
            hovertemplate="%{y}<extra></extra>",
        )
    )
    if median is not None:
        figure.add_hline(y=median, line_dash="dash", line_color=PALETTE[0],
                         annotation_text=plain(median_label))  # fmt: skip
    figure.update_layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 20, "b": 30},
        yaxis={"title": x_title, "rangemode": "tozero", "automargin": True},
        xaxis={"showticklabels": False, "title": plain(own_label)},
        showlegend=False,
        **LAYOUT,
    )
    return json.loads(figure.to_json())
