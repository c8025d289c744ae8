// A large polygon layer drawn on one canvas (see layers/compact.py for the data it reads).
// eslint-disable-next-line no-unused-vars
function sipCompactLayer(d) {
    var n = d.f.length, MAXLAT = 85.0511287798, BATCH = 200;
    // Decode once into unit Web Mercator coordinates (0..1); pixels = unit * 256 * 2^zoom.
    var xs = [], ys = [], rings = [], parts = [], starts = [], box = new Float64Array(4 * n);
    function unit(lng, lat) {
        lat = Math.max(-MAXLAT, Math.min(MAXLAT, lat));
        var s = Math.sin(lat * Math.PI / 180);
        return [0.5 + lng / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
    }
    d.f.forEach(function (f, k) {
        starts.push(parts.length);
        var x0 = 1, y0 = 1, x1 = 0, y1 = 0;
        f[1].forEach(function (part) {
            parts.push(rings.length);
            part.forEach(function (ring) {
                rings.push(xs.length);
                var x = d.x0, y = d.y0;
                for (var i = 0; i < ring.length; i += 2) {
                    x += ring[i]; y += ring[i + 1];
                    var u = unit(x * d.q, y * d.q);
                    xs.push(u[0]); ys.push(u[1]);
                    x0 = Math.min(x0, u[0]); y0 = Math.min(y0, u[1]);
                    x1 = Math.max(x1, u[0]); y1 = Math.max(y1, u[1]);
                }
            });
        });
        box[4 * k] = x0; box[4 * k + 1] = y0; box[4 * k + 2] = x1; box[4 * k + 3] = y1;
    });
    starts.push(parts.length); parts.push(rings.length); rings.push(xs.length);
    // A grid over the layer for finding the feature under the mouse.
    var G = 256, gx0 = 1, gy0 = 1, gx1 = 0, gy1 = 0, grid = new Array(G * G);
    for (var k = 0; k < n; k++) {
        gx0 = Math.min(gx0, box[4 * k]); gy0 = Math.min(gy0, box[4 * k + 1]);
        gx1 = Math.max(gx1, box[4 * k + 2]); gy1 = Math.max(gy1, box[4 * k + 3]);
    }
    var cw = (gx1 - gx0) / G || 1e-9, ch = (gy1 - gy0) / G || 1e-9;
    function col(u) { return Math.max(0, Math.min(G - 1, Math.floor((u - gx0) / cw))); }
    function row(v) { return Math.max(0, Math.min(G - 1, Math.floor((v - gy0) / ch))); }
    for (var k = 0; k < n; k++) {
        for (var i = col(box[4 * k]); i <= col(box[4 * k + 2]); i++) {
            for (var j = row(box[4 * k + 1]); j <= row(box[4 * k + 3]); j++) {
                (grid[i * G + j] = grid[i * G + j] || []).push(k);
            }
        }
    }
    // Features by fill colour, so that each colour is filled and stroked in one call.
    var groups = {};
    for (var k = 0; k < n; k++) {
        var colour = (d.colors && d.colors[d.f[k][2]]) || d.style.fillColor;
        (groups[colour] = groups[colour] || []).push(k);
    }
    function inside(k, u, v) {
        var hit = false;
        for (var p = starts[k]; p < starts[k + 1]; p++) {
            for (var r = parts[p]; r < parts[p + 1]; r++) {
                var a = rings[r], b = rings[r + 1];
                for (var i = a, j = b - 1; i < b; j = i++) {
                    if ((ys[i] > v) !== (ys[j] > v) &&
                        u < (xs[j] - xs[i]) * (v - ys[i]) / (ys[j] - ys[i]) + xs[i]) { hit = !hit; }
                }
            }
        }
        return hit;
    }
    var Compact = L.Layer.extend({
        featureCount: n,
        onAdd: function (m) {
            this._canvas = L.DomUtil.create('canvas', 'sip-compact-layer leaflet-zoom-hide');
            m.getPanes().overlayPane.appendChild(this._canvas);
            this._tooltip = L.tooltip({sticky: true, direction: 'top', offset: [0, -6]});
            m.on('moveend zoomend resize viewreset', this._redraw, this);
            m.on('mousemove', this._hover, this);
            m.on('click', this._click, this);
            this._redraw();
        },
        onRemove: function (m) {
            L.DomUtil.remove(this._canvas);
            m.off('moveend zoomend resize viewreset', this._redraw, this);
            m.off('mousemove', this._hover, this);
            m.off('click', this._click, this);
            m.closeTooltip(this._tooltip);
        },
        _redraw: function () {
            var m = this._map, size = m.getSize(), canvas = this._canvas;
            var ratio = window.devicePixelRatio || 1, scale = 256 * Math.pow(2, m.getZoom());
            var min = m.getPixelBounds().min;
            canvas.width = size.x * ratio; canvas.height = size.y * ratio;
            canvas.style.width = size.x + 'px'; canvas.style.height = size.y + 'px';
            L.DomUtil.setPosition(canvas, m.containerPointToLayerPoint([0, 0]));
            var ctx = canvas.getContext('2d');
            ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
            ctx.lineWidth = d.style.weight; ctx.strokeStyle = d.style.color;
            var u0 = min.x / scale, v0 = min.y / scale;
            var u1 = (min.x + size.x) / scale, v1 = (min.y + size.y) / scale;
            function paint() {
                if (d.style.fill) {
                    ctx.globalAlpha = d.style.fillOpacity;
                    ctx.fill('evenodd');
                }
                ctx.globalAlpha = 1;
                ctx.stroke();
            }
            // Each colour in batches: one path per few hundred features is far quicker than one
            // per feature, and than one huge path (whose filling grows faster than its size).
            Object.keys(groups).forEach(function (colour) {
                var members = groups[colour], batch = 0;
                ctx.fillStyle = colour;
                ctx.beginPath();
                for (var m = 0; m < members.length; m++) {
                    var k = members[m];
                    if (box[4 * k] > u1 || box[4 * k + 2] < u0 || box[4 * k + 1] > v1 || box[4 * k + 3] < v0) { continue; }
                    for (var p = starts[k]; p < starts[k + 1]; p++) {
                        for (var r = parts[p]; r < parts[p + 1]; r++) {
                            var a = rings[r];
                            ctx.moveTo(xs[a] * scale - min.x, ys[a] * scale - min.y);
                            for (var i = a + 1; i < rings[r + 1]; i++) {
                                ctx.lineTo(xs[i] * scale - min.x, ys[i] * scale - min.y);
                            }
                            ctx.closePath();
                        }
                    }
                    if (++batch === BATCH) { paint(); ctx.beginPath(); batch = 0; }
                }
                paint();
            });
            this.drawn = true;
        },
        _find: function (latlng) {
            var u = unit(latlng.lng, latlng.lat), found = -1;
            if (u[0] < gx0 || u[0] > gx1 || u[1] < gy0 || u[1] > gy1) { return -1; }
            (grid[col(u[0]) * G + row(u[1])] || []).forEach(function (k) {
                if (inside(k, u[0], u[1])) { found = k; }
            });
            return found;
        },
        _content: function (k) {
            return d.labels.map(function (label, i) {
                return '<b>' + label + '</b> ' + d.f[k][0][i];
            }).join(' <br>');  // the space keeps the id a word of the text the app reads
        },
        _hover: function (e) {
            var k = this._find(e.latlng), m = this._map;
            m.getContainer().style.cursor = k < 0 ? '' : 'pointer';
            if (k < 0) { m.closeTooltip(this._tooltip); return; }
            this._tooltip.setLatLng(e.latlng).setContent(this._content(k));
            if (!m.hasLayer(this._tooltip)) { m.openTooltip(this._tooltip); }
        },
        _click: function (e) {
            var k = this._find(e.latlng);
            if (k < 0) { return; }
            this._tooltip.setLatLng(e.latlng).setContent(this._content(k));
            this.fire('click', {latlng: e.latlng, sourceTarget: this, propagatedFrom: this});
        }
    });
    return new Compact();
}
