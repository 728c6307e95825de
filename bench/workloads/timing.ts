// Timing: warm up, then time `reps` samples of enough calls to last about sampleSeconds each,
// and report the median per-call time (the machine is shared and noisy; medians resist that).
// bench/peers/common.mjs and torch_bench.py implement the same procedure for the peers.
import type { TimingSpec } from './spec.js';

/** A call slower than this is timed once, after one warm-up call (e.g. the JS backend at 1024³). */
export const SLOW_CALL_SECONDS = 1;

export interface Measurement {
  /** Median seconds per call. */
  seconds: number;
  /** Calls per timed sample. */
  calls: number;
  /** Timed samples taken. */
  reps: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

const now = (): number => performance.now() / 1000;

export interface MeasureOptions {
  /** At most this many calls per sample (a training workload's fixed number of steps). */
  maxCalls?: number;
  /** Target length of one sample (default timing.sampleSeconds). */
  sampleSeconds?: number;
}

/** Times `call` as described at the top of this file. */
export function measure(call: () => void, timing: TimingSpec, opts: MeasureOptions = {}): Measurement {
  const maxCalls = opts.maxCalls ?? Infinity, sampleSeconds = opts.sampleSeconds ?? timing.sampleSeconds;
  const t0 = now();
  call();
  const first = now() - t0;
  if (first > SLOW_CALL_SECONDS) {
    const t1 = now();
    call();
    return { seconds: now() - t1, calls: 1, reps: 1 };
  }
  let warm = 1;
  while (warm < timing.warmup || (now() - t0 < sampleSeconds / 2 && warm < maxCalls)) {
    call();
    warm++;
  }
  const perCall = (now() - t0) / warm;
  const calls = Math.max(1, Math.min(maxCalls, Math.ceil(sampleSeconds / perCall)));
  const samples: number[] = [];
  for (let r = 0; r < timing.reps; r++) {
    const t = now();
    for (let i = 0; i < calls; i++) call();
    samples.push((now() - t) / calls);
  }
  return { seconds: median(samples), calls, reps: timing.reps };
}

/** "5x100 steps" style note for the table. */
export function describe(m: Measurement, what: string): string {
  return m.reps === 1 && m.calls === 1 ? `1 ${what}` : `${m.reps}x${m.calls} ${what}s`;
}
