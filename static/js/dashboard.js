// Draws the dashboard's charts with Apache ECharts (static/vendor/echarts): every element
// with a data-chart attribute holds its chart as JSON (market/dashboard/charts.py); the
// table beside each chart shows the same figures.
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") {
    return; // the tables stay; the charts need static/vendor/echarts (python3 dev.py setup)
  }
  var palette = ["#c0392b", "#2471a3", "#229954", "#b9770e", "#7d3c98"];

  function option(spec) {
    var categoryAxis = { type: "category", data: spec.categories,
                         axisLabel: { interval: 0, rotate: spec.horizontal ? 0 : (spec.categories.length > 8 ? 40 : 0) } };
    var valueAxis = { type: "value", name: spec.unit || "" };
    if (spec.whole) { valueAxis.minInterval = 1; }
    var series = spec.series.map(function (s) {
      var out = { name: s.name, type: s.type, data: s.data, connectNulls: false };
      if (s.stack) { out.stack = s.stack; }
      if (s.target) {
        out.type = "line";
        out.symbol = "none";
        out.lineStyle = { type: "dashed", width: 2 };
        out.color = "#555";
      }
      return out;
    });
    return {
      color: palette,
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? Object.assign({}, categoryAxis, { inverse: true, axisLabel: { interval: 0 } }) : valueAxis,
      series: series
    };
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    if (spec.tall) {
      el.classList.add("chart-tall");
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    el.setAttribute("data-drawn", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
