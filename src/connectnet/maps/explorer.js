/* connectnet explorer: draws the map on a canvas and wires search, filters, focus,
   waves, changes, export. All data text is shown with textContent or drawn on the canvas;
   nothing is ever parsed as HTML. The UI calls the same functions as window.connectnet. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cn-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var canvas = $("cn-canvas");
  var ctx = canvas.getContext("2d");
  var EDGE_FAINT = "rgba(150,150,150,0.08)";
  var EDGE_FOCUS = "rgba(40,40,40,0.9)", KEPT = "rgba(150,150,150,0.55)";
  // new ties black and solid, lost ties vermillion and dashed: apart in hue, lightness and
  // pattern, so they read for colour-blind people and against any sector colour
  var NEW = "#111111", LOST = "#D55E00";
  var ALWAYS_LABELLED = 25, LABEL_BUDGET = 400, LABEL_PX = 12, LABEL_CHARS = 40;
  var LIGHT_EDGES = 20000;  // above this many ties, ties are hidden while panning/zooming
  var CSV_FIX = new Map(DATA.csv);

  var S = {
    vi: 0, wave: 0, changes: false, side: false, focus: -1, hover: -1,
    sel: dict(), scale: 1, tx: 0, ty: 0, w: 0, h: 0, dpr: 1, drawn: false, moving: null
  };
  var V = null;  // the current view

  // objects keyed by data text (attribute names): no prototype, so "__proto__" or
  // "toString" is an ordinary key
  function dict() { return Object.create(null); }
  function fmt(x) { return Number(x).toLocaleString("en-GB"); }
  function num(x) {
    if (x === null || x === undefined) { return "n/a"; }
    return Math.abs(x) >= 1e4 || x === Math.round(x) ? String(x) : String(Number(x.toPrecision(4)));
  }

  // ---------------------------------------------------------------- data preparation

  function prepare(v) {
    var n = v.ids.length, i;
    v.n = n;
    v.index = new Map();
    for (i = 0; i < n; i++) { v.index.set(String(v.ids[i]), i); }
    v.attr = dict();
    v.attrs.forEach(function (a) {
      a.valueIndex = new Map();
      a.values.forEach(function (val, k) { a.valueIndex.set(val, k); });
      a.counts = new Array(a.values.length).fill(0);
      a.codes.forEach(function (c) { a.counts[c]++; });
      v.attr[a.name] = a;
    });
    v.label = v.labels || v.names;
    v.lowName = v.names.map(function (s) { return s.toLowerCase(); });
    v.lowId = v.ids.map(function (s) { return String(s).toLowerCase(); });
    var org = v.attr.organisation;
    v.lowOrg = org ? org.values.map(function (s) { return s === "unknown" ? "" : s.toLowerCase(); }) : null;
    v.waves.forEach(function (w) {
      w.inWave = new Uint8Array(n);
      if (w.nodes === null) { w.inWave.fill(1); } else { w.nodes.forEach(function (j) { w.inWave[j] = 1; }); }
      w.m = w.src.length;
      w.size = function (j) {
        if (!w.inWave[j]) { return NaN; }
        return typeof w.sizes === "number" ? w.sizes : w.sizes[j];
      };
    });
    v.byColour = null;
    if (v.colour) {
      var ca = v.attr[v.colour.attr];
      v.colourOf = function (j) { return v.colour.colours[ca.codes[j]]; };
    } else {
      v.colourOf = function () { return "#0072B2"; };
    }
    v.pairCache = {};
  }

  function key(v, a, b) { return v.directed || a < b ? a * v.n + b : b * v.n + a; }

  function adjacency(v, w) {  // CSR neighbours of each node in wave w (both directions)
    if (w.adj) { return w.adj; }
    var n = v.n, deg = new Int32Array(n + 1), i;
    for (i = 0; i < w.m; i++) { deg[w.src[i] + 1]++; deg[w.dst[i] + 1]++; }
    for (i = 0; i < n; i++) { deg[i + 1] += deg[i]; }
    var fill = deg.slice(0, n), nb = new Int32Array(2 * w.m);
    for (i = 0; i < w.m; i++) {
      nb[fill[w.src[i]]++] = w.dst[i];
      nb[fill[w.dst[i]]++] = w.src[i];
    }
    w.adj = {start: deg, nb: nb};
    return w.adj;
  }

  function pair() {  // [before, after] wave indices for the changes and side-by-side views
    var b = Math.max(S.wave, 1);
    return [b - 1, b];
  }

  function changes(v, a, b) {  // edge indices per kind between waves a and b
    var id = a + ":" + b;
    if (v.pairCache[id]) { return v.pairCache[id]; }
    var wa = v.waves[a], wb = v.waves[b], inA = new Set(), inB = new Set(), i;
    var out = {added: [], lost: [], kept: []};
    for (i = 0; i < wa.m; i++) { inA.add(key(v, wa.src[i], wa.dst[i])); }
    for (i = 0; i < wb.m; i++) {
      var k = key(v, wb.src[i], wb.dst[i]);
      inB.add(k);
      (inA.has(k) ? out.kept : out.added).push(i);
    }
    for (i = 0; i < wa.m; i++) { if (!inB.has(key(v, wa.src[i], wa.dst[i]))) { out.lost.push(i); } }
    v.pairCache[id] = out;
    return out;
  }

  // ---------------------------------------------------------------- visibility

  var visible = null;

  function members(j) {  // is node j in the wave(s) on show?
    var v = V;
    if (S.changes || S.side) {
      var p = pair();
      return v.waves[p[0]].inWave[j] || v.waves[p[1]].inWave[j];
    }
    return v.waves[S.wave].inWave[j];
  }

  function passes(j) {
    for (var name in S.sel) {
      if (!S.sel[name].has(V.attr[name].codes[j])) { return false; }
    }
    return true;
  }

  function refresh() {
    var n = V.n, shown = 0, total = 0;
    visible = new Uint8Array(n);
    for (var j = 0; j < n; j++) {
      if (members(j)) {
        total++;
        if (passes(j)) { visible[j] = 1; shown++; }
      }
    }
    $("cn-shown").textContent = fmt(shown) + " of " + fmt(total) + " " + V.noun + " shown";
    syncControls();
    updateKey();
    draw();
  }

  function waveEdges(w) {  // indices of edges of wave w with both ends visible
    var out = [];
    for (var i = 0; i < w.m; i++) {
      if (visible[w.src[i]] && visible[w.dst[i]]) { out.push(i); }
    }
    return out;
  }

  function edgeVisible(w, i) { return visible[w.src[i]] && visible[w.dst[i]]; }

  function countVisible(w, list) {
    var c = 0;
    for (var k = 0; k < list.length; k++) { if (edgeVisible(w, list[k])) { c++; } }
    return c;
  }

  // ---------------------------------------------------------------- drawing

  function resize() {
    var box = $("cn-wrap").getBoundingClientRect();
    S.dpr = window.devicePixelRatio || 1;
    S.w = Math.max(box.width, 50);
    S.h = Math.max(box.height, 50);
    canvas.width = Math.round(S.w * S.dpr);
    canvas.height = Math.round(S.h * S.dpr);
    canvas.style.width = S.w + "px";
    canvas.style.height = S.h + "px";
  }

  function paneWidth() { return S.side && V.waves.length > 1 ? S.w / 2 : S.w; }

  function fit() {
    var v = V, x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (var j = 0; j < v.n; j++) {
      if (visible && !visible[j]) { continue; }
      if (v.x[j] < x0) { x0 = v.x[j]; }
      if (v.x[j] > x1) { x1 = v.x[j]; }
      if (v.y[j] < y0) { y0 = v.y[j]; }
      if (v.y[j] > y1) { y1 = v.y[j]; }
    }
    if (!isFinite(x0)) { x0 = y0 = -100; x1 = y1 = 100; }
    var pw = paneWidth(), margin = 60;
    S.scale = Math.min(4, Math.max(0.005, Math.min(
      (pw - margin) / Math.max(x1 - x0, 1), (S.h - margin) / Math.max(y1 - y0, 1))));
    S.tx = -S.scale * (x0 + x1) / 2;
    S.ty = -S.scale * (y0 + y1) / 2;
  }

  function strokeEdges(v, w, list, colour, dashed, minPx) {
    var byWidth = new Map(), k, i;
    for (k = 0; k < list.length; k++) {
      i = list[k];
      var c = w.w === null ? 0 : w.w[i];
      if (!byWidth.has(c)) { byWidth.set(c, []); }
      byWidth.get(c).push(i);
    }
    ctx.strokeStyle = colour;
    ctx.setLineDash(dashed ? [6 / S.scale, 4 / S.scale] : []);
    byWidth.forEach(function (edges, c) {
      ctx.lineWidth = Math.max(v.widths[c], (minPx || 0.6) / S.scale);
      ctx.beginPath();
      for (var e = 0; e < edges.length; e++) {
        var s = w.src[edges[e]], t = w.dst[edges[e]];
        ctx.moveTo(v.x[s], v.y[s]);
        ctx.lineTo(v.x[t], v.y[t]);
      }
      ctx.stroke();
    });
    ctx.setLineDash([]);
    if (v.directed && list.length <= 5000) { arrows(v, w, list, colour); }
  }

  function arrows(v, w, list, colour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    var head = 7 / S.scale;
    for (var k = 0; k < list.length; k++) {
      var s = w.src[list[k]], t = w.dst[list[k]];
      var dx = v.x[t] - v.x[s], dy = v.y[t] - v.y[s], d = Math.sqrt(dx * dx + dy * dy);
      if (d === 0) { continue; }
      var r = (w.size(t) || 14) / 2, ux = dx / d, uy = dy / d;
      var px = v.x[t] - ux * r, py = v.y[t] - uy * r;
      ctx.moveTo(px, py);
      ctx.lineTo(px - ux * head - uy * head / 2, py - uy * head + ux * head / 2);
      ctx.lineTo(px - ux * head + uy * head / 2, py - uy * head - ux * head / 2);
      ctx.closePath();
    }
    ctx.fill();
  }

  function neighbours(v, w, j) {
    var adj = adjacency(v, w), out = new Set();
    for (var k = adj.start[j]; k < adj.start[j + 1]; k++) { out.add(adj.nb[k]); }
    return out;
  }

  function drawPane(x0, pw, waveIndex, withChanges) {
    var v = V, w = v.waves[waveIndex], j;
    ctx.save();
    ctx.setTransform(S.dpr, 0, 0, S.dpr, 0, 0);
    ctx.beginPath();
    ctx.rect(x0, 0, pw, S.h);
    ctx.clip();
    ctx.setTransform(S.dpr * S.scale, 0, 0, S.dpr * S.scale,
      S.dpr * (x0 + pw / 2 + S.tx), S.dpr * (S.h / 2 + S.ty));
    var focus = S.focus, near = null;
    if (focus >= 0) { near = neighbours(v, w, focus); near.add(focus); }
    // ties (hidden while the view moves, for big networks; the focus's ties stay)
    var light = S.moving !== null && w.m > LIGHT_EDGES;
    if (light) {
      if (focus >= 0) {
        var own = [];
        for (var e = 0; e < w.m; e++) { if (w.src[e] === focus || w.dst[e] === focus) { own.push(e); } }
        strokeEdges(v, w, own.filter(function (i) { return edgeVisible(w, i); }), EDGE_FOCUS, false);
      }
    } else if (withChanges) {
      var p = pair(), ch = changes(v, p[0], p[1]), wa = v.waves[p[0]], wb = v.waves[p[1]];
      var vis = function (ww, list) { return list.filter(function (i) { return edgeVisible(ww, i); }); };
      strokeEdges(v, wb, vis(wb, ch.kept), KEPT, false);
      strokeEdges(v, wa, vis(wa, ch.lost), LOST, true, 1.5);
      strokeEdges(v, wb, vis(wb, ch.added), NEW, false, 1.5);
    } else {
      var list = waveEdges(w);
      if (near) {
        var inFocus = [], rest = [];
        list.forEach(function (i) {
          (w.src[i] === focus || w.dst[i] === focus ? inFocus : rest).push(i);
        });
        strokeEdges(v, w, rest, EDGE_FAINT, false);
        strokeEdges(v, w, inFocus, EDGE_FOCUS, false);
      } else {  // fainter ties when there are many, so the dots stay visible
        var alpha = Math.max(0.06, Math.min(0.45, 0.45 * Math.sqrt(3000 / Math.max(list.length, 1))));
        strokeEdges(v, w, list, "rgba(110,110,110," + alpha.toFixed(3) + ")", false);
      }
    }
    // nodes, batched by colour; dimmed ones first
    var sizeWave = withChanges ? v.waves[pair()[1]] : w;
    var radius = function (j2) {
      var s = sizeWave.size(j2);
      if (!(s > 0)) { s = v.waves[pair()[0]].size(j2); }
      return Math.max((s > 0 ? s : 6) / 2, 1.5 / S.scale);
    };
    var inPane = function (j2) {
      return visible[j2] && (withChanges || w.inWave[j2]);
    };
    var groups = [new Map(), new Map()];
    for (j = 0; j < v.n; j++) {
      if (!inPane(j) && j !== focus) { continue; }
      var g = groups[near && !near.has(j) ? 0 : 1], c = v.colourOf(j);
      if (!g.has(c)) { g.set(c, []); }
      g.get(c).push(j);
    }
    var outline = v.n <= 5000 && 7 * S.scale >= 3;  // white rims only on dots big enough
    groups.forEach(function (g, bright) {
      ctx.globalAlpha = bright ? (withChanges ? 0.5 : 1) : 0.15;  // paler: ties stand out
      g.forEach(function (nodes, colour) {
        ctx.fillStyle = colour;
        ctx.beginPath();
        nodes.forEach(function (j2) {
          var r = radius(j2);
          ctx.moveTo(v.x[j2] + r, v.y[j2]);
          ctx.arc(v.x[j2], v.y[j2], r, 0, 2 * Math.PI);
        });
        ctx.fill();
        if (outline) {
          ctx.lineWidth = 1 / S.scale;
          ctx.strokeStyle = "#ffffff";
          ctx.stroke();
        }
      });
    });
    ctx.globalAlpha = 1;
    if (focus >= 0) {
      ctx.lineWidth = 3 / S.scale;
      ctx.strokeStyle = "#000000";
      ctx.beginPath();
      ctx.arc(v.x[focus], v.y[focus], radius(focus) + 2 / S.scale, 0, 2 * Math.PI);
      ctx.stroke();
    }
    labels(x0, pw, inPane, radius, near);
    ctx.restore();
  }

  function labels(x0, pw, inPane, radius, near) {
    var v = V, cands = [], j;
    var left = (-pw / 2 - S.tx) / S.scale, right = (pw / 2 - S.tx) / S.scale;
    var top = (-S.h / 2 - S.ty) / S.scale, bottom = (S.h / 2 - S.ty) / S.scale;
    for (j = 0; j < v.n; j++) {
      if (!v.label[j] || !inPane(j)) { continue; }
      if (v.x[j] < left || v.x[j] > right || v.y[j] < top || v.y[j] > bottom) { continue; }
      cands.push(j);
    }
    if (!v.bySize) {  // node order by size in the first wave, largest first
      var w0 = v.waves[0];
      v.bySize = Array.from({length: v.n}, function (_, k) { return k; });
      v.rank = new Int32Array(v.n);
      v.bySize.sort(function (a, b) { return (w0.size(b) || 0) - (w0.size(a) || 0); });
      v.bySize.forEach(function (node, k) { v.rank[node] = k; });
    }
    cands.sort(function (a, b) {
      var fa = near && near.has(a) ? 0 : 1, fb = near && near.has(b) ? 0 : 1;
      return fa - fb || radius(b) - radius(a) || v.rank[a] - v.rank[b];
    });
    var few = cands.length <= 60, taken = [], drawn = 0;
    ctx.font = (LABEL_PX / S.scale) + "px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    for (var k = 0; k < cands.length && drawn < LABEL_BUDGET; k++) {
      j = cands[k];
      var r = radius(j), onScreen = r * S.scale;
      var wanted = few || v.rank[j] < ALWAYS_LABELLED || onScreen >= 9 || (near && near.has(j));
      if (!wanted) { continue; }
      var text = v.label[j];
      if (text.length > LABEL_CHARS) { text = text.slice(0, LABEL_CHARS - 1) + "\u2026"; }
      var tw = ctx.measureText(text).width;
      var bx = v.x[j] + r + 2 / S.scale, by = v.y[j] - LABEL_PX / 2 / S.scale;
      var box = [bx, by, bx + tw, by + LABEL_PX / S.scale];
      var clash = taken.some(function (b) {
        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
      });
      if (clash) { continue; }
      taken.push(box);
      ctx.lineWidth = 3 / S.scale;
      ctx.strokeStyle = "rgba(255,255,255,0.85)";
      ctx.strokeText(text, bx, v.y[j]);
      ctx.fillStyle = "#222222";
      ctx.fillText(text, bx, v.y[j]);
      drawn++;
    }
  }

  var pending = false;
  function draw() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(drawNow);
  }

  function drawNow() {
    pending = false;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (S.side && V.waves.length > 1) {
      var p = pair(), half = S.w / 2;
      drawPane(0, half, p[0], false);
      drawPane(half, half, p[1], S.changes);
      ctx.setTransform(S.dpr, 0, 0, S.dpr, 0, 0);
      ctx.fillStyle = "#222222";
      ctx.font = "bold 13px system-ui, sans-serif";
      ctx.fillText(V.waves[p[0]].label, 8, 16);
      ctx.fillText(V.waves[p[1]].label, half + 8, 16);
      ctx.fillRect(half, 0, 1, S.h);
    } else {
      drawPane(0, S.w, S.wave, S.changes && V.waves.length > 1);
    }
    if (!S.drawn) {
      S.drawn = true;
      document.documentElement.setAttribute("data-cn-drawn", String(performance.now()));
    }
  }

  // ---------------------------------------------------------------- the API

  function search(text) {
    var q = String(text === undefined || text === null ? "" : text).trim().toLowerCase();
    if (!q) { return []; }
    var v = V, hits = [], org = v.attr.organisation;
    for (var j = 0; j < v.n; j++) {
      var rank = -1, name = v.lowName[j], at = name.indexOf(q);
      if (v.lowId[j] === q) { rank = 0; }
      else if (at === 0) { rank = 1; }
      else if (at > 0 && name.charAt(at - 1) === " ") { rank = 2; }
      else if (at > 0) { rank = 3; }
      else if (v.lowId[j].indexOf(q) >= 0) { rank = 4; }
      else if (org && v.lowOrg[org.codes[j]].indexOf(q) >= 0) { rank = 5; }
      if (rank >= 0) { hits.push([rank, j]); }
    }
    hits.sort(function (a, b) {
      return a[0] - b[0] || (v.names[a[1]] < v.names[b[1]] ? -1 : v.names[a[1]] > v.names[b[1]] ? 1 : 0);
    });
    return hits.map(function (h) { return v.ids[h[1]]; });
  }

  function filter(spec) {
    if (spec === null || typeof spec !== "object") { throw new TypeError("filter({attribute: [values]})"); }
    Object.keys(spec).forEach(function (name) {
      var a = V.attr[name];
      if (!a) {
        throw new Error("no attribute " + JSON.stringify(name) + "; one of " + JSON.stringify(Object.keys(V.attr)));
      }
      var vals = spec[name];
      if (vals === null) { delete S.sel[name]; return; }
      var set = new Set();
      Array.from(vals).forEach(function (val) {
        var k = a.valueIndex.get(String(val));
        if (k === undefined) {
          throw new Error(JSON.stringify(String(val)) + " is not a value of " + name + "; one of " + JSON.stringify(a.values));
        }
        set.add(k);
      });
      if (set.size === a.values.length) { delete S.sel[name]; } else { S.sel[name] = set; }
    });
    filtered();
  }

  function clearFilters() { S.sel = dict(); filtered(); }

  function filtered() {  // new filters: show the nodes that pass (unless someone is focused)
    refresh();
    if (S.focus < 0) { fit(); draw(); }
  }

  function indexOf(id) {
    var j = V.index.get(String(id));
    if (j === undefined) { throw new Error("no node with id " + JSON.stringify(id)); }
    return j;
  }

  function focus(id) {
    if (id === null || id === undefined) {
      S.focus = -1;
      showPanel();
      draw();
      return;
    }
    S.focus = indexOf(id);
    var scale = Math.max(S.scale, 1);
    S.scale = scale;
    S.tx = -scale * V.x[S.focus];
    S.ty = -scale * V.y[S.focus];
    showPanel();
    draw();
  }

  function visibleNodes() {
    var out = [];
    for (var j = 0; j < V.n; j++) { if (visible[j]) { out.push(V.ids[j]); } }
    return out;
  }

  function visibleEdges() {
    if (S.changes && V.waves.length > 1) {
      var p = pair(), ch = changes(V, p[0], p[1]), wa = V.waves[p[0]], wb = V.waves[p[1]];
      return countVisible(wb, ch.added) + countVisible(wa, ch.lost) + countVisible(wb, ch.kept);
    }
    return waveEdges(V.waves[S.wave]).length;
  }

  function waves() { return V.waves.map(function (w) { return w.label; }); }

  function setWave(label) {
    var k = waves().indexOf(String(label));
    if (k < 0) { throw new Error("no wave " + JSON.stringify(label) + "; one of " + JSON.stringify(waves())); }
    S.wave = k;
    refresh();
    if (S.focus >= 0) { showPanel(); }
  }

  function showChanges(on) {
    S.changes = Boolean(on) && V.waves.length > 1;
    refresh();
  }

  function exportPNG() {
    if (S.moving !== null) { window.clearTimeout(S.moving); S.moving = null; }
    drawNow();
    return canvas.toDataURL("image/png");
  }

  window.connectnet = Object.freeze({
    search: search, filter: filter, clearFilters: clearFilters, focus: focus,
    visibleNodes: visibleNodes, visibleEdges: visibleEdges, waves: waves,
    setWave: setWave, showChanges: showChanges, exportPNG: exportPNG
  });

  // ---------------------------------------------------------------- panels

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function details(j) {  // [caption, text] lines describing node j in the current wave
    var v = V, out = [], w = v.waves[S.wave];
    v.attrs.forEach(function (a) {
      var val = a.values[a.codes[j]];
      if (a.name === "kind" && val === "person") { return; }
      if (val !== "unknown") { out.push([a.title, val]); }
    });
    if (w.inWave[j]) {
      var adj = adjacency(v, w);
      var caption = v.waves.length > 1 ? "Connections in " + w.label : "Connections";
      out.push([caption, String(adj.start[j + 1] - adj.start[j])]);
      if (v.sizeBy && w.values) { out.push([v.sizeBy, num(w.values[j])]); }
    } else {
      out.push(["In " + w.label, "no"]);
    }
    return out;
  }

  function memberNames(j) {
    var people = DATA.views[0];
    return V.members && V.members[j] ? V.members[j].map(function (p) { return people.names[p]; }).sort() : [];
  }

  function showTip(j, x, y) {
    var tip = $("cn-tip");
    if (j < 0) { tip.hidden = true; return; }
    tip.textContent = "";
    tip.appendChild(el("strong", V.names[j]));
    details(j).forEach(function (d) { tip.appendChild(el("div", d[0] + ": " + d[1])); });
    var names = memberNames(j);
    if (names.length) {
      var shown = names.slice(0, 15).join(", ") + (names.length > 15 ? ", and " + (names.length - 15) + " more" : "");
      tip.appendChild(el("div", "People (" + names.length + "): " + shown));
    }
    tip.hidden = false;
    var box = $("cn-wrap").getBoundingClientRect();
    tip.style.left = Math.min(x + 14, box.width - tip.offsetWidth - 4) + "px";
    tip.style.top = Math.min(y + 14, box.height - tip.offsetHeight - 4) + "px";
  }

  function showPanel() {
    var panel = $("cn-panel"), v = V, j = S.focus;
    panel.textContent = "";
    if (j < 0) { panel.hidden = true; return; }
    panel.hidden = false;
    var close = el("button", "Clear (Esc)");
    close.type = "button";
    close.addEventListener("click", function () { window.connectnet.focus(null); });
    panel.appendChild(close);
    panel.appendChild(el("h2", v.names[j]));
    var dl = el("dl");
    details(j).forEach(function (d) { dl.appendChild(el("dt", d[0])); dl.appendChild(el("dd", d[1])); });
    v.metrics.forEach(function (mt) {
      dl.appendChild(el("dt", mt.name));
      dl.appendChild(el("dd", mt.codes ? mt.values[mt.codes[j]] : num(mt.values[j])));
    });
    panel.appendChild(dl);
    var names = memberNames(j);
    if (names.length) {
      panel.appendChild(el("h3", "People (" + names.length + ")"));
      var pl = el("ul");
      names.forEach(function (s) { pl.appendChild(el("li", s)); });
      panel.appendChild(pl);
    }
    var w = v.waves[S.wave], near = Array.from(neighbours(v, w, j)).filter(function (k) { return k !== j; });
    near.sort(function (a, b) { return v.names[a] < v.names[b] ? -1 : v.names[a] > v.names[b] ? 1 : 0; });
    panel.appendChild(el("h3", "Contacts in " + w.label + " (" + near.length + ")"));
    var ul = el("ul", null, "cn-contacts");
    near.slice(0, 500).forEach(function (k) {
      var li = el("li"), b = el("button", v.names[k]);
      b.type = "button";
      b.addEventListener("click", function () { window.connectnet.focus(v.ids[k]); });
      li.appendChild(b);
      var bits = ["organisation", "sector", "region"].map(function (name) {
        var a = v.attr[name];
        return a ? a.values[a.codes[k]] : null;
      }).filter(function (s) { return s && s !== "unknown"; });
      if (bits.length) { li.appendChild(el("span", bits.join(" · "), "cn-meta")); }
      ul.appendChild(li);
    });
    if (near.length > 500) { ul.appendChild(el("li", "and " + (near.length - 500) + " more")); }
    panel.appendChild(ul);
  }

  function updateKey() {
    var keyEl = $("cn-key");
    keyEl.textContent = "";
    if (!(S.changes && V.waves.length > 1)) { keyEl.hidden = true; return; }
    var p = pair(), ch = changes(V, p[0], p[1]), wa = V.waves[p[0]], wb = V.waves[p[1]];
    keyEl.hidden = false;
    keyEl.appendChild(el("strong", "Changes from " + wa.label + " to " + wb.label));
    [["cn-new", "New ties", countVisible(wb, ch.added)],
     ["cn-lost", "Lost ties", countVisible(wa, ch.lost)],
     ["cn-kept", "Kept ties", countVisible(wb, ch.kept)]].forEach(function (row) {
      var d = el("div", null, "cn-key-row");
      d.appendChild(el("span", "", "cn-line " + row[0]));
      d.appendChild(el("span", row[1] + ": " + fmt(row[2]), null));
      d.setAttribute("data-kind", row[0].slice(3));
      d.setAttribute("data-count", String(row[2]));
      keyEl.appendChild(d);
    });
  }

  function buildFilters() {
    var list = $("cn-filter-list");
    list.textContent = "";
    V.attrs.forEach(function (a) {
      if (!a.filter) { return; }
      var fs = el("fieldset");
      fs.setAttribute("data-attr", a.name);
      fs.appendChild(el("legend", a.title));
      a.values.forEach(function (val, k) {
        var lab = el("label"), box = el("input");
        box.type = "checkbox";
        box.checked = true;
        box.value = val;
        box.addEventListener("change", function () {
          var on = Array.from(fs.querySelectorAll("input")).filter(function (b) { return b.checked; })
            .map(function (b) { return b.value; });
          var spec = dict();
          spec[a.name] = on;
          window.connectnet.filter(spec);
        });
        lab.appendChild(box);
        lab.appendChild(el("span", val));
        lab.appendChild(el("span", " (" + fmt(a.counts[k]) + ")", "cn-count"));
        fs.appendChild(lab);
      });
      list.appendChild(fs);
    });
  }

  function buildLegend() {
    var legend = $("cn-legend");
    legend.textContent = "";
    if (!V.colour) { legend.hidden = true; return; }
    legend.hidden = false;
    var a = V.attr[V.colour.attr];
    legend.appendChild(el("h2", V.colour.title));
    var ul = el("ul");
    a.values.forEach(function (val, k) {
      var li = el("li"), b = el("button");
      b.type = "button";
      b.setAttribute("aria-pressed", "true");
      b.value = val;
      var sw = el("span", "", "cn-swatch");
      sw.style.background = V.colour.colours[k];
      b.appendChild(sw);
      b.appendChild(el("span", val));
      b.addEventListener("click", function () {
        var sel = S.sel[a.name], on = [];
        a.values.forEach(function (other, i) {
          var isOn = !sel || sel.has(i);
          if (i === k) { isOn = !isOn; }
          if (isOn) { on.push(other); }
        });
        var spec = dict();
        spec[a.name] = on;
        window.connectnet.filter(spec);
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
    legend.appendChild(ul);
    var cap = [];
    if (V.sizeBy) { cap.push("Node size: " + V.sizeBy); }
    if (DATA.hideNames && V === DATA.views[0]) { cap.push("People shown by pseudonymous codes"); }
    cap.forEach(function (c) { legend.appendChild(el("p", c, "cn-caption")); });
  }

  function syncControls() {
    document.querySelectorAll("#cn-filter-list fieldset").forEach(function (fs) {
      var sel = S.sel[fs.getAttribute("data-attr")], a = V.attr[fs.getAttribute("data-attr")];
      fs.querySelectorAll("input").forEach(function (b) {
        b.checked = !sel || sel.has(a.valueIndex.get(b.value));
      });
    });
    if (V.colour) {
      var ca = V.attr[V.colour.attr], sel = S.sel[ca.name];
      document.querySelectorAll("#cn-legend button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(!sel || sel.has(ca.valueIndex.get(b.value))));
      });
    }
    $("cn-wave").value = String(S.wave);
    $("cn-changes").checked = S.changes;
    $("cn-side").checked = S.side;
  }

  function buildWaves() {
    var sel = $("cn-wave");
    sel.textContent = "";
    V.waves.forEach(function (w, k) {
      var o = el("option", w.label);
      o.value = String(k);
      sel.appendChild(o);
    });
    var several = V.waves.length > 1;
    $("cn-wave-group").hidden = !several;
    $("cn-changes").disabled = !several;
    $("cn-side").disabled = !several;
  }

  function setView(k) {
    S.vi = k;
    V = DATA.views[k];
    S.sel = dict();
    S.focus = -1;
    S.wave = Math.min(S.wave, V.waves.length - 1);
    if (V.waves.length < 2) { S.changes = S.side = false; }
    buildFilters();
    buildLegend();
    buildWaves();
    visible = null;
    refresh();
    fit();
    showPanel();
    draw();
  }

  function buildViews() {
    var fs = $("cn-views");
    if (DATA.views.length < 2) { return; }
    fs.hidden = false;
    ["People", "Organisations"].forEach(function (name, k) {
      var lab = el("label"), r = el("input");
      r.type = "radio";
      r.name = "cn-view";
      r.value = String(k);
      r.checked = k === 0;
      r.addEventListener("change", function () { if (r.checked) { setView(k); } });
      lab.appendChild(r);
      lab.appendChild(el("span", " " + name));
      fs.appendChild(lab);
    });
  }

  // ---------------------------------------------------------------- search box

  var suggestions = [], active = -1;

  function closeSuggest() {
    var ul = $("cn-suggest");
    ul.hidden = true;
    ul.textContent = "";
    suggestions = [];
    active = -1;
    $("cn-search").setAttribute("aria-expanded", "false");
    $("cn-search").removeAttribute("aria-activedescendant");
  }

  function choose(id) {
    closeSuggest();
    window.connectnet.focus(id);
  }

  function suggest() {
    var box = $("cn-search"), ul = $("cn-suggest");
    var ids = window.connectnet.search(box.value).slice(0, 10);
    ul.textContent = "";
    suggestions = ids;
    active = -1;
    if (!ids.length) { ul.hidden = true; box.setAttribute("aria-expanded", "false"); return; }
    var org = V.attr.organisation;
    ids.forEach(function (id, k) {
      var j = V.index.get(String(id)), li = el("li", V.names[j]);
      li.id = "cn-opt-" + k;
      li.setAttribute("role", "option");
      if (org && org.values[org.codes[j]] !== "unknown") {
        li.appendChild(el("span", " " + org.values[org.codes[j]], "cn-meta"));
      }
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      ul.appendChild(li);
    });
    ul.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  function moveActive(step) {
    if (!suggestions.length) { return; }
    active = (active + step + suggestions.length) % suggestions.length;
    document.querySelectorAll("#cn-suggest li").forEach(function (li, k) {
      li.setAttribute("aria-selected", String(k === active));
    });
    $("cn-search").setAttribute("aria-activedescendant", "cn-opt-" + active);
  }

  $("cn-search").addEventListener("input", suggest);
  $("cn-search").addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { moveActive(1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { moveActive(-1); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      if (!suggestions.length) { suggest(); }
      if (suggestions.length) { choose(suggestions[Math.max(active, 0)]); }
      ev.preventDefault();
    }
  });
  $("cn-search").addEventListener("blur", function () { window.setTimeout(closeSuggest, 100); });

  // ---------------------------------------------------------------- other controls

  function download(name, url) {
    var a = document.createElement("a");
    a.download = name;
    a.href = url;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function csvCell(value) {
    var s = typeof value === "number" ? String(value) : String(value === null || value === undefined ? "" : value);
    if (typeof value !== "number" && CSV_FIX.has(s)) { s = CSV_FIX.get(s); }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function visibleCSV() {
    var v = V, w = v.waves[S.wave], adj = adjacency(v, w);
    var head = ["id", "name"].concat(v.attrs.map(function (a) { return a.name; }));
    head.push("connections");
    v.metrics.forEach(function (mt) { head.push(mt.name); });
    var rows = [head.map(csvCell).join(",")];
    for (var j = 0; j < v.n; j++) {
      if (!visible[j]) { continue; }
      var row = [v.ids[j], v.names[j]];
      v.attrs.forEach(function (a) { row.push(a.values[a.codes[j]]); });
      row.push(w.inWave[j] ? adj.start[j + 1] - adj.start[j] : "");
      v.metrics.forEach(function (mt) {
        row.push(mt.codes ? mt.values[mt.codes[j]] : (mt.values[j] === null ? "" : mt.values[j]));
      });
      rows.push(row.map(csvCell).join(","));
    }
    return rows.join("\r\n") + "\r\n";
  }

  $("cn-png").addEventListener("click", function () { download("map.png", window.connectnet.exportPNG()); });
  $("cn-csv").addEventListener("click", function () {
    var blob = new Blob(["\ufeff" + visibleCSV()], {type: "text/csv;charset=utf-8"});
    download("map-visible-nodes.csv", URL.createObjectURL(blob));
  });
  $("cn-clear").addEventListener("click", function () { window.connectnet.clearFilters(); });
  $("cn-fit").addEventListener("click", function () { fit(); draw(); });
  $("cn-wave").addEventListener("change", function () {
    window.connectnet.setWave(V.waves[Number($("cn-wave").value)].label);
  });
  $("cn-changes").addEventListener("change", function () {
    window.connectnet.showChanges($("cn-changes").checked);
  });
  $("cn-side").addEventListener("change", function () {
    S.side = $("cn-side").checked && V.waves.length > 1;
    refresh();
    fit();
    draw();
  });

  function nodeAt(px, py) {  // nearest drawn node under the mouse (pane-relative pixels)
    var pw = paneWidth(), x0 = px >= pw ? pw : 0, v = V;
    var wx = (px - x0 - pw / 2 - S.tx) / S.scale, wy = (py - S.h / 2 - S.ty) / S.scale;
    var best = -1, bestD = Infinity, wave = v.waves[S.wave];
    if (S.side && v.waves.length > 1) { wave = v.waves[x0 ? pair()[1] : pair()[0]]; }
    for (var j = 0; j < v.n; j++) {
      if (!visible[j] || !(wave.inWave[j] || S.changes)) { continue; }
      var dx = v.x[j] - wx, dy = v.y[j] - wy, d = dx * dx + dy * dy;
      var r = Math.max((wave.size(j) || 6) / 2, 1 / S.scale) + 3 / S.scale;
      if (d <= r * r && d < bestD) { best = j; bestD = d; }
    }
    return best;
  }

  var drag = null;
  canvas.addEventListener("pointerdown", function (ev) {
    drag = {x: ev.clientX, y: ev.clientY, tx: S.tx, ty: S.ty, moved: false};
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener("pointermove", function (ev) {
    var box = canvas.getBoundingClientRect(), px = ev.clientX - box.left, py = ev.clientY - box.top;
    if (drag) {
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
      if (drag.moved) {
        S.tx = drag.tx + dx;
        S.ty = drag.ty + dy;
        showTip(-1);
        moved();
        draw();
        return;
      }
    }
    var j = nodeAt(px, py);
    if (j !== S.hover) { S.hover = j; }
    showTip(j, px, py);
  });
  canvas.addEventListener("pointerup", function (ev) {
    var box = canvas.getBoundingClientRect();
    if (drag && !drag.moved) {
      var j = nodeAt(ev.clientX - box.left, ev.clientY - box.top);
      window.connectnet.focus(j >= 0 ? V.ids[j] : null);
    }
    drag = null;
  });
  canvas.addEventListener("pointerleave", function () { showTip(-1); });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var box = canvas.getBoundingClientRect(), pw = paneWidth();
    var px = ev.clientX - box.left, x0 = px >= pw ? pw : 0;
    var cx = px - x0 - pw / 2, cy = ev.clientY - box.top - S.h / 2;
    zoom(Math.exp(-ev.deltaY * 0.0015), cx, cy);
  }, {passive: false});

  function moved() {  // a pan or zoom: draw light now, in full once the view rests
    if (S.moving !== null) { window.clearTimeout(S.moving); }
    S.moving = window.setTimeout(function () { S.moving = null; draw(); }, 200);
  }

  function zoom(f, cx, cy) {
    var s = Math.min(8, Math.max(0.002, S.scale * f));
    f = s / S.scale;
    S.tx = cx - (cx - S.tx) * f;
    S.ty = cy - (cy - S.ty) * f;
    S.scale = s;
    moved();
    draw();
  }

  canvas.addEventListener("keydown", function (ev) {
    var step = 60, done = true;
    if (ev.key === "ArrowLeft") { S.tx += step; }
    else if (ev.key === "ArrowRight") { S.tx -= step; }
    else if (ev.key === "ArrowUp") { S.ty += step; }
    else if (ev.key === "ArrowDown") { S.ty -= step; }
    else if (ev.key === "+" || ev.key === "=") { zoom(1.25, 0, 0); }
    else if (ev.key === "-" || ev.key === "_") { zoom(0.8, 0, 0); }
    else if (ev.key === "0") { fit(); }
    else { done = false; }
    if (done) { ev.preventDefault(); moved(); draw(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      closeSuggest();
      showTip(-1);
      window.connectnet.focus(null);
    }
  });

  new ResizeObserver(function () { resize(); draw(); }).observe($("cn-wrap"));

  DATA.views.forEach(prepare);
  buildViews();
  resize();
  setView(0);
})();
