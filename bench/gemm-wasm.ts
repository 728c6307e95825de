// GEMM throughput of the WASM SIMD and JS backends (GFLOP/s, median of several runs, timed through
// the public Backend.gemm so that staging copies into WASM memory are included).
// Run: node --import tsx bench/gemm-wasm.ts
import type { Backend } from '../src/backend/backend.js';
import { JsBackend } from '../src/backend/js-backend.js';
import { loadWasmBackend } from '../src/backend/wasm/index.js';

interface Shape { label: string; tA: boolean; tB: boolean; m: number; n: number; k: number }

const SHAPES: Shape[] = [
  { label: 'NN 128x784x256', tA: false, tB: false, m: 128, n: 256, k: 784 },
  { label: 'TN 128x784x256', tA: true, tB: false, m: 128, n: 256, k: 784 },
  { label: 'NT 128x784x256', tA: false, tB: true, m: 128, n: 256, k: 784 },
  { label: 'NN 1024^3', tA: false, tB: false, m: 1024, n: 1024, k: 1024 },
];

function gflops(be: Backend, s: Shape): number {
  const { tA, tB, m, n, k } = s;
  const a = new Float32Array(m * k).map(() => Math.random() - 0.5);
  const b = new Float32Array(k * n).map(() => Math.random() - 0.5);
  const c = new Float32Array(m * n);
  const lda = tA ? m : k, ldb = tB ? k : n;
  const run = () => be.gemm(tA, tB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
  // Warm up until the engine has tiered up, then time a fixed budget of runs.
  const flop = 2 * m * n * k;
  const reps = Math.max(3, Math.min(30, Math.round(2e9 / flop)));
  for (let i = 0; i < Math.min(reps, 5); i++) run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return flop / (times[times.length >> 1] * 1e6);
}

const backends: Backend[] = [loadWasmBackend(), new JsBackend()].filter((b): b is NonNullable<typeof b> => b !== null);
const rows: Array<{ shape: string; backend: string; gflops: number }> = [];
for (const s of SHAPES)
  for (const be of backends) {
    rows.push({ shape: s.label, backend: be.name, gflops: gflops(be, s) });
  }

console.log('shape              backend  GFLOP/s');
for (const r of rows) console.log(`${r.shape.padEnd(18)} ${r.backend.padEnd(8)} ${r.gflops.toFixed(2).padStart(7)}`);
console.log(JSON.stringify({ bench: 'gemm-wasm', results: rows }));
