// Reporting dashboard: draws the timeline chart from the data passed with json_script.
(function () {
  "use strict";

  function drawTimeline() {
    var canvas = document.getElementById("timeline-chart");
    var source = document.getElementById("timeline-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var colours = ["#2c6fae", "#84b4dc", "#c2410c"];
    var datasets = data.series.map(function (series, index) {
      return {
        type: series.kind,
        label: series.label,
        data: series.data,
        backgroundColor: colours[index % colours.length],
        borderColor: colours[index % colours.length],
        yAxisID: series.kind === "line" ? "total" : "monthly",
        tension: 0.2,
        order: series.kind === "line" ? 0 : 1
      };
    });
    canvas.chart = new window.Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          monthly: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 } },
          total: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false } }
        }
      }
    });
    canvas.dataset.drawn = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawTimeline);
  } else {
    drawTimeline();
  }
})();
