// The native GEMM against the JS reference: every transpose case, odd and tail sizes, offsets,
// padded leading dimensions, alpha/beta, float32 and float64, on every instruction set this CPU
// runs (the dispatch targets are all built into one addon). Skips when the addon is not built,
// unless NABLA_REQUIRE_NATIVE=1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JsBackend } from '../../src/backend/js-backend.js';
import type { FloatArray } from '../../src/backend/backend.js';
import { NativeBackend } from '../../src/backend/native/index.js';
import { addon, forEachIsa, requireAddon, rng, skip } from './native-helpers.js';

/** Runs fn with the addon's GEMM threads set, restoring the count and threshold after. */
function withThreads(threads: number, minMacs: number, fn: () => void): void {
  const saved = addon.threads(), savedMin = addon.threadMinMacs();
  addon.setThreads(threads, minMacs);
  try {
    fn();
  } finally {
    addon.setThreads(saved, savedMin);
  }
}

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

interface Case {
  ta: boolean; tb: boolean; m: number; n: number; k: number; alpha: number; beta: number;
  aOff: number; bOff: number; cOff: number; padA: number; padB: number; padC: number;
}

function runCase(Arr: Ctor, cs: Case, rand: () => number, label: string): void {
  const { ta, tb, m, n, k, alpha, beta, aOff, bOff, cOff, padA, padB, padC } = cs;
  const lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + padC;
  const aRows = ta ? k : m, bRows = tb ? n : k;
  // Everything outside the views (offset, row padding, slack after the end) is NaN: a kernel that
  // reads it (packing or reading A in place one row or column too far) poisons C, which fails below.
  const inView = (off: number, ld: number, rows: number, cols: number) => (i: number) =>
    i >= off && Math.floor((i - off) / ld) < rows && (i - off) % ld < cols;
  const aIn = inView(aOff, lda, aRows, ta ? m : k), bIn = inView(bOff, ldb, bRows, tb ? k : n);
  const a = new Arr(aOff + aRows * lda + 3).map((_, i) => (aIn(i) ? rand() * 2 - 1 : NaN));
  const b = new Arr(bOff + bRows * ldb + 3).map((_, i) => (bIn(i) ? rand() * 2 - 1 : NaN));
  // beta = 0 must ignore C entirely, NaN included.
  const c0 = new Arr(cOff + m * ldc + 3).map(() => (beta === 0 ? NaN : rand() * 2 - 1));
  const want = c0.slice() as FloatArray, got = c0.slice() as FloatArray;
  new JsBackend().gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
  addon.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
  const eps = Arr === Float32Array ? 2.4e-7 : 4.5e-16;
  for (let i = 0; i < got.length; i++) {
    const row = Math.floor((i - cOff) / ldc), col = (i - cOff) % ldc;
    const inside = i >= cOff && row < m && col < n;
    if (!inside) {
      // Outside the m×n view (offset, padding, tail): untouched, bit for bit.
      assert.ok(Object.is(got[i], c0[i]), `${label}: element ${i} outside C was written`);
      continue;
    }
    // Error bound from the magnitudes that went into this element (both sides round).
    let mag = beta === 0 ? 0 : Math.abs(beta * c0[i]);
    for (let p = 0; p < k; p++) {
      const av = ta ? a[aOff + p * lda + row] : a[aOff + row * lda + p];
      const bv = tb ? b[bOff + col * ldb + p] : b[bOff + p * ldb + col];
      mag += Math.abs(alpha * av * bv);
    }
    const tol = eps * (k + 4) * mag + 1e-30;
    assert.ok(Number.isFinite(got[i]), `${label}: C[${row},${col}] = ${got[i]}`);
    assert.ok(Math.abs(got[i] - want[i]) <= tol,
      `${label}: C[${row},${col}] native ${got[i]} vs js ${want[i]} (tol ${tol})`);
  }
}

const SIZES = [1, 2, 3, 7, 13, 15, 16, 17, 31, 33, 47, 64, 65];

describe('native gemm', { skip }, () => {
  test('addon is loaded when NABLA_REQUIRE_NATIVE=1', requireAddon);

  for (const Arr of [Float32Array, Float64Array] as const) {
    const dtype = Arr === Float32Array ? 'float32' : 'float64';

    test(`${dtype}: all transpose flags over odd and tail sizes`, () => {
      requireAddon();
      forEachIsa((isa) => {
        const rand = rng(1);
        for (const ta of [false, true]) for (const tb of [false, true]) {
          for (let t = 0; t < 40; t++) {
            const pick = () => SIZES[Math.floor(rand() * SIZES.length)];
            const cs: Case = {
              ta, tb, m: pick(), n: pick(), k: pick(), alpha: 1, beta: 0,
              aOff: 0, bOff: 0, cOff: 0, padA: 0, padB: 0, padC: 0,
            };
            runCase(Arr, cs, rand, `${isa} ${dtype} ${JSON.stringify(cs)}`);
          }
        }
      });
    });

    test(`${dtype}: offsets, padded leading dimensions, alpha and beta`, () => {
      requireAddon();
      forEachIsa((isa) => {
        const rand = rng(2);
        const alphas = [1, -0.5, 2.25, 0], betas = [0, 1, 0.5, -1];
        for (let t = 0; t < 120; t++) {
          const pick = () => SIZES[Math.floor(rand() * SIZES.length)];
          const cs: Case = {
            ta: rand() < 0.5, tb: rand() < 0.5, m: pick(), n: pick(), k: pick(),
            alpha: alphas[t % 4], beta: betas[Math.floor(t / 4) % 4],
            aOff: Math.floor(rand() * 6), bOff: Math.floor(rand() * 6), cOff: Math.floor(rand() * 6),
            padA: Math.floor(rand() * 4), padB: Math.floor(rand() * 4), padC: Math.floor(rand() * 4),
          };
          runCase(Arr, cs, rand, `${isa} ${dtype} ${JSON.stringify(cs)}`);
        }
      });
    });

    test(`${dtype}: blocked sizes (several k blocks, m blocks, wide n) and k = 0`, () => {
      requireAddon();
      forEachIsa((isa) => {
        const rand = rng(3);
        const shapes: [number, number, number][] = [
          [37, 41, 700], [600, 19, 300], [3, 4100, 5], [130, 70, 257], [5, 6, 0], [1, 1, 1], [1, 300, 1],
        ];
        for (const [m, n, k] of shapes) for (const ta of [false, true]) for (const tb of [false, true]) {
          const cs: Case = {
            ta, tb, m, n, k, alpha: 0.75, beta: k === 0 ? 0.5 : 1,
            aOff: 1, bOff: 2, cOff: 3, padA: 1, padB: 2, padC: 1,
          };
          runCase(Arr, cs, rand, `${isa} ${dtype} ${JSON.stringify(cs)}`);
        }
      });
    });

    test(`${dtype}: the threaded splits (rows with a shared B panel, columns) match too`, () => {
      requireAddon();
      const saved = addon.gemmConfig();
      try {
        for (const aInPlace of [true, false]) withThreads(2, 0, () => {
          assert.ok(addon.setGemmConfig(saved.tile, saved.kcBytes, saved.mcBytes, saved.nc, aInPlace));
          const rand = rng(4);
          // A in place: shapes with fewer than two column tiles per thread split the rows, the
          // others the columns. A packed: tall shapes split the rows, short-and-wide ones the
          // columns. k > kc gives several shared B panels in a row (each packed by both threads
          // between barriers).
          for (const [m, n, k] of [[70, 129, 90], [5, 33, 17], [40, 1, 9], [128, 256, 100], [2, 300, 40], [130, 70, 700]] as const) {
            for (const ta of [false, true]) for (const tb of [false, true]) {
              const cs: Case = { ta, tb, m, n, k, alpha: 1.5, beta: 0.5, aOff: 0, bOff: 1, cOff: 2, padA: 0, padB: 3, padC: 1 };
              runCase(Arr, cs, rand, `threads, A ${aInPlace ? 'in place' : 'packed'}, ${dtype} ${JSON.stringify(cs)}`);
            }
          }
        });
      } finally {
        addon.setGemmConfig(saved.tile, saved.kcBytes, saved.mcBytes, saved.nc, saved.aInPlace);
      }
    });

    test(`${dtype}: every register tile, cache blocking and A layout (in place, packed) the autotune may pick, 1 and 2 threads`, () => {
      requireAddon();
      forEachIsa((isa) => {
        const saved = addon.gemmConfig();
        try {
          for (const tile of addon.gemmTiles()) {
            // The smallest blockings force several k, m and n blocks at these sizes.
            for (const [kcBytes, mcBytes, nc] of [[4096, 16384, 64], [65536, 1 << 20, 4096]] as const) for (const aInPlace of [true, false]) {
              assert.ok(addon.setGemmConfig(tile, kcBytes, mcBytes, nc, aInPlace), `${isa} ${tile}`);
              const rand = rng(5);
              for (const threads of [1, 2]) withThreads(threads, 0, () => {
                // m = 24 and 48 are whole row tiles for tile heights 4, 6, 8 and 12 (in place, no tile
                // packed); the other heights, and 14 rows, leave a packed partial last tile.
                for (const [m, n, k] of [[33, 130, 7], [130, 33, 65], [1, 7, 130], [67, 200, 300], [24, 40, 19], [48, 65, 33]] as const) {
                  const ta = rand() < 0.5, tb = rand() < 0.5;
                  const cs: Case = { ta, tb, m, n, k, alpha: 1, beta: 0.25, aOff: 1, bOff: 0, cOff: 1, padA: 1, padB: 0, padC: 2 };
                  runCase(Arr, cs, rand, `${isa} ${tile} ${kcBytes}/${mcBytes}/${nc} ${aInPlace ? 'A in place' : 'A packed'} ${threads}t ${dtype} ${JSON.stringify(cs)}`);
                }
              });
            }
          }
        } finally {
          addon.setGemmConfig(saved.tile, saved.kcBytes, saved.mcBytes, saved.nc, saved.aInPlace);
        }
      });
    });
  }

  test('setGemmConfig refuses unknown tiles and out-of-range blocking, changing nothing', () => {
    requireAddon();
    const before = addon.gemmConfig();
    assert.equal(addon.setGemmConfig('99x9v', 32768, 1 << 19, 4096, !before.aInPlace), false);
    assert.equal(addon.setGemmConfig(before.tile, 0, 1 << 19, 4096, !before.aInPlace), false);
    assert.equal(addon.setGemmConfig(before.tile, 32768, 1 << 19, 1, !before.aInPlace), false);
    assert.deepEqual(addon.gemmConfig(), before);
    assert.ok(addon.gemmTiles().includes(before.tile));
  });

  test('NativeBackend routes small and mixed-type GEMMs to JS and large ones to the addon', () => {
    requireAddon();
    const backend = new NativeBackend(addon);
    assert.equal(backend.name, 'native');
    const a = new Float32Array([1, 2, 3, 4]), b = new Float64Array([1, 0, 0, 1]), c = new Float32Array(4);
    backend.gemm(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);  // mixed types: JS path
    assert.deepEqual([...c], [1, 2, 3, 4]);
  });

  test('out-of-bounds shapes and mixed types throw instead of touching memory', () => {
    requireAddon();
    const a = new Float32Array(6), b = new Float32Array(6), c = new Float32Array(4);
    assert.throws(() => addon.gemm(false, false, 2, 2, 4, 1, a, 0, 4, b, 0, 2, 0, c, 0, 2), RangeError);
    assert.throws(() => addon.gemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 1, 2), RangeError);
    assert.throws(() => addon.gemm(false, false, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2), RangeError);
    assert.throws(() => addon.gemm(false, false, 2, 2, 3, 1, a, 0, 3, new Float64Array(6), 0, 2, 0, c, 0, 2), TypeError);
    assert.throws(() => addon.gemm(false, false, -1, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2), RangeError);
  });
});
