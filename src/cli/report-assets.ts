import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportAssets } from '../report/index.js';

/** uPlot's script and stylesheet, from the installed package, to inline into a report. */
export function reportAssets(): ReportAssets {
  const require = createRequire(import.meta.url);
  const read = (file: string): string => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
  return { uplotJs: read('uPlot.iife.min.js'), uplotCss: read('uPlot.min.css') };
}
