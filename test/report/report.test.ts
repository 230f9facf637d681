import { describe, expect, it } from 'vitest';
import { binEdges } from '../../src/report/sweep-report.js';
import { faultWindows, runCharts, runReportHtml, sweepCharts } from '../../src/report/index.js';
import { MAX_FALSE_VERDICT_MARKS } from '../../src/report/run-report.js';

const assets = { uplotJs: '/* uPlot */', uplotCss: '/* css */' };

const summary = (over: object = {}): string => JSON.stringify({
  scenario: 'demo', seed: 7, simulated_s: 100, events: 10,
  pipeline: { chunks_total: 1, chunks_acked: 1, chunks_failed: 0, completion_s: 5, throughput_mb_s: 20 },
  durability: { lost_chunks: 0, under_replicated_at_end: 0, max_under_replicated: 1 },
  detection: { crashes: 1, detected: 1, p50_s: 15, max_s: 15, false_suspicions: 0, false_failures: 0 },
  invariants: [{ name: 'ack_matches_disks', description: 'x', held: true, violations: 0 }],
  expectations: [],
  ...over,
});

describe('run report', () => {
  it('pairs each fault start with its end; a fault without an end is one instant', () => {
    const csv = 'time_s,fault,kind,phase,targets\n10,0,partition,start,a | b\n12,1,node_loss,start,n1\n40,0,partition,end,a | b\n';
    expect(faultWindows(csv)).toEqual([
      { id: '0', kind: 'partition', targets: 'a | b', start: 10, end: 40 },
      { id: '1', kind: 'node_loss', targets: 'n1', start: 12, end: null },
    ]);
  });

  it('marks a crash, its first suspicion and its failure on the crashed node\'s lane', () => {
    const files = {
      'summary.json': summary(),
      'detector.csv': 'time_s,event,node,first_observer,state,first_at_s,observers,latency_s\n30,crash,n-2,n-1,suspected,40,3,10\n30,crash,n-2,n-1,failed,45,3,15\n50,false_suspicion,n-10,n-1,suspected,50,1,\n',
    };
    const [detector] = runCharts(files);
    expect(detector!.id).toBe('detector');
    expect(detector!.yNames).toEqual(['n-2', 'n-10']); // natural order
    expect(detector!.series.map((s) => s.label)).toEqual(['crash', 'crash: suspected', 'crash: declared failed', 'up, but suspected']);
    expect(detector!.data).toEqual([[30, 40, 45, 50], [0, null, null, null], [null, 0, null, null], [null, null, 0, null], [null, null, null, 1]]);
    expect(detector!.horizon).toBe(100);
  });

  it('thins verdicts against live nodes above the cap, keeping every crash mark, and says so', () => {
    const rows = ['time_s,event,node,first_observer,state,first_at_s,observers,latency_s', '5,crash,n-1,n-2,suspected,9,1,4'];
    for (let i = 0; i < 3 * MAX_FALSE_VERDICT_MARKS; i++) rows.push(`${10 + i},false_suspicion,n-${i % 50},n-1,suspected,${10 + i},1,`);
    const [detector] = runCharts({ 'summary.json': summary(), 'detector.csv': rows.join('\n') + '\n' });
    const falseMarks = detector!.data!.at(-1)!.filter((v) => v !== null).length;
    expect(falseMarks).toBe(MAX_FALSE_VERDICT_MARKS);
    expect(detector!.data![1]!.filter((v) => v !== null)).toHaveLength(1); // the crash
    expect(detector!.note).toContain(`one row in 3 of ${3 * MAX_FALSE_VERDICT_MARKS} drawn`);
  });

  it('leaves out a chart with nothing but zeros', () => {
    const files = { 'summary.json': summary(), 'throughput.csv': 'time_s,bucket_start_s,stage,chunks,bytes,mb_per_s\n10,0,ingestion,0,0,0.000\n' };
    expect(runCharts(files)).toEqual([]);
  });

  it('cannot be broken out of its data by a name that closes the script element', () => {
    const html = runReportHtml({ 'summary.json': summary({ scenario: '</script><b>x' }), 'faults.csv': 'time_s,fault,kind,phase,targets\n1,0,node_crash,start,</script>\n' }, assets);
    expect(html.match(/<\/script>/g)).toHaveLength(3); // the data, uPlot, the page script
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x');
  });
});

describe('sweep report', () => {
  it('bins a short integer range one bin per integer, anything else by Sturges\' rule', () => {
    expect(binEdges([0, 1, 3])).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5]);
    const edges = binEdges(Array.from({ length: 200 }, (_, i) => i * 0.37));
    expect(edges).toHaveLength(10); // ceil(log2 200) + 1 = 9 bins
    expect(edges[0]).toBe(0);
    expect(edges.at(-1)).toBeCloseTo(199 * 0.37);
  });

  it('charts only numeric metrics that vary, one series per combination', () => {
    const runs = 'replication_factor,seed,ok,lost_chunks,pipeline_completed,throughput_mb_s\n3,1,true,0,true,300\n3,2,true,0,true,310\n2,1,true,0,false,320\n2,2,true,0,true,305\n';
    const charts = sweepCharts(runs);
    expect(charts.map((c) => c.id)).toEqual(['hist-throughput_mb_s', 'cdf-throughput_mb_s']);
    expect(charts[1]!.series.map((s) => s.label)).toEqual(['replication_factor=3', 'replication_factor=2']);
    expect(charts[1]!.data).toEqual([[300, 305, 310, 320], [0.5, 0.5, 1, 1], [0, 0.5, 0.5, 1]]);
  });
});

describe('npm run report on bad input', () => {
  it('exits 2 with a one-paragraph message for a missing folder, a file, and a folder of something else', async () => {
    const { runCli, tempDir } = await import('../helpers/cli.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir();
    writeFileSync(join(dir, 'file.txt'), 'x');
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'nope'), /^error: .*nope: no such folder; give a run's results folder/],
      [join(dir, 'file.txt'), /^error: .*file\.txt: no such folder/],
      [dir, /^error: .*: neither a run's results \(no summary\.json\) nor a sweep's \(no sweep\.json\)/],
    ];
    for (const [arg, message] of cases) {
      const r = runCli('report.ts', [arg]);
      expect([r.code, r.stderr], arg).toEqual([2, expect.stringMatching(message)]);
      expect(r.stderr, arg).not.toMatch(/\n\s+at /);
    }
    expect(runCli('report.ts', []).stderr).toMatch(/^error: no folder given\.\n\nusage: npm run report/);
  }, 60_000);
});
