/* The 驾驶舱 wall mode: dark charts and the case map, redrawn on a timer (figures and lists refresh by htmx
   polling in the page itself). Runs unattended: no mouse needed; F or the 全屏 button goes full screen; the
   cursor hides when idle. Configuration from #wall's data attributes. */
(function () {
  "use strict";
  var root = document.getElementById("wall");
  if (!root) { return; }
  var d = root.dataset;
  var refresh = Math.max(15, parseInt(d.refresh, 10) || 60) * 1000;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  var text = { color: "#e6edf7", fontSize: 18 };
  var axis = { axisLabel: { color: "#cbd5e1", fontSize: 16 }, axisLine: { lineStyle: { color: "#334e70" } },
    splitLine: { lineStyle: { color: "#1f3552" } } };
  function merge(a, b) { var o = {}, k; for (k in a) { o[k] = a[k]; } for (k in b) { o[k] = b[k]; } return o; }

  var charts = {};
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return; }
    if (!charts[id]) {
      charts[id] = echarts.init(el, null, { renderer: "canvas" });
      window.addEventListener("resize", function () { charts[id].resize(); });
    }
    option.backgroundColor = "transparent";
    option.textStyle = text;
    charts[id].setOption(option, true);
  }

  function drawCharts(data) {
    var t = data.trend;
    draw("wall-trend", {
      legend: { data: [d.labelReported, d.labelClosed, d.labelCompletion], textStyle: text, top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: merge(axis, { type: "category", data: t.months }),
      yAxis: [merge(axis, { type: "value" }), merge(axis, { type: "value", max: 100, axisLabel: { color: "#cbd5e1", fontSize: 16, formatter: "{value}%" } })],
      series: [
        { name: d.labelReported, type: "bar", data: t.reported, itemStyle: { color: "#38bdf8" } },
        { name: d.labelClosed, type: "bar", data: t.closed, itemStyle: { color: "#4ade80" } },
        { name: d.labelCompletion, type: "line", yAxisIndex: 1, data: t.completion, lineStyle: { width: 3 }, itemStyle: { color: "#fbbf24" } }
      ]
    });
    var cats = data.categories.slice(0, 8).reverse();
    draw("wall-categories", {
      grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
      xAxis: merge(axis, { type: "value", axisLabel: { show: false } }),
      yAxis: merge(axis, { type: "category", data: cats.map(function (x) { return x.name; }),
        axisLabel: { color: "#e6edf7", fontSize: 18, interval: 0 } }),
      series: [{ type: "bar", barMaxWidth: 34, data: cats.map(function (x) { return x.value; }), itemStyle: { color: "#818cf8" },
        label: { show: true, position: "right", color: "#e6edf7", fontSize: 18 } }]
    });
  }

  function loadCharts() { getJSON(d.charts).then(drawCharts).catch(function () { /* keep the last ones */ }); }

  function loadScript(src, done) {
    var js = document.createElement("script");
    js.src = src;
    js.onload = done;
    document.head.appendChild(js);
  }

  var map = null;
  function startMap() {
    var el = document.getElementById("wall-map");
    if (!el || !d.leafletJs || !d.leafletCss) { return; }
    var pending = 2;
    function ready() {
      pending -= 1;
      if (pending > 0) { return; }
      map = window.gridgovMap(el, { map: d.map, areas: d.areas, tiles: d.tiles, attribution: d.attribution,
        villageColor: "#f59e0b", gridColor: "#5b7fae", gridLabelZoom: 13.5 });
    }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = d.leafletCss;
    css.onload = ready;
    document.head.insertBefore(css, document.head.firstChild);  // before wall.css, which overrides it
    loadScript(d.leafletJs, function () { loadScript(d.mapJs, ready); });
  }

  function clock() {
    var el = document.getElementById("clock");
    if (!el) { return; }
    // The town's time in the page's language (2026年11月25日 09:00), whatever the wall computer's own zone.
    var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      timeZone: el.getAttribute("data-time-zone") || undefined,
      year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
    el.textContent = format.format(new Date());
  }

  function fullscreen() {
    if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* not allowed */ });
    } else if (document.exitFullscreen) { document.exitFullscreen(); }
  }
  var button = document.getElementById("fullscreen");
  if (button) { button.addEventListener("click", fullscreen); }
  document.addEventListener("keydown", function (e) { if (e.key === "f" || e.key === "F") { fullscreen(); } });

  var idle;
  function awake() {
    document.body.classList.remove("idle");
    clearTimeout(idle);
    idle = setTimeout(function () { document.body.classList.add("idle"); }, 3000);
  }
  document.addEventListener("mousemove", awake);
  awake();

  clock();
  setInterval(clock, 10000);
  loadCharts();
  startMap();
  setInterval(function () { loadCharts(); if (map) { map.reload(); } }, refresh);
})();
