// The mean (or sum) of squared errors Σ(ŷ − y)² as one op. The composed path records sub, square,
// sum and the division, four nodes whose backward passes make five temporaries (the scaled seed,
// its broadcast, 2·d, g·2d, −g); for a small regression network these ops cost more than the
// layers. One pass here gives d = ŷ − y (kept) and the loss; backward is one scaling of d.
//
// The gradient is bit-for-bit the composed path's: that path computes s = g·(1/count) (one
// rounding to the dtype), then s·(2·d) where 2·d is exact, so the VJP below scales d by 2·s with
// s rounded the same way. The loss itself is Σd² accumulated in float64 (the composed sum kernel's
// order may differ, within the dtype's rounding). A backward pass that records (createGraph) gets
// the same gradient in tensor ops, so that it can be differentiated again.
import { getBackend } from '../../backend/select.js';
import { isGradEnabled, record } from '../tape.js';
import { topLevel } from '../dispatch.js';
import { sameShape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { mul, sub } from './elementwise.js';

/**
 * mean (count = size) or sum (count = 1) of (pred − target)² as one fused op, or null where the
 * composed ops must run instead: different shapes or dtypes, an input batched by vmap, no
 * elements, or a target that wants a gradient too.
 */
export function fusedSquaredError(pred: Tensor, target: Tensor, reduction: 'mean' | 'sum'): Tensor | null {
  const n = pred.size;
  if (n === 0 || !sameShape(pred.shape, target.shape) || pred.dtype !== target.dtype || target.requiresGrad || topLevel([pred, target])) return null;
  const be = getBackend();
  const diff = allocate(pred.dtype, n);
  be.binary('sub', n, pred.data, target.data, diff);
  const total = be.dot(n, diff, diff);
  const invCount = reduction === 'mean' ? 1 / n : 1;
  const out = new Tensor(allocate(pred.dtype, 1), []);
  out.data[0] = total * invCount;
  // The composed path's s = g·(1/count), rounded to the dtype as its affine kernel stores it.
  const round = pred.dtype === 'float32' ? Math.fround : (v: number) => v;
  return record(out, 'mseLoss', [pred], (g) => {
    if (isGradEnabled()) {
      // Recording: 2·s·(ŷ − y) in tensor ops, differentiable again (in pred and in g).
      return [mul(sub(pred, target), mul(g, 2 * invCount))];
    }
    const s = round(g.data[0] * invCount);
    const grad = new Tensor(allocate(pred.dtype, n), pred.shape);
    be.affine(n, diff, 2 * s, 0, grad.data);
    return [grad];
  });
}
