// The plan map: communes coloured by the engine's status (from the GeoJSON
// view), each with a popup naming the status in words and linking to the
// commune's scorecard. A blank background when MAP_TILE_URL is empty.
(function () {
  "use strict";

  var COLOURS = {
    met: "#1b7a3e",
    not_met: "#b3261e",
    no_data: "#8a8a8a",
    excluded: "#c9c9c9",
  };

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  function popup(element, properties) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("strong", properties.name));
    box.appendChild(
      text("div", properties.status_text, "status-word status-" + properties.status.replace("_", ""))
    );
    if (properties.value) {
      box.appendChild(text("div", element.dataset.labelValue + ": " + properties.value));
    }
    var link = document.createElement("a");
    if (properties.scorecard_url) {
      link.href = properties.scorecard_url;
      link.textContent = element.dataset.labelScorecard;
      box.appendChild(link);
    }
    return box;
  }

  function draw(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 18,
        attribution: element.dataset.attribution || "",
      }).addTo(map);
    }
    map.setView([15.85, 108.05], 10);

    fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (collection) {
        var drawn = collection.features.filter(function (feature) {
          return feature.geometry;
        });
        var layer = L.geoJSON(
          { type: "FeatureCollection", features: drawn },
          {
            style: function (feature) {
              var colour = COLOURS[feature.properties.status] || COLOURS.no_data;
              return {
                color: "#ffffff",
                weight: 1.5,
                fillColor: colour,
                fillOpacity: 0.6,
                // Approximate demo cells are dashed so they never pass for official lines.
                dashArray: feature.properties.approximate ? "6 4" : null,
              };
            },
            onEachFeature: function (feature, shape) {
              shape.bindPopup(popup(element, feature.properties));
              shape.bindTooltip(feature.properties.name + " — " + feature.properties.status_text);
            },
          }
        ).addTo(map);
        if (drawn.length) {
          map.fitBounds(layer.getBounds(), { padding: [12, 12] });
        }
        element.dataset.loaded = String(drawn.length);
      })
      .catch(function () {
        element.classList.add("map-failed");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("plan-map");
    if (element && window.L) draw(element);
  });
})();
