// Draws every plotly figure of the page from the JSON embedded beside it (no inline script).
document.querySelectorAll("[data-figure]").forEach(function (element) {
  var source = document.getElementById(element.dataset.figure);
  if (!source || !window.Plotly) { return; }
  var figure = JSON.parse(source.textContent);
  window.Plotly.newPlot(element, figure.data, figure.layout, {
    displaylogo: false,
    responsive: true,
    locale: document.documentElement.lang === "fr" ? "fr" : "en",
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  });
});
