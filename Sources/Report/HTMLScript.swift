/// The HTML report's script, inlined into every page: draws each timeline from its embedded JSON.
///
/// It builds SVG with `createElementNS`, `setAttribute` and `textContent` only (never `innerHTML`),
/// so values from the history cannot inject markup. After drawing, each timeline element carries
/// `data-rendered="N bars"`, and `<body>` the total, which the browser test reads.
enum HTMLScript {
    static let js = prelude + TimelineScript.draw + main

    /// Constants, formatting and the details panel.
    private static let prelude = #"""
        (function () {
          "use strict";
          var NS = "http://www.w3.org/2000/svg";
          var LANE = 24, BAR = 16, LEFT = 86, TOP = 36, PAD = 60;
          var panel = document.getElementById("details");

          function el(name, attrs, parent) {
            var e = document.createElementNS(NS, name);
            for (var k in attrs) { if (attrs[k] !== undefined) { e.setAttribute(k, String(attrs[k])); } }
            if (parent) { parent.appendChild(e); }
            return e;
          }
          function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
          function time(ns) { return (ns / 1e9).toFixed(6) + " s"; }
          function dur(ns) {
            if (ns < 1e3) { return ns + " ns"; }
            if (ns < 1e6) { return (ns / 1e3).toFixed(1) + " \u00b5s"; }
            if (ns < 1e9) { return (ns / 1e6).toFixed(2) + " ms"; }
            return (ns / 1e9).toFixed(3) + " s";
          }
          function label(o) {
            var s = o.n ? "#" + o.n + " " : "";
            s += o.f;
            if (o.v !== "null") { s += " " + o.v; }
            if (o.o !== null && o.o !== o.v) { s += " \u2192 " + o.o; }
            return s;
          }
          var OUTCOME = { ok: "ok (took effect)", fail: "fail (did not take effect)",
            info: "info (unknown: may take effect at any time after its invocation, or never)" };
          function rows(o, d) {
            var r = [["operation", "invoked at line " + o.i + (o.c !== null ? ", completed at line " + o.c : ", never completed")],
              ["process", o.p], ["function", o.f], ["value", o.v],
              ["result", o.o === null ? "(none)" : o.o], ["outcome", OUTCOME[o.t] || o.t]];
            if (o.s !== null) { r.push(["invoked", time(o.s)]); }
            if (o.e !== null && o.t === "info") { r.push(["info recorded", time(o.e)]); }
            else if (o.e !== null) { r.push(["completed", time(o.e)]); r.push(["duration", dur(o.e - o.s)]); }
            if (o.err) { r.push(["error", o.err]); }
            if (o.node) { r.push(["node", o.node]); }
            if (o.n) { r.push(["linearized", "#" + o.n + " of " + d.prefixLength + " in the prefix"]); r.push(["state after", o.st]); }
            if (o.b) { r.push(["blocking", "completes before any order can place it"]); }
            if (o.a !== undefined) { r.push(["model reads", o.call]); r.push(["after the prefix", o.a]); }
            return r;
          }
          function show(o, d) {
            if (!panel) { return; }
            clear(panel);
            var h = document.createElement("strong");
            h.textContent = label(o) + (d.key !== null ? "  (key " + d.key + ")" : "");
            panel.appendChild(h);
            var t = document.createElement("table");
            rows(o, d).forEach(function (r) {
              var tr = document.createElement("tr");
              var a = document.createElement("td"); a.textContent = r[0];
              var b = document.createElement("td"); b.textContent = r[1];
              tr.appendChild(a); tr.appendChild(b); t.appendChild(tr);
            });
            panel.appendChild(t);
          }
          function stick(box, st) {
            if (st.names) { st.names.setAttribute("transform", "translate(" + box.scrollLeft + ",0)"); }
          }
          function tooltip(o, d) { return rows(o, d).map(function (r) { return r[0] + ": " + r[1]; }).join("\n"); }
          function gradient(defs, id, colour) {
            var g = el("linearGradient", { id: id }, defs);
            el("stop", { offset: "0%", "stop-color": colour }, g);
            el("stop", { offset: "100%", "stop-color": colour, "stop-opacity": "0" }, g);
          }


        """#

    /// The axis and zoom buttons, and the loop over every timeline on the page.
    private static let main = #"""
          function button(text, parent, onclick) {
            var b = document.createElement("button");
            b.type = "button"; b.textContent = text; b.addEventListener("click", onclick);
            parent.appendChild(b);
            return b;
          }
          function controls(div, d, st, redraw) {
            if (!div) { return; }
            div.appendChild(document.createTextNode("x axis: "));
            var bt = button("time", div, function () { st.mode = "time"; sync(); redraw(); });
            var bo = button("event order", div, function () { st.mode = "order"; sync(); redraw(); });
            bt.disabled = d.axis !== "time";
            if (bt.disabled) { bt.title = "some operations have no time"; }
            div.appendChild(document.createTextNode("  zoom: "));
            button("\u2212", div, function () { st.zoom = Math.max(0.25, st.zoom / 2); redraw(); });
            button("+", div, function () { st.zoom = Math.min(16, st.zoom * 2); redraw(); });
            function sync() { bt.className = st.mode === "time" ? "on" : ""; bo.className = st.mode === "order" ? "on" : ""; }
            sync();
          }

          var total = 0;
          Array.prototype.forEach.call(document.querySelectorAll("script.tl-data"), function (s) {
            var id = s.getAttribute("data-target"), box = document.getElementById(id);
            if (!box) { return; }
            try {
              var d = JSON.parse(s.textContent);
              var st = { mode: d.axis === "time" ? "time" : "order", zoom: 1 };
              var redraw = function () {
                var n = draw(box, d, st);
                box.setAttribute("data-rendered", n + " bars");
                return n;
              };
              total += redraw();
              box.addEventListener("scroll", function () { stick(box, st); });
              controls(document.querySelector(".controls[data-for='" + id + "']"), d, st, redraw);
            } catch (err) {
              box.textContent = "Could not draw this timeline: " + err;
              console.error("schism timeline " + id + ": " + err);
            }
          });
          document.body.setAttribute("data-rendered", total + " bars");
        })();

        """#
}
