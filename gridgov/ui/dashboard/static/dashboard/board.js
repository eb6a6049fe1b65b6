/* GridGov dashboard: ECharts charts and a Leaflet case map with server-side grid clustering.
   Configuration comes from data attributes of #board; no globals besides the libraries. The page loads only
   the ECharts bundle (frontend-build/, see gridgov/ui/dashboard/frontend/charts.js); Leaflet is fetched when
   the map is about to scroll into view. Without a built bundle the page works without charts or map. */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  var d = root.dataset;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return null; }
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  function charts(data) {
    var t = data.trend;
    chart("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { data: [d.labelReported, d.labelRegistered, d.labelClosed, d.labelCompletion] },
      xAxis: { type: "category", data: t.months },
      yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: d.labelReported, type: "bar", data: t.reported },
        { name: d.labelRegistered, type: "bar", data: t.registered },
        { name: d.labelClosed, type: "bar", data: t.closed },
        { name: d.labelCompletion, type: "line", yAxisIndex: 1, data: t.completion, connectNulls: false }
      ]
    });
    var a = data.areas;
    chart("chart-areas", {
      tooltip: { trigger: "axis" },
      legend: { data: [d.labelRegistered, d.labelCompletion] },
      xAxis: { type: "category", data: a.names, axisLabel: { interval: 0, rotate: a.names.length > 8 ? 40 : 0 } },
      yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: d.labelRegistered, type: "bar", data: a.registered },
        { name: d.labelCompletion, type: "line", yAxisIndex: 1, data: a.completion }
      ]
    });
    var cats = data.categories.slice(0, 12).reverse();
    chart("chart-categories", {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      // horizontal bars, every bar labelled (ECharts would skip every other label when they crowd)
      yAxis: { type: "category", data: cats.map(function (x) { return x.name; }), axisLabel: { interval: 0 } },
      series: [{ name: d.labelRegistered, type: "bar", data: cats.map(function (x) { return x.value; }) }]
    });
    chart("chart-funnel", {
      tooltip: { trigger: "item", formatter: "{b}: {c}" },
      series: [{ type: "funnel", sort: "none", minSize: "20%", label: { formatter: "{b} {c}" }, data: data.funnel }]
    });
    chart("chart-channels", {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.channels }]
    });
  }

  function whenShown(el, then) {
    if (!("IntersectionObserver" in window)) { then(); return; }
    var watch = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); then(); }
    }, { rootMargin: "200px" });
    watch.observe(el);
  }

  function loadLeaflet(done) {
    if (!d.leafletJs || !d.leafletCss) { return; }  // not built: no map
    var pending = 3;
    function one() { pending -= 1; if (pending === 0) { done(); } }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = d.leafletCss;
    css.onload = one;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = d.leafletJs;
    js.onload = function () {
      one();
      var shared = document.createElement("script");  // map.js needs Leaflet
      shared.src = d.mapJs;
      shared.onload = one;
      document.head.appendChild(shared);
    };
    document.head.appendChild(js);
  }

  function map() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined" || !window.gridgovMap) { return; }
    window.gridgovMap(el, { map: d.map, areas: d.areas, caseUrl: d.caseUrl, tiles: d.tiles, attribution: d.attribution });
  }

  if (typeof echarts !== "undefined") {
    getJSON(d.charts).then(charts).catch(function () { /* charts stay empty */ });
  }
  var mapBox = document.getElementById("map");
  if (mapBox) { whenShown(mapBox, function () { loadLeaflet(map); }); }
})();
