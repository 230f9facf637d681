import { SingleBar } from 'cli-progress';

/** Reports finished runs: a bar on a terminal, a plain line every 10 % or 10 s otherwise (logs, CI), nothing with --quiet. */
export interface Progress {
  tick(ok: boolean): void;
  stop(): void;
}

export type ProgressMode = 'bar' | 'lines' | 'quiet';

export const progressMode = (quiet: boolean): ProgressMode => (quiet ? 'quiet' : process.stderr.isTTY ? 'bar' : 'lines');

const LINE_EVERY_MS = 10_000;

export function startProgress(mode: ProgressMode, total: number, done: number, failed: number): Progress {
  const started = performance.now();
  const already = done;
  const rate = (): number => (done - already) / Math.max((performance.now() - started) / 1000, 1e-9);
  const eta = (): string => {
    const r = rate();
    return r > 0 ? `${Math.ceil((total - done) / r)} s` : '?';
  };
  if (mode === 'quiet') return { tick: () => undefined, stop: () => undefined };
  if (mode === 'bar') {
    const bar = new SingleBar({
      format: 'sweep [{bar}] {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    });
    bar.start(total, done, { failed, rate: '-' });
    return {
      tick: (ok) => {
        done++;
        if (!ok) failed++;
        bar.update(done, { failed, rate: rate().toFixed(1) });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = performance.now();
  let lastTenth = Math.floor((done * 10) / Math.max(total, 1));
  return {
    tick: (ok) => {
      done++;
      if (!ok) failed++;
      const tenth = Math.floor((done * 10) / total);
      if (tenth === lastTenth && performance.now() - lastLine < LINE_EVERY_MS) return;
      [lastTenth, lastLine] = [tenth, performance.now()];
      console.error(`sweep: ${done}/${total} runs (${Math.floor((done * 100) / total)} %), ${failed} failed, ${rate().toFixed(1)} runs/s, ETA ${eta()}`);
    },
    stop: () => undefined,
  };
}
