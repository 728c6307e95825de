// WASM elementwise, reduction and softmax kernels vs the JS reference, at lengths around the SIMD
// width, over value ranges that reach each approximation's edges, plus special values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinaryOp, ReduceOp, UnaryGradOp, UnaryOp } from '../../src/backend/backend.js';
import { assertClose, js, rng, uniform, wasm } from './wasm-helpers.js';

const LENGTHS = [1, 3, 4, 5, 8, 17, 1001];
const SPECIAL = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-40, -1e-40, 1e-7, -1e-7, 88, 89, -88, -104, 200, -200];
// float32 results of polynomial approximations: a few ulp relative. The absolute floor covers
// results near 0 where the reference itself cancels (gelu(−10) is 0 there, −2e−19 here).
const RTOL = 2e-6, ATOL = 1e-12;

function inputs(seed: number, n: number, lo: number, hi: number): Float32Array {
  const x = uniform(rng(seed), n, lo, hi);
  if (n >= SPECIAL.length) x.set(SPECIAL, n - SPECIAL.length);
  return x;
}

// Value ranges per op: wide enough to hit range reduction and the tails of each function.
const UNARY_RANGE: Record<UnaryOp, [number, number]> = {
  neg: [-10, 10], exp: [-100, 90], log: [0, 1e6], sqrt: [0, 100], abs: [-10, 10], sign: [-3, 3],
  square: [-10, 10], reciprocal: [-10, 10], sin: [-20, 20], cos: [-20, 20], tanh: [-12, 12],
  sigmoid: [-40, 40], relu: [-5, 5], softplus: [-30, 30], heaviside: [-5, 5], leakyRelu: [-5, 5],
  elu: [-10, 5], gelu: [-12, 12],
};

test('wasm unary: every op agrees with the JS reference', () => {
  let seed = 1;
  for (const op of Object.keys(UNARY_RANGE) as UnaryOp[]) {
    const [lo, hi] = UNARY_RANGE[op];
    for (const n of LENGTHS) {
      const x = inputs(seed++, n, lo, hi);
      const got = new Float32Array(n), want = new Float32Array(n);
      wasm.unary(op, n, x, got, 0.1);
      js.unary(op, n, x, want, 0.1);
      assertClose(got, want, RTOL, ATOL, `unary ${op} n=${n}`);
    }
  }
});

test('wasm unary: small arguments keep relative accuracy (log near 1, expm1, log1p, tanh)', () => {
  const x = Float32Array.from([1e-6, -1e-6, 3e-4, -3e-4, 0.01, -0.01, 0.4, -0.4, 0.62, 0.63]);
  for (const op of ['tanh', 'elu', 'softplus', 'gelu', 'sigmoid'] as UnaryOp[]) {
    const got = new Float32Array(x.length), want = new Float32Array(x.length);
    wasm.unary(op, x.length, x, got, 1);
    js.unary(op, x.length, x, want, 1);
    assertClose(got, want, RTOL, 0, `unary ${op} small`);
  }
  const near1 = Float32Array.from([1 + 2 ** -20, 1 - 2 ** -20, 1.001, 0.999, 0.70710677, 0.7071068, 1.4142135]);
  const got = new Float32Array(near1.length), want = new Float32Array(near1.length);
  wasm.unary('log', near1.length, near1, got);
  js.unary('log', near1.length, near1, want);
  assertClose(got, want, 1e-5, 0, 'log near 1');
});

test('wasm unary: out may alias x', () => {
  const x = inputs(7, 33, -4, 4), want = new Float32Array(33);
  js.unary('tanh', 33, x, want);
  wasm.unary('tanh', 33, x, x);
  assertClose(x, want, RTOL, ATOL, 'aliased tanh');
});

test('wasm unaryGrad: every op agrees with the JS reference', () => {
  const ranges: Record<UnaryGradOp, [number, number]> = {
    relu: [-3, 3], sigmoid: [0, 1], tanh: [-1, 1], leakyRelu: [-3, 3], elu: [-10, 3], gelu: [-10, 10], softplus: [-30, 30],
  };
  let seed = 200;
  for (const op of Object.keys(ranges) as UnaryGradOp[])
    for (const n of LENGTHS) {
      const v = uniform(rng(seed++), n, ...ranges[op]);
      const g = uniform(rng(seed++), n, -2, 2);
      const got = new Float32Array(n), want = new Float32Array(n);
      wasm.unaryGrad(op, n, v, g, got, 0.2);
      js.unaryGrad(op, n, v, g, want, 0.2);
      assertClose(got, want, 1e-5, 1e-7, `unaryGrad ${op} n=${n}`);
    }
});

test('wasm binary: every op agrees with the JS reference', () => {
  let seed = 300;
  for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as BinaryOp[])
    for (const n of LENGTHS) {
      // Coarse values so that comparisons see ties; pow gets positive bases.
      const q = (v: number) => Math.round(v * 4) / 4;
      const a = uniform(rng(seed++), n, op === 'pow' ? 0 : -3, 3).map(q);
      const b = uniform(rng(seed++), n, -3, 3).map(q);
      if (n > 4) { a[0] = NaN; b[1] = NaN; a[2] = Infinity; }
      const got = new Float32Array(n), want = new Float32Array(n);
      wasm.binary(op, n, a, b, got);
      js.binary(op, n, a, b, want);
      assertClose(got, want, 1e-6, 0, `binary ${op} n=${n}`);
    }
});

test('wasm affine, select, axpy, dot', () => {
  let seed = 400;
  for (const n of LENGTHS) {
    const x = uniform(rng(seed++), n), y = uniform(rng(seed++), n);
    const cond = uniform(rng(seed++), n).map((v) => (v > 0 ? 0 : v < -0.8 ? NaN : 1));
    const got = new Float32Array(n), want = new Float32Array(n);
    wasm.affine(n, x, 1.5, -0.25, got); js.affine(n, x, 1.5, -0.25, want);
    assertClose(got, want, 1e-6, 1e-7, `affine n=${n}`);
    wasm.select(n, cond, x, y, got); js.select(n, cond, x, y, want);
    assert.deepEqual(got, want, `select n=${n}`);
    const yw = y.slice(), yj = y.slice();
    wasm.axpy(n, -0.7, x, yw); js.axpy(n, -0.7, x, yj);
    assertClose(yw, yj, 1e-6, 1e-7, `axpy n=${n}`);
    let abs = 0;
    for (let i = 0; i < n; i++) abs += Math.abs(x[i] * y[i]);
    assert.ok(Math.abs(wasm.dot(n, x, y) - js.dot(n, x, y)) <= 1e-12 * abs, `dot n=${n}`);
  }
});

test('wasm reduce: every op over [outer, len, inner] views', () => {
  const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 7, 1], [2, 33, 1], [1, 128, 5], [4, 9, 3], [2, 5, 8], [3, 0, 2], [5, 1000, 1]];
  let seed = 500;
  for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[])
    for (const [outer, len, inner] of shapes) {
      if (len === 0 && op.startsWith('arg')) continue;
      const x = uniform(rng(seed++), outer * len * inner, -2, 2).map((v) => Math.round(v * 8) / 8);
      const got = new Float32Array(outer * inner), want = new Float32Array(outer * inner);
      wasm.reduce(op, outer, len, inner, x, got);
      js.reduce(op, outer, len, inner, x, want);
      assertClose(got, want, 1e-5, 1e-5, `reduce ${op} [${outer},${len},${inner}]`);
    }
  const withNaN = Float32Array.from([1, NaN, 3, 2, 5, 1]);
  for (const op of ['max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
    const got = new Float32Array(2), want = new Float32Array(2);
    wasm.reduce(op, 2, 3, 1, withNaN, got); js.reduce(op, 2, 3, 1, withNaN, want);
    assertClose(got, want, 0, 0, `reduce ${op} with NaN`);
  }
});

test('wasm softmax and log-softmax', () => {
  const shapes: Array<[number, number, number]> = [[1, 1, 1], [4, 10, 1], [3, 7, 1], [2, 1000, 1], [2, 5, 3], [1, 6, 4]];
  let seed = 600;
  for (const log of [false, true])
    for (const [outer, len, inner] of shapes) {
      const x = uniform(rng(seed++), outer * len * inner, -30, 30);
      const got = new Float32Array(x.length), want = new Float32Array(x.length);
      wasm.softmax(outer, len, inner, x, got, log);
      js.softmax(outer, len, inner, x, want, log);
      assertClose(got, want, 1e-5, 1e-30, `softmax log=${log} [${outer},${len},${inner}]`);
    }
  const allNegInf = new Float32Array(5).fill(-Infinity);
  const got = new Float32Array(5), want = new Float32Array(5);
  wasm.softmax(1, 5, 1, allNegInf, got, false); js.softmax(1, 5, 1, allNegInf, want, false);
  assertClose(got, want, 0, 0, 'softmax of -inf row');
});

test('wasm strided and index kernels agree with the JS reference', () => {
  const r = rng(700);
  const a = uniform(r, 12), b = uniform(r, 4);
  const got = new Float32Array(12), want = new Float32Array(12);
  wasm.binaryStrided('add', [3, 4], a, [4, 1], b, [0, 1], got);
  js.binaryStrided('add', [3, 4], a, [4, 1], b, [0, 1], want);
  assert.deepEqual(got, want);
  wasm.copyStrided([4, 3], a, 0, [1, 4], got, 0);
  js.copyStrided([4, 3], a, 0, [1, 4], want, 0);
  assert.deepEqual(got, want);
  const idx = Float32Array.from([2, 0, 1]);
  const gw = new Float32Array(3), gj = new Float32Array(3);
  wasm.gather(3, 4, 1, a, idx, 1, gw); js.gather(3, 4, 1, a, idx, 1, gj);
  assert.deepEqual(gw, gj);
  const sw = new Float32Array(12), sj = new Float32Array(12);
  wasm.scatterAdd(3, 4, 1, gw, idx, 1, sw); js.scatterAdd(3, 4, 1, gj, idx, 1, sj);
  assert.deepEqual(sw, sj);
});

test('wasm kernels: float64 arguments go to the JS reference exactly', () => {
  const x = Float64Array.from(uniform(rng(800), 9, -3, 3));
  const got = new Float64Array(9), want = new Float64Array(9);
  wasm.unary('tanh', 9, x, got); js.unary('tanh', 9, x, want);
  assert.deepEqual(got, want);
  wasm.softmax(3, 3, 1, x, got, true); js.softmax(3, 3, 1, x, want, true);
  assert.deepEqual(got, want);
});

test('wasm adamStep: bit-identical to the JS reference (plain, L2-coupled, decoupled shrink), odd sizes', () => {
  const r = rng(4242);
  for (const n of [1, 3, 17, 1030]) {
    for (const [coupled, shrink] of [[0, 1], [0.01, 1], [0, 0.999]]) {
      const w0 = uniform(r, n), g = uniform(r, n, -3, 3), m0 = uniform(r, n, -0.1, 0.1), v0 = uniform(r, n, 0, 0.2);
      const args = [1e-3, 0.9, 0.999, 1e-8, Math.sqrt(1 - 0.999 ** 3), coupled, shrink] as const;
      const [wj, mj, vj] = [w0.slice(), m0.slice(), v0.slice()];
      const [ww, mw, vw] = [w0.slice(), m0.slice(), v0.slice()];
      js.adamStep(n, wj, g, mj, vj, ...args);
      wasm.adamStep(n, ww, g, mw, vw, ...args);
      const what = `n=${n} coupled=${coupled} shrink=${shrink}`;
      assert.deepEqual(ww, wj, `${what}: w`);
      assert.deepEqual(mw, mj, `${what}: m`);
      assert.deepEqual(vw, vj, `${what}: v`);
      assert.notDeepEqual(ww, w0, `${what}: w was updated`);
    }
  }
});

test('wasm sgdMomentumStep: bit-identical to the JS reference (first step, momentum, dampening, decay, Nesterov), odd sizes', () => {
  const r = rng(4244);
  for (const n of [1, 3, 17, 1030]) {
    for (const [momentum, dampening, decay, nesterov] of [[0.9, 0, 0, false], [0.9, 0.1, 0, false], [0.8, 0, 0.01, true]] as const) {
      const w0 = uniform(r, n), b0 = uniform(r, n, -0.1, 0.1);
      for (const first of [true, false]) {
        const g = uniform(r, n, -3, 3);
        const [wj, bj, ww, bw] = [w0.slice(), b0.slice(), w0.slice(), b0.slice()];
        js.sgdMomentumStep(n, wj, g, bj, 0.05, momentum, dampening, decay, nesterov, first);
        wasm.sgdMomentumStep(n, ww, g, bw, 0.05, momentum, dampening, decay, nesterov, first);
        const what = `n=${n} momentum=${momentum} dampening=${dampening} decay=${decay} nesterov=${nesterov} first=${first}`;
        assert.deepEqual(ww, wj, `${what}: w`);
        assert.deepEqual(bw, bj, `${what}: buf`);
        assert.notDeepEqual(ww, w0, `${what}: w was updated`);
      }
    }
  }
});

test('wasm dot(x, x) equals dot(x, copy of x)', () => {
  const r = rng(4343);
  for (const n of [1, 5, 4099]) {
    const x = uniform(r, n);
    assert.equal(wasm.dot(n, x, x), wasm.dot(n, x, x.slice()));
    const want = js.dot(n, x, x);
    assert.ok(Math.abs(wasm.dot(n, x, x) - want) <= 1e-12 * want, `n=${n}: ${wasm.dot(n, x, x)} vs ${want}`);
  }
});
