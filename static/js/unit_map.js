// The unit page's map: the boundary from the GeoJSON endpoint on a tile layer
// (or a blank background when MAP_TILE_URL is empty, for closed networks).
(function () {
  "use strict";

  function draw(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 18,
        attribution: element.dataset.attribution || "",
      }).addTo(map);
    }
    var lat = parseFloat(element.dataset.lat);
    var lon = parseFloat(element.dataset.lon);
    var hasCentre = !isNaN(lat) && !isNaN(lon);
    if (hasCentre) {
      map.setView([lat, lon], 12);
    } else {
      map.setView([16.0, 108.0], 9);
    }

    fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (feature) {
        if (feature.geometry) {
          var layer = L.geoJSON(feature, {
            style: {
              color: "#1b6b3a",
              weight: 2,
              fillOpacity: 0.12,
              // Approximate demo cells are dashed so they never pass for official lines.
              dashArray: feature.properties.approximate ? "6 4" : null,
            },
          }).addTo(map);
          map.fitBounds(layer.getBounds(), { padding: [12, 12] });
        }
        if (hasCentre) {
          L.circleMarker([lat, lon], { radius: 5, color: "#1b6b3a" })
            .bindTooltip(feature.properties.name)
            .addTo(map);
        }
      })
      .catch(function () {
        element.classList.add("map-failed");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("unit-map");
    if (element && window.L) draw(element);
  });
})();
