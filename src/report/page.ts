import type { ChartSpec, FaultWindow } from './chart.js';
import { PAGE_SCRIPT } from './page-script.js';

/** The charting library's text, inlined into every report so the page needs no network (the CLI reads it from the `uplot` package). */
export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
}

/** Escapes text for HTML content and attribute values. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A table from a header and rows of cells (already HTML). */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, className = ''): string {
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The figure a chart is drawn into. */
export function figure(chart: ChartSpec): string {
  return `<figure><figcaption><b>${esc(chart.title)}</b> <span class="note">${esc(chart.note)}</span></figcaption><div class="chart" id="chart-${esc(chart.id)}"></div></figure>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 20px 28px; color: #222; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin: 0 0 14px; }
figure { margin: 14px 0; min-width: 0; } .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; } figcaption { margin-bottom: 4px; } .note { color: #666; font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.held { color: #1a7f37; font-weight: 600; } .failed { color: #cf222e; font-weight: 600; }
code { background: #f4f4f4; padding: 1px 4px; border-radius: 3px; font-size: 12.5px; }
.kv td:first-child { color: #555; }
.fault-layer { position: absolute; inset: 0; pointer-events: none; }
.fault { position: absolute; top: 0; bottom: 0; background: rgba(214, 39, 40, 0.10); border-left: 1px solid rgba(214, 39, 40, 0.6); border-right: 1px solid rgba(214, 39, 40, 0.6); pointer-events: auto; }
.fault.instant { background: rgba(214, 39, 40, 0.6); border: 0; }
.fault span { position: absolute; top: 2px; left: 3px; font-size: 11px; color: #a11; white-space: nowrap; }
`;

/**
 * One self-contained HTML page: the library, the data and the drawing
 * script inline, nothing fetched. `body` is the page's HTML, with a figure()
 * for each chart in `charts`.
 */
export function reportPage(title: string, body: string, charts: readonly ChartSpec[], faults: readonly FaultWindow[], assets: ReportAssets): string {
  // </script> inside the JSON would end the element early: escape every "<".
  const json = JSON.stringify({ charts, faults }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Lorenz">
<title>${esc(title)}</title>
<style>${assets.uplotCss}</style>
<style>${STYLE}</style>
</head>
<body>
${body}
<script id="report-data" type="application/json">${json}</script>
<script>${assets.uplotJs}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
