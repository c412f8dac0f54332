// Draws the dashboard's charts from the JSON the page carries (no inline script); a click on a bar or a
// slice opens the list behind it.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b6e4f", "#f2b600", "#b3261e", "#3d5a80", "#8d6e63", "#6a994e", "#bc6c25", "#577590"];

  function chart(id, type, labels, datasets, links, extra) {
    var canvas = document.getElementById(id);
    if (!canvas || !labels.length) { return; }
    new Chart(canvas, Object.assign({
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: type !== "bar" || datasets.length > 1 } },
        onClick: function (_event, elements) {
          if (links && elements.length) { window.location.href = links[elements[0].index]; }
        }
      }
    }, extra || {}));
  }

  chart("chart-stars", "bar", data.stars.labels,
        [{ label: data.labels.products, data: data.stars.values, backgroundColor: palette[1] }], data.stars.links);
  chart("chart-kinds", "doughnut", data.kinds.labels,
        [{ data: data.kinds.values, backgroundColor: palette }], data.kinds.links);
  chart("chart-sectors", "doughnut", data.sectors.labels,
        [{ data: data.sectors.values, backgroundColor: palette }], null);
}());
