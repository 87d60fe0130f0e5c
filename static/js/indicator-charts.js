// Charts of the indicator dashboards and the printed report. Each <div data-chart="ID"> draws
// the JSON script element ID: {kind: "line" (months) | "bar" (parks), categories, series:
// [{name, values, dashed, line}], unit, inverted (ranks: 1 at the top)}. The tables beside
// the charts hold the same figures, so nothing is lost without scripts. When every chart is
// drawn, <html data-charts-ready> tells the PDF renderer it may print.
(function () {
  "use strict";
  var root = document.documentElement;
  if (!window.echarts) { root.dataset.chartsReady = "0"; return; }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var rotate = data.kind === "bar" && data.categories.length > 6 ? 40 : 0;
    chart.setOption({
      animation: false,
      grid: { left: 16, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.categories, axisLabel: { rotate: rotate, interval: data.kind === "bar" ? 0 : "auto" } },
      yAxis: data.inverted
        ? { type: "value", name: data.unit, inverse: true, min: 1, minInterval: 1 }
        : { type: "value", name: data.unit },
      series: data.series.map(function (item) {
        var asLine = data.kind === "line" || item.line;
        return {
          name: item.name,
          type: asLine ? "line" : "bar",
          data: item.values,
          symbol: item.dashed ? "none" : "circle",
          lineStyle: item.dashed ? { type: "dashed" } : undefined
        };
      })
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  root.dataset.chartsReady = "1";
})();
