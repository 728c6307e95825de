// A second thread for large GEMMs. The backend keeps a second instance of the kernels, the
// shared-memory build over a shared WebAssembly memory of its own (separate from the plain
// instance's memory, which every other kernel uses). One persistent worker instantiates that build
// over the same shared memory and computes one slice of C (a range of columns or of rows) while the
// main thread computes the rest; the two meet on a small control block in that memory with Atomics.
// Each element of C is still formed by exactly the single-threaded sequence of operations (the split
// is across elements, never across k), so results are bit-identical with and without the worker.
//
// The main thread never waits long for the worker: if the worker has not begun its slice when the
// main thread is done with its own, the main thread takes it back; if the worker began but has not
// finished well after, the main thread computes that slice too, into a region of its own (a worker
// descheduled on a busy machine would otherwise stall it for a whole time slice).
//
// Node: a node:worker_threads worker evaluated from a string. Browsers: a Worker from a Blob URL of
// the same loop, only where the page is cross-origin isolated (SharedArrayBuffer needs COOP/COEP);
// the main thread of a page may not block in Atomics.wait, so there it polls for the worker's half.
// No file to resolve either way: the worker runs the same from src/, dist/ and a bundle.
// NABLA_WASM_THREADS=1 forces single-threaded in Node.
// No static import of a Node module here (browser bundles include this file): worker_threads comes
// from process.getBuiltinModule (Node >= 20.16).
import { nodeWithBuiltins } from '../node-process.js';

// Control block (Int32 slots), CTRL_BYTES at a 64-byte aligned offset of linear memory.
const CMD = 0; // sequence number of the job posted by the main thread; -1 tells the worker to exit
const DONE = 16; // sequence number of the last job the worker finished (own cache line)
const STATE = 17; // 0 starting, 1 ready, -1 failed to start
const ERR = 18; // 1 if the last job threw (the caller then redoes the product without the worker)
// Who computes the posted job: 0 not yet taken, 1 the worker, 2 the main thread (it finished its own
// part first and took the worker's too: a worker that was asleep or descheduled costs no waiting).
const CLAIM = 19;
const ARGS = 1; // 13 ints: tA tB m n k a lda b ldb c ldc packA packB
const F64_BYTE = 96; // alpha, beta as float64 (slots 12 and 13 of a Float64Array over the block)
/** Bytes the control block needs. */
export const CTRL_BYTES = 128;

/** Load polls before the worker blocks in Atomics.wait (a wake-up from a futex costs far more). */
const WORKER_SPIN = 200_000;
/** How long an unfinished job may keep the worker before it is taken for dead and ended. */
const WAIT_LIMIT_MS = 20_000;

// The worker's loop: `run(data, post)` with data = { module, memory, ctrl, tile, spin }. The same
// text serves Node (started from workerData) and browsers (started by the first message).
const WORKER_LOOP = `
function run(data, post) {
  const { module, memory, ctrl, tile, spin } = data;
  const I = new Int32Array(memory.buffer, ctrl, ${CTRL_BYTES / 4});
  const F = new Float64Array(memory.buffer, ctrl, ${CTRL_BYTES / 8});
  let k;
  try {
    // Re-instantiating writes the module's constant data segments again: the same bytes.
    k = new WebAssembly.Instance(module, { env: { memory } }).exports;
    k.setTileScratch(tile);
  } catch (e) {
    Atomics.store(I, ${STATE}, -1);
    post(String((e && e.message) || e));
    return;
  }
  // The last job number before announcing readiness: the main thread may post the next one at once.
  let seen = Atomics.load(I, ${CMD});
  Atomics.store(I, ${STATE}, 1);
  post('ready');
  for (;;) {
    let cmd = Atomics.load(I, ${CMD});
    for (let s = 0; cmd === seen && s < spin; s++) cmd = Atomics.load(I, ${CMD});
    while (cmd === seen) {
      Atomics.wait(I, ${CMD}, seen);
      cmd = Atomics.load(I, ${CMD});
    }
    if (cmd < 0) return;
    seen = cmd;
    if (Atomics.compareExchange(I, ${CLAIM}, 0, 1) !== 0) {
      // The main thread took this job: nothing to compute (ERR keeps its value for a job it did).
      Atomics.store(I, ${DONE}, cmd);
      Atomics.notify(I, ${DONE});
      continue;
    }
    const a = ${ARGS};
    try {
      k.gemm(I[a], I[a + 1], I[a + 2], I[a + 3], I[a + 4], F[${F64_BYTE / 8}], I[a + 5], I[a + 6],
        I[a + 7], I[a + 8], F[${F64_BYTE / 8 + 1}], I[a + 9], I[a + 10], I[a + 11], I[a + 12]);
      Atomics.store(I, ${ERR}, 0);
    } catch (e) {
      Atomics.store(I, ${ERR}, 1);
    }
    Atomics.store(I, ${DONE}, cmd);
    Atomics.notify(I, ${DONE});
  }
}
`;

/** Node: a CommonJS script for `new Worker(src, { eval: true })`. */
const NODE_WORKER_SOURCE = `'use strict';
const { workerData, parentPort } = require('node:worker_threads');
${WORKER_LOOP}
run(workerData, (m) => parentPort.postMessage(m));
`;

/** Browsers: a classic worker script (Blob URL) that starts on its first message (exported for a test). */
export const BROWSER_WORKER_SOURCE = `'use strict';
${WORKER_LOOP}
self.onmessage = (e) => { self.onmessage = null; run(e.data, (m) => self.postMessage(m)); };
`;

interface NodeWorker {
  on(event: string, listener: (arg: unknown) => void): unknown;
  once(event: string, listener: (arg: unknown) => void): unknown;
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerCtor = new (src: string, opts: Record<string, unknown>) => NodeWorker;

/** The parts of a browser's Worker used here (lib.dom's types are not assumed). */
interface BrowserWorker {
  addEventListener(event: string, listener: (ev: { data?: unknown }) => void): void;
  postMessage(data: unknown): void;
  terminate(): void;
}
interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  Worker?: new (url: string) => BrowserWorker;
  Blob?: new (parts: string[], opts: { type: string }) => unknown;
  URL?: { createObjectURL?(blob: unknown): string; revokeObjectURL?(url: string): void };
  navigator?: { hardwareConcurrency?: number };
}

/** The worker, whichever runtime runs it: events mapped to one shape. */
interface HelperWorker {
  onMessage(listener: (msg: unknown) => void): void;
  onFailure(listener: () => void): void;
  terminate(): Promise<unknown>;
}

const browser = (): BrowserGlobals => globalThis as BrowserGlobals;

/** A browser (not Node) that has Workers. */
function inBrowser(): boolean {
  return !nodeWithBuiltins() && !(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node &&
    typeof browser().Worker === 'function';
}

/**
 * Why the threaded GEMM cannot run here, or null when it can: Node with worker_threads reachable
 * without a static import (>= 20.16), or a browser page that is cross-origin isolated; either with
 * SharedArrayBuffer and at least two CPUs; NABLA_WASM_THREADS=1 forces it off in Node.
 */
export function wasmThreadsUnavailable(): string | null {
  const proc = nodeWithBuiltins();
  if (proc) {
    if (typeof SharedArrayBuffer !== 'function') return 'no SharedArrayBuffer';
    if (proc.env.NABLA_WASM_THREADS === '1') return 'NABLA_WASM_THREADS=1';
    const os = proc.getBuiltinModule('node:os');
    const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    return cpus >= 2 ? null : 'one CPU';
  }
  if (!inBrowser()) return 'no worker threads in this runtime (Node < 20.16?)';
  const g = browser();
  if (g.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and ' +
      'Cross-Origin-Embedder-Policy: require-corp for SharedArrayBuffer)';
  }
  if (typeof SharedArrayBuffer !== 'function') return 'no SharedArrayBuffer';
  if (typeof g.Blob !== 'function' || typeof g.URL?.createObjectURL !== 'function') return 'no Blob URLs for the worker';
  return (g.navigator?.hardwareConcurrency ?? 1) >= 2 ? null : 'one CPU';
}

/** Spawns the helper worker with `data` (Node: worker_threads from a string; browsers: a Blob URL). */
function spawnWorker(data: Record<string, unknown>): HelperWorker {
  const proc = nodeWithBuiltins();
  if (proc) {
    const { Worker } = proc.getBuiltinModule('node:worker_threads') as unknown as { Worker: WorkerCtor };
    // Not the parent's flags (--import tsx etc.): the worker is plain CommonJS.
    const w = new Worker(NODE_WORKER_SOURCE, { eval: true, execArgv: [], workerData: data });
    w.unref(); // never keeps the process alive
    return {
      onMessage: (f) => { w.once('message', f); },
      onFailure: (f) => { w.on('error', f); w.on('exit', f); },
      terminate: () => w.terminate(),
    };
  }
  const g = browser();
  if (!inBrowser() || !g.Blob || !g.URL?.createObjectURL) throw new Error('no worker threads in this runtime');
  const url = g.URL.createObjectURL(new g.Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new g.Worker!(url);
  w.postMessage(data);
  let revoked = false;
  const revoke = () => { if (!revoked) { revoked = true; g.URL?.revokeObjectURL?.(url); } };
  return {
    onMessage: (f) => {
      let first = true;
      w.addEventListener('message', (ev) => { revoke(); if (first) { first = false; f(ev.data); } });
    },
    onFailure: (f) => { w.addEventListener('error', () => { revoke(); f(); }); },
    terminate: () => { revoke(); w.terminate(); return Promise.resolve(); },
  };
}

/** The integer arguments of one gemm call, in kernel order (pointers are byte offsets). */
export interface GemmJob {
  tA: number; tB: number; m: number; n: number; k: number; alpha: number;
  a: number; lda: number; b: number; ldb: number; beta: number; c: number; ldc: number;
  packA: number; packB: number;
}

/** The helper thread. Created idle; `start()` spawns the worker, `stop()` ends it. */
export class GemmThread {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private worker: HelperWorker | null = null;
  private starting: Promise<boolean> | null = null;
  /** The termination of a stopped worker, until it has exited. */
  private stopping: Promise<unknown> | null = null;
  private seq = 0;
  private broken = false;
  /** When waitUntil last gave up on the posted job (Date.now()), while it is still unfinished. */
  private lateSince: number | null = null;

  /**
   * @param ctrl  byte offset of the CTRL_BYTES control block (64-byte aligned)
   * @param tile  byte offset of the worker's own partial-tile scratch (tileBytes)
   */
  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly ctrl: number,
    private readonly tile: number,
  ) {
    this.i32 = new Int32Array(memory.buffer, ctrl, CTRL_BYTES / 4);
    this.f64 = new Float64Array(memory.buffer, ctrl, CTRL_BYTES / 8);
  }

  /** Whether the worker is up and able to take jobs. */
  get ready(): boolean {
    return !this.broken && this.worker !== null && Atomics.load(this.i32, STATE) === 1;
  }

  /** Spawns the worker (once); resolves true when it is ready, false if it cannot run. */
  start(): Promise<boolean> {
    if (this.starting) return this.starting;
    // The worker is spawned synchronously (a caller in a synchronous loop never yields to run a
    // `then`), unless a stopped one has yet to exit: it must be gone before a new one shares the block.
    const spawn = () => new Promise<boolean>((resolve) => {
      try {
        Atomics.store(this.i32, STATE, 0);
        Atomics.store(this.i32, CMD, this.seq);
        Atomics.store(this.i32, DONE, this.seq);
        const w = spawnWorker({ module: this.module, memory: this.memory, ctrl: this.ctrl, tile: this.tile, spin: WORKER_SPIN });
        this.worker = w;
        w.onMessage((msg) => resolve(msg === 'ready'));
        w.onFailure(() => {
          if (this.worker === w) this.broken = true;
          resolve(false);
        });
      } catch {
        this.broken = true;
        resolve(false);
      }
    });
    this.starting = this.stopping ? this.stopping.then(spawn) : spawn();
    return this.starting;
  }

  /** Hands `job` to the worker, which starts on it at once. Only when `ready`. */
  post(job: GemmJob): void {
    const I = this.i32, a = ARGS;
    I[a] = job.tA; I[a + 1] = job.tB; I[a + 2] = job.m; I[a + 3] = job.n; I[a + 4] = job.k;
    I[a + 5] = job.a; I[a + 6] = job.lda; I[a + 7] = job.b; I[a + 8] = job.ldb;
    I[a + 9] = job.c; I[a + 10] = job.ldc; I[a + 11] = job.packA; I[a + 12] = job.packB;
    this.f64[F64_BYTE / 8] = job.alpha;
    this.f64[F64_BYTE / 8 + 1] = job.beta;
    this.seq = this.seq >= 0x3fffffff ? 1 : this.seq + 1;
    Atomics.store(I, CLAIM, 0); // seq_cst: the plain writes above are visible to whoever claims the job
    Atomics.store(I, CMD, this.seq);
    Atomics.notify(I, CMD);
  }

  /**
   * Claims the posted job for the calling thread if the worker has not started it; true means the
   * caller computes it (with its own packing buffers) and must not waitUntil().
   */
  takeBack(): boolean {
    return Atomics.compareExchange(this.i32, CLAIM, 0, 2) === 0;
  }

  /**
   * Whether the last posted job is finished (or none was posted), so that a new one may use the
   * shared scratch. A job the caller stopped waiting for (see waitUntil) may still be running: the
   * worker reads its operands there and writes its part of C there. One that never finishes (a
   * killed worker) ends the worker after WAIT_LIMIT_MS, so that a later start() spawns a fresh one.
   */
  idle(): boolean {
    if (Atomics.load(this.i32, DONE) === this.seq) return true;
    if (this.lateSince !== null && Date.now() - this.lateSince > WAIT_LIMIT_MS) this.stop();
    return false;
  }

  /**
   * Waits for the posted job until performance.now() reaches `deadline` (milliseconds): 'done',
   * 'error' if it threw (threads are then given up), or 'late'. After 'late' the caller must not
   * read the job's part of C, nor stage another job, until idle() says it has finished: the caller
   * computes that part itself elsewhere rather than wait for a worker that was descheduled.
   */
  waitUntil(deadline: number): 'done' | 'error' | 'late' {
    const I = this.i32, seq = this.seq;
    let done = Atomics.load(I, DONE);
    for (let s = 1; done !== seq; s++) {
      if ((s & 0xff) === 0 && performance.now() > deadline) {
        this.lateSince = Date.now();
        return 'late';
      }
      done = Atomics.load(I, DONE);
    }
    this.lateSince = null;
    if (Atomics.load(I, ERR) !== 0) {
      this.broken = true;
      return 'error';
    }
    return 'done';
  }

  /** Ends the worker; a later `start()` spawns a fresh one. */
  stop(): void {
    const w = this.worker;
    this.worker = null;
    this.starting = null;
    this.broken = false;
    this.lateSince = null;
    if (!w) return;
    Atomics.store(this.i32, STATE, 0);
    Atomics.store(this.i32, CMD, -1);
    Atomics.notify(this.i32, CMD);
    const stopping = w.terminate().catch(() => undefined).then(() => {
      if (this.stopping === stopping) this.stopping = null;
    });
    this.stopping = stopping;
  }
}
