/* Phone pages: GPS fix or map pin → htmx call for the village/grid; photo count; no double submit.
   Leaflet is loaded only when the map-pin step is opened. Works with the page's own htmx. */
(function () {
  "use strict";
  var MAX_PHOTOS = 9;

  function place(btn, lat, lng, accuracy) {
    var url = btn.getAttribute("data-locate-url") + "?town=" + encodeURIComponent(btn.getAttribute("data-town")) +
      "&latitude=" + lat.toFixed(6) + "&longitude=" + lng.toFixed(6) +
      (accuracy ? "&accuracy=" + Math.round(accuracy) : "");
    window.htmx.ajax("GET", url, { target: "#place", swap: "outerHTML" });
  }

  function status(text) {
    var el = document.getElementById("place-status");
    if (el) { el.textContent = text; }
  }

  function byGps(btn) {
    if (!navigator.geolocation) { status(btn.getAttribute("data-no-gps")); return; }
    status(btn.getAttribute("data-busy"));
    navigator.geolocation.getCurrentPosition(
      function (p) { place(btn, p.coords.latitude, p.coords.longitude, p.coords.accuracy); },
      function () { status(btn.getAttribute("data-failed")); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  // The visit form: the GPS fix only fills the form's point (the server checks it is in the worker's grid).
  function fillGps(btn) {
    if (!navigator.geolocation) { status(btn.getAttribute("data-no-gps")); return; }
    status(btn.getAttribute("data-busy"));
    navigator.geolocation.getCurrentPosition(
      function (p) {
        var form = btn.form;
        form.elements.latitude.value = p.coords.latitude.toFixed(6);
        form.elements.longitude.value = p.coords.longitude.toFixed(6);
        status(btn.getAttribute("data-done") + " " + form.elements.latitude.value + ", " + form.elements.longitude.value);
      },
      function () { status(btn.getAttribute("data-failed")); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  function loadLeaflet(btn, done) {
    if (window.L) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = btn.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = btn.getAttribute("data-leaflet-js");
    js.onload = done;
    document.head.appendChild(js);
  }

  var map = null, marker = null;
  // The pin's pictures as the page names them: Leaflet finds its default icon by the name marker-icon.png in its
  // stylesheet, which the static files' hashed names (marker-icon.<hash>.png) defeat, leaving a broken image.
  function pinIcon(L, btn) {
    return L.icon({
      iconUrl: btn.getAttribute("data-marker-icon"),
      iconRetinaUrl: btn.getAttribute("data-marker-icon-2x"),
      shadowUrl: btn.getAttribute("data-marker-shadow"),
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28], shadowSize: [41, 41]
    });
  }
  function byPin(btn) {
    var box = document.getElementById("map");
    if (!box) { return; }
    box.hidden = false;
    loadLeaflet(btn, function () {
      if (map) { map.invalidateSize(); return; }
      var L = window.L;
      map = L.map(box);
      var tiles = btn.getAttribute("data-tiles");
      if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
      map.setView([30.26, 122.1], 12);
      fetch(btn.getAttribute("data-geojson")).then(function (r) { return r.json(); }).then(function (data) {
        var layer = L.geoJSON(data, { style: { weight: 1, fillOpacity: 0.08 } }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds); }
      });
      map.on("click", function (e) {
        if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng, { icon: pinIcon(L, btn) }).addTo(map); }
        var current = document.querySelector("[data-pin]") || btn;
        place(current, e.latlng.lat, e.latlng.lng);
      });
    });
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target) { return; }
    var fill = target.closest("[data-gps-fill]");
    if (fill) { ev.preventDefault(); fillGps(fill); return; }
    var gps = target.closest("[data-gps]");
    if (gps) { ev.preventDefault(); byGps(gps); return; }
    var pin = target.closest("[data-pin]");
    if (pin) { ev.preventDefault(); byPin(pin); }
  });

  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!(input instanceof HTMLInputElement)) { return; }
    if (input.type === "file" && input.multiple) {
      var count = input.files ? input.files.length : 0;
      var hint = input.parentElement && input.parentElement.querySelector("[data-photo-count]");
      var tooMany = (hint && hint.getAttribute("data-too-many")) || "max " + MAX_PHOTOS;
      input.setCustomValidity(count > MAX_PHOTOS ? tooMany : "");
      if (hint) { hint.textContent = count ? (hint.getAttribute("data-chosen") || "%s").replace("%s", count) : ""; }
      if (count > MAX_PHOTOS) { input.reportValidity(); }
    }
    var toggle = input.getAttribute("data-toggle");
    if (toggle) {
      var section = document.querySelector(toggle);
      if (section) { if (input.checked) { section.removeAttribute("data-hidden"); } else { section.setAttribute("data-hidden", ""); } }
    }
  });

  // One press of a submit button sends the form once; the server's one-time token covers the rest.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent")) { ev.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var button = ev.submitter;
    if (button && button.name) {  // keep the pressed button's value once it is disabled
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
      form.appendChild(hidden);
    }
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        if (b === button && b.getAttribute("data-busy")) { b.textContent = b.getAttribute("data-busy"); }
      });
    }, 0);
  });
})();
// A select marked data-autosubmit sends its form when changed (no inline handler: Content-Security-Policy).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) { el.form.requestSubmit(); }
});
