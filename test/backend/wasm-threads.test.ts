// The WASM backend's threaded GEMM (Node: worker thread over the shared-memory kernels) against its
// own single-threaded path: bit for bit on odd shapes above the threshold, every transpose, alpha and
// beta, offsets and padded leading dimensions, both split directions; plus the worker's lifecycle
// (restart, NABLA_WASM_THREADS=1, not keeping the process alive).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_THREAD_MIN_MNK } from '../../src/backend/wasm/wasm-backend.js';
import { gemmOperands, rng, uniform, wasm, type GemmCase } from './wasm-helpers.js';

type Case = GemmCase;

const FLAGS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const INDEX = fileURLToPath(new URL('../../src/backend/wasm/index.ts', import.meta.url));

function sameBits(x: Float32Array, y: Float32Array): boolean {
  const a = new Uint32Array(x.buffer, x.byteOffset, x.length), b = new Uint32Array(y.buffer, y.byteOffset, y.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Waits (spinning: the worker runs on its own thread) until the worker has finished any part the
 * main thread stopped waiting for, and clears the back-off that follows it, so that the next large
 * product splits again: on a busy machine a descheduled worker is now and then late.
 */
function settle(): void {
  const internals = wasm as unknown as { mt: { thread: { idle(): boolean } } | null; skipSplits: number; splitBackoff: number };
  const t0 = Date.now();
  while (internals.mt && !internals.mt.thread.idle() && Date.now() - t0 < 10_000);
  internals.skipSplits = 0;
  internals.splitBackoff = 0;
}

// One case single-threaded, then threaded (twice, for determinism); the whole of C (gaps between
// rows and the region before the offset included) must be bit-identical. Returns whether it split.
function check(c: Case, seed: number, minMNK = DEFAULT_THREAD_MIN_MNK, settled = true): boolean {
  const { tA, tB, m, n, k, alpha, beta, off } = c;
  const { a, b, c0, lda, ldb, ldc, what } = gemmOperands(c, seed);
  const one = c0.slice(), two = c0.slice(), again = c0.slice();
  try {
    wasm.threadMinMNK = Infinity;
    wasm.gemm(tA, tB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, one, off, ldc);
    wasm.threadMinMNK = minMNK;
    if (settled) settle();
    const before = wasm.threadedGemms;
    wasm.gemm(tA, tB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, two, off, ldc);
    const split = wasm.threadedGemms > before;
    if (settled) settle();
    wasm.gemm(tA, tB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, again, off, ldc);
    assert.ok(sameBits(two, one), `${what}: threaded differs from single-threaded`);
    assert.ok(sameBits(again, two), `${what}: threaded differs run to run`);
    return split;
  } finally {
    wasm.threadMinMNK = DEFAULT_THREAD_MIN_MNK;
  }
}

test('wasm threads: available in Node and the worker starts', async (t) => {
  if (process.env.NABLA_WASM_THREADS === '1') {
    assert.equal(wasm.threadsAvailable, false);
    t.skip('NABLA_WASM_THREADS=1');
    return;
  }
  assert.equal(wasm.threadsAvailable, true);
  assert.equal(await wasm.startThreads(), true);
  assert.equal(wasm.threadsReady, true);
});

test('wasm threads: bit-identical to single-threaded above the threshold, all transposes', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  // m > n splits rows, m <= n columns; 801 spans three k blocks (later ones accumulate with beta 1).
  const shapes: Array<[number, number, number]> = [
    [157, 131, 67], [67, 263, 101], [301, 45, 89], [97, 113, 801], [131, 257, 785], [1, 1031, 1029], [1031, 1, 1029],
  ];
  let seed = 9000, splits = 0;
  for (const [tA, tB] of FLAGS)
    for (const [m, n, k] of shapes) {
      assert.ok(m * n * k >= DEFAULT_THREAD_MIN_MNK, `${m}x${n}x${k} is below the threshold`);
      if (check({ tA, tB, m, n, k, alpha: 1, beta: 0, pad: 0, off: 0 }, seed++)) splits++;
    }
  // All of them went through the worker (the vector shapes split along their long side).
  assert.equal(splits, FLAGS.length * shapes.length);
});

test('wasm threads: alpha and beta, offsets and padded leading dimensions', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  let seed = 9500;
  for (const [tA, tB] of FLAGS)
    for (const [alpha, beta] of [[1, 0], [-0.5, 1], [2.25, 0.3], [1, -2], [0, 0.5], [0.75, 0]])
      for (const [pad, off] of [[0, 0], [3, 5], [17, 1]]) {
        const split = check({ tA, tB, m: 139, n: 121, k: 97, alpha, beta, pad, off }, seed++);
        assert.equal(split, alpha !== 0, 'alpha = 0 only scales C: never split');
      }
});

test('wasm threads: small products split anyway (threshold 0), across tile edges', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  let seed = 9800;
  const shapes: Array<[number, number, number]> = [
    [5, 7, 3], [12, 9, 5], [13, 16, 4], [13, 17, 9], [20, 9, 33], [6, 8, 1], [11, 23, 385], [49, 15, 2],
  ];
  for (const [tA, tB] of FLAGS)
    for (const [m, n, k] of shapes)
      for (const [pad, off] of [[0, 0], [2, 3]]) {
        const split = check({ tA, tB, m, n, k, alpha: 1.5, beta: 0.5, pad, off }, seed++, 0);
        assert.equal(split, n >= 16 || m >= 12, `${m}x${n}x${k}: split ${split}`);
      }
});

test('wasm threads: stop and restart', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  wasm.stopThreads();
  assert.equal(wasm.threadsReady, false);
  // Single-threaded while stopped; a large call restarts the worker in the background.
  check({ tA: false, tB: false, m: 150, n: 140, k: 90, alpha: 1, beta: 0, pad: 0, off: 0 }, 42);
  assert.equal(await wasm.startThreads(), true);
  assert.ok(check({ tA: true, tB: true, m: 150, n: 140, k: 90, alpha: 1, beta: 0, pad: 1, off: 2 }, 43));
});

test('wasm threads: a failed split is redone single-threaded, never in the shared C', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  // Stands in for a worker whose job threw after writing garbage: the job finishes, then its
  // region of the shared scratch is overwritten and the wait reports the error.
  type Outcome = 'done' | 'error' | 'late';
  const mt = (wasm as unknown as { mt: { thread: { waitUntil(d: number): Outcome; takeBack(): boolean }; k: { memory: WebAssembly.Memory }; scratch: unknown } }).mt;
  const base = (mt.scratch as { base: number }).base;
  const waitUntil = mt.thread.waitUntil, takeBack = mt.thread.takeBack;
  // The worker's part is always left to the worker here, so that every split goes through waitUntil().
  mt.thread.takeBack = () => false;
  let failed = 0;
  mt.thread.waitUntil = function (this: unknown) {
    waitUntil.call(this, Infinity);
    new Float32Array(mt.k.memory.buffer).fill(NaN, Math.ceil(base / 4));
    failed++;
    return 'error';
  };
  try {
    for (const [beta, seed] of [[0, 9901], [0.5, 9902]] as const) {
      assert.ok(check({ tA: false, tB: true, m: 139, n: 121, k: 301, alpha: 1, beta, pad: 2, off: 1 }, seed));
    }
    assert.equal(failed, 4);
  } finally {
    mt.thread.waitUntil = waitUntil;
    mt.thread.takeBack = takeBack;
  }
  assert.ok(check({ tA: false, tB: false, m: 139, n: 121, k: 97, alpha: 1, beta: 0, pad: 0, off: 0 }, 9903));
});

test('wasm threads: a part the worker is late with is computed again by the main thread, bit-identically', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  // Stands in for a descheduled worker: the main thread never takes the part back and gives up on
  // it at once, while the real worker is still computing it into the shared C (and reading the
  // staged operands). The result comes from the main thread's own region; later large GEMMs run
  // single-threaded until the worker has finished and the back-off has passed.
  type Outcome = 'done' | 'error' | 'late';
  const thread = (wasm as unknown as { mt: { thread: { waitUntil(d: number): Outcome; takeBack(): boolean } } }).mt.thread;
  // Never waited for (whether or not the worker has finished), never taken back.
  const waitUntil = thread.waitUntil, takeBack = thread.takeBack;
  thread.takeBack = () => false;
  thread.waitUntil = () => 'late';
  const before = wasm.lateGemms;
  let seed = 9970, late = 0;
  try {
    // Rows and columns splits, several k blocks (C accumulates), beta and a fused bias.
    for (const [tA, tB] of FLAGS) {
      for (const [m, n, k, beta] of [[139, 121, 97, 0], [301, 45, 801, 0.5], [37, 129, 401, 1]] as const) {
        if (check({ tA, tB, m, n, k, alpha: 1.25, beta, pad: 1, off: 2 }, seed++, 0)) late++;
      }
    }
    // A fused bias and activation, and an unsettled run: right after a late part the worker is
    // busy or backed off, so the next product runs single-threaded, still bit-identically.
    for (const [m, n, k] of [[130, 45, 101], [13, 70, 409]]) {
      const a = uniform(rng(seed), m * k), b = uniform(rng(seed + 1), k * n), bias = uniform(rng(seed + 2), n);
      seed += 3;
      const run = (minMNK: number) => {
        const c = new Float32Array(m * n), preact = new Float32Array(m * n);
        wasm.threadMinMNK = minMNK;
        try {
          wasm.gemmFused(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, { bias, preact, act: 'relu' });
        } finally {
          wasm.threadMinMNK = DEFAULT_THREAD_MIN_MNK;
        }
        return [c, preact];
      };
      settle();
      const [c1, p1] = run(Infinity), [c2, p2] = run(0), [c3, p3] = run(0);
      assert.ok(sameBits(c2, c1) && sameBits(p2, p1), `fused ${m}x${n}x${k}: late split differs`);
      assert.ok(sameBits(c3, c1) && sameBits(p3, p1), `fused ${m}x${n}x${k}: the run after a late split differs`);
    }
    check({ tA: true, tB: false, m: 139, n: 121, k: 97, alpha: 1, beta: 0, pad: 0, off: 0 }, seed++, 0, false);
  } finally {
    thread.waitUntil = waitUntil;
    thread.takeBack = takeBack;
  }
  assert.equal(late, FLAGS.length * 3, 'every settled case split');
  assert.ok(wasm.lateGemms - before >= 2 * late + 2, `${wasm.lateGemms - before} late parts`);
  settle();
  // Back to normal: the worker takes its part again.
  assert.ok(check({ tA: false, tB: false, m: 150, n: 140, k: 90, alpha: 1, beta: 0, pad: 0, off: 0 }, 9999));
});

// A script run in a fresh process: its own backend, a large product, no stopThreads.
function runScript(body: string, env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-wasm-threads-'));
  try {
    const file = join(dir, 'script.mts');
    writeFileSync(file, `import { loadWasmBackend } from ${JSON.stringify(INDEX)};\n${body}\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { env, encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BIG_GEMM = `
const be = loadWasmBackend()!;
const started = await be.startThreads();
const m = 200, n = 180, k = 150;
const c = new Float32Array(m * n);
be.gemm(false, false, m, n, k, 1, new Float32Array(m * k).fill(1), 0, k, new Float32Array(k * n).fill(2), 0, n, 0, c, 0, n);
console.log(JSON.stringify({ available: be.threadsAvailable, started, split: be.threadedGemms, c0: c[0] }));`;

test('wasm threads: the worker does not keep the process alive', () => {
  const env = { ...process.env };
  delete env.NABLA_WASM_THREADS;
  const t0 = performance.now();
  const r = runScript(BIG_GEMM, env);
  assert.equal(r.status, 0, r.out);
  const res = JSON.parse(r.out.trim().split('\n').pop()!);
  assert.deepEqual(res, { available: true, started: true, split: 1, c0: 300 });
  assert.ok(performance.now() - t0 < 20_000);
});

test('wasm threads: NABLA_WASM_THREADS=1 forces single-threaded', () => {
  const r = runScript(BIG_GEMM, { ...process.env, NABLA_WASM_THREADS: '1' });
  assert.equal(r.status, 0, r.out);
  const res = JSON.parse(r.out.trim().split('\n').pop()!);
  assert.deepEqual(res, { available: false, started: false, split: 0, c0: 300 });
});

test('wasm threads: gemmFused split with the worker is bit-identical to single-threaded, every epilogue', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  const r = rng(7100);
  const epilogues: Array<Record<string, unknown>> = [
    {}, { bias: true }, { bias: true, preact: true, act: 'relu' }, { act: 'gelu' }, { bias: true, act: 'leakyRelu', actParam: 0.1 },
    { grad: 'relu', v: true }, { preact: true, grad: 'tanh', v: true }, { bias: true, grad: 'sigmoid', v: true },
  ];
  let splits = 0;
  for (const [tA, tB] of FLAGS)
    for (const [m, n, k] of [[37, 29, 13], [13, 70, 9], [130, 45, 101]] as const)
      for (const e of epilogues) {
        const pad = (m + k) % 3;
        const lda = (tA ? m : k) + pad, ldb = (tB ? k : n) + pad, ldc = n + pad;
        const a = uniform(r, (tA ? k : m) * lda + 1), b = uniform(r, (tB ? n : k) * ldb + 2);
        const bias = e.bias ? uniform(r, n) : undefined, v = e.v ? uniform(r, m * n) : undefined;
        const run = (minMNK: number) => {
          const c = new Float32Array(3 + m * ldc).fill(NaN);
          const preact = e.preact ? new Float32Array(m * n) : undefined;
          wasm.threadMinMNK = minMNK;
          settle();
          const before = wasm.threadedGemms;
          try {
            wasm.gemmFused(tA, tB, m, n, k, a, 1, lda, b, 2, ldb, c, 3, ldc, { ...e, bias, v, preact } as never);
          } finally {
            wasm.threadMinMNK = DEFAULT_THREAD_MIN_MNK;
          }
          return { c, preact, split: wasm.threadedGemms > before };
        };
        const one = run(Infinity), two = run(0);
        const what = `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${m}x${n}x${k} ${JSON.stringify(e)}`;
        assert.equal(one.split, false);
        if (two.split) splits++;
        assert.ok(sameBits(two.c, one.c), `${what}: C differs`);
        if (one.preact) assert.ok(sameBits(two.preact!, one.preact), `${what}: preact differs`);
      }
  assert.equal(splits, FLAGS.length * 3 * epilogues.length, 'every case went through the worker');
});

test('wasm threads: the browser worker script computes its half of a split GEMM bit-identically', async () => {
  // The page's worker (a Blob URL script driven by postMessage) run in a Node worker with `self`
  // shimmed over parentPort: the same protocol on the shared control block as in a browser.
  const { Worker } = await import('node:worker_threads');
  const { sharedKernelModuleSync, newSharedKernelMemory, instantiateSharedKernels } = await import('../../src/backend/wasm/kernel-module.js');
  const { BROWSER_WORKER_SOURCE, CTRL_BYTES, GemmThread } = await import('../../src/backend/wasm/gemm-threads.js');
  type K = { heapBase(): number; tileBytes(): number; packABytes(): number; packBBytes(): number; setTileScratch(p: number): void;
    gemm(...args: number[]): void; memory: WebAssembly.Memory };
  const mod = sharedKernelModuleSync(), memory = newSharedKernelMemory();
  const k = instantiateSharedKernels(mod, memory) as unknown as K;
  const up = (x: number) => Math.ceil(x / 64) * 64;
  const tile = up(k.heapBase()), workerTile = up(tile + k.tileBytes()), ctrl = up(workerTile + k.tileBytes());
  k.setTileScratch(tile);
  const m = 37, n = 53, kk = 29;
  let at = up(ctrl + CTRL_BYTES);
  const region = (bytes: number) => { const p = at; at = up(at + bytes); return p; };
  const pa = region(m * kk * 4), pb = region(kk * n * 4), pc = region(m * n * 4), want = region(m * n * 4);
  const packs = [region(k.packABytes()), region(k.packBBytes()), region(k.packABytes()), region(k.packBBytes())];
  memory.grow(Math.ceil(at / 65536));
  const f32 = new Float32Array(memory.buffer);
  const r = rng(7300);
  f32.set(uniform(r, m * kk), pa / 4);
  f32.set(uniform(r, kk * n), pb / 4);
  k.gemm(0, 0, m, n, kk, 1, pa, kk, pb, n, 0, want, n, packs[0], packs[1]);
  const w = new Worker(`const { parentPort } = require('node:worker_threads');
globalThis.self = { postMessage: (m) => parentPort.postMessage(m), onmessage: null };
parentPort.once('message', (data) => self.onmessage({ data }));
${BROWSER_WORKER_SOURCE}`, { eval: true, execArgv: [] });
  try {
    const ready = new Promise((resolve) => w.once('message', resolve));
    w.postMessage({ module: mod, memory, ctrl, tile: workerTile, spin: 1000 });
    assert.equal(await ready, 'ready');
    const thread = new GemmThread(mod, memory, ctrl, workerTile);
    // Columns [0, 24) here, [24, 53) on the worker.
    const split = 24;
    thread.post({ tA: 0, tB: 0, m, n: n - split, k: kk, alpha: 1, a: pa, lda: kk, b: pb + split * 4, ldb: n, beta: 0,
      c: pc + split * 4, ldc: n, packA: packs[2], packB: packs[3] });
    k.gemm(0, 0, m, split, kk, 1, pa, kk, pb, n, 0, pc, n, packs[0], packs[1]);
    assert.equal(thread.waitUntil(Infinity), 'done');
    const got = new Uint32Array(memory.buffer, pc, m * n), ref = new Uint32Array(memory.buffer, want, m * n);
    assert.deepEqual(got, ref);
  } finally {
    await w.terminate();
  }
});

test('wasm threads: a part the worker has not begun is taken back by the main thread, bit-identically', async (t) => {
  if (!(await wasm.startThreads())) { t.skip('no worker thread here'); return; }
  // Stands in for a worker that is asleep or descheduled: the job is announced as untaken but the
  // worker is never told, so only the main thread can compute it.
  const thread = (wasm as unknown as { mt: { thread: { post(job: unknown): void; i32: Int32Array } } }).mt.thread;
  const post = thread.post;
  thread.post = function (this: { i32: Int32Array }) { Atomics.store(this.i32, 19, 0); };
  const before = wasm.takenBackGemms;
  try {
    let seed = 9950;
    for (const [tA, tB] of FLAGS) {
      for (const [m, n, k] of [[139, 121, 97], [37, 29, 401]]) {
        assert.ok(check({ tA, tB, m, n, k, alpha: 1.25, beta: 0.5, pad: 1, off: 2 }, seed++, 0));
      }
    }
  } finally {
    thread.post = post;
  }
  assert.equal(wasm.takenBackGemms - before, FLAGS.length * 2 * 2, 'every split (two per check) was taken back');
  // And the worker still takes jobs afterwards.
  assert.ok(check({ tA: false, tB: false, m: 150, n: 140, k: 90, alpha: 1, beta: 0, pad: 0, off: 0 }, 9960, 0));
});
