/* Charts of the labour-market pages (ECharts). The data comes from the page (json_script "labour-chart-data"). */
(function () {
  "use strict";
  function empty(el) {
    el.classList.add("jn-chart-empty");
    el.textContent = el.getAttribute("data-empty") || "";
  }
  function chart(el, option) {
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  function draw() {
    var node = document.getElementById("labour-chart-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var top = document.getElementById("chart-top");
    if (top) {
      if (!data.top.length) { empty(top); } else {
        chart(top, {
          tooltip: { trigger: "axis" }, grid: { left: 140, right: 20, top: 10, bottom: 30 },
          xAxis: { type: "value", name: "求人倍率" },
          yAxis: { type: "category", inverse: true, data: data.top.map(function (r) { return r.name; }) },
          series: [{ type: "bar", data: data.top.map(function (r) { return r.ratio; }) }]
        });
      }
    }
    var trend = document.getElementById("chart-trend");
    if (trend) {
      chart(trend, {
        tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 60, right: 60, top: 20, bottom: 50 },
        xAxis: { type: "category", data: data.totals.map(function (p) { return p.quarter; }) },
        yAxis: [{ type: "value", name: "人数" }, { type: "value", name: "求人倍率" }],
        series: [
          { name: "岗位需求人数", type: "bar", data: data.totals.map(function (p) { return p.vacancies; }) },
          { name: "求职人数", type: "bar", data: data.totals.map(function (p) { return p.seekers; }) },
          { name: "求人倍率", type: "line", yAxisIndex: 1, data: data.totals.map(function (p) { return p.ratio; }) }
        ]
      });
    }
    var wages = document.getElementById("chart-wages");
    if (wages) {
      if (!data.cells.length) { empty(wages); return; }
      var names = data.cells.map(function (c) { return c.name; });
      chart(wages, {
        tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 140, right: 20, top: 10, bottom: 50 },
        xAxis: { type: "value", name: "元/年" }, yAxis: { type: "category", inverse: true, data: names },
        series: ["p10", "p25", "p50", "p75", "p90"].map(function (k) {
          return { name: k.toUpperCase(), type: k === "p50" ? "bar" : "scatter",
                   data: data.cells.map(function (c) { return c[k]; }) };
        })
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
