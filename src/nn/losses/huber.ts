// PyTorch's HuberLoss: ½d² where |d| < δ, δ(|d| − ½δ) elsewhere (quadratic near 0, linear in the tails).
import { ConfigError } from '../../errors.js';
import { abs, lt, mul, square, sub, where } from '../../tensor/ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { matchTarget, reduce, type LossOptions } from './reduction.js';

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

export function huberLoss(pred: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ConfigError(`huberLoss: delta must be > 0, got ${delta}`);
  const d = sub(pred, matchTarget(pred, target, 'huberLoss'));
  const a = abs(d);
  const e = where(lt(a, delta), mul(square(d), 0.5), mul(sub(a, 0.5 * delta), delta));
  return reduce(e, opts.reduction, 'huberLoss');
}
