import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from '../helpers/browser.js';
import { runCliAsync, tempDir } from '../helpers/cli.js';

/**
 * The reports as a user opens them: in a real headless Chromium, from disk,
 * with no network. Each must load without a console error, draw every chart
 * with visible marks, and (for a run) shade each fault where faults.csv puts it.
 */

/** `nonzero`: series with a value other than 0 (all-zero series lie under one another on the axis); `inkedNonzero`: how many of those left pixels of their colour. */
interface ChartCheck { id: string; series: number; valued: number; inked: number; nonzero: number; inkedNonzero: number }

/** For every chart on the page: how many series it has, how many have a value, and how many left pixels of their own colour on the canvas. */
async function checkCharts(page: Page): Promise<ChartCheck[]> {
  await page.waitForFunction(() => (window as unknown as { lorenzReport?: { ready: boolean } }).lorenzReport?.ready === true, null, { timeout: 20_000 });
  return page.evaluate(() => {
    type U = { series: Array<{ stroke: () => string; label: string }>; data: Array<Array<number | null>>; ctx: CanvasRenderingContext2D; bbox: { left: number; top: number; width: number; height: number } };
    const charts = (window as unknown as { lorenzReport: { charts: Record<string, U> } }).lorenzReport.charts;
    const rgb = (c: string): number[] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    return Object.entries(charts).map(([id, u]) => {
      const { left, top, width, height } = u.bbox;
      const pixels = u.ctx.getImageData(left, top, width, height).data;
      let valued = 0;
      let inked = 0;
      let nonzero = 0;
      let inkedNonzero = 0;
      for (let s = 1; s < u.series.length; s++) {
        if (u.data[s]!.some((v) => v !== null)) valued++;
        const hasNonzero = u.data[s]!.some((v) => v !== null && v !== 0);
        if (hasNonzero) nonzero++;
        const [r, g, b] = rgb(u.series[s]!.stroke());
        let hits = 0;
        for (let p = 0; p < pixels.length && hits < 3; p += 4) {
          if (pixels[p + 3]! > 200 && Math.abs(pixels[p]! - r!) + Math.abs(pixels[p + 1]! - g!) + Math.abs(pixels[p + 2]! - b!) < 60) hits++;
        }
        if (hits >= 3) inked++;
        if (hits >= 3 && hasNonzero) inkedNonzero++;
      }
      return { id, series: u.series.length - 1, valued, inked, nonzero, inkedNonzero };
    });
  });
}

let browser: Browser;
const dir = tempDir('lorenz-report-');
const run = join(dir, 'run');
const sweep = join(dir, 'sweep');
const grid = join(dir, 'grid');

beforeAll(async () => {
  const [sim, s1, s2] = await Promise.all([
    runCliAsync('sim.ts', ['scenarios/node-loss.yml', '--seed', '42', '--report', '--trace', join(dir, 't.json'), '--out', run, '--quiet']),
    runCliAsync('sweep.ts', ['scenarios/node-loss.yml', '--seeds', '1..200', '--set', 'duration=120s', '--out', sweep, '--quiet']),
    runCliAsync('sweep.ts', ['scenarios/node-loss.yml', '--seeds', '1..20', '--set', 'duration=120s', '--grid', 'pipeline.distribution.replication_factor=3,2', '--grid', 'detector.kind=heartbeat,swim', '--out', grid, '--quiet']),
  ]);
  for (const r of [sim, s1, s2]) expect(r.code, r.stderr).toBe(0);
  for (const d of [sweep, grid]) {
    const r = await runCliAsync('report.ts', [d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`report: ${join(d, 'report.html')}\n`);
  }
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('report.html in a real Chromium', () => {
  it('a run report draws every chart and shades each fault where faults.csv says', async () => {
    const file = join(run, 'report.html');
    const { page, errors } = await openPage(browser, file);
    const charts = await checkCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['throughput', 'utilisation', 'durability', 'detector']);
    for (const c of charts) {
      expect(c.valued, c.id).toBe(c.series);
      expect(c.inked, `${c.id}: marks on the canvas`).toBeGreaterThan(0);
      expect(c.inkedNonzero, `${c.id}: every series with a value other than 0 drawn`).toBe(c.nonzero);
    }
    // faults.csv, read here, not by the report's own code: node_loss of aws-east-2 at 30 s, one instant.
    const faults = readFileSync(join(run, 'faults.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(faults).toEqual([['30', '0', 'node_loss', 'start', 'aws-east-2']]);
    const bands = await page.evaluate(() => {
      const report = (window as unknown as { lorenzReport: { charts: Record<string, { root: HTMLElement; over: HTMLElement; scales: { x: { min: number; max: number } } }> } }).lorenzReport;
      return Object.entries(report.charts).map(([id, u]) => ({
        id,
        min: u.scales.x.min,
        max: u.scales.x.max,
        plotWidth: u.over.getBoundingClientRect().width,
        bands: [...u.over.querySelectorAll<HTMLElement>('.fault')].map((b) => ({ fault: b.dataset.fault, start: Number(b.dataset.start), left: b.getBoundingClientRect().left - u.over.getBoundingClientRect().left, label: b.textContent })),
      }));
    });
    for (const chart of bands) {
      expect(chart.min, chart.id).toBe(0);
      expect(chart.max, chart.id).toBe(300);
      expect(chart.bands.map((b) => [b.fault, b.start, b.label]), chart.id).toEqual([['0', 30, 'node_loss']]);
      // Where 30 s of a 0-300 s axis falls on the plot, from the plot's own width.
      expect(Math.abs(chart.bands[0]!.left - (30 / 300) * chart.plotWidth), chart.id).toBeLessThan(1.5);
    }
    await page.screenshot({ path: join(dir, 'run-report.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it('loads the run\'s timeline trace (--trace) and finds the fault and the crash where faults.csv puts them', async () => {
    // ui.perfetto.dev is not reachable from here; the format's rules are checked in test/run/timeline-trace.test.ts.
    const page = await browser.newPage();
    await page.goto(`file://${join(dir, 't.json')}`);
    const found = await page.evaluate(() => {
      const trace = JSON.parse(document.body.innerText) as { traceEvents: Array<{ ph: string; cat?: string; name: string; ts?: number; dur?: number; pid: number; tid: number; args?: { name?: string } }> };
      const named = (e: { pid: number; tid: number }) => trace.traceEvents.find((m) => m.ph === 'M' && m.name === 'thread_name' && m.pid === e.pid && m.tid === e.tid)?.args?.name;
      return trace.traceEvents.filter((e) => e.cat === 'fault' || (e.cat === 'node' && e.ph === 'X')).map((e) => [named(e), e.name, e.ts, e.dur]);
    });
    expect(found).toEqual([['aws-east-2', 'down', 30e6, 270e6], ['fault 0: node_loss', 'node_loss aws-east-2', 30e6, 270e6]]);
  });

  it('a 200-seed sweep report draws a histogram and a CDF for each varying metric', async () => {
    const { page, errors } = await openPage(browser, join(sweep, 'report.html'));
    const charts = await checkCharts(page);
    expect(charts.length).toBeGreaterThanOrEqual(4);
    expect(charts.map((c) => c.id)).toContain('hist-throughput_mb_s');
    expect(charts.map((c) => c.id)).toContain('cdf-throughput_mb_s');
    for (const c of charts) expect([c.id, c.valued, c.inked]).toEqual([c.id, 1, 1]);
    expect(await page.locator('h1').textContent()).toBe('Sweep of node-loss: 200 runs, none failed');
    await page.screenshot({ path: join(dir, 'sweep-report.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it('a 2x2 grid report draws one series per combination and the paired differences', async () => {
    const { page, errors } = await openPage(browser, join(grid, 'report.html'));
    const charts = await checkCharts(page);
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const c of charts) {
      expect(c.series, c.id).toBe(4);
      expect(c.inked, c.id).toBeGreaterThanOrEqual(1);
    }
    const paired = await page.locator('h2:has-text("Paired differences") + p + table tbody tr').count();
    expect(paired).toBeGreaterThan(0);
    await page.screenshot({ path: join(dir, 'grid-report.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);
});
