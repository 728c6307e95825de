// Softmax cross-entropy on logits and the negative log-likelihood on log-probabilities.
import { ShapeError } from '../../errors.js';
import { mul, neg } from '../../tensor/ops/elementwise.js';
import { gather, reshape } from '../../tensor/ops/movement.js';
import { sum } from '../../tensor/ops/reduce.js';
import { logSoftmax } from '../../tensor/ops/softmax.js';
import { fusedCrossEntropy } from '../../tensor/ops/softmax-cross-entropy.js';
import { fmt, sameShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { reduce, type LossOptions } from './reduction.js';

/** Whether target holds one class label per row of [n, k] scores ([n], or [n, 1] when k ≠ 1). */
function areLabels(scores: Tensor, target: Tensor): boolean {
  return target.ndim === 1 || (target.ndim === 2 && target.shape[1] === 1 && scores.shape[1] !== 1);
}

/**
 * −log p[label] per row of log-probabilities [n, k] with integer labels [n] (PyTorch's NLLLoss),
 * or −Σⱼ tⱼ·log pⱼ with one-hot / soft targets [n, k].
 */
export function nllLoss(logProbs: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  if (logProbs.ndim !== 2) throw new ShapeError(`nllLoss: expected log-probabilities [n, classes], got ${fmt(logProbs.shape)}`);
  const n = logProbs.shape[0];
  let rows: Tensor;
  if (areLabels(logProbs, target)) {
    if (target.shape[0] !== n) throw new ShapeError(`nllLoss: ${target.shape[0]} labels for ${n} rows`);
    // gather checks every label is an integer in [0, k) and names the first bad one.
    rows = neg(reshape(gather(logProbs, reshape(target, [n, 1]), 1), [n]));
  } else if (sameShape(target.shape, logProbs.shape)) {
    rows = neg(sum(mul(target, logProbs), 1));
  } else {
    throw new ShapeError(`nllLoss: target ${fmt(target.shape)} is neither labels [${n}] nor probabilities ${fmt(logProbs.shape)}`);
  }
  return reduce(rows, opts.reduction, 'nllLoss');
}

/**
 * Softmax cross-entropy on logits [n, k]: nllLoss(logSoftmax(z), target), stable for large logits.
 * With integer labels and a mean or sum it runs as one fused op (loss and gradient in one pass).
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  if (logits.ndim !== 2) throw new ShapeError(`crossEntropy: expected logits [n, classes], got ${fmt(logits.shape)}`);
  const reduction = opts.reduction ?? 'mean';
  if ((reduction === 'mean' || reduction === 'sum') && areLabels(logits, target) && target.shape[0] === logits.shape[0]) {
    const fused = fusedCrossEntropy(logits, target, reduction);
    if (fused) return fused;
  }
  return nllLoss(logSoftmax(logits, 1), target, opts);
}
