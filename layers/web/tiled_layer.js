// A large layer drawn from the server's vector tiles (layers/tiled.py builds `d`; the tiles come
// from ui/tile_routes.py), with protomaps-leaflet (5.1.0, pinned in package.json) drawing them.
// eslint-disable-next-line no-unused-vars
function sipTiledLayer(d) {
    // The app's base path: the map lives in a component page under <base>/component/...
    var path = window.location.pathname, cut = path.indexOf('/component/');
    var base = cut >= 0 ? path.slice(0, cut) : '';
    var url = base + '/sip-tiles/' + encodeURIComponent(d.layer) + '/{z}/{x}/{y}.mvt';

    // Features left out by the app's filters: a bit per row number, set when kept.
    var mask = null;
    if (d.mask !== null) {
        var raw = atob(d.mask);
        mask = new Uint8Array(raw.length);
        for (var i = 0; i < raw.length; i++) { mask[i] = raw.charCodeAt(i); }
    }
    function kept(props) {
        var n = props._n;
        if (n === undefined || n < 0) { return mask === null; }  // the overview: unfiltered only
        return mask === null || (mask[n >> 3] & (1 << (n & 7))) !== 0;
    }
    function colour(props) {
        return (d.colors && d.colors[props._c]) || d.style.fillColor;
    }

    // GCJ-02 basemaps: each tile is drawn shifted by the offset at its centre, interpolated on
    // a grid the server worked out (geo/gcj02.py); over one tile the offset changes by less
    // than a pixel, so tiles still meet.
    var g = d.gcj;
    function offset(lng, lat) {
        if (!g) { return [0, 0]; }
        var fx = Math.max(0, Math.min(g.nx - 1.001, (lng - g.x0) / g.step));
        var fy = Math.max(0, Math.min(g.ny - 1.001, (lat - g.y0) / g.step));
        var i = Math.floor(fx), j = Math.floor(fy), u = fx - i, v = fy - j;
        function at(a, ii, jj) { return a[jj * g.nx + ii]; }
        function lerp(a) {
            return (1 - v) * ((1 - u) * at(a, i, j) + u * at(a, i + 1, j)) +
                v * ((1 - u) * at(a, i, j + 1) + u * at(a, i + 1, j + 1));
        }
        return [lerp(g.dx), lerp(g.dy)];
    }
    function toWgs(latlng) {  // the inverse of the shift, two steps of fixed-point iteration
        var lng = latlng.lng, lat = latlng.lat;
        for (var k = 0; k < 2; k++) {
            var o = offset(lng, lat);
            lng = latlng.lng - o[0]; lat = latlng.lat - o[1];
        }
        return L.latLng(lat, lng);
    }

    var labelRules = [];
    if (d.label) {
        var text = new protomapsL.CenteredTextSymbolizer({
            labelProps: [d.label.field], fill: '#1a1a1a', stroke: '#ffffff', width: 3,
            font: '500 12px sans-serif'
        });
        // Labels at the middle of the feature's box, not at its first vertex.
        var middle = {
            place: function (layout, geom, feature) {
                var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
                geom[0].forEach(function (p) {
                    x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
                    x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
                });
                var c = geom[0][0].constructor;
                var placed = text.place(layout, [[new c((x0 + x1) / 2, (y0 + y1) / 2)]], feature);
                // a feature crossing tiles is in each of them: label it once
                (placed || []).forEach(function (label) {
                    label.deduplicationKey = String(feature.props._n);
                    label.deduplicationDistance = 1e6;
                });
                return placed;
            }
        };
        labelRules.push({dataLayer: 'features', minzoom: d.label.minZoom, symbolizer: middle,
                         filter: function (z, f) { return f.props._n >= 0 && kept(f.props); }});
    }
    var layer = protomapsL.leafletLayer({
        url: url, maxDataZoom: d.maxDataZoom, pane: d.pane, attribution: d.attribution,
        paintRules: [{
            dataLayer: 'features',
            filter: function (z, f) { return kept(f.props); },
            symbolizer: new protomapsL.PolygonSymbolizer({
                fill: function (z, f) { return colour(f.props); },
                opacity: d.style.fillOpacity,
                stroke: d.style.color,
                width: function (z, f) { return f.props._n < 0 ? 0 : d.style.weight; },
                perFeature: true
            })
        }],
        labelRules: labelRules
    });
    layer.sipTiled = d.layer;

    if (g) {
        layer._shift = function (coords) {
            var m = this._map, size = 256, z = coords.z;
            var centre = m.unproject([(coords.x + 0.5) * size, (coords.y + 0.5) * size], z);
            var o = offset(centre.lng, centre.lat);
            var moved = m.project([centre.lat + o[1], centre.lng + o[0]], z);
            return moved.subtract(m.project(centre, z));
        };
        layer._getTilePos = function (coords) {
            return L.GridLayer.prototype._getTilePos.call(this, coords).add(this._shift(coords));
        };
        layer._getTiledPixelBounds = function (center) {
            var bounds = L.GridLayer.prototype._getTiledPixelBounds.call(this, center);
            var z = this._tileZoom, c = this._map.project(center, z).divideBy(256).floor();
            var s = this._shift({x: c.x, y: c.y, z: z});
            return L.bounds(bounds.min.subtract(s), bounds.max.subtract(s));
        };
    }

    // Hover and click: the feature under the mouse, from the tiles already drawn.
    function escape(s) {
        return String(s).replace(/[&<>"']/g, function (ch) {
            return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[ch];
        });
    }
    layer.featureAt = function (latlng) {
        var at = toWgs(latlng), found = null;
        this.queryTileFeaturesDebug(at.lng, at.lat, 4).forEach(function (picked) {
            picked.forEach(function (p) {
                if (p.feature.props._n >= 0 && kept(p.feature.props)) { found = p.feature.props; }
            });
        });
        return found;
    };
    function content(props) {
        return d.fields.map(function (field, i) {
            var value = props[field] === undefined ? '' : props[field];
            value = (d.valueLabels[field] || {})[value] || value;
            return '<b>' + d.labels[i] + '</b> ' + escape(value);
        }).join(' <br>');  // the space keeps the id a word of the text the app reads
    }
    layer._sipTooltip = L.tooltip({sticky: true, direction: 'top', offset: [0, -6]});
    layer.on('add', function () {
        var m = this._map;
        this._hover = function (e) {
            var props = layer.featureAt(e.latlng);
            m.getContainer().style.cursor = props ? 'pointer' : '';
            if (!props) { m.closeTooltip(layer._sipTooltip); return; }
            layer._sipTooltip.setLatLng(e.latlng).setContent(content(props));
            if (!m.hasLayer(layer._sipTooltip)) { m.openTooltip(layer._sipTooltip); }
        };
        this._click = function (e) {
            var props = layer.featureAt(e.latlng);
            if (!props) { return; }
            // streamlit-folium reports the click and this tooltip's text (it carries the id)
            layer._tooltip = L.tooltip().setContent(content(props));
            layer.fire('click', {latlng: e.latlng, sourceTarget: layer, propagatedFrom: layer});
        };
        m.on('mousemove', this._hover);
        m.on('click', this._click);
    });
    layer.onRemove = function (m) {
        m.off('mousemove', this._hover);
        m.off('click', this._click);
        m.closeTooltip(layer._sipTooltip);
        L.GridLayer.prototype.onRemove.call(this, m);
    };
    return layer;
}
