"""Reports: queries returning plain rows, and pure figure builders (rows -> plotly figures)."""
