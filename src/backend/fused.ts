// The optional fused kernels (Backend.gemmFused, Backend.softmaxCrossEntropy) as the library calls
// them: the backend's own kernel when it has one, else the unfused composition of the kernels
// every backend has. The composition is also what the tests hold the fused kernels against.
import type { Backend, FloatArray, GemmEpilogue } from './backend.js';
import { checkEpilogue, JsBackend } from './js-backend.js';

const like = (x: FloatArray, n: number): FloatArray => (x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n));

/** C = epilogue(op(A)·op(B)) by the backend's fused kernel, or by gemm + add + unary/unaryGrad. */
export function gemmFused(
  be: Backend, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  c: FloatArray, cOff: number, ldc: number,
  ep: GemmEpilogue,
): void {
  if (be.gemmFused) be.gemmFused(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, ep);
  else unfusedGemmFused(be, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, ep);
}

/** gemmFused as separate passes: the product, + bias, a copy into preact, then act or ⊙ grad′(v). */
export function unfusedGemmFused(
  be: Backend, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, lda: number,
  b: FloatArray, bOff: number, ldb: number,
  c: FloatArray, cOff: number, ldc: number,
  ep: GemmEpilogue,
): void {
  const { bias, preact, act, grad, v } = ep;
  checkEpilogue(ep);
  const size = m * n;
  const product = like(c, size);
  be.gemm(transA, transB, m, n, k, 1, a, aOff, lda, b, bOff, ldb, 0, product, 0, n);
  let z = product;
  if (bias) {
    z = like(c, size);
    be.binaryStrided('add', [m, n], product, [n, 1], bias, [0, 1], z);
  }
  if (preact) preact.set(z.subarray(0, size));
  let out = z;
  if (act !== undefined) {
    out = like(c, size);
    be.unary(act, size, z, out, ep.actParam ?? 0);
  } else if (grad !== undefined) {
    out = like(c, size);
    be.unaryGrad(grad, size, v!, z, out, ep.gradParam ?? 0);
  }
  for (let i = 0; i < m; i++) c.set(out.subarray(i * n, i * n + n), cOff + i * ldc);
}

/**
 * Softmax cross-entropy over [rows, classes] with integer labels: Σ −log softmax(z)[label], and
 * grad = gradScale·(softmax(z) − onehot), by the backend's fused kernel or by log-softmax + exp.
 */
export function softmaxCrossEntropy(
  be: Backend, rows: number, classes: number, logits: FloatArray, labels: FloatArray, grad: FloatArray, gradScale: number,
): number {
  if (be.softmaxCrossEntropy) return be.softmaxCrossEntropy(rows, classes, logits, labels, grad, gradScale);
  return unfusedSoftmaxCrossEntropy(be, rows, classes, logits, labels, grad, gradScale);
}

export function unfusedSoftmaxCrossEntropy(
  be: Backend, rows: number, classes: number, logits: FloatArray, labels: FloatArray, grad: FloatArray, gradScale: number,
): number {
  const size = rows * classes;
  const logProbs = like(logits, size);
  be.softmax(rows, classes, 1, logits, logProbs, true);
  let total = 0;
  for (let r = 0; r < rows; r++) total -= logProbs[r * classes + labels[r]];
  be.unary('exp', size, logProbs, grad);
  for (let r = 0; r < rows; r++) grad[r * classes + labels[r]] -= 1;
  be.affine(size, grad, gradScale, 0, grad);
  return total;
}

/** One SGD step with momentum by the backend's kernel, or by the JS reference's loop. */
export function sgdMomentumStep(
  be: Backend, n: number, w: FloatArray, g: FloatArray, buf: FloatArray,
  lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean,
): void {
  const step = be.sgdMomentumStep ?? JsBackend.prototype.sgdMomentumStep;
  step.call(be, n, w, g, buf, lr, momentum, dampening, weightDecay, nesterov, first);
}
