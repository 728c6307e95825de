// Shared pieces of the WASM-vs-JS cross-checks: a seeded RNG, the two backends, tolerant compares.
import assert from 'node:assert/strict';
import { JsBackend } from '../../src/backend/js-backend.js';
import { loadWasmBackend } from '../../src/backend/wasm/index.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';

export const js = new JsBackend();
const loaded = loadWasmBackend();
assert.ok(loaded, 'WebAssembly SIMD should be available in Node 20');
export const wasm: WasmBackend = loaded;

/** Mulberry32: small, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(r: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** Element i passes if both are NaN, both equal (incl. ±inf), or |w − j| ≤ atol + rtol·|j|. */
export function assertClose(
  got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, what: string,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (g === w) continue;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      assert.fail(`${what}: element ${i}: wasm ${g} vs js ${w} (|diff| ${Math.abs(g - w)})`);
    }
  }
}

/** One GEMM test case: transposes, sizes, scalars, row padding (ld = cols + pad) and offset. */
export interface GemmCase { tA: boolean; tB: boolean; m: number; n: number; k: number; alpha: number; beta: number; pad: number; off: number }

/** Seeded operands for a case, with C filled with NaN when beta = 0 (which must ignore C). */
export function gemmOperands(c: GemmCase, seed: number) {
  const r = rng(seed);
  const { tA, tB, m, n, k, beta, pad, off } = c;
  const lda = (tA ? m : k) + pad, ldb = (tB ? k : n) + pad, ldc = n + pad;
  const a = uniform(r, off + (tA ? k : m) * lda);
  const b = uniform(r, off + (tB ? n : k) * ldb);
  const c0 = uniform(r, off + m * ldc);
  if (beta === 0) c0.fill(NaN, off);
  const what = `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} m=${m} n=${n} k=${k} alpha=${c.alpha} beta=${beta} pad=${pad} off=${off}`;
  return { a, b, c0, lda, ldb, ldc, what };
}
