// Feedback: pick a point on the report form (and offer nearby open reports
// of the same category), or show every report on the public list's map.
(function () {
  "use strict";

  var DISTRICT = [15.86, 108.08];

  function picker(element) {
    var map = L.map(element).setView(DISTRICT, 12);
    var lat = document.getElementById(element.dataset.latField);
    var lon = document.getElementById(element.dataset.lonField);
    var category = document.getElementById("id_category");
    var nearby = document.getElementById("feedback-nearby");
    var marker = null;

    function offer() {
      if (!lat.value || !category.value) return;
      var url = element.dataset.nearbyUrl + "?category=" + category.value +
        "&lat=" + lat.value + "&lon=" + lon.value;
      fetch(url).then(function (r) { return r.text(); }).then(function (html) {
        nearby.innerHTML = html;
      });
    }

    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(event.latlng);
      else marker = L.marker(event.latlng).addTo(map);
      offer();
    });
    category.addEventListener("change", offer);
  }

  function overview(element) {
    var map = L.map(element).setView(DISTRICT, 11);
    fetch(element.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 6,
            color: feature.properties.overdue ? "#b00020" : "#1b6b3a",
          });
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.code + " · " + p.category + " · " + p.status;
          layer.bindPopup(link);
        },
      }).addTo(map);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pick = document.getElementById("feedback-pick-map");
    if (pick) picker(pick);
    var all = document.getElementById("feedback-map");
    if (all) overview(all);
  });
})();
