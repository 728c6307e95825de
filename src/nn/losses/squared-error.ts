// Squared- and absolute-error losses for regression.
import { abs, mul, square, sub } from '../../tensor/ops/elementwise.js';
import { fusedSquaredError } from '../../tensor/ops/squared-error.js';
import type { Tensor } from '../../tensor/tensor.js';
import { matchTarget, reduce, reduceBy, type LossOptions } from './reduction.js';

/**
 * The notes' squared error with the ½ convention: L = 1/(2n)·Σᵢⱼ(Ŷᵢⱼ − Yᵢⱼ)², n = number of rows,
 * so that ∂L/∂Ŷ = (Ŷ − Y)/n. 'sum' gives ½Σ(Ŷ−Y)², 'none' the elements ½(Ŷ−Y)².
 */
export function halfSquaredError(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const y = matchTarget(pred, target, 'halfSquaredError');
  const e = mul(square(sub(pred, y)), 0.5);
  const rows = pred.ndim === 0 ? 1 : pred.shape[0];
  return reduceBy(e, opts.reduction ?? 'mean', rows, 'halfSquaredError');
}

/**
 * PyTorch's MSELoss: mean over every element of (Ŷ − Y)². A mean or a sum runs as one fused op
 * (the same gradient as the composed ops, in one pass).
 */
export function mseLoss(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const y = matchTarget(pred, target, 'mseLoss');
  const reduction = opts.reduction ?? 'mean';
  if (reduction === 'mean' || reduction === 'sum') {
    const fused = fusedSquaredError(pred, y, reduction);
    if (fused) return fused;
  }
  return reduce(square(sub(pred, y)), reduction, 'mseLoss');
}

/** PyTorch's L1Loss: mean of |Ŷ − Y|. */
export function l1Loss(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const y = matchTarget(pred, target, 'l1Loss');
  return reduce(abs(sub(pred, y)), opts.reduction, 'l1Loss');
}
