// The affine layer Y = X·W + b as one op: the bias is broadcast into the output first and the
// GEMM accumulates onto it (beta = 1), saving a pass and a temporary per layer and step.
// VJP (the notes' matrix form): ∂X = ∂Y·Wᵀ, ∂W = Xᵀ·∂Y, ∂b = Σ rows of ∂Y (= 1ₙₓₙ·∂Y per row).
import { getBackend } from '../../backend/select.js';
import { record } from '../tape.js';
import { batchOp, topLevel } from '../dispatch.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { fmt } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { matmulT } from './matmul.js';
import { sum } from './reduce.js';

export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  if (x.ndim !== 2 || w.ndim !== 2 || (b && b.ndim !== 1)) {
    throw new ShapeError(`linear: expected x [n, in], W [in, out], b [out]; got ${fmt(x.shape)}, ${fmt(w.shape)}${b ? `, ${fmt(b.shape)}` : ''}`);
  }
  const [n, k] = x.shape, [kw, m] = w.shape;
  if (k !== kw || (b && b.shape[0] !== m)) {
    throw new ShapeError(`linear: x ${fmt(x.shape)}, W ${fmt(w.shape)}${b ? ` and b ${fmt(b.shape)}` : ''} do not fit`);
  }
  if (x.dtype !== w.dtype || (b && b.dtype !== w.dtype)) throw new DTypeError(`linear: mixed dtypes ${x.dtype}, ${w.dtype}${b ? `, ${b.dtype}` : ''}`);
  const inputs = b ? [x, w, b] : [x, w];
  let out: Tensor;
  if (topLevel(inputs)) {
    out = batchOp('linear', inputs, { apply: (vx: Tensor, vw: Tensor, vb?: Tensor) => linear(vx, vw, vb) });
  } else {
    const be = getBackend();
    out = new Tensor(allocate(x.dtype, n * m), [n, m]);
    if (b) be.copyStrided([n, m], b.data, 0, [0, 1], out.data, 0);
    be.gemm(false, false, n, m, k, 1, x.data, 0, k, w.data, 0, m, b ? 1 : 0, out.data, 0, m);
  }
  return record(out, 'linear', inputs, (g) => [
    x.requiresGrad ? matmulT(g, w, false, true) : null,
    w.requiresGrad ? matmulT(x, g, true, false) : null,
    b && b.requiresGrad ? sum(g, 0) : null,
  ]);
}
