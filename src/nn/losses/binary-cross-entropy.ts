// Binary cross-entropy on probabilities (clamped) and, numerically stable, on logits.
import { ConfigError } from '../../errors.js';
import { add, clamp, log, mul, neg, softplus, sub } from '../../tensor/ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { matchTarget, reduce, type LossOptions } from './reduction.js';

export interface BceOptions extends LossOptions {
  /** Probabilities are clamped to [eps, 1 − eps] so log never sees 0 (default 1e-7, as Keras). */
  eps?: number;
}

/** −[y·log p + (1 − y)·log(1 − p)] for probabilities p (e.g. after a sigmoid output). */
export function binaryCrossEntropy(prob: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  const eps = opts.eps ?? 1e-7;
  if (!(eps >= 0 && eps < 0.5)) throw new ConfigError(`binaryCrossEntropy: eps must be in [0, 0.5), got ${eps}`);
  const y = matchTarget(prob, target, 'binaryCrossEntropy');
  const p = clamp(prob, eps, 1 - eps);
  const e = neg(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p)))));
  return reduce(e, opts.reduction, 'binaryCrossEntropy');
}

/**
 * BCE on logits z, stable for any |z|: softplus(z) − y·z (= −[y log σ(z) + (1−y) log(1−σ(z))]).
 * Its gradient is exactly σ(z) − y, also at z = 0.
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const y = matchTarget(logits, target, 'binaryCrossEntropyWithLogits');
  return reduce(sub(softplus(logits), mul(y, logits)), opts.reduction, 'binaryCrossEntropyWithLogits');
}
