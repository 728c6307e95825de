// The WASM SIMD backend (float32). Each call copies its operands into the backend's scratch region
// of linear memory, runs one kernel, and copies the result back; tensors stay plain typed arrays.
// Float64 arguments (gradient checks) and the index-shuffling kernels (strided copies, broadcasts,
// gather/scatter) run on the JS reference this class extends.
// In Node and in cross-origin isolated pages, large GEMMs are split with a worker thread over a
// shared-memory instance of the same kernels (gemm-threads.ts); everything else runs on the plain
// instance.
import type { BinaryOp, FloatArray, GemmEpilogue, ReduceOp, UnaryGradOp, UnaryOp } from '../backend.js';
import { JsBackend } from '../js-backend.js';
import { instantiateSharedKernels, newSharedKernelMemory, type KernelExports } from './kernel-module.js';
import { alignUp, PAGE, Scratch } from './scratch.js';
import { CTRL_BYTES, GemmThread, type GemmJob } from './gemm-threads.js';
import { kernelCodes } from '../../ops/index.js';
import { REDUCE_CODES } from '../backend.js';

// The registry's codes for the kernels compiled into WASM (assembly/elementwise.as switches on them).
const UNARY_CODES = kernelCodes('unary', 'wasm');
const UNARY_GRAD_CODES = kernelCodes('unaryGrad', 'wasm');
const BINARY_CODES = kernelCodes('binary', 'wasm');

/** The kernel signatures of assembly/kernels.as (pointers are byte offsets into linear memory). */
interface Kernels extends KernelExports {
  gemm(tA: number, tB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    packedA: number, packedB: number): void;
  packABytes(): number;
  packBBytes(): number;
  tileBytes(): number;
  setTileScratch(p: number): void;
  unary(op: number, n: number, x: number, out: number, param: number): void;
  unaryGrad(op: number, n: number, v: number, g: number, out: number, param: number): void;
  binary(op: number, n: number, a: number, b: number, out: number): void;
  affine(n: number, x: number, s: number, t: number, out: number): void;
  select(n: number, cond: number, a: number, b: number, out: number): void;
  reduce(op: number, outer: number, len: number, inner: number, x: number, out: number): void;
  softmax(outer: number, len: number, inner: number, x: number, out: number, log: number): void;
  softmaxCrossEntropy(rows: number, classes: number, x: number, labels: number, grad: number, scale: number): number;
  axpy(n: number, alpha: number, x: number, y: number): void;
  adamStep(n: number, w: number, g: number, m: number, v: number, stepSize: number, beta1: number, beta2: number,
    eps: number, bc2Sqrt: number, coupledDecay: number, shrink: number): void;
  dot(n: number, x: number, y: number): number;
  sgdMomentumStep(n: number, w: number, g: number, buf: number, lr: number, momentum: number, dampening: number,
    weightDecay: number, nesterov: number, first: number): void;
}

const F32 = 4;
// The micro-kernel's tile (gemm.as): column splits fall on NR, row splits on MR.
const MR = 4;
const NR = 8;

/**
 * m·n·k from which a GEMM is split with the worker thread. Measured on a 2-core Xeon with
 * `bench/gemm-wasm.ts --sweep` (GFLOP/s, 1 thread → 2): 32³ 12.9 → 9.9, 64³ 24.4 → 24.6,
 * 64x128x64 25.6 → 28.8, 128x128x64 (2^20) 25.9 → 35.9, 128x784x256 30.2 → 52.7, 1024³ 29.8 → 59.5.
 * Those gains are with the worker spinning between back-to-back calls; a worker woken from sleep
 * costs tens of microseconds more, so the threshold sits above the measured break-even (~2^18).
 */
export const DEFAULT_THREAD_MIN_MNK = 1 << 20;

// A worker that began its part but has not finished LATE_FRACTION of the main thread's time after
// the main thread finished its own (at least LATE_MIN_MS) is late: the main thread computes its
// part too. Then the next LATE_BACKOFF_MIN large GEMMs, doubling up to LATE_BACKOFF_MAX while it
// stays late, run single-threaded: on a machine this busy the worker costs more than it gives.
const LATE_FRACTION = 0.5;
const LATE_MIN_MS = 0.1;
const LATE_BACKOFF_MIN = 8;
const LATE_BACKOFF_MAX = 256;

function runGemm(k: Kernels, j: GemmJob): void {
  k.gemm(j.tA, j.tB, j.m, j.n, j.k, j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc, j.packA, j.packB);
}

function allF32(...xs: FloatArray[]): boolean {
  for (const x of xs) if (!(x instanceof Float32Array)) return false;
  return true;
}

/** Copies the first n floats of x to byte offset `ptr` of `mem`. */
function put(mem: Float32Array, x: FloatArray, n: number, ptr: number): void {
  mem.set(x.length === n ? x : x.subarray(0, n), ptr / F32);
}

/** gemmFused's epilogue with the registry names resolved to kernel codes (bias is staged as C). */
interface StagedEpilogue {
  preact?: FloatArray;
  act?: number;
  actParam: number;
  grad?: number;
  gradParam: number;
  v?: FloatArray;
}

/** The shared-memory instance of the kernels and the worker that shares it (threaded GEMMs only). */
interface Threaded {
  k: Kernels;
  scratch: Scratch;
  thread: GemmThread;
  /** k.packABytes(), k.packBBytes(): the GEMM's packing buffers (constants of the build). */
  packBytes: readonly [number, number];
}

export class WasmBackend extends JsBackend {
  override readonly name = 'wasm';
  private readonly k: Kernels;
  private readonly scratch: Scratch;
  private readonly tile: number;
  /** k.packABytes(), k.packBBytes(): the GEMM's packing buffers (constants of the build). */
  private readonly packBytes: readonly [number, number];
  /** The byte offsets stage() returns, reused from call to call. */
  private readonly staged: number[] = [0, 0, 0, 0];
  private sharedModule: WebAssembly.Module | null;
  private mt: Threaded | null = null;
  /** GEMMs with m·n·k at or above this are split with the worker thread (Infinity: never). */
  threadMinMNK = DEFAULT_THREAD_MIN_MNK;
  /** GEMM calls split with the worker so far (diagnostics and tests). */
  threadedGemms = 0;
  /** Of those, the ones whose second part the main thread computed because the worker had not begun it. */
  takenBackGemms = 0;
  /** Of those, the ones whose second part the main thread computed again because the worker was late with it. */
  lateGemms = 0;
  /** Large GEMMs still to run single-threaded after the worker was late, and the length of that pause. */
  private skipSplits = 0;
  private splitBackoff = 0;

  /**
   * @param exports       an instance of the (unshared) kernels: every kernel runs on it, GEMMs too
   *                      unless they are split with the worker
   * @param sharedModule  the shared-memory build of the same kernels: enables the worker thread
   *                      for large GEMMs (Node, and cross-origin isolated pages; see gemm-threads.ts)
   */
  constructor(exports: KernelExports, sharedModule?: WebAssembly.Module) {
    super();
    this.k = exports as Kernels;
    // The micro-kernel's partial-tile buffer sits just above the static data, before the scratch.
    this.tile = alignUp(this.k.heapBase());
    this.k.setTileScratch(this.tile);
    this.scratch = new Scratch(this.k.memory, this.tile + this.k.tileBytes());
    this.packBytes = [this.k.packABytes(), this.k.packBBytes()];
    this.sharedModule = sharedModule ?? null;
  }

  /**
   * The shared instance, created on first use. Split GEMMs are staged there rather than in the
   * main memory because copies into a SharedArrayBuffer are slower (V8 copies them with relaxed
   * atomics): the other kernels and the single-threaded GEMMs keep the plain memory.
   */
  private threaded(): Threaded | null {
    if (this.mt || !this.sharedModule) return this.mt;
    try {
      const k = instantiateSharedKernels(this.sharedModule, newSharedKernelMemory()) as Kernels;
      const tile = alignUp(k.heapBase());
      k.setTileScratch(tile);
      // The worker's tile buffer and the control block, also below the scratch.
      const workerTile = alignUp(tile + k.tileBytes());
      const ctrl = alignUp(workerTile + k.tileBytes());
      const base = ctrl + CTRL_BYTES;
      const held = (k.memory.buffer as ArrayBufferLike).byteLength;
      if (base > held) k.memory.grow(Math.ceil((base - held) / PAGE));
      this.mt = {
        k, scratch: new Scratch(k.memory, base), thread: new GemmThread(this.sharedModule, k.memory, ctrl, workerTile),
        packBytes: [k.packABytes(), k.packBBytes()],
      };
    } catch {
      this.sharedModule = null;
    }
    return this.mt;
  }

  /** Whether large GEMMs can use a worker thread here (Node, with the shared-memory build). */
  get threadsAvailable(): boolean {
    return this.sharedModule !== null;
  }

  /** Whether the worker thread is up now (it is started by the first large GEMM, or by startThreads). */
  get threadsReady(): boolean {
    return this.mt?.thread.ready ?? false;
  }

  /** Starts the worker thread; resolves true once it takes jobs, false where threads are unavailable. */
  startThreads(): Promise<boolean> {
    return this.threaded()?.thread.start() ?? Promise.resolve(false);
  }

  /** Ends the worker thread (GEMMs run single-threaded until a large one or startThreads starts it again). */
  stopThreads(): void {
    this.mt?.thread.stop();
  }

  /** Bytes of linear memory held now (each memory grows to the largest single call, never per call). */
  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength + (this.mt ? (this.mt.k.memory.buffer as ArrayBufferLike).byteLength : 0);
  }

  override gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    beta: number, c: FloatArray, cOff: number, ldc: number,
  ): void {
    if (m <= 0 || n <= 0) return;
    if (!allF32(a, b, c) ||
      !this.gemmWasm(transA, transB, m, n, Math.max(k, 0), alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
      super.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  /**
   * gemmFused in linear memory: C starts as the broadcast bias (the product accumulates onto it,
   * as in the reference), and the epilogue runs over C there, so C crosses between JS and WASM
   * once instead of once per pass.
   */
  override gemmFused(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    c: FloatArray, cOff: number, ldc: number,
    ep: GemmEpilogue,
  ): void {
    const { bias, preact, act, grad, v } = ep;
    const actCode = act === undefined ? undefined : UNARY_CODES[act];
    const gradCode = grad === undefined ? undefined : UNARY_GRAD_CODES[grad];
    // The reference where it has to judge the epilogue (act and grad both, grad without v), where
    // an op has no WASM kernel, and for float64 operands.
    const compiled = (act === undefined || actCode !== undefined) && (grad === undefined || (gradCode !== undefined && v !== undefined)) &&
      !(act !== undefined && grad !== undefined);
    const f32 = allF32(a, b, c) && (!bias || bias instanceof Float32Array) && (!preact || preact instanceof Float32Array) &&
      (!v || v instanceof Float32Array);
    if (m <= 0 || n <= 0 || !compiled || !f32 ||
      !this.gemmWasm(transA, transB, m, n, Math.max(k, 0), 1, a, aOff, lda, b, bOff, ldb, 0, c, cOff, ldc,
        { preact, act: actCode, actParam: ep.actParam ?? 0, grad: gradCode, gradParam: ep.gradParam ?? 0, v }, bias)) {
      super.gemmFused(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, ep);
    }
  }

  /** A float32 gemm (and epilogue) on one of the instances; false where it must run on the reference. */
  private gemmWasm(
    transA: boolean, transB: boolean, m: number, n: number, kk: number, alpha: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    beta: number, c: FloatArray, cOff: number, ldc: number,
    ep?: StagedEpilogue, bias?: FloatArray,
  ): boolean {
    // Split with the worker only when it pays and the worker is up (the first large call starts
    // it; calls until it is ready run single-threaded).
    if (this.sharedModule && kk > 0 && alpha !== 0 && m * n * kk >= this.threadMinMNK && (n >= 2 * NR || m >= 2 * MR)) {
      const t = this.threaded();
      if (!t?.thread.ready) void t?.thread.start();
      else if (this.skipSplits > 0) this.skipSplits--;
      else if (t.thread.idle()) {
        if (this.gemmStaged(t, transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ep, bias)) return true;
      }
    }
    // Single-threaded on the plain instance: also while the worker is still busy with a slice the
    // main thread did not wait for, and where the split failed (its worker threw), because the
    // caller's C is only written once a product has completed.
    return this.gemmStaged(null, transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ep, bias);
  }

  /**
   * Stages a float32 gemm into `mt`'s memory (split with its worker) or, for null, the plain
   * instance's, runs it and copies C back. False, with the caller's C untouched, when the scratch
   * would grow too large or the worker failed.
   */
  private gemmStaged(
    mt: Threaded | null, transA: boolean, transB: boolean, m: number, n: number, kk: number, alpha: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    beta: number, c: FloatArray, cOff: number, ldc: number,
    ep?: StagedEpilogue, bias?: FloatArray,
  ): boolean {
    const kern = mt ? mt.k : this.k;
    const scratch = mt ? mt.scratch : this.scratch;
    // Spans of A and B as stored (rows × row stride), copied whole; C is packed to ld = n.
    const aSpan = kk === 0 ? 0 : transA ? (kk - 1) * lda + m : (m - 1) * lda + kk;
    const bSpan = kk === 0 ? 0 : transB ? (n - 1) * ldb + kk : (kk - 1) * ldb + n;
    const packs = mt ? mt.packBytes : this.packBytes;
    const vSize = ep?.grad !== undefined ? m * n * F32 : 0;
    // The split also reserves its own packing buffers and a second C for a slice the worker is late with.
    const lay = scratch.layout([aSpan * F32, bSpan * F32, m * n * F32, vSize, ...packs, ...(mt ? [...packs, m * n * F32] : [])]);
    if (!lay) return false;
    const [pa, pb, pc0, pv, packA, packB, packA2, packB2, pAlt] = lay;
    const mem = scratch.f32;
    if (aSpan) mem.set(a.subarray(aOff, aOff + aSpan), pa / F32);
    if (bSpan) mem.set(b.subarray(bOff, bOff + bSpan), pb / F32);
    // C's starting values at byte offset `at`: the broadcast bias (the product accumulates onto
    // it with beta = 1), or C for beta != 0.
    const stageC = (at: number): void => {
      const c0 = at / F32;
      if (bias) {
        const row = bias.length === n ? bias : bias.subarray(0, n);
        for (let i = 0; i < m; i++) mem.set(row, c0 + i * n);
      } else if (beta !== 0) {
        if (ldc === n) mem.set(c.subarray(cOff, cOff + m * n), c0);
        else for (let i = 0; i < m; i++) mem.set(c.subarray(cOff + i * ldc, cOff + i * ldc + n), c0 + i * n);
      }
    };
    stageC(pc0);
    const job: GemmJob = {
      tA: +transA, tB: +transB, m, n, k: kk, alpha, a: pa, lda, b: pb, ldb, beta: bias ? 1 : beta, c: pc0, ldc: n, packA, packB,
    };
    // Where C is once the product is done (the split may leave it in the second region).
    let pc = pc0;
    if (!mt) runGemm(kern, job);
    else {
      pc = this.gemmSplit(mt, job, packA2, packB2, pAlt, stageC);
      if (pc < 0) return false;
    }
    const c0 = pc / F32;
    if (ep) {
      // The epilogue over the contiguous staged C (preact, v: C's layout with row stride n).
      const size = m * n;
      if (ep.preact) ep.preact.set(mem.subarray(c0, c0 + size));
      if (ep.act !== undefined) kern.unary(ep.act, size, pc, pc, ep.actParam);
      else if (ep.grad !== undefined) {
        mem.set(ep.v!.subarray(0, size), pv / F32);
        kern.unaryGrad(ep.grad, size, pv, pc, pc, ep.gradParam);
      }
    }
    if (ldc === n) c.set(mem.subarray(c0, c0 + m * n), cOff);
    else for (let i = 0; i < m; i++) c.set(mem.subarray(c0 + i * n, c0 + (i + 1) * n), cOff + i * ldc);
    return true;
  }

  /**
   * Runs a staged gemm as two parts of C: the worker takes the second (with its own packing
   * buffers), the main thread the first. Columns are split when m ≤ n, rows otherwise, so that the
   * operand packed by both threads is the smaller one. Returns the byte offset of the finished C:
   * job.c, or `alt` when the worker was late and the main thread computed the second part there
   * itself (`stageC` gives a region C's starting values); -1 if the worker threw (the caller then
   * starts over elsewhere).
   */
  private gemmSplit(mt: Threaded, job: GemmJob, packA2: number, packB2: number, alt: number, stageC: (at: number) => void): number {
    const { m, n } = job;
    const byCols = n >= 2 * NR && (m <= n || m < 2 * MR);
    const unit = byCols ? NR : MR, len = byCols ? n : m;
    const at = Math.min(len - unit, Math.max(unit, Math.round(len / 2 / unit) * unit));
    const first: GemmJob = { ...job };
    const second: GemmJob = { ...job, packA: packA2, packB: packB2 };
    if (byCols) {
      first.n = at;
      second.n = n - at;
      second.b += (job.tB ? at * job.ldb : at) * F32;
      second.c += at * F32;
    } else {
      first.m = at;
      second.m = m - at;
      second.a += (job.tA ? at : at * job.lda) * F32;
      second.c += at * job.ldc * F32;
    }
    mt.thread.post(second);
    this.threadedGemms++;
    const t0 = performance.now();
    runGemm(mt.k, first);
    // A worker that has not started its part by now (asleep, or descheduled on a busy machine) would
    // only make this thread wait: it computes that part too, with its own packing buffers.
    if (mt.thread.takeBack()) {
      this.takenBackGemms++;
      runGemm(mt.k, { ...second, packA: first.packA, packB: first.packB });
      return job.c;
    }
    // The worker began its part about when this thread began its own: it should be done about now.
    const mine = performance.now() - t0;
    const outcome = mt.thread.waitUntil(performance.now() + Math.max(LATE_MIN_MS, LATE_FRACTION * mine));
    if (outcome === 'error') return -1;
    if (outcome === 'done') {
      this.splitBackoff = 0;
      return job.c;
    }
    // Late (descheduled, most likely): the second part again, here, into `alt` (the worker may
    // still write to its own). The first part is final: copied over. Until the worker is done,
    // GEMMs run single-threaded (gemmWasm asks idle()); a machine this busy gets a few more.
    this.lateGemms++;
    this.splitBackoff = Math.min(LATE_BACKOFF_MAX, Math.max(LATE_BACKOFF_MIN, 2 * this.splitBackoff));
    this.skipSplits = this.splitBackoff;
    stageC(alt);
    const mem = mt.scratch.f32, from = job.c / F32, to = alt / F32;
    if (byCols) for (let i = 0; i < m; i++) mem.copyWithin(to + i * n, from + i * n, from + i * n + at);
    else mem.copyWithin(to, from, from + at * n);
    runGemm(mt.k, { ...second, c: second.c - job.c + alt, packA: first.packA, packB: first.packB });
    return alt;
  }

  /**
   * Copies the first n floats of x0 (and of x1, x2 where given) into scratch regions and reserves
   * `outputs` more regions of n floats; returns all their byte offsets, inputs first, or null if
   * scratch would grow too large. The array is reused: valid until the next call.
   */
  private stage(n: number, outputs: number, x0: FloatArray, x1?: FloatArray, x2?: FloatArray): readonly number[] | null {
    const lay = this.staged;
    const inputs = x2 ? 3 : x1 ? 2 : 1;
    if (!this.scratch.layoutEqual(inputs + outputs, Math.max(n, 1) * F32, lay)) return null;
    const mem = this.scratch.f32;
    put(mem, x0, n, lay[0]);
    if (x1) put(mem, x1, n, lay[1]);
    if (x2) put(mem, x2, n, lay[2]);
    return lay;
  }

  private fetch(ptr: number, n: number, out: FloatArray): void {
    const p = ptr / F32;
    out.set(this.scratch.f32.subarray(p, p + n));
  }

  override unary(op: UnaryOp, n: number, x: FloatArray, out: FloatArray, param = 0): void {
    const code = UNARY_CODES[op];
    const lay = code !== undefined && n > 0 && allF32(x, out) ? this.stage(n, 1, x) : null;
    if (!lay) { super.unary(op, n, x, out, param); return; }
    this.k.unary(code!, n, lay[0], lay[1], param);
    this.fetch(lay[1], n, out);
  }

  override unaryGrad(op: UnaryGradOp, n: number, v: FloatArray, g: FloatArray, out: FloatArray, param = 0): void {
    const code = UNARY_GRAD_CODES[op];
    const lay = code !== undefined && n > 0 && allF32(v, g, out) ? this.stage(n, 1, v, g) : null;
    if (!lay) { super.unaryGrad(op, n, v, g, out, param); return; }
    this.k.unaryGrad(code!, n, lay[0], lay[1], lay[2], param);
    this.fetch(lay[2], n, out);
  }

  override binary(op: BinaryOp, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    const code = BINARY_CODES[op];
    const lay = code !== undefined && n > 0 && allF32(a, b, out) ? this.stage(n, 1, a, b) : null;
    if (!lay) { super.binary(op, n, a, b, out); return; }
    this.k.binary(code!, n, lay[0], lay[1], lay[2]);
    this.fetch(lay[2], n, out);
  }

  // Broadcasting and index shuffles are memory-bound: staging them through linear memory would
  // cost as much as the work, so they stay on the JS loops.

  override affine(n: number, x: FloatArray, s: number, t: number, out: FloatArray): void {
    const lay = n > 0 && allF32(x, out) ? this.stage(n, 1, x) : null;
    if (!lay) { super.affine(n, x, s, t, out); return; }
    this.k.affine(n, lay[0], s, t, lay[1]);
    this.fetch(lay[1], n, out);
  }

  override select(n: number, cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void {
    const lay = n > 0 && allF32(cond, a, b, out) ? this.stage(n, 1, cond, a, b) : null;
    if (!lay) { super.select(n, cond, a, b, out); return; }
    this.k.select(n, lay[0], lay[1], lay[2], lay[3]);
    this.fetch(lay[3], n, out);
  }

  override reduce(op: ReduceOp, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void {
    const nIn = outer * len * inner, nOut = outer * inner;
    if (nOut === 0) return;
    const lay = allF32(x, out) ? this.scratch.layout([Math.max(nIn, 1) * F32, nOut * F32]) : null;
    if (!lay) { super.reduce(op, outer, len, inner, x, out); return; }
    if (nIn) this.scratch.f32.set(x.subarray(0, nIn), lay[0] / F32);
    this.k.reduce(REDUCE_CODES[op], outer, len, inner, lay[0], lay[1]);
    this.fetch(lay[1], nOut, out);
  }

  override softmax(outer: number, len: number, inner: number, x: FloatArray, out: FloatArray, log: boolean): void {
    const n = outer * len * inner;
    const lay = n > 0 && allF32(x, out) ? this.stage(n, 1, x) : null;
    if (!lay) { super.softmax(outer, len, inner, x, out, log); return; }
    this.k.softmax(outer, len, inner, lay[0], lay[1], +log);
    this.fetch(lay[1], n, out);
  }

  override softmaxCrossEntropy(
    rows: number, classes: number, logits: FloatArray, labels: FloatArray, grad: FloatArray, gradScale: number,
  ): number {
    const n = rows * classes;
    const lay = n > 0 && allF32(logits, labels, grad) ? this.scratch.layout([n * F32, rows * F32, n * F32]) : null;
    if (!lay) return super.softmaxCrossEntropy(rows, classes, logits, labels, grad, gradScale);
    const mem = this.scratch.f32;
    put(mem, logits, n, lay[0]);
    put(mem, labels, rows, lay[1]);
    const total = this.k.softmaxCrossEntropy(rows, classes, lay[0], lay[1], lay[2], gradScale);
    this.fetch(lay[2], n, grad);
    return total;
  }

  override axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
    const lay = n > 0 && allF32(x, y) ? this.stage(n, 0, x, y) : null;
    if (!lay) { super.axpy(n, alpha, x, y); return; }
    this.k.axpy(n, alpha, lay[0], lay[1]);
    this.fetch(lay[1], n, y);
  }

  override adamStep(
    n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
    stepSize: number, beta1: number, beta2: number, eps: number, bc2Sqrt: number,
    coupledDecay: number, shrink: number,
  ): void {
    const lay = n > 0 && allF32(w, g, m, v) ? this.scratch.layout([n * F32, n * F32, n * F32, n * F32]) : null;
    if (!lay) { super.adamStep(n, w, g, m, v, stepSize, beta1, beta2, eps, bc2Sqrt, coupledDecay, shrink); return; }
    const mem = this.scratch.f32;
    put(mem, w, n, lay[0]);
    put(mem, g, n, lay[1]);
    put(mem, m, n, lay[2]);
    put(mem, v, n, lay[3]);
    this.k.adamStep(n, lay[0], lay[1], lay[2], lay[3], stepSize, beta1, beta2, eps, bc2Sqrt, coupledDecay, shrink);
    this.fetch(lay[0], n, w);
    this.fetch(lay[2], n, m);
    this.fetch(lay[3], n, v);
  }

  override sgdMomentumStep(
    n: number, w: FloatArray, g: FloatArray, buf: FloatArray,
    lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean,
  ): void {
    // On the first step buf is only written: it is not copied in.
    const lay = n > 0 && allF32(w, g, buf) ? this.stage(n, first ? 1 : 0, w, g, first ? undefined : buf) : null;
    if (!lay) { super.sgdMomentumStep(n, w, g, buf, lr, momentum, dampening, weightDecay, nesterov, first); return; }
    this.k.sgdMomentumStep(n, lay[0], lay[1], lay[2], lr, momentum, dampening, weightDecay, +nesterov, +first);
    this.fetch(lay[0], n, w);
    this.fetch(lay[2], n, buf);
  }

  override dot(n: number, x: FloatArray, y: FloatArray): number {
    // dot(x, x) (squared norms: the non-finite guard, clipping) stages x once.
    const lay = n > 0 && allF32(x, y) ? (x === y ? this.stage(n, 0, x) : this.stage(n, 0, x, y)) : null;
    if (lay && x === y) return this.k.dot(n, lay[0], lay[0]);
    if (!lay) return super.dot(n, x, y);
    return this.k.dot(n, lay[0], lay[1]);
  }
}
