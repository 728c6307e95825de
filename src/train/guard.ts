// Guarded training: a NaN or infinite loss or gradient must not reach the weights. The check is
// one dot product per gradient (g·g is finite when every element is, unless the elements are so
// large that the sum overflows — an exploding gradient, also stopped), so it costs a fraction of a step.
import { getBackend } from '../backend/select.js';
import type { Tensor } from '../tensor/tensor.js';

/** Why this step is not finite (naming the loss or the first bad parameter), or null. */
export function nonFiniteReason(loss: number, named: readonly [string, Tensor][]): string | null {
  if (!Number.isFinite(loss)) return `the loss is ${loss}`;
  const be = getBackend();
  for (const [name, p] of named) {
    const g = p.grad;
    if (g && !Number.isFinite(be.dot(g.size, g.data, g.data))) {
      const at = g.data.findIndex((v) => !Number.isFinite(v));
      if (at < 0) return `the gradient of '${name}' is exploding (its squared norm overflows); lower the learning rate or clip gradients (clipNorm)`;
      return `the gradient of '${name}' is ${g.data[at]} at element ${at}`;
    }
  }
  return null;
}
