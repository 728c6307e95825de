// The readable reference backend: plain loops over typed arrays. Every faster backend is tested
// against this one, so it is written to be checked by eye first. It is also the production path
// the faster backends inherit for what they leave to JS: float64 arrays (WASM), calls too small to
// repay a crossing, strided copies, broadcasting, gather/scatter, and Adam on WASM; so the loops
// stay cheap too (the GEMM is loop-ordered for cache use).
import { ConfigError } from '../errors.js';
import { allOps } from '../ops/index.js';
import type { Backend, BinaryOp, FloatArray, GemmEpilogue, ReduceOp, UnaryGradOp, UnaryOp } from './backend.js';

// The reference scalar functions are the registry's: each op's `kernel.ref` (and `grad.ref`).
const unaryScalar = new Map<string, (v: number, p: number) => number>();
const unaryGradScalar = new Map<string, (v: number, p: number) => number>();
const binaryScalar = new Map<string, (a: number, b: number) => number>();
for (const d of allOps()) {
  if (d.kind === 'binary') binaryScalar.set(d.name, d.kernel.ref);
  else {
    if (d.kernel) unaryScalar.set(d.name, d.kernel.ref);
    if (d.grad) unaryGradScalar.set(d.name, d.grad.ref);
  }
}

function kernelOf<F>(table: Map<string, F>, op: string, what: string): F {
  const f = table.get(op);
  if (!f) throw new ConfigError(`${what}: no kernel for op '${op}' in the op registry`);
  return f;
}

/**
 * One output row of a broadcasting binary op. The four arithmetic ops get their own loops
 * (a bias add over a minibatch runs here every step); the rest go through the scalar table.
 */
function stridedRow(
  op: BinaryOp, len: number, a: FloatArray, ai: number, as: number,
  b: FloatArray, bi: number, bs: number, out: FloatArray, o: number,
): void {
  switch (op) {
    case 'add': for (let j = 0; j < len; j++) out[o + j] = a[ai + j * as] + b[bi + j * bs]; return;
    case 'sub': for (let j = 0; j < len; j++) out[o + j] = a[ai + j * as] - b[bi + j * bs]; return;
    case 'mul': for (let j = 0; j < len; j++) out[o + j] = a[ai + j * as] * b[bi + j * bs]; return;
    case 'div': for (let j = 0; j < len; j++) out[o + j] = a[ai + j * as] / b[bi + j * bs]; return;
    default: {
      const f = kernelOf(binaryScalar, op, 'binary');
      for (let j = 0; j < len; j++) out[o + j] = f(a[ai + j * as], b[bi + j * bs]);
    }
  }
}

/** Refuses an epilogue that gemmFused cannot apply: act and grad both, or grad without its v. */
export function checkEpilogue(ep: GemmEpilogue): void {
  if (ep.act !== undefined && ep.grad !== undefined) throw new ConfigError('gemmFused: the epilogue takes act or grad, not both');
  if (ep.grad !== undefined && !ep.v) throw new ConfigError(`gemmFused: the '${ep.grad}' derivative epilogue needs v`);
}

export class JsBackend implements Backend {
  readonly name: string = 'js';

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    beta: number, c: FloatArray, cOff: number, ldc: number,
  ): void {
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * ldc;
      if (beta === 0) c.fill(0, ci, ci + n);
      else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
    }
    if (k === 0 || alpha === 0) return;
    // i-p-j order keeps the innermost loop walking B and C rows contiguously when B is not transposed.
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * ldc;
      for (let p = 0; p < k; p++) {
        const av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        if (av === 0) continue;
        if (!transB) {
          const bp = bOff + p * ldb;
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
        } else {
          for (let j = 0; j < n; j++) c[ci + j] += av * b[bOff + j * ldb + p];
        }
      }
    }
  }

  unary(op: UnaryOp, n: number, x: FloatArray, out: FloatArray, param = 0): void {
    const f = kernelOf(unaryScalar, op, 'unary');
    for (let i = 0; i < n; i++) out[i] = f(x[i], param);
  }

  unaryGrad(op: UnaryGradOp, n: number, v: FloatArray, g: FloatArray, out: FloatArray, param = 0): void {
    const f = kernelOf(unaryGradScalar, op, 'unaryGrad');
    for (let i = 0; i < n; i++) out[i] = g[i] * f(v[i], param);
  }

  binary(op: BinaryOp, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return;
      default: {
        const f = kernelOf(binaryScalar, op, 'binary');
        for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
      }
    }
  }

  binaryStrided(
    op: BinaryOp, shape: readonly number[],
    a: FloatArray, aStrides: readonly number[],
    b: FloatArray, bStrides: readonly number[],
    out: FloatArray,
  ): void {
    const nd = shape.length;
    const total = shape.reduce((p, s) => p * s, 1);
    if (total === 0) return;
    if (nd === 0) { out[0] = kernelOf(binaryScalar, op, 'binary')(a[0], b[0]); return; }
    // Walk the output in row-major order with an odometer over all but the last axis.
    const last = nd - 1, len = shape[last], as = aStrides[last], bs = bStrides[last];
    const idx = new Array<number>(nd).fill(0);
    let ai = 0, bi = 0, o = 0;
    for (;;) {
      stridedRow(op, len, a, ai, as, b, bi, bs, out, o);
      o += len;
      let d = last - 1;
      for (; d >= 0; d--) {
        idx[d]++;
        ai += aStrides[d]; bi += bStrides[d];
        if (idx[d] < shape[d]) break;
        ai -= aStrides[d] * shape[d]; bi -= bStrides[d] * shape[d];
        idx[d] = 0;
      }
      if (d < 0) return;
    }
  }

  affine(n: number, x: FloatArray, s: number, t: number, out: FloatArray): void {
    for (let i = 0; i < n; i++) out[i] = x[i] * s + t;
  }

  select(n: number, cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void {
    for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
  }

  reduce(op: ReduceOp, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let acc: number;
        switch (op) {
          case 'sum': {
            acc = 0;
            for (let j = 0; j < len; j++) acc += x[base + j * inner];
            break;
          }
          case 'max': case 'min': {
            acc = op === 'max' ? -Infinity : Infinity;
            for (let j = 0; j < len; j++) {
              const v = x[base + j * inner];
              if (Number.isNaN(v)) { acc = NaN; break; }
              if (op === 'max' ? v > acc : v < acc) acc = v;
            }
            break;
          }
          default: {
            // argmax / argmin: the first index of the extreme value (NaN counts as extreme, like NumPy).
            let best = x[base], at = 0;
            for (let j = 1; j < len && !Number.isNaN(best); j++) {
              const v = x[base + j * inner];
              if (Number.isNaN(v) || (op === 'argmax' ? v > best : v < best)) { best = v; at = j; }
            }
            acc = len === 0 ? NaN : at;
          }
        }
        out[o * inner + i] = acc;
      }
    }
  }

  copyStrided(
    shape: readonly number[], src: FloatArray, srcOffset: number, srcStrides: readonly number[],
    dst: FloatArray, dstOffset: number,
  ): void {
    const nd = shape.length;
    const total = shape.reduce((p, s) => p * s, 1);
    if (total === 0) return;
    if (nd === 0) { dst[dstOffset] = src[srcOffset]; return; }
    const last = nd - 1, len = shape[last], st = srcStrides[last];
    const idx = new Array<number>(nd).fill(0);
    let si = srcOffset, o = dstOffset;
    for (;;) {
      // subarray + set pays only for long rows (it allocates a view).
      if (st === 1 && len >= 64) { dst.set(src.subarray(si, si + len), o); o += len; }
      else for (let j = 0; j < len; j++) dst[o++] = src[si + j * st];
      let d = last - 1;
      for (; d >= 0; d--) {
        idx[d]++;
        si += srcStrides[d];
        if (idx[d] < shape[d]) break;
        si -= srcStrides[d] * shape[d];
        idx[d] = 0;
      }
      if (d < 0) return;
    }
  }

  gather(outer: number, len: number, inner: number, x: FloatArray, idx: FloatArray, idxLen: number, out: FloatArray): void {
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < idxLen; j++)
        for (let i = 0; i < inner; i++) {
          const p = (o * idxLen + j) * inner + i;
          out[p] = x[(o * len + idx[p]) * inner + i];
        }
  }

  scatterAdd(outer: number, len: number, inner: number, g: FloatArray, idx: FloatArray, idxLen: number, out: FloatArray): void {
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < idxLen; j++)
        for (let i = 0; i < inner; i++) {
          const p = (o * idxLen + j) * inner + i;
          out[(o * len + idx[p]) * inner + i] += g[p];
        }
  }

  softmax(outer: number, len: number, inner: number, x: FloatArray, out: FloatArray, log: boolean): void {
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        // Subtract the max so exp never overflows (the "numerically stable" softmax).
        let m = -Infinity;
        for (let j = 0; j < len; j++) m = Math.max(m, x[base + j * inner]);
        if (m === -Infinity) m = 0;
        let s = 0;
        for (let j = 0; j < len; j++) s += Math.exp(x[base + j * inner] - m);
        if (log) {
          const ls = Math.log(s);
          for (let j = 0; j < len; j++) out[base + j * inner] = x[base + j * inner] - m - ls;
        } else {
          for (let j = 0; j < len; j++) out[base + j * inner] = Math.exp(x[base + j * inner] - m) / s;
        }
      }
  }

  axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
    for (let i = 0; i < n; i++) y[i] += alpha * x[i];
  }

  dot(n: number, x: FloatArray, y: FloatArray): number {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * y[i];
    return s;
  }

  adamStep(
    n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
    stepSize: number, beta1: number, beta2: number, eps: number, bc2Sqrt: number,
    coupledDecay: number, shrink: number,
  ): void {
    // Each store rounds to the array's precision and later terms read the stored value, as
    // PyTorch's in-place ops do.
    const a1 = 1 - beta1, a2 = 1 - beta2;
    for (let i = 0; i < n; i++) {
      if (shrink !== 1) w[i] *= shrink;
      const gi = g[i] + coupledDecay * w[i];
      m[i] = beta1 * m[i] + a1 * gi;
      v[i] = beta2 * v[i] + a2 * gi * gi;
      w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + eps);
    }
  }

  /**
   * The reference for Backend.gemmFused: the product is accumulated onto the broadcast bias (one
   * pass fewer than adding it after), then the epilogue runs in place over C while it is still in
   * cache. The epilogue calls this backend's own unary kernels, so a backend that inherits this
   * method without a fused kernel of its own still runs its compiled activation (one call for a
   * contiguous C, else one per row).
   */
  gemmFused(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    c: FloatArray, cOff: number, ldc: number,
    ep: GemmEpilogue,
  ): void {
    const { bias, preact, act, grad, v } = ep;
    checkEpilogue(ep);
    // (Views are made only where a slice is needed: each costs an allocation, and small layers run
    // this many times per step.)
    if (bias) {
      const row = bias.length === n ? bias : bias.subarray(0, n);
      for (let i = 0; i < m; i++) c.set(row, cOff + i * ldc);
    }
    this.gemm(transA, transB, m, n, k, 1, a, aOff, lda, b, bOff, ldb, bias ? 1 : 0, c, cOff, ldc);
    if (!preact && act === undefined && grad === undefined) return;
    const slice = (x: FloatArray, at: number, len: number) => (at === 0 && x.length === len ? x : x.subarray(at, at + len));
    const epilogue = (row: FloatArray, at: number, len: number) => {
      if (preact) preact.set(row, at);
      if (act !== undefined) this.unary(act, len, row, row, ep.actParam ?? 0);
      else if (grad !== undefined) this.unaryGrad(grad, len, slice(v!, at, len), row, row, ep.gradParam ?? 0);
    };
    if (ldc === n) epilogue(slice(c, cOff, m * n), 0, m * n);
    else for (let i = 0; i < m; i++) epilogue(c.subarray(cOff + i * ldc, cOff + i * ldc + n), i * n, n);
  }

  /**
   * The reference for Backend.softmaxCrossEntropy: per row, the max, Σ exp(z − max), the loss
   * log Σ + max − z[label] (float64), and the gradient scale·(softmax − onehot) in one more sweep.
   */
  softmaxCrossEntropy(rows: number, classes: number, logits: FloatArray, labels: FloatArray, grad: FloatArray, gradScale: number): number {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * classes, label = labels[r];
      let m = -Infinity;
      for (let j = 0; j < classes; j++) m = Math.max(m, logits[base + j]);
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let j = 0; j < classes; j++) s += Math.exp(logits[base + j] - m);
      total += Math.log(s) + m - logits[base + label];
      const inv = gradScale / s;
      for (let j = 0; j < classes; j++) grad[base + j] = Math.exp(logits[base + j] - m) * inv - (j === label ? gradScale : 0);
    }
    return total;
  }

  /** The reference for Backend.sgdMomentumStep: torch.optim.SGD's update, element by element. */
  sgdMomentumStep(
    n: number, w: FloatArray, g: FloatArray, buf: FloatArray,
    lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean,
  ): void {
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      const d = g[i] + weightDecay * w[i];
      buf[i] = first ? d : momentum * buf[i] + keep * d;
      w[i] -= lr * (nesterov ? d + momentum * buf[i] : buf[i]);
    }
  }
}
