// The tourism public pages: the map of sites (or of a route's stops, joined
// in order) and the 360° panoramas in Pannellum (vendored, no CDN).
(function () {
  "use strict";

  function drawMap() {
    var box = document.getElementById("tourism-map");
    var data = document.getElementById("tourism-features");
    if (!box || !data || !window.L) return;
    var features = JSON.parse(data.textContent);
    var map = L.map(box, { scrollWheelZoom: false });
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, {
        maxZoom: 18,
        attribution: box.dataset.attribution || "",
      }).addTo(map);
    }
    var layer = L.geoJSON(features, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 8, weight: 2, fillOpacity: 0.8 });
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        if (!p.name) return;
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.name;
        var popup = document.createElement("div");
        popup.appendChild(link);
        if (p.kind_label) {
          popup.appendChild(document.createElement("br"));
          popup.appendChild(document.createTextNode(p.kind_label));
        }
        marker.bindPopup(popup);
      },
    }).addTo(map);
    if (box.dataset.line && features.features.length > 1) {
      L.polyline(
        features.features.map(function (f) {
          return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        }),
        { weight: 3, dashArray: "6 6" }
      ).addTo(map);
    }
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    } else {
      map.setView([15.85, 108.05], 11);
    }
  }

  function showPanoramas() {
    if (!window.pannellum) return;
    document.querySelectorAll("[data-panorama]").forEach(function (box) {
      window.pannellum.viewer(box.id, {
        type: "equirectangular",
        panorama: box.dataset.panorama,
        autoLoad: true,
        showFullscreenCtrl: true,
        title: box.dataset.title || undefined,
      });
    });
  }

  window.addEventListener("DOMContentLoaded", function () {
    drawMap();
    showPanoramas();
  });
})();
