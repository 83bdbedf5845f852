/// The HTML report's style sheet, inlined into every page.
enum HTMLStyle {
    /// Colours: green for the linearizable prefix, red for the blocking operation, amber for other
    /// candidates, grey-blue for other ok operations; fail is hatched grey, info fades out to the right.
    static let css = """
        :root { --fg: #1d2330; --muted: #5b6475; --line: #d5dae3; --bg: #ffffff; --panel: #f6f8fb; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
          color: var(--fg); background: var(--bg); }
        header, main, footer { padding: 0 24px; }
        header { border-bottom: 1px solid var(--line); background: var(--panel); padding-bottom: 8px; }
        h1 { font-size: 20px; margin: 0; padding-top: 14px; word-break: break-all; }
        h2 { font-size: 17px; margin: 22px 0 6px; word-break: break-all; }
        .summary { margin: 6px 0 0; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600;
          font-size: 12px; letter-spacing: .04em; vertical-align: 2px; color: #fff; }
        .badge.valid { background: #2d7d4f; } .badge.invalid { background: #c62828; }
        .badge.unknown { background: #b7791f; }
        .ok-note { font-size: 15px; color: #2d7d4f; }
        .legend { color: var(--muted); font-size: 12.5px; margin: 14px 0 0; }
        .sw { display: inline-block; width: 22px; height: 11px; border: 1px solid #777;
          vertical-align: -1px; margin: 0 3px 0 10px; }
        .sw.prefix { background: #b7e4c7; border-color: #2d6a4f; }
        .sw.blocking { background: #ff9e9e; border: 2px solid #c62828; }
        .sw.candidate { background: #ffe39a; border-color: #b8860b; }
        .sw.ok { background: #dfe6ef; border-color: #7b8a9a; }
        .sw.fail { background: repeating-linear-gradient(45deg, #eee 0 3px, #ccc 3px 5px); border-style: dashed; }
        .sw.info { background: linear-gradient(90deg, #c9d3e6, #fff); border-style: dashed; border-right: none; }
        .sw.nemesis { background: #7a4ea3; border-color: #4b2a6b; width: 4px; }
        .sw.span { background: rgba(122, 78, 163, .22); border-color: #b9a3cf; }
        section.key { border-top: 1px solid var(--line); margin-top: 18px; }
        pre.prose { background: var(--panel); border: 1px solid var(--line); border-radius: 4px;
          padding: 8px 10px; white-space: pre-wrap; word-break: break-word; font-size: 12.5px; }
        .note { color: #8a5a00; }
        .omitted, .more { color: var(--muted); font-size: 12.5px; }
        .controls { margin: 6px 0 4px; font-size: 12.5px; color: var(--muted); }
        .controls button { font: inherit; margin: 0 2px; padding: 1px 8px; border: 1px solid #aab;
          background: #fff; border-radius: 3px; cursor: pointer; }
        .controls button.on { background: #1d2330; color: #fff; border-color: #1d2330; }
        .controls button:disabled { opacity: .4; cursor: default; }
        .timeline { overflow-x: auto; overflow-y: hidden; border: 1px solid var(--line); border-radius: 4px;
          background: #fff; max-height: 640px; overflow-y: auto; }
        .timeline svg { display: block; }
        .timeline text { font: 11px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; fill: #1d2330; }
        .timeline .lane-label { fill: var(--muted); }
        .timeline .axis { fill: var(--muted); font-size: 10.5px; }
        .timeline .grid { stroke: #eef0f4; }
        .timeline .lane-bg:nth-of-type(odd) { fill: #fafbfd; }
        .op rect { fill: #dfe6ef; stroke: #7b8a9a; stroke-width: 1; }
        .op.prefix rect { fill: #b7e4c7; stroke: #2d6a4f; }
        .op.candidate rect { fill: #ffe39a; stroke: #b8860b; }
        .op.blocking rect { fill: #ff9e9e; stroke: #c62828; stroke-width: 2.5; }
        .op.fail rect { fill: url(#hatch); stroke: #999; stroke-dasharray: 3 2; }
        .op.fail text { fill: #777; text-decoration: line-through; }
        .op.info rect { fill: url(#fade); stroke: #8796b0; stroke-dasharray: 4 3; }
        .op.info.prefix rect { fill: url(#fadegreen); stroke: #2d6a4f; }
        .op.info.candidate rect { fill: url(#fadeamber); stroke: #b8860b; }
        .op { cursor: pointer; }
        .op:hover rect, .op.sel rect { stroke: #1d2330; stroke-width: 2; }
        .deadline { stroke: #c62828; stroke-width: 1.5; stroke-dasharray: 5 3; }
        .deadline-label { fill: #c62828 !important; }
        .nem line { stroke: #7a4ea3; stroke-width: 2; } .nem text { fill: #4b2a6b; }
        .details { position: fixed; right: 12px; bottom: 12px; width: 380px; max-height: 45vh; overflow: auto;
          background: #fff; border: 1px solid #b9c0cc; border-radius: 6px; box-shadow: 0 4px 16px rgba(0,0,0,.12);
          padding: 8px 10px; font-size: 12.5px; }
        .details .hint { color: var(--muted); margin: 0; }
        .details table { border-collapse: collapse; width: 100%; }
        .details td { padding: 1px 4px; vertical-align: top; word-break: break-word; }
        .details td:first-child { color: var(--muted); white-space: nowrap; }
        .partitions table { border-collapse: collapse; font-size: 12.5px; margin-bottom: 8px; }
        .partitions th, .partitions td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; }
        .partitions th { background: var(--panel); position: sticky; top: 0; }
        .partitions tr.invalid td:nth-child(2) { color: #c62828; font-weight: 600; }
        .partitions tr.unknown td:nth-child(2) { color: #b7791f; font-weight: 600; }
        .partitions td:nth-child(n+3):nth-child(-n+10) { text-align: right; font-variant-numeric: tabular-nums; }
        footer { color: var(--muted); font-size: 12px; padding-top: 12px; padding-bottom: 200px; }

        """
}
