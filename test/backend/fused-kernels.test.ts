// The optional fused kernels against the unfused composition and against a float64 oracle written
// here from the registry's scalar functions: every transpose, odd sizes, padded strides and
// offsets, each epilogue (bias, preact, act, derivative reading x or y), float32 and float64, on
// the JS reference and on every backend that loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Backend, FloatArray, GemmEpilogue } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js-backend.js';
import { gemmFused, softmaxCrossEntropy, unfusedGemmFused, unfusedSoftmaxCrossEntropy } from '../../src/backend/fused.js';
import { unaryOp } from '../../src/ops/index.js';
import { rng } from './wasm-helpers.js';
import { addon, forEachIsa, requireAddon, skip as nativeSkip } from './native-helpers.js';

const js = new JsBackend();
const backends: [string, Backend][] = [['js', js], ...nb.availableBackends().filter((b) => b !== 'js').map((b): [string, Backend] => {
  const prev = nb.getBackend();
  const be = nb.setBackend(b);
  nb.setBackend(prev);
  return [b, be];
})];

type DT = 'float32' | 'float64';
const make = (dt: DT, n: number): FloatArray => (dt === 'float32' ? new Float32Array(n) : new Float64Array(n));
function random(dt: DT, n: number, seed: number, scale = 1): FloatArray {
  const r = rng(seed), x = make(dt, n);
  for (let i = 0; i < n; i++) x[i] = (r() * 2 - 1) * scale;
  return x;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, dt: DT, what: string, k = 1): void {
  assert.equal(got.length, want.length, what);
  // float32: a few ulps per term of the dot product (k of them) around the largest magnitude.
  const rtol = dt === 'float32' ? 4e-7 * (k + 8) : 1e-13 * (k + 8);
  for (let i = 0; i < want.length; i++) {
    const tol = rtol * Math.max(1, Math.abs(want[i]));
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

interface Case { m: number; n: number; k: number; tA: boolean; tB: boolean; pad: number }
const CASES: Case[] = [];
for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [17, 13, 29], [33, 70, 9]]) {
  for (const tA of [false, true]) for (const tB of [false, true]) CASES.push({ m, n, k, tA, tB, pad: (m + n) % 3 });
}

// [label, epilogue (without buffers), wants bias, wants preact, v read as x or y of grad's op]
const EPILOGUES: { label: string; bias: boolean; preact: boolean; act?: string; actParam?: number; grad?: string; gradParam?: number }[] = [
  { label: 'plain', bias: false, preact: false },
  { label: 'bias', bias: true, preact: false },
  { label: 'bias+preact', bias: true, preact: true },
  { label: 'bias+relu', bias: true, preact: true, act: 'relu' },
  { label: 'tanh', bias: false, preact: false, act: 'tanh' },
  { label: 'bias+sigmoid', bias: true, preact: false, act: 'sigmoid' },
  { label: 'bias+leakyRelu(0.2)', bias: true, preact: true, act: 'leakyRelu', actParam: 0.2 },
  { label: 'bias+gelu', bias: true, preact: true, act: 'gelu' },
  { label: 'elu(0.5)', bias: false, preact: true, act: 'elu', actParam: 0.5 },
  { label: '⊙relu′(x)', bias: false, preact: false, grad: 'relu' },
  { label: '⊙sigmoid′(y)', bias: false, preact: false, grad: 'sigmoid' },
  { label: '⊙tanh′(y) with preact', bias: false, preact: true, grad: 'tanh' },
  { label: 'bias ⊙gelu′(x)', bias: true, preact: false, grad: 'gelu' },
  { label: '⊙leakyRelu′(0.1)', bias: false, preact: false, grad: 'leakyRelu', gradParam: 0.1 },
];

/** The oracle: float64 sums, then the registry's scalar functions, one element at a time. */
function oracle(c: Case, a: FloatArray, lda: number, b: FloatArray, ldb: number, ep: GemmEpilogue): { out: number[]; pre: number[] } {
  const out: number[] = [], pre: number[] = [];
  for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) {
    let s = 0;
    for (let p = 0; p < c.k; p++) s += (c.tA ? a[1 + p * lda + i] : a[1 + i * lda + p]) * (c.tB ? b[2 + j * ldb + p] : b[2 + p * ldb + j]);
    if (ep.bias) s += ep.bias[j];
    pre.push(s);
    if (ep.act) s = unaryOp(ep.act).kernel!.ref(s, ep.actParam ?? 0);
    else if (ep.grad) s *= unaryOp(ep.grad).grad!.ref(ep.v![i * c.n + j], ep.gradParam ?? 0);
    out.push(s);
  }
  return { out, pre };
}

for (const dt of ['float32', 'float64'] as const) {
  test(`gemmFused (${dt}): the JS reference, the unfused composition and every backend agree with a float64 oracle`, () => {
    let seed = 1;
    for (const c of CASES) {
      const lda = (c.tA ? c.m : c.k) + c.pad, ldb = (c.tB ? c.k : c.n) + c.pad, ldc = c.n + c.pad;
      const a = random(dt, 1 + lda * (c.tA ? c.k : c.m), seed++);
      const b = random(dt, 2 + ldb * (c.tB ? c.n : c.k), seed++);
      for (const e of EPILOGUES) {
        const bias = e.bias ? random(dt, c.n, seed++) : undefined;
        let v: FloatArray | undefined;
        if (e.grad) {
          // v is what the op's derivative reads: x itself, or y = f(x) (sigmoid, tanh).
          const x = random(dt, c.m * c.n, seed++, 2);
          const def = unaryOp(e.grad);
          v = def.grad!.reads === 'x' ? x : x.map((t) => def.kernel!.ref(t, e.gradParam ?? 0));
        }
        const ep: GemmEpilogue = { bias, act: e.act, actParam: e.actParam, grad: e.grad, gradParam: e.gradParam, v };
        const want = oracle(c, a, lda, b, ldb, ep);
        const what = `${c.m}×${c.n}×${c.k} ${c.tA ? 'T' : 'N'}${c.tB ? 'T' : 'N'} ${e.label}`;
        const runs: [string, (c2: FloatArray, pre: FloatArray | undefined) => void][] = [
          ['unfused', (c2, pre) => unfusedGemmFused(js, c.tA, c.tB, c.m, c.n, c.k, a, 1, lda, b, 2, ldb, c2, 3, ldc, { ...ep, preact: pre })],
          ...backends.map(([name, be]): [string, (c2: FloatArray, pre: FloatArray | undefined) => void] =>
            [name, (c2, pre) => gemmFused(be, c.tA, c.tB, c.m, c.n, c.k, a, 1, lda, b, 2, ldb, c2, 3, ldc, { ...ep, preact: pre })]),
        ];
        for (const [name, fn] of runs) {
          // C starts as NaN: beta = 0 must ignore it; the padding between rows must stay untouched.
          const c2 = make(dt, 3 + ldc * c.m).fill(NaN);
          const pre = e.preact ? make(dt, c.m * c.n).fill(NaN) : undefined;
          fn(c2, pre);
          const rows: number[] = [];
          for (let i = 0; i < c.m; i++) {
            for (let j = 0; j < c.n; j++) rows.push(c2[3 + i * ldc + j]);
            for (let j = c.n; j < ldc && i + 1 < c.m; j++) assert.ok(Number.isNaN(c2[3 + i * ldc + j]), `${name} ${what}: wrote into the row padding`);
          }
          close(rows, want.out, dt, `${name} ${what} C`, c.k);
          if (pre) close(pre, want.pre, dt, `${name} ${what} preact`, c.k);
        }
      }
    }
  });
}

test('gemmFused refuses an epilogue with both act and grad, or grad without v', () => {
  const x = new Float32Array(4);
  for (const f of [gemmFused, unfusedGemmFused]) {
    assert.throws(() => f(js, false, false, 2, 2, 1, x, 0, 1, x, 0, 2, x, 0, 2, { act: 'relu', grad: 'relu', v: x }), /act or grad/);
    assert.throws(() => f(js, false, false, 2, 2, 1, x, 0, 1, x, 0, 2, x, 0, 2, { grad: 'relu' }), /needs v/);
  }
});

for (const dt of ['float32', 'float64'] as const) {
  test(`softmaxCrossEntropy (${dt}): the JS reference, the unfused composition and every backend agree with a float64 oracle`, () => {
    let seed = 100;
    for (const [rows, classes, scale] of [[1, 1, 1], [1, 2, 3], [7, 10, 5], [128, 10, 4], [5, 33, 1e4], [64, 3, 0.01]]) {
      const logits = random(dt, rows * classes, seed++, scale);
      const r = rng(seed++);
      const labels = make(dt, rows).map(() => Math.floor(r() * classes));
      if (rows > 1) logits[classes + labels[1]] = -scale * 50; // a very unlikely label
      const gradScale = 1 / rows;
      // Oracle in float64.
      let wantLoss = 0;
      const wantGrad: number[] = [];
      for (let i = 0; i < rows; i++) {
        const row = Array.from(logits.subarray(i * classes, (i + 1) * classes));
        const m = Math.max(...row);
        const s = row.reduce((acc, z) => acc + Math.exp(z - m), 0);
        wantLoss += m + Math.log(s) - row[labels[i]];
        row.forEach((z, j) => wantGrad.push(gradScale * (Math.exp(z - m) / s - (j === labels[i] ? 1 : 0))));
      }
      const runs: [string, (g: FloatArray) => number][] = [
        ['unfused', (g) => unfusedSoftmaxCrossEntropy(js, rows, classes, logits, labels, g, gradScale)],
        ...backends.map(([name, be]): [string, (g: FloatArray) => number] => [name, (g) => softmaxCrossEntropy(be, rows, classes, logits, labels, g, gradScale)]),
      ];
      for (const [name, fn] of runs) {
        const g = make(dt, rows * classes).fill(NaN);
        const loss = fn(g);
        const what = `${name} ${rows}×${classes} scale ${scale}`;
        const tol = (dt === 'float32' ? 2e-6 : 1e-13) * Math.max(1, Math.abs(wantLoss)) * (1 + Math.log2(rows));
        assert.ok(Math.abs(loss - wantLoss) <= tol, `${what} loss: ${loss} vs ${wantLoss}`);
        // The gradient is a probability difference in [−scale, scale]: absolute tolerance.
        for (let i = 0; i < g.length; i++) {
          assert.ok(Math.abs(g[i] - wantGrad[i]) <= (dt === 'float32' ? 2e-7 : 1e-15) * 4, `${what} grad[${i}]: ${g[i]} vs ${wantGrad[i]}`);
        }
      }
    }
  });
}

test('native softmaxCrossEntropy on every instruction set agrees with the JS reference, and refuses bad labels', { skip: nativeSkip }, () => {
  requireAddon();
  for (const dt of ['float32', 'float64'] as const) {
    for (const [rows, classes] of [[1, 1], [3, 17], [128, 10], [9, 33]]) {
      const logits = random(dt, rows * classes, rows + classes, 6);
      const r = rng(classes);
      const labels = make(dt, rows).map(() => Math.floor(r() * classes));
      const want = make(dt, rows * classes);
      const wantLoss = js.softmaxCrossEntropy(rows, classes, logits, labels, want, 0.25);
      forEachIsa((isa) => {
        const got = make(dt, rows * classes).fill(NaN);
        const loss = addon.softmaxCrossEntropy(rows, classes, logits, labels, got, 0.25);
        const what = `${isa} ${dt} ${rows}×${classes}`;
        assert.ok(Math.abs(loss - wantLoss) <= (dt === 'float32' ? 1e-6 : 1e-13) * Math.max(1, wantLoss) * rows, `${what} loss ${loss} vs ${wantLoss}`);
        for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= (dt === 'float32' ? 3e-7 : 1e-15), `${what} grad[${i}] ${got[i]} vs ${want[i]}`);
      });
    }
  }
  const x = new Float32Array(6), g = new Float32Array(6);
  assert.throws(() => addon.softmaxCrossEntropy(2, 3, x, new Float32Array([0, 3]), g, 1), /labels must be integers/);
  assert.throws(() => addon.softmaxCrossEntropy(2, 3, x, new Float32Array([0.5, 1]), g, 1), /labels must be integers/);
  assert.throws(() => addon.softmaxCrossEntropy(3, 3, x, new Float32Array([0, 1, 2]), g, 1), RangeError);
});
