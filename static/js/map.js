// The map page: units coloured by the engine, households clustered on the
// server (one request per view: bbox and zoom), thematic layers, search.
// With no tile server (MAP_TILE_URL empty) or when the visitor asks, the
// communes' own outlines are the base, so the map works on a closed network.
(function () {
  "use strict";

  var STATUS_COLOURS = {
    met: "#1b7a3e",
    not_met: "#b3261e",
    no_data: "#8a8a8a",
    class0: "#e3eef9",
    class1: "#9ecae1",
    class2: "#4292c6",
    class3: "#08519c",
    // Residents' reports (the "phan-anh" layer), and the ring of an overdue one.
    received: "#1f78b4",
    assigned: "#6a3d9a",
    in_progress: "#ff7f00",
    resolved: "#33a02c",
    closed: "#666666",
    reopened: "#e7298a",
    overdue: "#b3261e",
  };
  var LAYER_COLOURS = {
    wifi: "#6a3d9a",
    "nha-van-hoa": "#b15928",
    "co-quan": "#1f78b4",
    "hop-tac-xa": "#33a02c",
    ocop: "#e31a1c",
    "vung-trong": "#ff7f00",
  };

  function el(tag, content, className) {
    var node = document.createElement(tag);
    if (content) node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }
    );
  }

  function popupFor(box, properties, labels) {
    var node = el("div", "", "map-popup");
    node.appendChild(el("strong", properties.name || properties.kind || properties.code || ""));
    if (properties.name && properties.kind) node.appendChild(el("div", properties.kind));
    if (properties.category) node.appendChild(el("div", properties.category));
    if (properties.status_text) node.appendChild(el("div", properties.status_text, "status-word"));
    if (properties.overdue) node.appendChild(el("div", labels.overdue, "status-word status-notmet"));
    if (properties.received) node.appendChild(el("div", labels.received + ": " + properties.received));
    if (properties.demo) node.appendChild(el("div", labels.demo, "help"));
    if (properties.parent) node.appendChild(el("div", properties.parent));
    if (properties.village) node.appendChild(el("div", properties.village));
    if (properties.unit) node.appendChild(el("div", properties.unit));
    if (properties.crop) node.appendChild(el("div", properties.crop + " · " + properties.status));
    if (properties.address_code) {
      node.appendChild(el("div", labels.address + ": " + properties.address_code));
    }
    if (properties.approximate) node.appendChild(el("div", labels.approximate, "help"));
    if (properties.url) {
      var link = el("a", labels.open);
      link.href = properties.url;
      node.appendChild(link);
    }
    return node;
  }

  function draw(box) {
    var labels = {
      households: box.dataset.labelHouseholds,
      open: box.dataset.labelOpen,
      address: box.dataset.labelAddress,
      approximate: box.dataset.labelApproximate,
      received: box.dataset.labelReceived,
      overdue: box.dataset.labelOverdue,
      demo: box.dataset.labelDemo,
    };
    var controls = document.getElementById("map-controls");
    var legend = document.getElementById("map-legend");
    var noTiles = document.getElementById("map-no-tiles");
    var map = L.map(box, { zoomControl: true, preferCanvas: true });
    // "#18/15.85/108.05" (from an address page) opens the map there.
    var hash = /^#(\d+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(window.location.hash);
    map.setView(hash ? [Number(hash[2]), Number(hash[3])] : [15.85, 108.05], hash ? Number(hash[1]) : 11);

    var tiles = null;
    var base = null;
    function setBase() {
      var offline = noTiles.checked || !box.dataset.tileUrl;
      if (!offline && !tiles) {
        tiles = L.tileLayer(box.dataset.tileUrl, {
          maxZoom: 19,
          attribution: box.dataset.attribution || "",
        });
      }
      if (tiles) {
        if (offline) map.removeLayer(tiles);
        else tiles.addTo(map);
      }
      box.classList.toggle("map-offline", offline);
      if (offline && !base) {
        getJSON(box.dataset.baseUrl).then(function (collection) {
          base = L.geoJSON(collection, {
            interactive: false,
            style: { color: "#555", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1 },
          });
          if (noTiles.checked || !box.dataset.tileUrl) {
            base.addTo(map);
            base.bringToBack();
          }
        });
      } else if (base) {
        if (offline) base.addTo(map).bringToBack();
        else map.removeLayer(base);
      }
    }
    noTiles.addEventListener("change", setBase);
    setBase();

    // -- units coloured by a criteria set or an indicator --------------------
    var units = null;
    var fitted = false;
    // A legend item is a filled swatch, or a ring ("outline") for a mark
    // drawn around the points whatever their colour.
    function fillLegend(list, items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = el("li");
        var swatch = el("span", "", "swatch swatch-" + item.status);
        var colour = STATUS_COLOURS[item.status] || STATUS_COLOURS.no_data;
        if (item.outline) swatch.style.border = "3px solid " + colour;
        else swatch.style.background = colour;
        li.appendChild(swatch);
        li.appendChild(document.createTextNode(" " + item.text));
        list.appendChild(li);
      });
      return list;
    }
    function showLegend(items) {
      fillLegend(legend, items);
    }
    function loadUnits() {
      var cap = controls.elements.cap.value;
      controls.querySelectorAll("[data-colouring]").forEach(function (row) {
        row.hidden = row.dataset.colouring !== cap;
      });
      if (units) map.removeLayer(units);
      units = null;
      if (!cap) {
        showLegend([]);
        return;
      }
      var by = (controls.elements["theo-" + cap] || {}).value || "";
      var params = new URLSearchParams({ cap: cap, nam: controls.elements.nam.value });
      if (by) params.set(by.split(":")[0], by.split(":").slice(1).join(":"));
      box.dataset.unitsLoaded = "";
      getJSON(box.dataset.unitsUrl + "?" + params.toString())
        .then(function (collection) {
          var drawn = collection.features.filter(function (f) {
            return f.geometry;
          });
          units = L.geoJSON(
            { type: "FeatureCollection", features: drawn },
            {
              style: function (feature) {
                return {
                  color: "#ffffff",
                  weight: 1.5,
                  fillColor: STATUS_COLOURS[feature.properties.status] || STATUS_COLOURS.no_data,
                  fillOpacity: 0.55,
                  dashArray: feature.properties.approximate ? "6 4" : null,
                };
              },
              pointToLayer: function (feature, latlng) {
                return L.circleMarker(latlng, { radius: 9 });
              },
              onEachFeature: function (feature, shape) {
                shape.bindPopup(popupFor(box, feature.properties, labels));
              },
            }
          ).addTo(map);
          units.bringToBack();
          if (base && map.hasLayer(base)) base.bringToBack();
          if (!fitted && !hash && drawn.length) {
            map.fitBounds(units.getBounds(), { padding: [8, 8] });
            fitted = true;
          }
          showLegend(collection.legend || []);
          box.dataset.unitsLoaded = String(drawn.length);
        })
        .catch(function () {
          box.classList.add("map-failed");
        });
    }
    controls.addEventListener("change", function (event) {
      if (event.target.name === "lop" || event.target === noTiles) return;
      loadUnits();
    });
    loadUnits();

    // -- households: clusters (or a keeper's points) for the current view ----
    var households = L.layerGroup().addTo(map);
    var pending = 0;
    function householdsOn() {
      var box_ = controls.querySelector('input[name=lop][value="ho-gia-dinh"]');
      return box_ && box_.checked;
    }
    function clusterIcon(properties) {
      var size = properties.count < 50 ? "s" : properties.count < 500 ? "m" : "l";
      return L.divIcon({
        className: "cluster cluster-" + size + (properties.register ? " cluster-register" : ""),
        html: "<span>" + properties.count + "</span>",
        iconSize: size === "s" ? [30, 30] : size === "m" ? [38, 38] : [46, 46],
      });
    }
    function loadHouseholds() {
      if (!householdsOn()) {
        households.clearLayers();
        return;
      }
      var ticket = ++pending;
      var params = new URLSearchParams({
        bbox: map.getBounds().toBBoxString(),
        z: String(map.getZoom()),
      });
      getJSON(box.dataset.householdsUrl + "?" + params.toString()).then(function (collection) {
        if (ticket !== pending) return;
        households.clearLayers();
        collection.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var p = feature.properties;
          var marker;
          if (p.kind === "household") {
            marker = L.circleMarker([c[1], c[0]], {
              radius: 5,
              color: "#fff",
              weight: 1,
              fillColor: "#d95f02",
              fillOpacity: 0.9,
            });
            marker.bindPopup(popupFor(box, { name: p.code, address_code: p.address_code, url: p.url }, labels));
          } else {
            marker = L.marker([c[1], c[0]], { icon: clusterIcon(p), keyboard: false });
            marker.bindTooltip((p.label ? p.label + ": " : "") + p.count + " " + labels.households);
            marker.on("click", function () {
              map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, 18));
            });
          }
          households.addLayer(marker);
        });
        box.dataset.householdFeatures = String(collection.features.length);
      });
    }
    map.on("moveend", loadHouseholds);

    // -- thematic layers, loaded once when first ticked ----------------------
    // A layer whose collection has a legend colours its points by status
    // and shows that legend under its checkbox while it is ticked.
    var thematic = {};
    var legends = {};
    controls.querySelectorAll("input[name=lop][data-url]").forEach(function (input) {
      input.addEventListener("change", function () {
        var key = input.value;
        // (Not the hidden attribute: the legend class sets display and would win.)
        if (legends[key]) legends[key].style.display = input.checked ? "" : "none";
        if (!input.checked) {
          if (thematic[key]) map.removeLayer(thematic[key]);
          return;
        }
        if (thematic[key]) {
          thematic[key].addTo(map);
          return;
        }
        getJSON(input.dataset.url).then(function (collection) {
          var colour = LAYER_COLOURS[key] || "#333";
          var byStatus = Boolean(collection.legend && collection.legend.length);
          thematic[key] = L.geoJSON(collection, {
            // Areas only: GeoJSON applies ``style`` over pointToLayer's options
            // too, which would wash out the points' fill and hide their ring.
            style: function (feature) {
              if (feature.geometry.type === "Point") return {};
              return { color: colour, weight: 2, fillOpacity: 0.25 };
            },
            pointToLayer: function (feature, latlng) {
              var p = feature.properties;
              return L.circleMarker(latlng, {
                radius: 6,
                color: p.overdue ? STATUS_COLOURS.overdue : "#fff",
                weight: p.overdue ? 3 : 1,
                fillColor: (byStatus && STATUS_COLOURS[p.status]) || colour,
                fillOpacity: 0.95,
              });
            },
            onEachFeature: function (feature, shape) {
              shape.bindPopup(popupFor(box, feature.properties, labels));
            },
          }).addTo(map);
          if (byStatus) {
            legends[key] = fillLegend(el("ul", "", "legend map-legend"), collection.legend);
            legends[key].style.display = input.checked ? "" : "none";
            input.closest("label").after(legends[key]);
          }
          input.dataset.loaded = String(collection.features.length);
        });
      });
    });
    controls
      .querySelector('input[name=lop][value="ho-gia-dinh"]')
      .addEventListener("change", loadHouseholds);

    // -- search ---------------------------------------------------------------
    var search = document.getElementById("map-search");
    var results = document.getElementById("map-results");
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = search.elements.q.value.trim();
      results.textContent = "";
      if (!q) return;
      getJSON(search.dataset.url + "?" + new URLSearchParams({ q: q }).toString()).then(function (data) {
        if (!data.results.length) {
          results.appendChild(el("li", results.dataset.empty));
          return;
        }
        data.results.forEach(function (result) {
          var li = el("li");
          var button = el("button", result.name, "link-button");
          button.type = "button";
          button.addEventListener("click", function () {
            if (result.lat !== null) map.setView([result.lat, result.lon], 16);
          });
          li.appendChild(button);
          li.appendChild(el("span", " " + result.detail, "help"));
          if (result.url) {
            var link = el("a", " ›");
            link.href = result.url;
            link.setAttribute("aria-label", labels.open);
            li.appendChild(link);
          }
          results.appendChild(li);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("map");
    if (box && window.L) draw(box);
  });
})();
