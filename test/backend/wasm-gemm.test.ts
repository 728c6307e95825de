// WASM GEMM vs the JS reference: every transpose variant, tails around the SIMD width, the micro-tile
// and the cache blocks, offsets, padded leading dimensions, alpha/beta cases, and float64 delegation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, gemmOperands, js, rng, uniform, wasm, type GemmCase } from './wasm-helpers.js';

type Case = GemmCase;

// Runs one case on both backends over identical buffers and compares C, including the gaps
// between rows (ldc > n) and the region before the offset, which must be left untouched.
function check(c: Case, seed: number): void {
  const { tA, tB, m, n, k, alpha, beta, off } = c;
  const { a, b, c0, lda, ldb, ldc, what } = gemmOperands(c, seed);
  const cw = c0.slice(), cj = c0.slice();
  wasm.gemm(tA, tB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, cw, off, ldc);
  js.gemm(tA, tB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, cj, off, ldc);
  // Entries are sums of k products of values in [-1, 1]; float32 rounding grows with k.
  const atol = 2e-6 * Math.max(k, 1) * Math.abs(alpha) + 1e-6;
  for (let i = 0; i < m; i++) {
    const row = off + i * ldc;
    assertClose(cw.subarray(row, row + n), cj.subarray(row, row + n), 1e-5, atol, `${what} row ${i}`);
    // Padding after each row is C's memory too, but outside the matrix: bit-identical to before.
    for (let j = row + n; j < row + ldc && j < cw.length; j++) assert.ok(Object.is(cw[j], c0[j]), `${what}: gap ${j} changed`);
  }
  for (let j = 0; j < off; j++) assert.ok(Object.is(cw[j], c0[j]), `${what}: before offset changed`);
}

const FLAGS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

test('wasm gemm: small and odd shapes, all transposes', () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 17];
  let seed = 1;
  for (const [tA, tB] of FLAGS)
    for (const m of sizes) for (const n of sizes) for (const k of [1, 3, 8, 11]) {
      check({ tA, tB, m, n, k, alpha: 1, beta: 0, pad: 0, off: 0 }, seed++);
    }
});

test('wasm gemm: tile and cache-block boundaries, padded strides and offsets', () => {
  // 96/97 rows straddle the A block, 6x8 the micro-tile, 384/385 and 1000 the k blocks.
  const shapes: Array<[number, number, number]> = [
    [6, 8, 16], [7, 9, 385], [97, 33, 40], [96, 16, 384], [130, 70, 1000], [31, 257, 129], [1, 300, 50], [300, 1, 50],
  ];
  let seed = 100;
  for (const [tA, tB] of FLAGS)
    for (const [m, n, k] of shapes)
      for (const [pad, off] of [[0, 0], [3, 5], [17, 1]]) check({ tA, tB, m, n, k, alpha: 1, beta: 0, pad, off }, seed++);
});

test('wasm gemm: alpha and beta (beta = 0 ignores NaN, beta = 1 accumulates)', () => {
  let seed = 500;
  for (const [tA, tB] of FLAGS)
    for (const alpha of [1, -0.5, 2.25, 0])
      for (const beta of [0, 1, 0.3, -2]) check({ tA, tB, m: 19, n: 23, k: 29, alpha, beta, pad: 2, off: 3 }, seed++);
});

test('wasm gemm: k = 0 scales C by beta', () => {
  for (const beta of [0, 1, 0.5]) check({ tA: false, tB: false, m: 5, n: 6, k: 0, alpha: 1, beta, pad: 1, off: 0 }, 900);
});

test('wasm gemm: the MLP layer shapes (128x784x256 forward, both gradients)', () => {
  check({ tA: false, tB: false, m: 128, n: 256, k: 784, alpha: 1, beta: 0, pad: 0, off: 0 }, 7);
  check({ tA: true, tB: false, m: 784, n: 256, k: 128, alpha: 1, beta: 1, pad: 0, off: 0 }, 8); // dW = Xᵀ·dY
  check({ tA: false, tB: true, m: 128, n: 784, k: 256, alpha: 1, beta: 0, pad: 0, off: 0 }, 9); // dX = dY·Wᵀ
});

test('wasm gemm: n wider than one column block', () => {
  check({ tA: false, tB: false, m: 3, n: 2100, k: 5, alpha: 1, beta: 0.5, pad: 0, off: 0 }, 11);
});

test('wasm gemm: float64 arguments go to the JS reference exactly', () => {
  const r = rng(3);
  const a = Float64Array.from(uniform(r, 12)), b = Float64Array.from(uniform(r, 20)), cw = new Float64Array(15), cj = new Float64Array(15);
  wasm.gemm(false, false, 3, 5, 4, 1.5, a, 0, 4, b, 0, 5, 0, cw, 0, 5);
  js.gemm(false, false, 3, 5, 4, 1.5, a, 0, 4, b, 0, 5, 0, cj, 0, 5);
  assert.deepEqual(cw, cj);
});

test('wasm gemm: scratch memory does not grow across repeated calls', () => {
  const r = rng(4);
  const a = uniform(r, 64 * 200), b = uniform(r, 200 * 300), c = new Float32Array(64 * 300);
  wasm.gemm(false, false, 64, 300, 200, 1, a, 0, 200, b, 0, 300, 0, c, 0, 300);
  const held = wasm.memoryBytes;
  for (let i = 0; i < 20; i++) wasm.gemm(false, false, 64, 300, 200, 1, a, 0, 200, b, 0, 300, 1, c, 0, 300);
  assert.equal(wasm.memoryBytes, held);
});
