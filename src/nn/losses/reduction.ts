// Shared by every loss: the reduction option and the target-shape check.
import { ConfigError, ShapeError } from '../../errors.js';
import { sum, mean } from '../../tensor/ops/reduce.js';
import { reshape } from '../../tensor/ops/movement.js';
import { div } from '../../tensor/ops/elementwise.js';
import { fmt, sameShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages, 'sum' adds, 'none' returns the per-element (or per-row) losses. */
  reduction?: Reduction;
}

export function reduce(losses: Tensor, reduction: Reduction = 'mean', op = 'loss'): Tensor {
  switch (reduction) {
    case 'mean': return mean(losses);
    case 'sum': return sum(losses);
    case 'none': return losses;
    default: throw new ConfigError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${reduction as string}'`);
  }
}

/** Reduce per-row losses where 'mean' divides by a given count (e.g. the notes' 2n). */
export function reduceBy(losses: Tensor, reduction: Reduction, count: number, op: string): Tensor {
  return reduction === 'mean' ? div(sum(losses), count) : reduce(losses, reduction, op);
}

/**
 * Target of the prediction's shape. A [n] target against a [n, 1] prediction is read as [n, 1]
 * (Keras does the same); any other mismatch is an error rather than a silent broadcast to [n, n].
 */
export function matchTarget(pred: Tensor, target: Tensor, op: string): Tensor {
  if (sameShape(pred.shape, target.shape)) return target;
  if (pred.ndim === 2 && pred.shape[1] === 1 && target.ndim === 1 && target.shape[0] === pred.shape[0]) {
    return reshape(target, pred.shape);
  }
  throw new ShapeError(`${op}: prediction ${fmt(pred.shape)} and target ${fmt(target.shape)} must have the same shape`);
}
