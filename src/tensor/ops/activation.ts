// Activations by name. The registry's entry decides what runs: its kernel, or its composition of
// other ops (whose VJPs then make its VJP). This is the only module that hands compositions the
// ops they may use, softmax included, which elementwise.ts cannot import.
import { activation as activationDef, paramOf, type TensorOps } from '../../ops/index.js';
import { ConfigError } from '../../errors.js';
import { allocate, Tensor } from '../tensor.js';
import * as el from './elementwise.js';
import { logSoftmax, softmax } from './softmax.js';

const onesLike = (x: Tensor): Tensor => new Tensor(allocate(x.dtype, x.size).fill(1), x.shape);
const T: TensorOps = { ...el, onesLike, softmax, logSoftmax };

/** g(x) for the activation with this name or alias; `param` defaults to the registry's. */
export function activate(name: string, x: Tensor, param?: number): Tensor {
  const def = activationDef(name);
  const p = paramOf(def, param);
  if (def.compose) return def.compose(T, x, p);
  return el.applyUnary(def, x, p);
}

/** g′ elementwise at x (y = g(x)), by the fused kernel when there is one, else by the entry's formula. */
export function activationDerivative(name: string, x: Tensor, y: Tensor, param?: number): Tensor {
  const def = activationDef(name);
  const p = paramOf(def, param);
  if (def.grad) return el.activationGrad(def.name, def.grad.reads === 'x' ? x : y, onesLike(x), p);
  if (def.derivative) return def.derivative(T, x, y, p);
  throw new ConfigError(`activation '${def.name}' has no elementwise derivative`);
}

/** SiLU (swish): x·σ(x). */
export const silu = (x: Tensor): Tensor => activate('silu', x);
