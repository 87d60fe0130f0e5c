// Chain maps of /workbench/chains/: each <div data-chain-tree="ID"> draws the JSON script
// element ID as an ECharts tree (the chain at the root, links coloured by status). The table
// beside each map holds the same figures, so nothing is lost without scripts.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  document.querySelectorAll("[data-chain-tree]").forEach(function (element) {
    var source = document.getElementById(element.dataset.chainTree);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (info) { return info.name + (info.value ? "<br>" + info.value : ""); } },
      series: [{
        type: "tree",
        data: [data],
        orient: "LR",
        top: 8, bottom: 8, left: 80, right: 140,
        symbolSize: 10,
        initialTreeDepth: -1,
        expandAndCollapse: true,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
        leaves: { label: { position: "right", align: "left" } }
      }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  document.documentElement.dataset.chainMapsReady = "1";
})();
