// Labels written by the atlas (layers/labels.py). Each layer's labels show from its zoom, while
// the layer itself is on the map; a label that would cover one placed before it (layers of
// higher priority come first) is hidden. Placed again after every zoom and pan.
function sipPlaceLabels(map, groups) {
  var pane = map.getPane("sipLabels") || map.createPane("sipLabels");
  pane.style.zIndex = 640;
  pane.style.pointerEvents = "none";
  groups.forEach(function (g) {
    g.markers = g.items.map(function (item) {
      var icon = L.divIcon({className: "sip-label", iconSize: null,
                            html: '<span class="sip-label-text">' + item[2] + "</span>"});
      return L.marker([item[0], item[1]], {icon: icon, pane: "sipLabels", interactive: false,
                                           keyboard: false});
    });
    g.group = L.layerGroup(g.markers);
  });
  function overlaps(a, b) {
    return !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
  }
  function place() {
    var zoom = map.getZoom(), placed = [];
    groups.forEach(function (g) {
      var on = zoom >= g.minZoom && map.hasLayer(g.layer);
      if (!on) {
        if (map.hasLayer(g.group)) { map.removeLayer(g.group); }
        return;
      }
      if (!map.hasLayer(g.group)) { map.addLayer(g.group); }
      g.markers.forEach(function (marker) {
        var text = marker.getElement() && marker.getElement().firstChild;
        if (!text) { return; }
        text.style.visibility = "visible";
        var box = text.getBoundingClientRect();
        if (placed.some(function (other) { return overlaps(box, other); })) {
          text.style.visibility = "hidden";
        } else {
          placed.push(box);
        }
      });
    });
  }
  map.on("zoomend moveend", place);
  place();
}
