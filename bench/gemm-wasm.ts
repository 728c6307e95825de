// GEMM throughput of the WASM SIMD and JS backends (GFLOP/s, median of several runs, timed through
// the public Backend.gemm so that staging copies into WASM memory are included). Where the WASM
// backend has its worker thread (Node, shared-memory build), each shape is timed single-threaded
// (wasm-1t) and split with the worker (wasm-2t), whatever the size threshold says.
// Run: node --import tsx bench/gemm-wasm.ts [--sweep] [--no-js]
//   --sweep  also time small and mid-sized shapes, 1t vs 2t (to set DEFAULT_THREAD_MIN_MNK)
//   --no-js  skip the JS reference (slow on the big shapes)
import type { Backend } from '../src/backend/backend.js';
import { JsBackend } from '../src/backend/js-backend.js';
import { loadWasmBackend } from '../src/backend/wasm/index.js';

interface Shape { label: string; tA: boolean; tB: boolean; m: number; n: number; k: number }

const SHAPES: Shape[] = [
  { label: 'NN 128x784x256', tA: false, tB: false, m: 128, n: 256, k: 784 },
  { label: 'TN 128x784x256', tA: true, tB: false, m: 128, n: 256, k: 784 },
  { label: 'NT 128x784x256', tA: false, tB: true, m: 128, n: 256, k: 784 },
  // The MLP's backprop products in their real shapes (bench/workloads/spec.ts).
  { label: 'TN dW 784x128x256', tA: true, tB: false, m: 784, n: 256, k: 128 },
  { label: 'NT dX 128x256x784', tA: false, tB: true, m: 128, n: 784, k: 256 },
  { label: 'NN 1024^3', tA: false, tB: false, m: 1024, n: 1024, k: 1024 },
];

// Smaller products, among them the rest of the MLP 784-256-128-10 at batch 128 (m x k x n).
const SWEEP: Shape[] = [
  [32, 32, 32], [64, 64, 64], [128, 128, 10], [128, 10, 128], [64, 128, 64], [96, 96, 96],
  [128, 128, 64], [128, 128, 128], [128, 256, 128], [256, 128, 128], [128, 128, 256], [256, 256, 256],
].map(([m, k, n]) => ({ label: `NN ${m}x${k}x${n}`, tA: false, tB: false, m, n, k }));

const args = process.argv.slice(2);
const shapes = args.includes('--sweep') ? [...SWEEP, ...SHAPES] : SHAPES;

function gflops(be: Backend, s: Shape): number {
  const { tA, tB, m, n, k } = s;
  const a = new Float32Array(m * k).map(() => Math.random() - 0.5);
  const b = new Float32Array(k * n).map(() => Math.random() - 0.5);
  const c = new Float32Array(m * n);
  const lda = tA ? m : k, ldb = tB ? k : n;
  const run = () => be.gemm(tA, tB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
  // Warm up until the engine has tiered up, then time a fixed budget of runs (at least 0.3 s).
  const flop = 2 * m * n * k;
  let reps = Math.max(3, Math.min(30, Math.round(2e9 / flop)));
  for (let i = 0; i < Math.min(reps, 5); i++) run();
  const t0 = performance.now();
  run();
  const once = performance.now() - t0;
  reps = Math.max(reps, Math.min(2000, Math.ceil(300 / Math.max(once, 1e-3))));
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t1 = performance.now();
    run();
    times.push(performance.now() - t1);
  }
  times.sort((x, y) => x - y);
  return flop / (times[times.length >> 1] * 1e6);
}

const wasm = loadWasmBackend();
const threaded = wasm ? await wasm.startThreads() : false;
const variants: Array<{ name: string; be: Backend; minMNK?: number }> = [];
if (wasm && threaded) {
  variants.push({ name: 'wasm-1t', be: wasm, minMNK: Infinity }, { name: 'wasm-2t', be: wasm, minMNK: 0 });
} else if (wasm) {
  variants.push({ name: 'wasm', be: wasm });
}
if (!args.includes('--no-js')) variants.push({ name: 'js', be: new JsBackend() });

const rows: Array<{ shape: string; backend: string; gflops: number }> = [];
for (const s of shapes)
  for (const v of variants) {
    if (wasm && v.minMNK !== undefined) wasm.threadMinMNK = v.minMNK;
    rows.push({ shape: s.label, backend: v.name, gflops: gflops(v.be, s) });
  }
wasm?.stopThreads();

console.log(`wasm threads: ${threaded ? 'worker up' : 'none'}`);
console.log('shape              backend  GFLOP/s');
for (const r of rows) console.log(`${r.shape.padEnd(18)} ${r.backend.padEnd(8)} ${r.gflops.toFixed(2).padStart(7)}`);
console.log(JSON.stringify({ bench: 'gemm-wasm', results: rows }));
