/* 重点工作: four ECharts charts drawn from the page's own figures (json_script #development-charts, written by
   ui/dashboard/views/development.py): every label comes translated from there, amounts in 万元 with a label as
   Chinese users write them ("text"), and each bar, point or slice names its ledger list ("link"), opened on a
   click. The tables beside the charts hold the same figures; without scripts (or without the built bundle)
   they are all there is and the chart boxes stay hidden. */
(function () {
  "use strict";
  var source = document.getElementById("development-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The axis tooltip: the category, then each series' amount as written (1.2亿元, 3000万元). No coloured marker:
  // ECharts writes it with a style attribute, which the Content-Security-Policy blocks.
  function amounts(points) {
    var lines = [esc(points[0].name)];
    points.forEach(function (p) {
      lines.push(esc(p.seriesName) + " " + esc(p.data && p.data.text));
    });
    return lines.join("<br>");
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.hidden = false;
    // the section's CSS bars now repeat the chart: kept for screen readers (the chart is aria-hidden), not shown
    var section = el.closest("section");
    if (section) { section.classList.add("charted"); }
    var c = echarts.init(el);
    c.setOption(option);
    c.on("click", function (p) {
      if (p.data && p.data.link) { window.location.href = p.data.link; }
    });
    window.addEventListener("resize", function () { c.resize(); });
  }

  // 万元 on the axis written as in the tables (7000, not 7,000)
  function valueAxis() {
    return { type: "value", name: data.unit, axisLabel: { formatter: function (v) { return String(v); } } };
  }

  function bars(series, extra) {
    return series.map(function (s) {
      var one = { name: s.name, type: "bar", data: s.data, cursor: "pointer" };
      Object.keys(extra || {}).forEach(function (k) { one[k] = extra[k]; });
      return one;
    });
  }

  var projects = data.projects;
  if (projects) {
    chart("chart-schedules", {
      tooltip: { trigger: "item", formatter: function (p) { return esc(p.name) + " " + p.value + " (" + p.percent + "%)"; } },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b} {c}" }, data: projects.schedules }]
    });
    if (projects.types.length) {
      chart("chart-investment", {
        tooltip: { trigger: "axis", formatter: amounts },
        legend: { top: 0 },
        grid: { containLabel: true, left: 8, right: 16, top: 48, bottom: 8 },
        xAxis: { type: "category", data: projects.types, axisLabel: { interval: 0 } },
        yAxis: valueAxis(),
        series: bars(projects.series)
      });
    }
  }

  var arrivals = data.arrivals;
  if (arrivals) {
    chart("chart-arrivals", {
      tooltip: { trigger: "axis", formatter: amounts },
      legend: { top: 0 },
      grid: { containLabel: true, left: 8, right: 16, top: 48, bottom: 8 },
      xAxis: { type: "category", data: arrivals.months },
      yAxis: valueAxis(),
      series: [
        { name: arrivals.series[0].name, type: "bar", data: arrivals.series[0].data, cursor: "pointer" },
        { name: arrivals.series[1].name, type: "line", data: arrivals.series[1].data, cursor: "pointer" }
      ]
    });
  }

  var collective = data.collective;
  if (collective && collective.villages.length) {
    chart("chart-collective", {
      tooltip: { trigger: "axis", formatter: amounts },
      legend: { top: 0 },
      grid: { containLabel: true, left: 8, right: 16, top: 48, bottom: 8 },
      xAxis: { type: "category", data: collective.villages, axisLabel: { interval: 0, rotate: collective.villages.length > 8 ? 40 : 0 } },
      yAxis: valueAxis(),
      series: bars(collective.series, { stack: "income" })
    });
  }
})();
