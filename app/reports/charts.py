"""Plotly figures for the regional pages, built as plain dicts: no validation pass and no plotly
template resent with every figure (plotly.js's defaults and the house layout), so a figure is
cheap to build and small to send. Labels from the data are escaped (app.reports.figures.plain)."""

from __future__ import annotations

from datetime import date

from app.reports.figures import LAYOUT, PALETTE, plain

MARGIN = {"l": 10, "r": 10, "t": 10, "b": 40}


def _layout(**extra) -> dict:
    return {**LAYOUT, "margin": MARGIN, **extra}


def ranked_bars(names: list[str], values: list[float | None], x_title: str,
                median: float | None = None, median_label: str = "",
                grey: list[bool] | None = None) -> dict:  # fmt: skip
    """Horizontal bars, largest at the top, the regional median as a dashed line."""
    kept = sorted(
        (v, plain(n), bool(grey and grey[i])) for i, (n, v) in enumerate(zip(names, values, strict=True))
        if v is not None
    )  # fmt: skip
    trace = {
        "type": "bar", "orientation": "h",
        "x": [v for v, _n, _g in kept], "y": [n for _v, n, _g in kept],
        "marker": {"color": ["#8a94a6" if g else PALETTE[0] for _v, _n, g in kept]},
        "hovertemplate": "%{y} : %{x}<extra></extra>",
    }  # fmt: skip
    layout = _layout(
        height=max(220, 90 + 22 * len(kept)),
        margin={**MARGIN, "t": 24},
        xaxis={"title": {"text": plain(x_title)}, "rangemode": "tozero"},
        yaxis={"automargin": True, "tickfont": {"size": 11}},
        showlegend=False,
    )
    if median is not None:
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": median,
                             "x1": median, "y0": 0, "y1": 1,
                             "line": {"dash": "dash", "color": PALETTE[2]}}]  # fmt: skip
        layout["annotations"] = [{"x": median, "y": 1, "xref": "x", "yref": "paper",
                                  "text": plain(median_label), "showarrow": False,
                                  "yanchor": "bottom", "font": {"color": PALETTE[2]}}]  # fmt: skip
    return {"data": [trace], "layout": layout}


def _y_axis(title: str, values: list, money: bool = False) -> dict:
    """Counts up to 10 get a tick per unit (no « 2,5 CPTS »); money is in euros."""
    axis = {"title": {"text": plain(title)}, "rangemode": "tozero", "automargin": True}
    known = [v for v in values if v is not None]
    if money:
        axis |= {"tickformat": ",.0f", "ticksuffix": " €"}
    elif known and all(float(v).is_integer() for v in known) and max(known) <= 10:
        axis["dtick"] = 1
    return axis


def lines(x: list[str], series: dict[str, list[float | None]], y_title: str,
          legend: bool = True, stacked: bool = False, steps: bool = False) -> dict:  # fmt: skip
    """One line per series over x (months as ISO dates, or labels); `steps` for counts that
    change on a day and hold."""
    data = [
        {"type": "scatter", "mode": "lines", "x": x, "y": values, "name": plain(name),
         "line": {"width": 2 if legend else 1, "color": PALETTE[i % len(PALETTE)],
                  **({"shape": "hv"} if steps else {})},
         "hovertemplate": "%{x} : %{y}<extra>" + plain(name) + "</extra>",
         **({"stackgroup": "s"} if stacked else {})}
        for i, (name, values) in enumerate(series.items())
    ]  # fmt: skip
    values = [v for series_values in series.values() for v in series_values]
    return {"data": data, "layout": _layout(
        height=340, showlegend=legend, hovermode="closest", yaxis=_y_axis(y_title, values),
        legend={"orientation": "h", "y": -0.2},
    )}  # fmt: skip


def many_lines(months: list[date], series: dict[str, list[float | None]], y_title: str) -> dict:
    """Dozens of lines over the same months, unnamed in a legend (hover reads the name): the
    months are written once, on the axis, rather than once per line, so the figure stays small
    whatever the number of CPTS."""
    data = [
        {"type": "scatter", "mode": "lines", "y": values, "name": plain(name),
         "line": {"width": 1, "color": PALETTE[i % len(PALETTE)]},
         "hovertemplate": "%{y}<extra>" + plain(name) + "</extra>"}
        for i, (name, values) in enumerate(series.items())
    ]  # fmt: skip
    ticks = [i for i, month in enumerate(months) if month.month == 1]
    values = [v for series_values in series.values() for v in series_values]
    return {"data": data, "layout": _layout(
        height=340, showlegend=False, hovermode="closest", yaxis=_y_axis(y_title, values),
        xaxis={"tickvals": ticks, "ticktext": [months[i].strftime("%m/%Y") for i in ticks],
               "range": [0, max(len(months) - 1, 1)]},
    )}  # fmt: skip


def grouped_bars(x: list[str], series: dict[str, list[float]], y_title: str,
                 stacked: bool = False, money: bool = False) -> dict:  # fmt: skip
    data = [
        {"type": "bar", "x": x, "y": values, "name": plain(name),
         "marker": {"color": PALETTE[i % len(PALETTE)]},
         "hovertemplate": "%{x} : %{y" + (":,.0f} €" if money else "}") + "<extra>"
                         + plain(name) + "</extra>"}
        for i, (name, values) in enumerate(series.items())
    ]  # fmt: skip
    return {"data": data, "layout": _layout(
        height=300, barmode="stack" if stacked else "group",
        xaxis={"type": "category"},
        yaxis=_y_axis(y_title, [v for values in series.values() for v in values], money),
        legend={"orientation": "h", "y": -0.2},
    )}  # fmt: skip


COVERAGE_COLOURS = ("#0f7b6c", "#1f5fa8", "#e8a13a", "#8a94a6", "#eceff3")


def coverage_bars(names: list[str], series: dict[str, list[float]], x_title: str) -> dict:
    """Horizontal stacked bars, one per area, each summing to 100 % of its population."""
    data = [
        {"type": "bar", "orientation": "h", "name": plain(name),
         "y": [plain(n) for n in names], "x": [round(s * 100, 1) for s in shares],
         "marker": {"color": COVERAGE_COLOURS[column % len(COVERAGE_COLOURS)]},
         "hovertemplate": "%{y} : %{x} %<extra>" + plain(name) + "</extra>"}
        for column, (name, shares) in enumerate(series.items())
    ]  # fmt: skip
    layout = _layout(
        barmode="stack",
        height=max(220, 80 + 34 * len(names)),
        xaxis={"title": {"text": plain(x_title)}, "range": [0, 100], "ticksuffix": " %"},
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": -0.25, "traceorder": "normal"},
    )
    return {"data": data, "layout": layout}
