/* GridGov case map (Leaflet), shared by the dashboard (board.js) and the wall mode (wall.js).
   Village and grid boundaries with their names written on the map (grid names once zoomed in), case counts
   drawn inside their own circles (one marker per cluster: the number never overlaps another circle's box),
   tiles only when a tile URL is configured (none needed). window.gridgovMap(el, config) → { reload }. */
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function top(layer) {
    // names sit along the top inside their outline, away from the case circles in the middle
    var b = layer.getBounds();
    return L.latLng(b.getNorth(), b.getCenter().lng);
  }

  window.gridgovMap = function (el, cfg) {
    var m = L.map(el, { zoomSnap: 0.5, keyboard: true });
    if (cfg.tiles) {
      L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(m);
    }
    var labels = L.layerGroup().addTo(m);
    var markers = L.layerGroup().addTo(m);
    m.setView([30.26, 122.1], 12);

    function zoomClass() {
      el.classList.toggle("zoom-low", m.getZoom() < (cfg.gridLabelZoom || 14));
    }

    function cluster(c) {
      var size = Math.round(26 + Math.min(40, Math.sqrt(c.count) * 5));
      var icon = L.divIcon({
        className: "map-cluster " + (c.open > 0 ? "open" : "done") + (c.case ? " single" : ""),
        html: "<span>" + (c.case ? "1" : String(c.count)) + "</span>",
        iconSize: [size, size]
      });
      var marker = L.marker([c.lat, c.lng], { icon: icon, keyboard: false, title: c.number || String(c.count) });
      if (c.case && cfg.caseUrl) {
        var link = document.createElement("a");
        link.href = cfg.caseUrl.replace(/0\/$/, c.case + "/");
        link.textContent = c.number;
        marker.bindPopup(link);
      } else if (!c.case) {
        marker.on("click", function () { m.setView([c.lat, c.lng], Math.min(m.getZoom() + 2, 19)); });
      }
      return marker;
    }

    function load() {
      var b = m.getBounds();
      var url = cfg.map + "&zoom=" + Math.round(m.getZoom()) + "&south=" + b.getSouth() + "&west=" + b.getWest() +
        "&north=" + b.getNorth() + "&east=" + b.getEast();
      return getJSON(url).then(function (data) {
        markers.clearLayers();
        data.clusters.forEach(function (c) { markers.addLayer(cluster(c)); });
      }).catch(function () { /* the map stays as it is */ });
    }

    getJSON(cfg.areas).then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function (f) {
          return f.properties.level === "village"
            ? { color: cfg.villageColor || "#b91c1c", weight: 2.5, fill: false }
            : { color: cfg.gridColor || "#6b7280", weight: 1, fillOpacity: 0.04 };
        },
        onEachFeature: function (f, l) {
          var village = f.properties.level === "village";
          labels.addLayer(L.tooltip({
            permanent: true, direction: "bottom", offset: [0, village ? 2 : 16], interactive: false,
            className: "area-label " + (village ? "village" : "grid")
          }).setLatLng(top(l)).setContent(f.properties.name));
        }
      }).addTo(m);
      if (layer.getLayers().length) { m.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
    }).catch(function () { /* no boundaries */ }).then(function () {
      zoomClass();
      m.on("zoomend", zoomClass);
      m.on("moveend", load);
      load();
    });
    return { reload: load, map: m };
  };
})();
