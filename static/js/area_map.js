// Growing-area maps: show a boundary (area page, public scan page), or draw
// one (declaration form) with Leaflet.draw from django-leaflet's static
// files. The drawn polygons go into the form's hidden field as GeoJSON.
(function () {
  "use strict";

  var STYLE = { color: "#1b6b3a", weight: 2, fillOpacity: 0.2 };
  var DISTRICT = [15.86, 108.08];

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        maxZoom: 19,
        attribution: "© OpenStreetMap",
      }).addTo(map);
    }
    return map;
  }

  function boundaryLayer(element) {
    if (!element.dataset.boundary) return null;
    try {
      return L.geoJSON(JSON.parse(element.dataset.boundary), { style: STYLE });
    } catch (error) {
      return null;
    }
  }

  function show(element) {
    var map = baseMap(element);
    var layer = boundaryLayer(element);
    if (layer) {
      layer.addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 17 });
    } else {
      map.setView(DISTRICT, 11);
    }
  }

  function draw(element) {
    var map = baseMap(element);
    var target = document.getElementById(element.dataset.target);
    var status = document.getElementById("area-draw-status");
    var drawn = new L.FeatureGroup().addTo(map);
    var existing = boundaryLayer(element);
    if (existing) {
      existing.eachLayer(function (layer) { drawn.addLayer(layer); });
      map.fitBounds(drawn.getBounds(), { padding: [16, 16], maxZoom: 17 });
    } else {
      map.setView(DISTRICT, 12);
    }
    if (!L.Control.Draw) return;
    map.addControl(
      new L.Control.Draw({
        draw: {
          polygon: { allowIntersection: false, shapeOptions: STYLE },
          rectangle: { shapeOptions: STYLE },
          polyline: false,
          circle: false,
          circlemarker: false,
          marker: false,
        },
        edit: { featureGroup: drawn },
      })
    );

    function save() {
      var shapes = drawn.toGeoJSON();
      target.value = shapes.features.length ? JSON.stringify(shapes) : "";
      if (status) {
        status.textContent = shapes.features.length
          ? element.dataset.drawnText || "✓"
          : "";
      }
    }

    map.on(L.Draw.Event.CREATED, function (event) {
      drawn.addLayer(event.layer);
      save();
    });
    map.on(L.Draw.Event.EDITED, save);
    map.on(L.Draw.Event.DELETED, save);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) return;
    ["area-map", "scan-map"].forEach(function (id) {
      var element = document.getElementById(id);
      if (element) show(element);
    });
    var drawing = document.getElementById("area-draw");
    if (drawing) draw(drawing);
  });
})();
