// The native gemmFused (bias, preact, activation or ⊙ derivative in the GEMM epilogue) against the
// JS reference composed from its unfused kernels: gemm, then + bias, a copy into preact, then
// unary or unaryGrad. Every transpose case, odd and blocked sizes, padded strides and offsets, each
// epilogue, float32 and float64, every register tile, on 1 and 2 threads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FloatArray, GemmEpilogue, UnaryGradOp, UnaryOp } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js-backend.js';
import { NativeBackend } from '../../src/backend/native/index.js';
import { addon, forEachIsa, requireAddon, rng, skip } from './native-helpers.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const js = new JsBackend();

interface Epi { label: string; bias?: boolean; preact?: boolean; act?: UnaryOp; actParam?: number; grad?: UnaryGradOp; gradParam?: number }
const EPILOGUES: Epi[] = [
  { label: 'none' },
  { label: 'bias', bias: true },
  { label: 'bias+preact', bias: true, preact: true },
  { label: 'bias+preact+relu', bias: true, preact: true, act: 'relu' },
  { label: 'tanh', act: 'tanh' },
  { label: 'bias+sigmoid', bias: true, act: 'sigmoid' },
  { label: 'bias+leakyRelu(0.2)', bias: true, preact: true, act: 'leakyRelu', actParam: 0.2 },
  { label: 'bias+gelu', bias: true, act: 'gelu' },
  { label: '⊙relu′', grad: 'relu' },
  { label: 'preact ⊙tanh′', preact: true, grad: 'tanh' },
  { label: 'bias ⊙sigmoid′', bias: true, grad: 'sigmoid' },
  { label: '⊙leakyRelu′(0.1)', grad: 'leakyRelu', gradParam: 0.1 },
  { label: '⊙gelu′', grad: 'gelu' },
];

interface Shape { m: number; n: number; k: number; ta: boolean; tb: boolean }

function check(Arr: Ctor, s: Shape, e: Epi, rand: () => number, label: string, native: NativeBackend): void {
  const { m, n, k, ta, tb } = s;
  const pad = (m + n + k) % 3, aOff = 1, bOff = 2, cOff = 3;
  const lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
  const fill = (len: number, scale = 1) => new Arr(len).map(() => (rand() * 2 - 1) * scale);
  const a = fill(aOff + lda * (ta ? k : m)), b = fill(bOff + ldb * (tb ? n : k));
  const bias = e.bias ? fill(n) : undefined;
  const v = e.grad ? fill(m * n, 2) : undefined;
  const ep: GemmEpilogue = { bias, act: e.act, actParam: e.actParam, grad: e.grad, gradParam: e.gradParam, v };

  // The reference, unfused: the product into a dense m×n, + bias, preact, then the elementwise op.
  const z = new Arr(m * n);
  js.gemm(ta, tb, m, n, k, 1, a, aOff, lda, b, bOff, ldb, 0, z, 0, n);
  const prod = z.slice();
  if (bias) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) z[i * n + j] += bias[j];
  const wantPre = z.slice();
  const want = z.slice();
  if (e.act) js.unary(e.act, m * n, z, want, e.actParam ?? 0);
  else if (e.grad) js.unaryGrad(e.grad, m * n, v!, z, want, e.gradParam ?? 0);

  const c = new Arr(cOff + ldc * m + 2).fill(NaN);  // beta = 0: C's old contents never matter
  const preact = e.preact ? new Arr(m * n).fill(NaN) : undefined;
  native.gemmFused(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, { ...ep, preact });

  const eps = Arr === Float32Array ? 1.2e-7 : 2.3e-16;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = c[cOff + i * ldc + j];
      if (j >= n) {
        assert.ok(Number.isNaN(got), `${label}: row padding C[${i},${j}] written`);
        continue;
      }
      // The product's rounding bound from the magnitudes that went into it; the epilogue's ops
      // change it by at most their slope (≤ 1.2 here) and add a few roundings of their own.
      let mag = bias ? Math.abs(bias[j]) : 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        const bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        mag += Math.abs(av * bv);
      }
      const slope = e.grad ? 1.2 * Math.max(1, Math.abs(v![i * n + j])) : 1.2;
      const w = want[i * n + j];
      const tol = 2 * eps * (k + 4) * mag * slope + 8 * eps * Math.max(1, Math.abs(w), Math.abs(prod[i * n + j]));
      assert.ok(Math.abs(got - w) <= tol, `${label}: C[${i},${j}] native ${got} vs js ${w} (tol ${tol})`);
      if (preact) {
        const p = preact[i * n + j], wp = wantPre[i * n + j];
        assert.ok(Math.abs(p - wp) <= 2 * eps * (k + 4) * mag + 1e-30, `${label}: preact[${i},${j}] native ${p} vs js ${wp}`);
      }
    }
  }
}

const ODD = [1, 7, 33, 130];

describe('native gemmFused', { skip }, () => {
  test('addon is loaded when NABLA_REQUIRE_NATIVE=1', requireAddon);

  for (const Arr of [Float32Array, Float64Array] as const) {
    const dtype = Arr === Float32Array ? 'float32' : 'float64';
    test(`${dtype}: every epilogue, transpose case and odd size matches the unfused JS reference`, () => {
      requireAddon();
      const native = new NativeBackend(addon, { minGemmMacs: 0 });
      const rand = rng(11);
      for (const e of EPILOGUES) for (const ta of [false, true]) for (const tb of [false, true]) {
        // Three shapes per combination, drawn from the odd sizes (1 × 1 × 1 up to 130³).
        for (let t = 0; t < 3; t++) {
          const pick = () => ODD[Math.floor(rand() * ODD.length)];
          const s = { m: pick(), n: pick(), k: pick(), ta, tb };
          check(Arr, s, e, rand, `${dtype} ${e.label} ${JSON.stringify(s)}`, native);
        }
      }
    });

    test(`${dtype}: every register tile and instruction set, 1 and 2 threads, several k blocks`, () => {
      requireAddon();
      const native = new NativeBackend(addon, { minGemmMacs: 0 });
      const threads = addon.threads(), minMacs = addon.threadMinMacs();
      forEachIsa((isa) => {
        const saved = addon.gemmConfig();
        try {
          for (const tile of addon.gemmTiles()) for (const aInPlace of [true, false]) {
            assert.ok(addon.setGemmConfig(tile, 4096, 16384, 64, aInPlace));  // small blocks: many k/m/n blocks
            const rand = rng(12);
            for (const t of [1, 2]) {
              addon.setThreads(t, 0);
              for (const e of [EPILOGUES[3], EPILOGUES[9], EPILOGUES[11]]) {
                for (const s of [{ m: 130, n: 33, k: 70, ta: false, tb: true }, { m: 7, n: 130, k: 33, ta: true, tb: false }]) {
                  check(Arr, s, e, rand, `${isa} ${tile} ${aInPlace ? 'A in place' : 'A packed'} ${t}t ${dtype} ${e.label} ${JSON.stringify(s)}`, native);
                }
              }
            }
          }
        } finally {
          addon.setGemmConfig(saved.tile, saved.kcBytes, saved.mcBytes, saved.nc, saved.aInPlace);
          addon.setThreads(threads, minMacs);
        }
      });
    });
  }

  test('k = 0: the epilogue still runs on the zero product', () => {
    requireAddon();
    const native = new NativeBackend(addon, { minGemmMacs: 0 });
    const c = new Float32Array(6).fill(NaN), preact = new Float32Array(6);
    addon.gemmFused(false, false, 2, 3, 0, new Float32Array(0), 0, 0, new Float32Array(0), 0, 3, c, 0, 3,
      new Float32Array([1, -2, 0.5]), preact, 12 /* relu */, 0, -1, 0, null);
    assert.deepEqual([...preact], [1, -2, 0.5, 1, -2, 0.5]);
    assert.deepEqual([...c], [1, 0, 0.5, 1, 0, 0.5]);
    assert.equal(native.name, 'native');
  });

  test('ops without a native kernel, mixed types and bad arguments take the JS path or throw', () => {
    requireAddon();
    const native = new NativeBackend(addon, { minGemmMacs: 0 });
    const a = new Float32Array([1, 2, 3, 4]), b = new Float32Array([1, 0, 0, 1]);
    // elu has no native kernel: the JS reference computes it.
    const c = new Float32Array(4);
    native.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, { act: 'elu', actParam: 1 });
    assert.deepEqual([...c], [1, 2, 3, 4]);
    // A float64 bias with float32 operands: JS path, same answer.
    const c2 = new Float32Array(4);
    native.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c2, 0, 2, { bias: new Float64Array([1, -10]), act: 'relu' });
    assert.deepEqual([...c2], [2, 0, 4, 0]);
    // The addon itself refuses what would read or write out of bounds, and act with grad.
    const c3 = new Float32Array(4);
    assert.throws(() => addon.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c3, 0, 2, new Float32Array(1), null, -1, 0, -1, 0, null), RangeError);
    assert.throws(() => addon.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c3, 0, 2, null, new Float32Array(3), -1, 0, -1, 0, null), RangeError);
    assert.throws(() => addon.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c3, 0, 2, null, null, -1, 0, 0, 0, new Float32Array(2)), RangeError);
    assert.throws(() => addon.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c3, 0, 2, null, null, 12, 0, 0, 0, new Float32Array(4)), TypeError);
    assert.throws(() => addon.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c3, 0, 2, null, null, 2, 0, -1, 0, null), TypeError);  // code 2: a gap
    assert.throws(() => addon.gemmFused(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c3, 0, 2, null, null, -1, 0, 0, 0, null), TypeError);  // grad without v
  });
});
