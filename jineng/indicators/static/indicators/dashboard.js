/* Charts of the indicator dashboard (ECharts). The data comes from the page (json_script "indicator-chart-data"). */
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("indicator-chart-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var seriesEl = document.getElementById("chart-series");
    if (seriesEl) {
      var years = data.series.map(function (p) { return String(p.year); });
      var actual = data.series.map(function (p) { return p.actual; });
      var chart = echarts.init(seriesEl);
      var series = [{ name: "累计实际", type: "bar", data: actual }];
      // The axis follows the bars: a target far above every actual (more than twenty times the largest) would flatten
      // them to nothing, so it is named under the chart instead of drawn (issue 15).
      var most = Math.max.apply(null, actual.map(function (v) { return v || 0; }).concat([0]));
      var offScale = data.target && data.target > 20 * most;
      if (offScale) {
        var note = document.createElement("div");
        note.className = "small text-muted jn-chart-note";
        note.textContent = (seriesEl.getAttribute("data-offscale") || "") + " " +
          (seriesEl.getAttribute("data-target-label") || String(data.target));
        seriesEl.parentNode.insertBefore(note, seriesEl.nextSibling);
      }
      if (data.target && !offScale) {
        series.push({ name: "目标", type: "line", data: years.map(function () { return data.target; }), symbol: "none",
                      lineStyle: { type: "dashed" } });
        series.push({ name: "按时间进度应完成", type: "line",
                      data: data.series.map(function (p) { return Math.round(p.expected * data.target); }) });
      }
      chart.setOption({
        tooltip: { trigger: "axis" }, legend: { bottom: 0 },
        grid: { left: 60, right: 20, top: 20, bottom: 50 },
        xAxis: { type: "category", data: years }, yAxis: { type: "value", name: data.unit }, series: series
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    var regionsEl = document.getElementById("chart-regions");
    if (regionsEl) {
      var rows = data.regions.filter(function (r) { return r.actual !== null; });
      if (!rows.some(function (r) { return r.actual > 0; })) {
        regionsEl.classList.add("jn-chart-empty");
        regionsEl.textContent = regionsEl.getAttribute("data-empty") || "";
        return;
      }
      var chart2 = echarts.init(regionsEl);
      chart2.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 110, right: 20, top: 10, bottom: 30 },
        xAxis: { type: "value" },
        yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
        series: [{ type: "bar", data: rows.map(function (r) { return r.actual; }) }]
      });
      window.addEventListener("resize", function () { chart2.resize(); });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
