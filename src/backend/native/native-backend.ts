// The native (N-API, C++) backend: GEMM and the hot elementwise kernels run in the addon,
// in place on the caller's typed arrays; everything else, and calls too small to repay the
// ~0.1–1 µs N-API crossing, runs in the JS reference implementation it extends. Strided copies,
// broadcasting and gather/scatter are inherited: they are index arithmetic, and the tensor layer
// calls them on small shapes far more often than on large ones.
import type { BinaryOp, FloatArray, GemmEpilogue, ReduceOp, UnaryGradOp, UnaryOp } from '../backend.js';
import { JsBackend } from '../js-backend.js';
import { BINARY_CODES, REDUCE_CODES, UNARY_CODES, UNARY_GRAD_CODES, type NativeAddon } from './addon.js';

export interface NativeBackendOptions {
  /** Elementwise calls with fewer elements stay in JS (default 64). 0 sends everything native. */
  minElements?: number;
  /** GEMMs with fewer multiply-adds (m·n·k) stay in JS (default 512). */
  minGemmMacs?: number;
}

/** True when every array is a Float32Array, or every one a Float64Array. */
function sameKind(first: FloatArray, ...rest: FloatArray[]): boolean {
  const f32 = first instanceof Float32Array;
  for (const a of rest) if ((a instanceof Float32Array) !== f32) return false;
  return true;
}

export class NativeBackend extends JsBackend {
  override readonly name = 'native';
  readonly addon: NativeAddon;
  private readonly minElements: number;
  private readonly minGemmMacs: number;

  constructor(addon: NativeAddon, options: NativeBackendOptions = {}) {
    super();
    this.addon = addon;
    this.minElements = options.minElements ?? 64;
    this.minGemmMacs = options.minGemmMacs ?? 512;
  }

  override gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    beta: number, c: FloatArray, cOff: number, ldc: number,
  ): void {
    if (m * n * k < this.minGemmMacs || !sameKind(a, b, c)) {
      super.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    this.addon.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * The GEMM with its epilogue (bias, preact, act or ⊙ grad′(v)) applied by the addon to each
   * block of C while it is still in cache. Epilogue ops without a native kernel, small or mixed-type
   * calls and invalid epilogues go to the JS reference (which throws for the invalid ones).
   */
  override gemmFused(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    c: FloatArray, cOff: number, ldc: number,
    ep: GemmEpilogue,
  ): void {
    const { bias, preact, act, grad, v } = ep;
    const actCode = act === undefined ? -1 : UNARY_CODES[act];
    const gradCode = grad === undefined ? -1 : UNARY_GRAD_CODES[grad];
    const arrays = [a, b, c];
    if (bias) arrays.push(bias);
    if (preact) arrays.push(preact);
    if (grad !== undefined && v) arrays.push(v);
    if (actCode === undefined || gradCode === undefined || (actCode >= 0 && gradCode >= 0) || (gradCode >= 0 && !v) ||
        m * n * k < this.minGemmMacs || !sameKind(...(arrays as [FloatArray, ...FloatArray[]]))) {
      super.gemmFused(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, ep);
      return;
    }
    this.addon.gemmFused(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
      bias ?? null, preact ?? null, actCode, ep.actParam ?? 0, gradCode, ep.gradParam ?? 0, gradCode >= 0 ? v! : null);
  }

  override unary(op: UnaryOp, n: number, x: FloatArray, out: FloatArray, param = 0): void {
    const code = UNARY_CODES[op];
    if (code === undefined || n < this.minElements || !sameKind(x, out)) super.unary(op, n, x, out, param);
    else this.addon.unary(code, n, x, out, param);
  }

  override unaryGrad(op: UnaryGradOp, n: number, v: FloatArray, g: FloatArray, out: FloatArray, param = 0): void {
    const code = UNARY_GRAD_CODES[op];
    if (code === undefined || n < this.minElements || !sameKind(v, g, out)) super.unaryGrad(op, n, v, g, out, param);
    else this.addon.unaryGrad(code, n, v, g, out, param);
  }

  override binary(op: BinaryOp, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    const code = BINARY_CODES[op];
    if (code === undefined || n < this.minElements || !sameKind(a, b, out)) super.binary(op, n, a, b, out);
    else this.addon.binary(code, n, a, b, out);
  }

  override affine(n: number, x: FloatArray, s: number, t: number, out: FloatArray): void {
    if (n < this.minElements || !sameKind(x, out)) super.affine(n, x, s, t, out);
    else this.addon.affine(n, x, s, t, out);
  }

  override select(n: number, cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void {
    if (n < this.minElements || !sameKind(cond, a, b, out)) super.select(n, cond, a, b, out);
    else this.addon.select(n, cond, a, b, out);
  }

  override reduce(op: ReduceOp, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void {
    if (outer * len * inner < this.minElements || !sameKind(x, out)) super.reduce(op, outer, len, inner, x, out);
    else this.addon.reduce(REDUCE_CODES[op], outer, len, inner, x, out);
  }

  override softmax(outer: number, len: number, inner: number, x: FloatArray, out: FloatArray, log: boolean): void {
    // Only the row case (softmax over the last axis) is native; it is the one classifiers use.
    if (inner !== 1 || outer * len < this.minElements || !sameKind(x, out)) super.softmax(outer, len, inner, x, out, log);
    else this.addon.softmaxRows(outer, len, x, out, log);
  }

  override axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
    if (n < this.minElements || !sameKind(x, y)) super.axpy(n, alpha, x, y);
    else this.addon.axpy(n, alpha, x, y);
  }

  override adamStep(
    n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
    stepSize: number, beta1: number, beta2: number, eps: number, bc2Sqrt: number,
    coupledDecay: number, shrink: number,
  ): void {
    if (n < this.minElements || !sameKind(w, g, m, v)) super.adamStep(n, w, g, m, v, stepSize, beta1, beta2, eps, bc2Sqrt, coupledDecay, shrink);
    else this.addon.adamStep(n, w, g, m, v, stepSize, beta1, beta2, eps, bc2Sqrt, coupledDecay, shrink);
  }

  override dot(n: number, x: FloatArray, y: FloatArray): number {
    if (n < this.minElements || !sameKind(x, y)) return super.dot(n, x, y);
    return this.addon.dot(n, x, y);
  }
}
