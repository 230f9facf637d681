import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { digests, SAMPLE } from './fixtures/digests.js';

/** Same scenario and seed, same bytes: in this process, in a child process and in a worker thread. */
describe('where a run happens does not change its outputs', () => {
  it(`${SAMPLE.length} scenarios give identical digests in-process, in a child process and in a worker thread`, async () => {
    const here = digests(7);
    const child = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'test/run/fixtures/digests.ts', '7'], { encoding: 'utf8' })) as Record<string, string>;
    const thread = await new Promise<Record<string, string>>((resolve, reject) => {
      const w = new Worker(new URL('./fixtures/digests-thread.mjs', import.meta.url), { workerData: { seed: 7 } });
      w.once('message', (m: Record<string, string>) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', reject);
    });
    expect(Object.keys(here).length).toBeGreaterThan(15);
    expect(child).toEqual(here);
    expect(thread).toEqual(here);
  }, 120_000);
});
