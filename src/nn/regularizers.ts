// Penalties added to the loss: the notes' objective J = L + s with s = λ/2·Σₖ‖W⁽ᵏ⁾‖²_F, so that
// ∂s/∂W = λW. Weight matrices only by default (the notes leave biases unpenalised).
//   const J = crossEntropy(model.forward(x), y).add(l2Penalty(model, 1e-3));
import { ConfigError } from '../errors.js';
import { full } from '../tensor/creation.js';
import { abs, add, mul, square } from '../tensor/ops/elementwise.js';
import { sum } from '../tensor/ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface PenaltyOptions {
  /** Penalise 1-d parameters (biases) too (default false). */
  includeBias?: boolean;
}

function selected(params: Module | readonly Tensor[], opts: PenaltyOptions): Tensor[] {
  const list = params instanceof Module ? params.parameters() : [...params];
  return opts.includeBias ? list : list.filter((p) => p.ndim >= 2);
}

function total(terms: Tensor[], like: readonly Tensor[] | Module): Tensor {
  if (terms.length === 0) {
    const first = like instanceof Module ? like.parameters()[0] : like[0];
    return full([], 0, { dtype: first?.dtype ?? 'float32' });
  }
  return terms.reduce((a, b) => add(a, b));
}

/** s = λ/2·Σ‖W‖²_F over the weight matrices of a module or a list of tensors. */
export function l2Penalty(params: Module | readonly Tensor[], lambda: number, opts: PenaltyOptions = {}): Tensor {
  if (!(lambda >= 0)) throw new ConfigError(`l2Penalty: lambda must be >= 0, got ${lambda}`);
  return mul(total(selected(params, opts).map((w) => sum(square(w))), params), lambda / 2);
}

/** s = λ·Σ|W| (lasso), weight matrices only by default. */
export function l1Penalty(params: Module | readonly Tensor[], lambda: number, opts: PenaltyOptions = {}): Tensor {
  if (!(lambda >= 0)) throw new ConfigError(`l1Penalty: lambda must be >= 0, got ${lambda}`);
  return mul(total(selected(params, opts).map((w) => sum(abs(w))), params), lambda);
}
