// Softmax cross-entropy on logits [n, classes] with integer labels as one op: one kernel pass
// gives the loss and, while the row is in cache, ∂L/∂z = scale·(softmax(z) − onehot(label)), which
// the node keeps as its VJP's answer (the composed path records log-softmax, gather, neg and the
// reduction, five nodes, each with its own pass and temporary). A backward pass that records
// (createGraph, and so every transform that differentiates a gradient) gets the same gradient
// written in tensor ops instead, so that it can be differentiated again.
import { getBackend } from '../../backend/select.js';
import { softmaxCrossEntropy as kernel } from '../../backend/fused.js';
import type { FloatArray } from '../../backend/backend.js';
import { isGradEnabled, record } from '../tape.js';
import { topLevel } from '../dispatch.js';
import { allocate, Tensor } from '../tensor.js';
import { mul, sub } from './elementwise.js';
import { softmax } from './softmax.js';

/** The labels as integers in [0, classes), in `like`'s float type; null if one is not. */
function labelData(labels: Tensor, classes: number, like: Tensor): FloatArray | null {
  const d = labels.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) return null;
  }
  if (labels.dtype === like.dtype) return d;
  return like.dtype === 'float64' ? Float64Array.from(d) : Float32Array.from(d);
}

/**
 * Mean (or sum) over rows of −log softmax(z)[label] as one fused op, or null where the composed
 * ops must run instead: an input is batched by vmap, there are no rows, or a label is not an
 * integer in range (the composed path's gather then says which).
 */
export function fusedCrossEntropy(logits: Tensor, labels: Tensor, reduction: 'mean' | 'sum'): Tensor | null {
  const [rows, classes] = logits.shape;
  if (logits.ndim !== 2 || labels.size !== rows || rows === 0 || topLevel([logits, labels])) return null;
  const lab = labelData(labels, classes, logits);
  if (!lab) return null;
  const scale = reduction === 'mean' ? 1 / rows : 1;
  let saved: Tensor | null = new Tensor(allocate(logits.dtype, rows * classes), logits.shape);
  const be = getBackend();
  const total = kernel(be, rows, classes, logits.data, lab, saved.data, scale);
  const out = new Tensor(allocate(logits.dtype, 1), []);
  out.data[0] = reduction === 'mean' ? total / rows : total;
  return record(out, 'crossEntropy', [logits], (g) => {
    if (isGradEnabled()) {
      // Recording: scale·g·(softmax(z) − onehot) in tensor ops, differentiable again.
      const onehot = new Tensor(allocate(logits.dtype, rows * classes), logits.shape);
      for (let r = 0; r < rows; r++) onehot.data[r * classes + lab[r]] = 1;
      return [mul(sub(softmax(logits, 1), onehot), mul(g, scale))];
    }
    const gv = g.data[0];
    if (saved && gv === 1) {
      // The usual loss.backward(): the saved gradient is the answer, handed over without a copy.
      const s = saved;
      saved = null;
      return [s];
    }
    const grad = new Tensor(allocate(logits.dtype, rows * classes), logits.shape);
    if (saved) be.affine(grad.size, saved.data, gv, 0, grad.data);
    else kernel(be, rows, classes, logits.data, lab, grad.data, scale * gv);
    return [grad];
  });
}
