/// The part of the HTML report's script that draws one timeline as SVG: lanes, axis, bars, faults.
///
/// In time mode the x axis is the operations' `time`; in event-order mode it is the rank of each
/// invocation and completion among the drawn events, so every event gets the same width. Info
/// operations (no completion) run to the right edge; the blocking operation's completion is marked
/// with a dashed red line ("must take effect by here").
enum TimelineScript {
    static let draw = #"""
          function draw(box, d, st) {
            var ops = d.ops, nem = d.nemesis || [], useTime = st.mode === "time", rank = {}, idx = [];
            ops.forEach(function (o) { if (o.o === undefined) { o.o = o.v; } });
            if (!useTime) {
              var seen = {};
              ops.forEach(function (o) { seen[o.i] = 1; if (o.c !== null) { seen[o.c] = 1; } });
              nem.forEach(function (n) { seen[n.i] = 1; });
              idx = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
              idx.forEach(function (v, k) { rank[v] = k; });
            }
            function xs(o) { return useTime ? o.s : rank[o.i]; }
            // An info operation may take effect at any time after its invocation: it has no end.
            function xe(o) { return o.c === null || o.t === "info" ? null : (useTime ? o.e : rank[o.c]); }
            var lo = Infinity, hi = -Infinity;
            ops.forEach(function (o) {
              lo = Math.min(lo, xs(o)); hi = Math.max(hi, xs(o));
              var e = xe(o); if (e !== null) { hi = Math.max(hi, e); }
            });
            var marks = nem.filter(function (n) { return useTime ? n.s !== null : true; });
            var faults = (d.faults || []).filter(function (f) { return useTime ? f.s !== null : true; }), kinds = [];
            faults.forEach(function (f) { if (kinds.indexOf(f.k) < 0) { kinds.push(f.k); } });
            marks.forEach(function (n) { var x = useTime ? n.s : rank[n.i]; lo = Math.min(lo, x); hi = Math.max(hi, x); });
            if (!isFinite(lo)) { lo = 0; hi = 1; }
            if (!(hi > lo)) { hi = lo + 1; }
            var open = hi + (hi - lo) * 0.05;
            var avail = Math.max(600, (box.clientWidth || 1200) - LEFT - PAD);
            // Wide enough that a typical operation is about 56 px long (room for its label).
            var spans = ops.filter(function (o) { return xe(o) !== null; })
              .map(function (o) { return xe(o) - xs(o); }).sort(function (a, b) { return a - b; });
            var typical = spans.length ? Math.max(spans[spans.length >> 1], (open - lo) / 30000) : 0;
            var want = typical > 0 ? (open - lo) / typical * 56 : ops.length * 30;
            var W = Math.min(200000, Math.max(avail, Math.min(60000, want)) * st.zoom);
            function X(v) { return LEFT + (v - lo) / (open - lo) * W; }

            var procs = [], have = {};
            ops.forEach(function (o) { if (!have[o.p]) { have[o.p] = 1; procs.push(o.p); } });
            procs.sort(function (a, b) {
              var na = Number(a), nb = Number(b);
              if (!isNaN(na) && !isNaN(nb)) { return na - nb; }
              return a < b ? -1 : (a > b ? 1 : 0);
            });
            var lane = {};
            procs.forEach(function (p, k) { lane[p] = k; });
            // The fault strip: one row per kind of fault in effect, or one row of marks.
            var FR = kinds.length ? 18 : LANE, rowsN = kinds.length || (marks.length ? 1 : 0);
            var top = TOP + rowsN * FR;
            var H = top + procs.length * LANE + 10;
            var svg = el("svg", { width: LEFT + W + PAD, height: H, role: "img",
              "aria-label": "Timeline of " + ops.length + " operations, one lane per process" });
            var defs = el("defs", {}, svg);
            var hatch = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
              patternTransform: "rotate(45)" }, defs);
            el("rect", { width: 6, height: 6, fill: "#f1f1f1" }, hatch);
            el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#c8c8c8", "stroke-width": 3 }, hatch);
            gradient(defs, "fade", "#a9b8d4");
            gradient(defs, "fadegreen", "#7fcf9c");
            gradient(defs, "fadeamber", "#ffd060");

            procs.forEach(function (p, k) {
              el("rect", { "class": "lane-bg", x: 0, y: top + k * LANE, width: LEFT + W + PAD, height: LANE,
                fill: k % 2 ? "#f7f9fc" : "#ffffff" }, svg);
            });
            var ticks = Math.max(4, Math.round(W / 180));
            for (var k = 0; k <= ticks; k++) {
              var v = lo + (hi - lo) * k / ticks, x = X(v);
              el("line", { "class": "grid", x1: x, y1: TOP - 8, x2: x, y2: H }, svg);
              var t = useTime ? time(v) : "line " + idx[Math.min(idx.length - 1, Math.round(v))];
              el("text", { "class": "axis", x: x + 3, y: 14 }, svg).textContent = t;
            }
            // Faults in effect: shaded across the lanes, and a bar in their kind's row of the strip.
            function rankOf(line) {
              var a = 0, b = idx.length;
              while (a < b) { var m = (a + b) >> 1; if (idx[m] < line) { a = m + 1; } else { b = m; } }
              return a - 0.5;
            }
            function clamp(v) { return Math.min(Math.max(v, lo), open); }
            faults.forEach(function (f) {
              var s = useTime ? f.s : (f.si === null ? lo : rankOf(f.si));
              var e = f.open ? open : (useTime ? f.e : (f.ei === null ? open : rankOf(f.ei)));
              var x1 = X(clamp(s)), w = Math.max(3, X(clamp(e)) - x1), row = kinds.indexOf(f.k);
              var g = el("g", { "class": "span" }, svg);
              el("rect", { x: x1, y: top, width: w, height: H - top, fill: f.c, "fill-opacity": 0.1 }, g);
              el("rect", { x: x1, y: TOP + row * FR + 3, width: w, height: FR - 6, fill: f.c, "fill-opacity": 0.75, rx: 2 }, g);
              el("title", {}, g).textContent = f.v;
            });
            if (marks.length) {
              marks.forEach(function (n) {
                var x = X(useTime ? n.s : rank[n.i]);
                var g = el("g", { "class": "nem" }, svg);
                el("line", { x1: x, y1: TOP + 2, x2: x, y2: H, "stroke-opacity": 0.35 }, g);
                el("line", { x1: x, y1: TOP + 2, x2: x, y2: top - 2 }, g);
                if (!kinds.length) { el("text", { x: x + 3, y: TOP + 16 }, g).textContent = n.f; }
                el("title", {}, g).textContent = n.p + " " + n.t + " " + n.f + " " + n.v + " (line " + n.i + ")" +
                  (n.s !== null ? " at " + time(n.s) : "");
              });
            }
            var bars = 0, focus = null;
            ops.forEach(function (o, k) {
              var x1 = X(xs(o)), e = xe(o), x2 = e === null ? X(open) : X(e);
              var w = Math.max(4, x2 - x1), y = top + lane[o.p] * LANE + (LANE - BAR) / 2;
              var cls = "op " + o.t + (o.n ? " prefix" : "") + (o.b ? " blocking" : (o.a !== undefined ? " candidate" : ""));
              var g = el("g", { "class": cls, "data-k": k }, svg);
              el("rect", { x: x1, y: y, width: w, height: BAR, rx: 2 }, g);
              // The full label if it fits, else "#n f", "#n" or "f", else nothing.
              var room = Math.floor((w - 6) / 6.7), n = o.n ? "#" + o.n : "";
              var text = [label(o), n ? n + " " + o.f : o.f, n || o.f].filter(function (t) { return t.length <= room; })[0];
              if (text) { el("text", { x: x1 + 3, y: y + 12 }, g).textContent = text; }
              el("title", {}, g).textContent = tooltip(o, d);
              if (o.b) {
                focus = x1;
                if (e !== null) {
                  el("line", { "class": "deadline", x1: X(e), y1: TOP - 10, x2: X(e), y2: H }, svg);
                  el("text", { "class": "axis deadline-label", x: X(e) - 4, y: TOP - 2, "text-anchor": "end" }, svg).textContent =
                    "op " + o.i + " must take effect by here";
                }
              }
              bars++;
            });
            function pick(ev) {
              var g = ev.target.closest ? ev.target.closest("g.op") : null;
              if (!g) { return; }
              var sel = svg.querySelector("g.sel");
              if (sel) { sel.classList.remove("sel"); }
              g.classList.add("sel");
              show(ops[Number(g.getAttribute("data-k"))], d);
            }
            // Lane names stay in view when the timeline scrolls sideways (see `stick`).
            var names = el("g", { "class": "lane-names" }, svg);
            el("rect", { x: 0, y: 0, width: LEFT - 6, height: H, fill: "#ffffff", "fill-opacity": 0.92 }, names);
            if (kinds.length) {
              kinds.forEach(function (k, r) { el("text", { "class": "lane-label", x: 8, y: TOP + r * FR + 13 }, names).textContent = k; });
            } else if (marks.length) { el("text", { "class": "lane-label", x: 8, y: TOP + 16 }, names).textContent = "faults"; }
            procs.forEach(function (p, k) {
              el("text", { "class": "lane-label", x: 8, y: top + k * LANE + 16 }, names).textContent = "process " + p;
            });
            st.names = names;
            svg.addEventListener("mouseover", pick);
            svg.addEventListener("click", pick);
            clear(box);
            box.appendChild(svg);
            if (focus !== null) { box.scrollLeft = Math.max(0, focus - box.clientWidth / 2); }
            stick(box, st);
            return bars;
          }


        """#
}
