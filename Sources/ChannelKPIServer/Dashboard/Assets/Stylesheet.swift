/// The dashboard's stylesheet, served at `/assets/app.css` (no CDN, no web fonts).
enum Stylesheet {
  static let css = """
    :root {
      --ink: #0f172a; --ink-2: #334155; --muted: #526075; --line: #dfe4ec; --line-2: #c7cfdb;
      --bg: #f4f6fa; --card: #ffffff; --brand: #1d4ed8; --brand-ink: #1e3a8a; --brand-soft: #e8efff;
      --good: #116932; --good-bg: #dcf5e5; --bad: #a61b1b; --bad-bg: #fde4e4;
      --warn: #8a4b00; --warn-bg: #fdefc8; --idle: #475467; --idle-bg: #eceff3;
      --focus: #f59e0b; --radius: 10px; --shadow: 0 1px 2px rgb(15 23 42 / 6%), 0 1px 3px rgb(15 23 42 / 8%);
      --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
      --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; font: 15px/1.5 var(--font); color: var(--ink); background: var(--bg); min-height: 100vh;
      display: flex; flex-direction: column; }
    a { color: var(--brand); text-underline-offset: 2px; }
    a:hover { color: var(--brand-ink); }
    :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
    main:focus { outline: none; }
    h1, h2, h3 { line-height: 1.25; margin: 0; }
    h1 { font-size: 1.65rem; letter-spacing: -0.01em; }
    h2 { font-size: 1.15rem; margin: 2rem 0 0.75rem; }
    h3 { font-size: 0.95rem; }
    p { margin: 0.4rem 0; }
    code { font-family: var(--mono); font-size: 0.85em; background: var(--idle-bg); padding: 0.1em 0.35em; border-radius: 4px; }
    .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
      clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
    .skip-link { position: absolute; left: 1rem; top: -3rem; z-index: 10; background: var(--card); color: var(--brand-ink);
      padding: 0.5rem 0.9rem; border-radius: 6px; box-shadow: var(--shadow); font-weight: 600; }
    .skip-link:focus { top: 0.75rem; }

    /* Header, navigation and period picker */
    .site-header { background: #0b1f4b; color: #fff; }
    .site-header .bar { max-width: 1280px; margin: 0 auto; padding: 0 1.5rem; display: flex; align-items: center;
      gap: 2rem; min-height: 56px; }
    .brand { display: inline-flex; align-items: center; gap: 0.55rem; color: #fff; font-weight: 700; font-size: 1.1rem;
      text-decoration: none; letter-spacing: -0.01em; }
    .brand:hover { color: #fff; }
    .logo svg { display: block; }
    .logo-a { fill: #93c5fd; } .logo-b { fill: #60a5fa; } .logo-c { fill: #fbbf24; }
    .site-header nav ul { list-style: none; display: flex; gap: 0.25rem; margin: 0; padding: 0; flex-wrap: wrap; }
    .site-header nav a { display: block; color: #dbe6ff; text-decoration: none; padding: 0.45rem 0.8rem; border-radius: 6px;
      font-weight: 500; }
    .site-header nav a:hover { background: rgb(255 255 255 / 10%); color: #fff; }
    .site-header nav a[aria-current="page"] { background: rgb(255 255 255 / 16%); color: #fff;
      box-shadow: inset 0 -3px 0 #fbbf24; }
    .toolbar { background: var(--card); color: var(--ink); border-bottom: 1px solid var(--line); }
    .toolbar-inner { max-width: 1280px; margin: 0 auto; padding: 0.6rem 1.5rem; display: flex; flex-wrap: wrap;
      align-items: flex-end; gap: 0.5rem 1.75rem; }
    .toolbar-inner > * { margin: 0; }
    .period-picker { display: flex; align-items: flex-end; gap: 0.75rem; flex-wrap: wrap; }
    .field { display: flex; flex-direction: column; gap: 0.15rem; }
    .field label, .field .label { font-size: 0.75rem; font-weight: 600; color: var(--muted); text-transform: uppercase;
      letter-spacing: 0.04em; }
    select, input[type="search"], input[type="text"], input[type="file"] { font: inherit; color: var(--ink); background: #fff;
      border: 1px solid var(--line-2); border-radius: 6px; padding: 0.3rem 0.55rem; height: 2.25rem; }
    input[type="file"] { height: auto; padding: 0.3rem; }
    select:disabled { background: var(--idle-bg); color: var(--muted); }
    .btn { display: inline-flex; align-items: center; gap: 0.35rem; font: inherit; font-weight: 600; color: #fff;
      background: var(--brand); border: 1px solid var(--brand); border-radius: 6px; padding: 0.35rem 0.9rem;
      height: 2.25rem; cursor: pointer; text-decoration: none; white-space: nowrap; }
    .btn:hover { background: var(--brand-ink); color: #fff; }
    .btn-quiet { background: #fff; color: var(--brand); border-color: var(--line-2); }
    .btn-quiet:hover { background: var(--brand-soft); color: var(--brand-ink); }
    .period-steps { display: flex; align-items: center; gap: 0.5rem; font-size: 0.9rem; min-height: 2.25rem; }
    .current-period { font-weight: 700; }
    .step { text-decoration: none; padding: 0.2rem 0.5rem; border-radius: 6px; }
    .step:hover { background: var(--brand-soft); }
    .toolbar-note { color: var(--warn); font-size: 0.85rem; }

    /* Page */
    main { display: block; flex: 1 0 auto; width: 100%; max-width: 1280px; margin: 0 auto; padding: 1.75rem 1.5rem 3rem; }
    #mapping { max-width: 26rem; }
    .page-header { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 1.25rem; }
    .eyebrow { color: var(--muted); font-weight: 600; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em;
      margin: 0; }
    .lead { color: var(--ink-2); max-width: 70ch; }
    .crumbs { font-size: 0.85rem; color: var(--muted); }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow);
      padding: 1.1rem 1.25rem; }
    .grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1rem; }
    .grid-3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem; }
    .card h2 { margin-top: 0; }
    .card-note { color: var(--muted); font-size: 0.85rem; }
    .empty { background: var(--card); border: 1px dashed var(--line-2); border-radius: var(--radius); padding: 2rem;
      text-align: center; color: var(--ink-2); }
    .empty-title { font-weight: 700; font-size: 1.1rem; color: var(--ink); }
    .site-footer { border-top: 1px solid var(--line); background: var(--card); color: var(--muted); font-size: 0.85rem; }
    .site-footer p { max-width: 1280px; margin: 0 auto; padding: 1rem 1.5rem; display: flex; flex-wrap: wrap; gap: 0.4rem 1.5rem; }
    .site-footer .defs { color: var(--ink-2); font-weight: 600; }

    /* Status and change */
    .badge { display: inline-flex; align-items: center; gap: 0.3rem; font-size: 0.75rem; font-weight: 700;
      padding: 0.1rem 0.55rem; border-radius: 999px; white-space: nowrap; }
    .badge::before { content: ""; width: 0.5rem; height: 0.5rem; border-radius: 50%; background: currentColor; }
    .badge-on_track { color: var(--good); background: var(--good-bg); }
    .badge-at_risk { color: var(--warn); background: var(--warn-bg); }
    .badge-off_track { color: var(--bad); background: var(--bad-bg); }
    .badge-no_data { color: var(--idle); background: var(--idle-bg); }
    .alerts-firing { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.5rem 0; }
    .alerts-firing .badge { text-decoration: none; padding: 0.2rem 0.6rem; }
    .status-summary { display: flex; gap: 0.5rem; list-style: none; padding: 0; margin: 0.5rem 0 0; flex-wrap: wrap; }
    .status-summary .badge { font-size: 0.85rem; padding: 0.25rem 0.75rem; }
    .summary-note { color: var(--muted); }
    .chg { font-weight: 600; font-size: 0.85rem; white-space: nowrap; }
    .chg .arrow { font-size: 0.7em; vertical-align: 0.1em; }
    .chg .vs { font-weight: 400; color: var(--muted); }
    .chg-good { color: var(--good); } .chg-bad { color: var(--bad); } .chg-neutral, .chg-none { color: var(--idle); }

    /* Overview tiles */
    .family h2 { display: flex; align-items: center; gap: 0.5rem; }
    .family h2::before { content: ""; width: 4px; height: 1.1em; background: var(--brand); border-radius: 2px; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(245px, 1fr)); gap: 0.9rem; }
    .tile { position: relative; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
      box-shadow: var(--shadow); padding: 0.9rem 1rem 0.8rem; display: flex; flex-direction: column; gap: 0.35rem;
      transition: border-color 0.15s, box-shadow 0.15s; }
    .tile:hover { border-color: #9db4f0; box-shadow: 0 4px 14px rgb(29 78 216 / 12%); }
    .tile:focus-within { border-color: var(--brand); }
    .tile-title { font-size: 0.9rem; font-weight: 600; color: var(--ink-2); }
    .tile-title a { color: inherit; text-decoration: none; }
    .tile-title a:hover { text-decoration: underline; }
    .stretched::after { content: ""; position: absolute; inset: 0; border-radius: var(--radius); }
    .tile-main { display: flex; align-items: flex-end; justify-content: space-between; gap: 0.5rem; }
    .tile-value { font-size: 1.7rem; font-weight: 700; letter-spacing: -0.02em; margin: 0; font-variant-numeric: tabular-nums;
      line-height: 1.1; white-space: nowrap; }
    .tile-value .unit, .small .v .unit { font-size: 0.95rem; font-weight: 600; color: var(--muted); letter-spacing: 0; }
    .tile-spark { position: relative; z-index: 1; flex: none; }
    .tile-changes { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.05rem; }
    .tile-target .pace { flex-basis: 100%; color: var(--muted); }
    .tile-target { display: flex; align-items: center; flex-wrap: wrap; gap: 0.35rem; font-size: 0.8rem; color: var(--ink-2);
      margin: 0.2rem 0 0; padding-top: 0.45rem; border-top: 1px solid var(--line); }

    /* Charts */
    svg.spark { display: block; overflow: visible; }
    svg.contribution, svg.peer-chart { display: block; overflow: visible; max-width: 100%; }
    .contribution-up { fill: #22a05a; } .contribution-down { fill: #d64545; }
    .contribution-axis { stroke: var(--muted, #8a94a6); stroke-width: 1; }
    .peer-box { fill: #dbe4fb; stroke: #6b8fe8; stroke-width: 1; } .peer-whisker, .peer-p90 { stroke: #6b8fe8; stroke-width: 1.5; }
    .peer-median { stroke: #1f3f99; stroke-width: 2; } .peer-value { fill: #e0701a; stroke: #fff; stroke-width: 1.5; }
    .peer-external { fill: #7a4fd1; }
    .explain-link { font-size: 0.9rem; white-space: nowrap; position: relative; z-index: 1; }
    .spark-line { fill: none; stroke: var(--brand); stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
    .spark-dot { fill: var(--brand); }
    .spark-last { fill: var(--brand); stroke: #fff; stroke-width: 1.5; }
    .spark-none { stroke: var(--line-2); stroke-dasharray: 3 3; }
    .hit { fill: transparent; }
    .hit:hover { fill: rgb(29 78 216 / 15%); }
    svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
    .chart .grid { stroke: #e8ecf2; } .chart .zero { stroke: var(--line-2); }
    .chart .axis { stroke: #98a2b3; }
    .chart .tick { fill: var(--muted); font-size: 12px; font-family: var(--font); }
    .chart .band { fill: #eef3ff; }
    .chart .line { fill: none; stroke-width: 2.4; stroke-linejoin: round; stroke-linecap: round; }
    .chart .line.actual { stroke: var(--brand); }
    .chart .line.baseline { stroke: #7c8797; stroke-dasharray: 5 4; stroke-width: 1.8; }
    .chart .line.target { stroke: #c2410c; stroke-dasharray: 8 5; stroke-width: 2; }
    .chart .pt.actual { fill: #fff; stroke: var(--brand); stroke-width: 2.2; }
    .chart .line.forecast { stroke: var(--brand); stroke-dasharray: 7 4; stroke-width: 2.2; }
    .chart .line.interval { stroke: #9db3ef; stroke-dasharray: 2 3; stroke-width: 1.5; }
    .chart .bar { fill: #6b8fe8; } .chart .bar:hover { fill: var(--brand); }
    .chart-empty { fill: var(--muted); font-size: 14px; }
    .legend { display: flex; gap: 1.25rem; flex-wrap: wrap; list-style: none; padding: 0; margin: 0.5rem 0 0; font-size: 0.85rem;
      color: var(--ink-2); }
    .legend li { display: inline-flex; align-items: center; gap: 0.4rem; }
    .key { display: inline-block; width: 22px; height: 0; border-top: 3px solid var(--brand); }
    .key-baseline { border-top: 2px dashed #7c8797; } .key-target { border-top: 2px dashed #c2410c; }
    .key-forecast { border-top: 2px dashed var(--brand); } .key-interval { border-top: 2px dotted #9db3ef; }
    .key-band { width: 14px; height: 14px; border: 0; background: #eef3ff; outline: 1px solid #d6e0fb; }
    details.data-table { margin-top: 0.75rem; }
    details.data-table summary { cursor: pointer; color: var(--brand); font-size: 0.85rem; }

    /* Tables */
    .table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
      box-shadow: var(--shadow); }
    table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
    caption { text-align: left; font-weight: 600; padding: 0.75rem 1rem 0.25rem; }
    th, td { text-align: left; padding: 0.5rem 0.85rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
    thead th { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); background: #f8fafc;
      white-space: nowrap; }
    tbody tr:last-child td, tbody tr:last-child th { border-bottom: 0; }
    tbody tr:hover { background: #f8faff; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    thead th a { color: inherit; text-decoration: none; display: inline-flex; gap: 0.25rem; align-items: center; }
    thead th a:hover { color: var(--brand); text-decoration: underline; }
    tbody th { font-weight: 600; }
    tbody a, .small h3 a { text-decoration-color: rgb(29 78 216 / 35%); }
    tbody a:hover, .small h3 a:hover { text-decoration-color: currentColor; }
    th[aria-sort] a { color: var(--brand-ink); }
    .sub { display: block; color: var(--muted); font-size: 0.8rem; font-weight: 400; }
    .kpi-table { table-layout: fixed; }
    .kpi-table th:nth-child(1) { width: 40%; } .kpi-table th:nth-child(2) { width: 8%; }
    .kpi-table th:nth-child(3) { width: 14%; } .kpi-table th:nth-child(4) { width: 12%; }
    .kpi-table th:nth-child(5) { width: 16%; } .kpi-table th:nth-child(6) { width: 10%; }
    .kpi-table td { overflow: hidden; }
    .rank { color: var(--muted); width: 2.5rem; }
    .bar-track { display: inline-block; width: 100%; min-width: 48px; height: 8px; background: var(--idle-bg); border-radius: 4px;
      overflow: hidden; vertical-align: middle; }
    .bar-fill { display: block; height: 100%; background: #6b8fe8; border-radius: 4px; }
    .bar-fill.on_track { background: #22a05a; } .bar-fill.at_risk { background: #e0a21a; }
    .bar-fill.off_track { background: #d64545; } .bar-fill.no_data { background: transparent; }
    .bar-cell { width: 28%; }
    ul.lines { margin: 0; padding-left: 1rem; font-size: .85rem; color: var(--muted); }
    table caption { text-align: left; font-weight: 600; padding: .5rem 0; }
    .segment-table { table-layout: fixed; }
    .segment-table th:nth-child(1) { width: 42%; } .segment-table th:nth-child(2) { width: 30%; }
    .segment-table .bar-cell { width: 28%; padding-left: 0.25rem; }
    .pill { display: inline-block; font-size: 0.75rem; padding: 0.05rem 0.5rem; border-radius: 999px; background: var(--idle-bg);
      color: var(--ink-2); white-space: nowrap; }

    /* KPI page */
    .kpi-hero { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 1rem; margin-bottom: 1rem; }
    .stat { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow);
      padding: 0.85rem 1rem; }
    .stat-label { font-size: 0.75rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
    .stat-value { font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 0.1rem 0; }
    .definition { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; margin: 0; font-size: 0.9rem; }
    .definition dt { color: var(--muted); font-weight: 600; }
    .definition dd { margin: 0; }
    .section { margin-top: 1.5rem; }

    /* Partners */
    .filters { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; margin-bottom: 1rem; background: var(--card);
      border: 1px solid var(--line); border-radius: var(--radius); padding: 0.85rem 1rem; box-shadow: var(--shadow); }
    .filters .field input[type="search"] { min-width: 16rem; }
    .result-count { color: var(--muted); margin: 0 0 0.5rem; }
    .partner-table tbody th { min-width: 15rem; }
    .pager { display: flex; gap: 0.35rem; align-items: center; justify-content: center; margin-top: 1rem; flex-wrap: wrap; }
    .pager a, .pager span { min-width: 2.2rem; text-align: center; padding: 0.3rem 0.6rem; border-radius: 6px;
      border: 1px solid var(--line-2); background: #fff; text-decoration: none; }
    .pager [aria-current] { background: var(--brand); color: #fff; border-color: var(--brand); font-weight: 700; }
    .pager .disabled { color: var(--muted); background: var(--idle-bg); }
    .facts { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.35rem 0 0; padding: 0; list-style: none; }
    .scorecard-grid { display: grid; grid-template-columns: minmax(260px, 320px) 1fr; gap: 1rem; align-items: start; }
    @media (max-width: 900px) { .scorecard-grid { grid-template-columns: 1fr; } }
    .pill.stage-won { background: var(--good-bg); color: var(--good); }
    .pill.stage-lost { background: var(--bad-bg); color: var(--bad); }
    .pill.stage-open { background: var(--brand-soft); color: var(--brand-ink); }
    .score { display: flex; align-items: baseline; gap: 0.35rem; }
    .score-value { font-size: 2.6rem; font-weight: 800; letter-spacing: -0.03em; line-height: 1; }
    .score-of { color: var(--muted); font-weight: 600; }
    .meter { height: 10px; background: var(--idle-bg); border-radius: 5px; overflow: hidden; margin: 0.6rem 0; }
    .meter > span { display: block; height: 100%; background: linear-gradient(90deg, #3b82f6, #1d4ed8); }
    .smalls { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0.75rem; }
    .small { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.7rem 0.85rem;
      box-shadow: var(--shadow); }
    .small h3 { font-size: 0.85rem; color: var(--ink-2); }
    .small .v { font-size: 1.2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 0.75rem; list-style: none;
      padding: 0; margin: 0; }
    .counts li { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 0.7rem 0.9rem;
      box-shadow: var(--shadow); }
    .counts .n { display: block; font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .counts .what { color: var(--muted); font-size: 0.85rem; }

    /* Data */
    .upload-form { display: grid; gap: 1rem; }
    .upload-form .row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
    .check { display: flex; gap: 0.5rem; align-items: flex-start; }
    .check input { width: 1.1rem; height: 1.1rem; margin-top: 0.15rem; }
    .hint { color: var(--muted); font-size: 0.85rem; }
    .notice { border-radius: var(--radius); padding: 0.85rem 1rem; margin-bottom: 1rem; border: 1px solid; }
    .notice h2 { margin: 0 0 0.25rem; font-size: 1.05rem; }
    .notice-good { background: var(--good-bg); border-color: #9fd9b4; color: #0b4a23; }
    .notice-bad { background: var(--bad-bg); border-color: #f2b0b0; color: #7a1414; }
    .notice-warn { background: var(--warn-bg); border-color: #f0d48a; color: #5e3400; }
    .error-page { max-width: 40rem; margin: 2rem auto; text-align: center; }
    .error-code { font-size: 3rem; font-weight: 800; color: var(--brand); margin: 0; }
    .error-page .actions { display: flex; gap: 0.75rem; justify-content: center; margin-top: 1.25rem; flex-wrap: wrap; }

    @media (max-width: 720px) {
      .site-header .bar { gap: 0.75rem; flex-wrap: wrap; padding: 0.5rem 1rem; }
      main { padding: 1.25rem 1rem 2rem; }
      .toolbar-inner { padding: 0.6rem 1rem; }
    }
    @media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
    /* Who is signed in; sign-in; the partner portal */
    .account { max-width: 1280px; width: 100%; margin: 0 auto; padding: 0.4rem 1.5rem; display: flex; gap: 1rem;
      align-items: center; justify-content: flex-end; color: var(--muted); font-size: 0.85rem; }
    .account form { margin: 0; }
    .site-header .account { color: #c7d6f5; padding-top: 0; }
    .site-header .account a, .site-header .account .btn-link { color: #fff; }
    .btn-link { background: none; border: 0; padding: 0; font: inherit; color: var(--brand); cursor: pointer;
      text-decoration: underline; text-underline-offset: 2px; }
    input[type="password"], textarea { font: inherit; color: var(--ink); background: #fff; border: 1px solid var(--line-2);
      border-radius: 6px; padding: 0.3rem 0.55rem; }
    input[type="password"] { height: 2.25rem; }
    textarea { width: 100%; min-height: 4.5rem; }
    .login { max-width: 24rem; margin: 4rem auto; padding: 0 1rem; }
    .login h1 { margin-bottom: 1rem; }
    .login-form { display: flex; flex-direction: column; gap: 0.5rem; padding: 1.25rem; }
    .login-form label { font-weight: 600; font-size: 0.85rem; }
    .login-form .btn { margin-top: 0.5rem; justify-content: center; }
    .notice-error { background: var(--bad-bg); color: var(--bad); padding: 0.6rem 0.8rem; border-radius: 6px; }
    .portal main { max-width: 1100px; width: 100%; margin: 0 auto; padding: 1rem 1.5rem 2.5rem; }
    .portal .lead { color: var(--ink-2); }
    .trend-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75rem;
      grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
    .trend-list li { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
      padding: 0.6rem 0.8rem; display: grid; grid-template-columns: 1fr auto; gap: 0.2rem 0.75rem; align-items: center; }
    .trend-list .trend-name { grid-column: 1 / -1; font-weight: 600; font-size: 0.9rem; }
    .review { padding: 1rem 1.25rem; margin: 0.75rem 0; display: flex; flex-direction: column; gap: 0.4rem; }
    .review form { display: flex; flex-direction: column; gap: 0.35rem; align-items: flex-start; }
    .reply { border-left: 3px solid var(--line-2); padding-left: 0.75rem; color: var(--ink-2); }
    @media print {
      .site-header nav, .toolbar form, .skip-link, .pager, .filters, .account, .review form { display: none; }
      body { background: #fff; }
      .card, .table-wrap, .trend-list li { box-shadow: none; break-inside: avoid; }
    }
    """
}
