/* Carrier maps: the search result map (clustered, same query string as the list) and
   single-point location maps. No inline script: everything is read from data-* attributes. */
(function () {
  "use strict";

  // Leaflet finds its marker images from its stylesheet's URL, which fails once the static
  // files carry content hashes (marker-icon.<hash>.png): point it at the images folder,
  // next to this script's own static folder (/static/js/… → /static/vendor/leaflet/images/).
  var script = document.currentScript;
  if (script && window.L) {
    L.Icon.Default.imagePath = script.src.replace(/js\/[^/]*$/, "vendor/leaflet/images/");
  }

  function tiles(settings) {
    return L.tileLayer(settings.tileUrl, { attribution: settings.attribution, maxZoom: 18 });
  }

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function resultMap(element) {
    if (element.dataset.ready === "1") { return; }
    element.dataset.ready = "1";
    var settings = JSON.parse(element.dataset.settings);
    var map = L.map(element, { scrollWheelZoom: false }).setView([34.26, 117.18], 9);
    tiles(settings).addTo(map);
    var cluster = L.markerClusterGroup({ chunkedLoading: true });
    map.addLayer(cluster);
    var bbox = (element.dataset.bbox || "").split(",").map(Number);
    if (bbox.length === 4 && bbox.every(isFinite)) {
      map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]]);
    }
    searchAreaControl(map, element.dataset.textArea).addTo(map);
    fetch(element.dataset.pointsUrl, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var markers = data.points.map(function (point) {
          // Floor areas come without their unit to keep the payload small: add ㎡ back.
          var label = /\d$/.test(point[3]) ? point[3] + "㎡" : point[3];
          var marker = L.marker([point[1], point[2]], { title: label });
          // data-carrier-url is carrier 0's page in the page's language (/carriers/0/ or /en/…).
          var href = element.dataset.carrierUrl.replace(/\/0\/$/, "/" + point[0] + "/");
          marker.bindPopup('<a href="' + href + '">' + escapeText(label) + "</a>");
          return marker;
        });
        cluster.addLayers(markers);
        if (markers.length && !element.dataset.bbox) { map.fitBounds(cluster.getBounds(), { maxZoom: 14, padding: [20, 20] }); }
        if (data.truncated) {
          var note = document.createElement("p");
          note.className = "muted";
          note.textContent = element.dataset.textTruncated.replace("{limit}", data.limit);
          element.insertAdjacentElement("afterend", note);
        }
      });
  }

  /* "搜索此区域": limit the list, the facet counts and the map to what is on screen. */
  function searchAreaControl(map, label) {
    var Control = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var button = L.DomUtil.create("button", "lst-map-area");
        button.type = "button";
        button.textContent = label;
        L.DomEvent.disableClickPropagation(button);
        L.DomEvent.on(button, "click", function () {
          var bounds = map.getBounds();
          var input = document.getElementById("id_bbox");
          var form = document.getElementById("carrier-filters");
          if (!input || !form) { return; }
          input.value = [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()]
            .map(function (value) { return value.toFixed(4); }).join(",");
          if (window.htmx) { htmx.trigger(form, "submit"); } else { form.submit(); }
        });
        return button;
      }
    });
    return new Control();
  }

  function pointMap(element) {
    if (element.dataset.ready === "1") { return; }
    element.dataset.ready = "1";
    var point = JSON.parse(element.dataset.point || "null");
    if (!point) { element.hidden = true; return; }
    var settings = JSON.parse(element.dataset.settings);
    var map = L.map(element, { scrollWheelZoom: false }).setView(point, 14);
    tiles(settings).addTo(map);
    L.marker(point, { title: element.dataset.label || "" }).addTo(map);
  }

  function start() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("#carrier-map").forEach(resultMap);
    document.querySelectorAll("[data-point]").forEach(pointMap);
  }

  // Clearing the area limit must also empty the hidden field the next form change would send.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-clear-bbox]")) {
      var input = document.getElementById("id_bbox");
      if (input) { input.value = ""; }
    }
  });
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", start);
})();
