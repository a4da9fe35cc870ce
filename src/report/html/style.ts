/** The report's stylesheet, inlined into the page (no network). One colour per status. */
export const STYLE = `
:root{--ok:#43a047;--changed:#f2b200;--failed:#d32f2f;--ignored:#ef6c00;--skipped:#b0b0b0;
--blocked:#8e6fc9;--cancelled:#757575;--compensated:#00897b;--running:#1e88e5;--pending:#dddddd;
--unknown:#90a4ae;--retry:#e57373;--ink:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1240px;margin:0 auto;padding:20px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:16px}
.muted{color:var(--muted)}.headline{margin:2px 0 8px;font-size:15px}code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.outcome{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;text-transform:uppercase;font-size:12px;vertical-align:middle}
.o-success{background:var(--ok)}.o-failed,.o-crashed{background:var(--failed)}.o-cancelled{background:var(--cancelled)}.o-running{background:var(--running)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:10px 0}
.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.stats{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.stat{border:1px solid var(--line);border-radius:6px;padding:4px 10px;min-width:72px}
.stat b{display:block;font-size:18px}
.live{background:#e3f2fd;border:1px solid #90caf9;border-radius:6px;padding:8px 12px;margin:8px 0}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;margin:4px 0 8px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:4px}
.legend i.crit{background:#fff;border:2px solid var(--ink)}.legend i.retry{background:var(--retry)}
.scroll{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px}
svg text{font-size:11px;fill:var(--ink)}svg .axis text{fill:var(--muted)}svg .grid{stroke:var(--line)}
svg .row:nth-child(even) rect.band{fill:#fafbfc}svg rect.band{fill:#fff}
.s-ok{--c:var(--ok)}.s-changed{--c:var(--changed)}.s-failed{--c:var(--failed)}.s-ignored{--c:var(--ignored)}
.s-skipped{--c:var(--skipped)}.s-blocked{--c:var(--blocked)}.s-cancelled{--c:var(--cancelled)}
.s-compensated{--c:var(--compensated)}.s-running{--c:var(--running)}.s-pending{--c:var(--pending)}.s-unknown{--c:var(--unknown)}
.bar rect{fill:var(--c)}.bar rect.seg-retry,.bar rect.seg-interrupted{fill:var(--retry)}
.bar line.wait{stroke:var(--muted);stroke-dasharray:2 2}
.bar.crit rect{stroke:var(--ink);stroke-width:1.5}
.bar.rescued rect{stroke:var(--compensated);stroke-width:2;stroke-dasharray:3 2}
.bar:hover rect,.node:hover rect{filter:brightness(.85);cursor:pointer}
.s-running rect{animation:pulse 1.2s ease-in-out infinite}@keyframes pulse{50%{opacity:.55}}
.node rect{fill:var(--c);stroke:#0002;rx:4}.node.crit rect{stroke:var(--ink);stroke-width:2}
.node text{font-size:11px}.edge{fill:none;stroke:#98a2b3;stroke-width:1}.edge.crit{stroke:var(--ink);stroke-width:2}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:var(--c);color:#fff;font-weight:600}
.s-changed.badge,.s-pending.badge,.s-skipped.badge{color:var(--ink)}
.mark{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 4px;font-size:11px;margin-left:4px;color:var(--muted)}
.tools{display:flex;gap:8px;margin-bottom:8px}.tools input{flex:1;padding:6px 8px;border:1px solid var(--line);border-radius:6px;font:inherit}
.tools select{padding:6px;border:1px solid var(--line);border-radius:6px;font:inherit}
.scroll.table{height:min(70vh,calc(26px * var(--rows, 20) + 40px));max-height:70vh}.count{align-self:center}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{text-align:left;padding:0 8px;height:26px;border-bottom:1px solid var(--line);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
tr.spacer td{border:0;padding:0}
th{position:sticky;top:0;background:#fff;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.crit td:first-child{box-shadow:inset 3px 0 var(--ink)}
details.step{border-bottom:1px solid var(--line);padding:6px 0}details.step summary{cursor:pointer}
details.step pre{background:#0f172a;color:#e2e8f0;padding:8px 10px;border-radius:6px;overflow:auto;max-height:420px;white-space:pre-wrap;overflow-wrap:anywhere}
pre .err{color:#fca5a5}pre .add{color:#86efac}pre .del{color:#fca5a5}pre .hunk{color:#93c5fd}
.error{color:var(--failed);white-space:pre-wrap}
`;
