// The native elementwise, reduction and softmax kernels against the JS reference, through
// NativeBackend with its small-size cut-offs at 0 so every call reaches the addon. Sizes cover 0,
// 1 and tails that are not a multiple of any vector width; values include NaN, ±Infinity, ±0 and
// the edges of exp's range. Skips when the addon is not built, unless NABLA_REQUIRE_NATIVE=1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JsBackend } from '../../src/backend/js-backend.js';
import type { BinaryOp, FloatArray, ReduceOp, UnaryGradOp, UnaryOp } from '../../src/backend/backend.js';
import { NativeBackend } from '../../src/backend/native/index.js';
import { addon, forEachIsa, requireAddon, rng, skip } from './native-helpers.js';
import { BINARY_CODES, UNARY_CODES, UNARY_GRAD_CODES } from '../../src/backend/native/addon.js';

const js = new JsBackend();

/** The backend with its small-size cut-offs at 0, so every call reaches the addon. */
function nativeBackend(): NativeBackend {
  requireAddon();
  return new NativeBackend(addon, { minElements: 0, minGemmMacs: 0 });
}

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: [string, Ctor][] = [['float32', Float32Array], ['float64', Float64Array]];
const SIZES = [0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1027];
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1, -1, 88.7, 88.73, -87.3, -103.9, -104, -110, 1e-30, -1e-30, 0.6249, 0.625, 20, -20];

/** Random values in [-range, range] with the special values sprinkled in. */
function data(Arr: Ctor, n: number, rand: () => number, range: number, specials = true): FloatArray {
  const a = new Arr(n);
  for (let i = 0; i < n; i++) {
    a[i] = specials && rand() < 0.1 ? SPECIAL[Math.floor(rand() * SPECIAL.length)] : (rand() * 2 - 1) * range;
  }
  return a;
}

/** Float32 results may differ by a few ulp (vectorised exp/tanh); float64 by rounding order. */
function close(got: FloatArray, want: FloatArray, rel: number, abs: number, label: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${label}[${i}]: native ${g} vs js ${w}`);
      continue;
    }
    assert.ok(Math.abs(g - w) <= rel * Math.abs(w) + abs, `${label}[${i}]: native ${g} vs js ${w}`);
  }
}

function tolerances(Arr: Ctor): { rel: number; abs: number } {
  return Arr === Float32Array ? { rel: 5e-7, abs: 1e-37 } : { rel: 1e-15, abs: 1e-300 };
}

// Per-op input ranges and the absolute slack float32 needs where the formula cancels (gelu).
const UNARY_RANGE: Partial<Record<UnaryOp, number>> = { exp: 110, tanh: 12, sigmoid: 40, gelu: 8 };
const UNARY_ABS32: Partial<Record<UnaryOp, number>> = { tanh: 1e-7, sigmoid: 1e-7 };
// float64 transcendentals: libm and V8 differ in the last bit, and FMA contraction rounds once
// where the reference rounds twice.
const REL64_LIBM = 1e-13, ABS64_LIBM = 1e-14;

describe('native elementwise kernels', { skip }, () => {
  for (const [dtype, Arr] of DTYPES) {
    const { rel, abs } = tolerances(Arr);

    test(`${dtype}: unary ops (and in place)`, () => {
      const nb = nativeBackend();
      forEachIsa((isa) => {
        const rand = rng(11);
        for (const op of Object.keys(UNARY_CODES) as UnaryOp[]) {
          for (const n of SIZES) {
            const x = data(Arr, n, rand, UNARY_RANGE[op] ?? 5);
            const want = new Arr(n), got = new Arr(n);
            js.unary(op, n, x, want, 0.1);
            nb.unary(op, n, x, got, 0.1);
            const libm = op === 'exp' || op === 'tanh' || op === 'sigmoid' || op === 'gelu';
            const r = Arr === Float32Array ? (libm && op !== 'exp' ? 1e-6 : rel) : libm ? REL64_LIBM : rel;
            const a = Arr === Float32Array ? Math.max(abs, UNARY_ABS32[op] ?? 0) : libm ? ABS64_LIBM : abs;
            close(got, want, r, a, `${isa} ${dtype} ${op} n=${n}`);
            const inPlace = x.slice() as FloatArray;
            nb.unary(op, n, inPlace, inPlace, 0.1);
            close(inPlace, got, 0, 0, `${isa} ${dtype} ${op} in place`);
          }
        }
      });
    });

    test(`${dtype}: unaryGrad ops`, () => {
      const nb = nativeBackend();
      forEachIsa((isa) => {
        const rand = rng(12);
        for (const op of Object.keys(UNARY_GRAD_CODES) as UnaryGradOp[]) {
          for (const n of SIZES) {
            // sigmoid/tanh read the output y, the others the input x.
            const v = op === 'sigmoid' ? data(Arr, n, rand, 1, false).map(Math.abs)
              : op === 'tanh' ? data(Arr, n, rand, 1, false) : data(Arr, n, rand, 6);
            const g = data(Arr, n, rand, 3, false);
            const want = new Arr(n), got = new Arr(n);
            js.unaryGrad(op, n, v, g, want, 0.2);
            nb.unaryGrad(op, n, v, g, got, 0.2);
            close(got, want, Arr === Float32Array ? 1e-6 : REL64_LIBM, Arr === Float32Array ? 1e-7 : ABS64_LIBM, `${isa} ${dtype} ${op}' n=${n}`);
          }
        }
      });
    });

    test(`${dtype}: binary ops, with ties, NaN and aliasing`, () => {
      const nb = nativeBackend();
      forEachIsa((isa) => {
        const rand = rng(13);
        for (const op of Object.keys(BINARY_CODES) as BinaryOp[]) {
          for (const n of SIZES) {
            const a = data(Arr, n, rand, 4);
            const b = data(Arr, n, rand, 4);
            for (let i = 0; i < n; i += 5) b[i] = a[i];  // ties for eq/le/maximum
            const want = new Arr(n), got = new Arr(n);
            js.binary(op, n, a, b, want);
            nb.binary(op, n, a, b, got);
            close(got, want, 0, 0, `${isa} ${dtype} ${op} n=${n}`);
            const alias = a.slice() as FloatArray;
            nb.binary(op, n, alias, b, alias);
            close(alias, want, 0, 0, `${isa} ${dtype} ${op} aliased n=${n}`);
          }
        }
      });
    });

    test(`${dtype}: affine, axpy, select, dot`, () => {
      const nb = nativeBackend();
      forEachIsa((isa) => {
        const rand = rng(14);
        for (const n of SIZES) {
          const x = data(Arr, n, rand, 3, false), y = data(Arr, n, rand, 3, false);
          const cond = data(Arr, n, rand, 1).map((v) => (v > 0 ? 1 : v < -0.5 ? NaN : 0));
          let want: FloatArray = new Arr(n), got: FloatArray = new Arr(n);
          js.affine(n, x, -1.5, 0.25, want);
          nb.affine(n, x, -1.5, 0.25, got);
          close(got, want, Arr === Float32Array ? 0 : rel, Arr === Float32Array ? 0 : abs, `${isa} ${dtype} affine n=${n}`);
          want = y.slice() as FloatArray; got = y.slice() as FloatArray;
          js.axpy(n, 0.3, x, want);
          nb.axpy(n, 0.3, x, got);
          close(got, want, Arr === Float32Array ? 0 : rel, Arr === Float32Array ? 0 : 1e-16, `${isa} ${dtype} axpy n=${n}`);
          want = new Arr(n); got = new Arr(n);
          js.select(n, cond, x, y, want);
          nb.select(n, cond, x, y, got);
          close(got, want, 0, 0, `${isa} ${dtype} select n=${n}`);
          const d = nb.dot(n, x, y), dw = js.dot(n, x, y);
          assert.ok(Math.abs(d - dw) <= 1e-13 * (n + 1) * 9, `${isa} ${dtype} dot n=${n}: ${d} vs ${dw}`);
        }
      });
    });

    test(`${dtype}: reductions over rows and over a middle axis`, () => {
      const nb = nativeBackend();
      forEachIsa((isa) => {
        const rand = rng(15);
        const shapes: [number, number, number][] = [
          [1, 1, 1], [3, 17, 1], [2, 100, 1], [1, 1027, 1], [4, 7, 5], [2, 33, 300], [3, 0, 2], [5, 1, 16],
        ];
        for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
          for (const [outer, len, inner] of shapes) {
            for (const withNaN of [false, true]) {
              const x = data(Arr, outer * len * inner, rand, 10, false);
              if (withNaN && x.length > 3) x[Math.floor(x.length / 2)] = NaN;
              const want = new Arr(outer * inner), got = new Arr(outer * inner);
              js.reduce(op, outer, len, inner, x, want);
              nb.reduce(op, outer, len, inner, x, got);
              close(got, want, op === 'sum' ? rel : 0, op === 'sum' ? (Arr === Float32Array ? 1e-5 : 1e-12) : 0,
                `${isa} ${dtype} ${op} [${outer},${len},${inner}] nan=${withNaN}`);
            }
          }
        }
      });
    });

    test(`${dtype}: softmax and log-softmax`, () => {
      const nb = nativeBackend();
      forEachIsa((isa) => {
        const rand = rng(16);
        const shapes: [number, number, number][] = [[1, 1, 1], [3, 10, 1], [2, 17, 1], [4, 1000, 1], [2, 5, 3], [1, 33, 1]];
        for (const log of [false, true]) {
          for (const [outer, len, inner] of shapes) {
            const x = data(Arr, outer * len * inner, rand, 30, false);
            if (outer > 1) x[0] = -Infinity;  // a masked logit
            const want = new Arr(x.length), got = new Arr(x.length);
            js.softmax(outer, len, inner, x, want, log);
            nb.softmax(outer, len, inner, x, got, log);
            // float32 rounds x − max before exp: tiny probabilities carry ~|x − max|·2⁻²⁴ relative error.
            close(got, want, Arr === Float32Array ? 2e-6 : 1e-14, Arr === Float32Array ? 1e-7 : 1e-300,
              `${isa} ${dtype} softmax log=${log} [${outer},${len},${inner}]`);
            const inPlace = x.slice() as FloatArray;
            nb.softmax(outer, len, inner, inPlace, inPlace, log);
            close(inPlace, got, 0, 0, `${isa} ${dtype} softmax in place`);
          }
        }
      });
    });
  }

  test('adamStep equals the JS reference bit for bit (float32 and float64, with and without decay)', () => {
    const nb = nativeBackend();
    forEachIsa((isa) => {
      const rand = rng(21);
      for (const [dtype, Arr] of DTYPES) {
        for (const n of SIZES) {
          for (const [coupled, shrink] of [[0, 1], [0.01, 1], [0, 1 - 1e-3 * 0.01]]) {
            const w = data(Arr, n, rand, 1), g = data(Arr, n, rand, 1);
            const m = data(Arr, n, rand, 0.1), v = data(Arr, n, rand, 0.1).map(Math.abs) as FloatArray;
            const ref = [w, m, v].map((a) => a.slice() as FloatArray);
            const got = [w, m, v].map((a) => a.slice() as FloatArray);
            const args = [1e-3 / (1 - 0.9 ** 3), 0.9, 0.999, 1e-8, Math.sqrt(1 - 0.999 ** 3), coupled, shrink] as const;
            js.adamStep(n, ref[0], g, ref[1], ref[2], ...args);
            nb.adamStep(n, got[0], g, got[1], got[2], ...args);
            ['w', 'm', 'v'].forEach((name, k) => close(got[k], ref[k], 0, 0, `${isa} ${dtype} adam ${name} n=${n} decay=${coupled},${shrink}`));
          }
        }
      }
    });
  });

  test('argument errors throw instead of reading past the end', () => {
    requireAddon();
    const x = new Float32Array(4), out = new Float32Array(8);
    assert.throws(() => addon.unary(0, 8, x, out, 0), RangeError);
    assert.throws(() => addon.binary(0, 4, x, new Float64Array(4), out), TypeError);
    assert.throws(() => addon.reduce(0, 2, 3, 1, x, out), RangeError);
    assert.throws(() => addon.unary(99, 4, x, out, 0), TypeError);
  });

  test('argument errors say what was expected', () => {
    requireAddon();
    const x = new Float32Array(4), out = new Float32Array(8);
    const call = addon as unknown as Record<string, (...args: unknown[]) => unknown>;
    assert.throws(() => addon.unary(0, 8, x, out, 0), { name: 'RangeError', message: 'nabla native: x has 4 elements, needs 8' });
    assert.throws(() => addon.reduce(0, 2, 3, 1, x, out), { name: 'RangeError', message: 'nabla native: x has 4 elements, needs 6' });
    assert.throws(() => addon.softmaxRows(3, 2, out, x, false), { name: 'RangeError', message: 'nabla native: out has 4 elements, needs 6' });
    assert.throws(() => addon.unary(99, 4, x, out, 0), { name: 'TypeError', message: 'nabla native: unknown unary op 99' });
    assert.throws(() => call.unary(0, '4', x, out, 0), { name: 'TypeError', message: 'nabla native: n must be a number' });
    assert.throws(() => call.softmaxRows(1, 4, x, out, 1), { name: 'TypeError', message: 'nabla native: log must be a boolean' });
    assert.throws(() => call.dot(4, x), { name: 'TypeError', message: 'nabla native: expected 3 arguments, got 2' });
  });
});
