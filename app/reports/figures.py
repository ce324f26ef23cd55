"""Pure figure builders: plain rows in, plotly figure JSON out (served with the local plotly.js)."""

from __future__ import annotations

import html
import json

import plotly.graph_objects as go

from app.reports.members import TenantRow

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


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
        font={"family": FONT, "size": 13},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        separators=", ",
    )
    return json.loads(figure.to_json())
