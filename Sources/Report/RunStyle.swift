/// The run report's additions to the check report's style sheet and script: notes, metadata, the
/// statistics table and the plots.
enum RunStyle {
    /// Style rules for the run report's own elements (added after `HTMLStyle.css`).
    static let css = """
        .badge.unchecked { background: #6b7280; }
        section.notes { margin: 16px 0 4px; padding: 8px 14px; background: #fff6d6; border: 1px solid #e2c15a;
          border-left: 6px solid #d69e00; border-radius: 4px; }
        section.notes h2 { margin: 2px 0 4px; font-size: 15px; color: #7a5600; }
        section.notes ul { margin: 0; padding-left: 20px; } section.notes li { margin: 2px 0; font-weight: 500; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 14px 0 0;
          font-size: 13px; }
        dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-word; }
        table.num { border-collapse: collapse; font-size: 13px; }
        table.num th, table.num td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: right;
          font-variant-numeric: tabular-nums; }
        table.num th { background: var(--panel); }
        table.num th:first-child, table.num td:first-child { text-align: left; }
        table.num tr.total td { font-weight: 600; border-top: 2px solid var(--line); }
        .gaps { color: #8a5a00; font-size: 13px; }
        figure.plot { margin: 6px 0 10px; max-width: 1400px; }
        figure.plot figcaption { color: var(--muted); font-size: 12.5px; }
        figure.plot .readout { margin-left: 8px; color: var(--fg); font-variant-numeric: tabular-nums; }
        svg.plot { display: block; width: 100%; height: auto; background: #fff; }
        svg.plot text { font: 11px system-ui, sans-serif; fill: #5b6475; }
        svg.plot .grid { stroke: #e6e9ef; stroke-width: 1; }
        svg.plot .frame { fill: none; stroke: #b9c0cc; stroke-width: 1; }
        svg.plot .fault-label { font-size: 10px; }
        svg.plot .faults rect.open { stroke: #1d2330; stroke-dasharray: 3 2; stroke-width: .8; }
        svg.plot .pct line { stroke: #1d2330; stroke-width: .8; stroke-dasharray: 6 4; opacity: .55; }
        svg.plot .pct text { fill: #1d2330; font-size: 10.5px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
        .pts { fill: none; }
        .pts.ok { stroke: #2d7d4f; stroke-opacity: .45; stroke-width: 3.2; stroke-linecap: round; }
        .pts.fail { stroke: #c62828; stroke-width: 1.5; }
        .pts.info { fill: #e09600; stroke: #8a5a00; stroke-width: .6; }
        .rate { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
        .rate.ok { stroke: #2d7d4f; } .rate.fail { stroke: #c62828; } .rate.info { stroke: #e09600; }
        .sw.fault { width: 14px; opacity: .8; border-color: transparent; }
        .sw.mark { border: none; width: 14px; height: 12px; margin-left: 10px; vertical-align: -2px; }
        .fault-list table, .stats table { margin-bottom: 8px; }
        .fault-list table { border-collapse: collapse; font-size: 12.5px; }
        .fault-list th, .fault-list td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left;
          vertical-align: top; }
        .fault-list th { background: var(--panel); }
        .fault-list td:last-child { word-break: break-all; font-family: ui-monospace, Menlo, Consolas, monospace; }
        section.check { border-top: 2px solid var(--line); margin-top: 24px; }
        .sw.mark .pts.ok, .pts.ok.sparse { stroke-width: 5; stroke-opacity: .75; }
        /* The details panel appears once an operation of a timeline is hovered or clicked. */
        .details:has(> .hint) { display: none; }

        """

    /// The legend of the latency plot's marks, as inline SVG swatches.
    static let markLegend =
        "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><path class=\"pts ok\" d=\"M7 6h0\"/></svg>ok "
        + "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><path class=\"pts fail\" d=\"M4 3l6 6m0-6l-6 6\"/></svg>fail "
        + "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><path class=\"pts info\" d=\"M7 2.5l3.5 6h-7z\"/></svg>info (timed out or unknown) "
        + "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><g class=\"pct\"><line x1=\"0\" y1=\"6\" x2=\"14\" y2=\"6\"/></g></svg>p50 and p99 of ok "

    /// The legend of the throughput plot's lines.
    static let rateLegend =
        "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><path class=\"rate ok\" d=\"M0 6h14\"/></svg>ok "
        + "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><path class=\"rate fail\" d=\"M0 6h14\"/></svg>fail "
        + "<svg class=\"sw mark\" viewBox=\"0 0 14 12\"><path class=\"rate info\" d=\"M0 6h14\"/></svg>info "

    /// Marks each plot's figure with how many of its series have a visible size (`data-drawn`, and the
    /// total on `<body>` as `data-plots`), and shows the time and value under the pointer.
    static let js = #"""
        (function () {
          "use strict";
          var plots = 0;
          Array.prototype.forEach.call(document.querySelectorAll("figure.plot"), function (fig) {
            var svg = fig.querySelector("svg.plot");
            if (!svg) { return; }
            var n = 0;
            Array.prototype.forEach.call(svg.querySelectorAll("path.pts, path.rate"), function (p) {
              var b = p.getBBox();
              if (b.width > 0 || b.height > 0) { n++; }
            });
            fig.setAttribute("data-drawn", String(n));
            if (n > 0) { plots++; }
            var out = fig.querySelector(".readout");
            var left = Number(svg.getAttribute("data-left")), width = Number(svg.getAttribute("data-width"));
            var t1 = Number(svg.getAttribute("data-t1"));
            if (!out) { return; }
            svg.addEventListener("mousemove", function (ev) {
              var r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
              var x = (ev.clientX - r.left) / r.width * vb.width;
              if (x < left || x > left + width) { out.textContent = ""; return; }
              out.textContent = "pointer at " + ((x - left) / width * t1 / 1e9).toFixed(3) + " s";
            });
          });
          document.body.setAttribute("data-plots", String(plots));
        })();

        """#
}
