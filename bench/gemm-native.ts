// GEMM throughput of the native backend: GFLOP/s (median of several runs) for the MLP-sized
// 128×784×256 product in each transpose case, and for 1024³, single-threaded and with the
// default thread count. Run: node --import tsx bench/gemm-native.ts
import { loadNativeAddon } from '../src/backend/native/index.js';

const loaded = loadNativeAddon();
if (!loaded.addon) {
  console.error(`native addon unavailable: ${loaded.reason}`);
  process.exit(1);
}
const addon = loaded.addon;
const defaultThreads = addon.threads();

interface Row { shape: string; trans: string; threads: number; gflops: number; ms: number }

function bench(m: number, n: number, k: number, ta: boolean, tb: boolean, threads: number): Row {
  const a = new Float32Array(m * k).map(() => Math.random() - 0.5);
  const b = new Float32Array(k * n).map(() => Math.random() - 0.5);
  const c = new Float32Array(m * n);
  const lda = ta ? m : k, ldb = tb ? k : n;
  addon.setThreads(threads, 0);  // 0: use the threads whatever the size, to measure them
  const flops = 2 * m * n * k;
  // Enough repetitions for ~0.3 s per case, at least 5.
  const once = (): number => {
    const t0 = process.hrtime.bigint();
    addon.gemm(ta, tb, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < 3; i++) once();  // warm caches and pack buffers
  const reps = Math.max(5, Math.min(500, Math.round(300 / once())));
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(once());
  times.sort((x, y) => x - y);
  const ms = times[Math.floor(times.length / 2)];
  return { shape: `${m}x${k}x${n}`, trans: `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`, threads, gflops: flops / ms / 1e6, ms };
}

const rows: Row[] = [];
for (const threads of [...new Set([1, defaultThreads])]) {
  for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) rows.push(bench(128, 256, 784, ta, tb, threads));
  rows.push(bench(1024, 1024, 1024, false, false, threads));
}

console.log(`native GEMM, float32, isa=${addon.isa()} (m×k×n, median)`);
console.log('shape          op  threads   GFLOP/s      ms');
for (const r of rows) {
  console.log(`${r.shape.padEnd(14)} ${r.trans}  ${String(r.threads).padStart(7)}  ${r.gflops.toFixed(1).padStart(8)}  ${r.ms.toFixed(3).padStart(6)}`);
}
console.log(JSON.stringify({ bench: 'gemm-native', isa: addon.isa(), results: rows.map((r) => ({ ...r, gflops: +r.gflops.toFixed(1), ms: +r.ms.toFixed(4) })) }));
