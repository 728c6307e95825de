// Matrix product. The VJP never forms a Jacobian or a transposed copy: for C = op(A)·op(B),
// ∂L/∂A and ∂L/∂B are two more GEMMs with transpose flags (dX = dY·Wᵀ, dW = Xᵀ·dY in the notes).
import { getBackend } from '../../backend/select.js';
import { record } from '../tape.js';
import { dispatch } from '../dispatch.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { broadcastShapes, broadcastStrides, fmt, sizeOf } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { reduceTo, reshape } from './movement.js';

export interface MatmulOptions {
  /** Use Aᵀ (the last two axes swapped) without copying. */
  transA?: boolean;
  /** Use Bᵀ without copying. */
  transB?: boolean;
}

/**
 * NumPy matmul semantics: 2-d × 2-d, batched over leading axes with broadcasting, and 1-d
 * operands promoted to a row (left) or column (right) vector and squeezed again.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  if (a.dtype !== b.dtype) throw new DTypeError(`matmul: mixed dtypes ${a.dtype} and ${b.dtype}`);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: operands must have rank >= 1, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  const a2 = a.ndim === 1 ? reshape(a, [1, a.size]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.size, 1]) : b;
  let out = matmulT(a2, b2, !!opts.transA && a.ndim > 1, !!opts.transB && b.ndim > 1);
  if (a.ndim === 1) out = reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1]]);
  if (b.ndim === 1) out = reshape(out, out.shape.slice(0, -1));
  return out;
}

/** C = op(A)·op(B) on rank >= 2 operands. */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const ar = a.shape[a.ndim - 2], ac = a.shape[a.ndim - 1], br = b.shape[b.ndim - 2], bc = b.shape[b.ndim - 1];
  const m = transA ? ac : ar, k = transA ? ar : ac;
  const kb = transB ? bc : br, n = transB ? br : bc;
  if (k !== kb) {
    const ta = transA ? 'ᵀ' : '', tb = transB ? 'ᵀ' : '';
    throw new ShapeError(`matmul: A${ta} ${fmt(a.shape)} and B${tb} ${fmt(b.shape)} do not fit: inner sizes ${k} and ${kb} differ`);
  }
  const out = dispatch('matmul', [a, b], () => {
    const be = getBackend();
    if (a.ndim === 2 && b.ndim === 2) {
      const c = new Tensor(allocate(a.dtype, m * n), [m, n]);
      be.gemm(transA, transB, m, n, k, 1, a.data, 0, ac, b.data, 0, bc, 0, c.data, 0, n);
      return c;
    }
    // One GEMM per matrix of the broadcast leading axes.
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
    const sa = broadcastStrides(a.shape.slice(0, -2), batch), sb = broadcastStrides(b.shape.slice(0, -2), batch);
    const count = sizeOf(batch);
    const c = new Tensor(allocate(a.dtype, count * m * n), [...batch, m, n]);
    const idx = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < count; t++) {
      let ia = 0, ib = 0;
      for (let d = 0; d < batch.length; d++) { ia += idx[d] * sa[d]; ib += idx[d] * sb[d]; }
      be.gemm(transA, transB, m, n, k, 1, a.data, ia * ar * ac, ac, b.data, ib * br * bc, bc, 0, c.data, t * m * n, n);
      for (let d = batch.length - 1; d >= 0 && ++idx[d] === batch[d]; d--) idx[d] = 0;
    }
    return c;
  }, () => ({ apply: (va: Tensor, vb: Tensor) => matmulT(va, vb, transA, transB), transA, transB }));
  return record(out, 'matmul', [a, b], (g) => [
    a.requiresGrad ? reduceTo(transA ? matmulT(b, g, transB, true) : matmulT(g, b, false, !transB), a.shape) : null,
    b.requiresGrad ? reduceTo(transB ? matmulT(g, a, true, transA) : matmulT(a, g, !transA, false), b.shape) : null,
  ]);
}
