// Where the WASM backend's time goes, measured the same way in Node and in the browser page
// (bench/browser/wasm-diag-run.ts runs it in both and prints them side by side): each of the MLP's
// three GEMM shapes through the backend (copies included) on one thread and split with the worker,
// the bare kernel on already staged operands (plain and shared memory), the staging copies alone,
// and the MLP training step with and without the worker. No Node API: it is bundled into a page.
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { setBackend } from '../../src/backend/select.js';
import { tensor } from '../../src/tensor/creation.js';
import { mlp } from '../../src/nn/mlp.js';
import { crossEntropy } from '../../src/nn/losses/cross-entropy.js';
import { SGD } from '../../src/optim/sgd.js';
import { trainStep } from '../../src/train/step.js';
import { pseudoRandom } from '../peers/workloads.mjs';

export interface DiagRow { what: string; ms: number; gflops?: number }

interface Kern {
  gemm(tA: number, tB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, beta: number, c: number, ldc: number, pa: number, pb: number): void;
  packABytes(): number;
  packBBytes(): number;
  memory: WebAssembly.Memory;
}
interface Internals {
  k: Kern;
  scratch: { layout(sizes: number[]): number[] | null; f32: Float32Array };
  mt: { k: Kern; scratch: { layout(sizes: number[]): number[] | null; f32: Float32Array } } | null;
}

const SHAPES: Array<{ name: string; tA: boolean; tB: boolean; m: number; n: number; k: number }> = [
  { name: 'NN X·W 128x784x256', tA: false, tB: false, m: 128, n: 256, k: 784 },
  { name: 'TN Xᵀ·dY 784x128x256', tA: true, tB: false, m: 784, n: 256, k: 128 },
  { name: 'NT dY·Wᵀ 128x256x784', tA: false, tB: true, m: 128, n: 784, k: 256 },
];

/** Median ms per call of `f` over `reps` samples of calls lasting ~`sampleMs` each. */
function time(f: () => void, reps = 7, sampleMs = 60): number {
  const t0 = performance.now();
  let warm = 0;
  while (performance.now() - t0 < sampleMs || warm < 3) { f(); warm++; }
  const calls = Math.max(1, Math.ceil(sampleMs / ((performance.now() - t0) / warm)));
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < calls; i++) f();
    samples.push((performance.now() - t) / calls);
  }
  samples.sort((x, y) => x - y);
  return samples[samples.length >> 1];
}

export function diagnose(be: WasmBackend, quick = false): DiagRow[] {
  const rows: DiagRow[] = [];
  const add = (what: string, ms: number, flop?: number) => rows.push({ what, ms, gflops: flop ? flop / ms / 1e6 : undefined });
  const io = be as unknown as Internals;
  const reps = quick ? 3 : 7;
  for (const s of SHAPES) {
    const { tA, tB, m, n, k } = s;
    const flop = 2 * m * n * k;
    const a = pseudoRandom(m * k, 1), b = pseudoRandom(k * n, 2), c = new Float32Array(m * n);
    const lda = tA ? m : k, ldb = tB ? k : n;
    const api = () => be.gemm(tA, tB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
    be.threadMinMNK = Infinity;
    add(`${s.name} backend 1t`, time(api, reps), flop);
    if (be.threadsReady) {
      be.threadMinMNK = 0;
      const t0 = be.threadedGemms, b0 = be.takenBackGemms;
      add(`${s.name} backend 2t`, time(api, reps), flop);
      const split = be.threadedGemms - t0, back = be.takenBackGemms - b0;
      rows.push({ what: `${s.name} 2t: main thread took the worker's half back in ${back}/${split} calls`, ms: NaN });
    }
    for (const [label, k2] of [['plain', io.k], ['shared', io.mt?.k]] as const) {
      if (!k2) continue;
      const scr = label === 'plain' ? io.scratch : io.mt!.scratch;
      const lay = scr.layout([m * k * 4, k * n * 4, m * n * 4, k2.packABytes(), k2.packBBytes()])!;
      const mem = scr.f32;
      mem.set(a, lay[0] / 4);
      mem.set(b, lay[1] / 4);
      add(`${s.name} kernel 1t (${label} memory)`,
        time(() => k2.gemm(+tA, +tB, m, n, k, 1, lay[0], lda, lay[1], ldb, 0, lay[2], n, lay[3], lay[4]), reps), flop);
      add(`${s.name} copies in+out (${label} memory)`, time(() => {
        const f = scr.f32;
        f.set(a, lay[0] / 4);
        f.set(b, lay[1] / 4);
        c.set(f.subarray(lay[2] / 4, lay[2] / 4 + m * n));
      }, reps));
    }
  }
  be.threadMinMNK = 1 << 20;

  const step = mlpStep(be);
  const variants: Array<[string, number]> = be.threadsReady ? [['1t', Infinity], ['2t', 1 << 20], ['1t', Infinity], ['2t', 1 << 20]] : [['1t', Infinity]];
  for (const [label, min] of variants) {
    be.threadMinMNK = min;
    const ms = time(step, reps, 150);
    rows.push({ what: `MLP step ${label} (samples/s = ${Math.round(128 / ms * 1000)})`, ms });
  }
  be.threadMinMNK = 1 << 20;
  return rows;
}

/** One MLP 784-256-128-10 SGD step at batch 128 on random data (throughput does not depend on the values). */
function mlpStep(be: WasmBackend): () => void {
  setBackend(be);
  const B = 128;
  const x = tensor(pseudoRandom(B * 784, 3), { shape: [B, 784] });
  const y = tensor(Float32Array.from(pseudoRandom(B, 4), (v) => Math.floor(v * 10)));
  const model = mlp([784, 256, 128, 10], { activation: 'relu', seed: 0 });
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  return () => { trainStep(model, x, y, { loss: crossEntropy, optimizer: opt }); };
}

/** MLP steps for about `ms` (a stretch to profile); returns steps/s and what the split GEMMs did. */
export function mlpSteps(be: WasmBackend, ms: number, threads: boolean): { perSecond: number; splits: string } {
  const step = mlpStep(be);
  const [s0, b0, l0] = [be.threadedGemms, be.takenBackGemms, be.lateGemms];
  be.threadMinMNK = threads ? 1 << 20 : Infinity;
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) { step(); n++; }
  const sps = n / ((performance.now() - t0) / 1000);
  be.threadMinMNK = 1 << 20;
  const splits = `${be.threadedGemms - s0} split GEMMs in ${n} steps, ${be.takenBackGemms - b0} taken back, ${be.lateGemms - l0} late`;
  return { perSecond: sps, splits };
}

export function formatDiag(rows: DiagRow[]): string[] {
  return rows.map((r) => `${r.what.padEnd(58)} ${Number.isNaN(r.ms) ? '' : r.ms.toFixed(3).padStart(8) + ' ms'}` +
    `${r.gflops ? `  ${r.gflops.toFixed(1).padStart(6)} GFLOP/s` : ''}`);
}
