/**
 * report/ — a run's or a sweep's files turned into one self-contained HTML
 * page (report.html). Pure: files in as text, the page out as text; the CLI
 * reads and writes (cli/report.ts).
 */
export type { ChartSpec, FaultWindow, SeriesSpec } from './chart.js';
export type { ReportAssets } from './page.js';
export { faultWindows, runCharts, runReportHtml, type RunFiles } from './run-report.js';
export { sweepCharts, sweepReportHtml, type SweepFiles } from './sweep-report.js';
