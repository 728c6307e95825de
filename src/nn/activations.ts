// Activation functions and their modules. The functions are the tensor ops (src/tensor); this
// file names them as the notes do (identity/linear, hard threshold, logistic, soft ReLU ...) and
// wraps each in a parameter-free Module so that Sequential stacks and model files can hold them.
import { ConfigError } from '../errors.js';
import * as el from '../tensor/ops/elementwise.js';
import { softmax, logSoftmax } from '../tensor/ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type ModuleConfig } from './module.js';

/** The linear (identity) activation: g(z) = z. */
export const identity = (x: Tensor): Tensor => x;
/** The notes' hard threshold: 1 where z > 0 else 0 (no useful gradient, as the notes warn). */
export const hardThreshold = (x: Tensor): Tensor => el.heaviside(x);

export type ActivationName =
  | 'identity' | 'linear' | 'step' | 'hardThreshold' | 'sigmoid' | 'logistic' | 'tanh' | 'relu'
  | 'softplus' | 'softmax' | 'logSoftmax' | 'leakyRelu' | 'elu' | 'gelu';

/** name → (x, param) => y. `param` is the slope (leakyRelu), alpha (elu) or axis (softmax). */
const FUNCTIONS: Record<ActivationName, (x: Tensor, p?: number) => Tensor> = {
  identity, linear: identity,
  step: hardThreshold, hardThreshold,
  sigmoid: el.sigmoid, logistic: el.sigmoid,
  tanh: el.tanh,
  relu: el.relu,
  softplus: el.softplus,
  softmax: (x, axis = -1) => softmax(x, axis),
  logSoftmax: (x, axis = -1) => logSoftmax(x, axis),
  leakyRelu: (x, slope = 0.01) => el.leakyRelu(x, slope),
  elu: (x, alpha = 1) => el.elu(x, alpha),
  gelu: el.gelu,
};

/** Module type names (PyTorch spelling) for each activation. */
const MODULE_TYPE: Record<ActivationName, string> = {
  identity: 'Identity', linear: 'Identity', step: 'HardThreshold', hardThreshold: 'HardThreshold',
  sigmoid: 'Sigmoid', logistic: 'Sigmoid', tanh: 'Tanh', relu: 'ReLU', softplus: 'Softplus',
  softmax: 'Softmax', logSoftmax: 'LogSoftmax', leakyRelu: 'LeakyReLU', elu: 'ELU', gelu: 'GELU',
};

const LOWER = new Map(Object.keys(FUNCTIONS).map((k) => [k.toLowerCase(), k as ActivationName]));
LOWER.set('leaky_relu', 'leakyRelu');
LOWER.set('log_softmax', 'logSoftmax');
LOWER.set('threshold', 'hardThreshold');
LOWER.set('none', 'identity');

/** Canonical activation name from a user's spelling ('ReLU', 'leaky_relu', 'linear' ...). */
export function resolveActivation(name: string): ActivationName {
  const n = LOWER.get(name.toLowerCase());
  if (!n) throw new ConfigError(`unknown activation '${name}': use one of ${Object.keys(FUNCTIONS).join(', ')}`);
  return n;
}

/** The activation function with this name (param as in ActivationModule). */
export function activationFn(name: string, param?: number): (x: Tensor) => Tensor {
  const f = FUNCTIONS[resolveActivation(name)];
  return (x) => f(x, param);
}

/** A parameter-free layer applying one activation. */
export class Activation extends Module {
  readonly kind: ActivationName;
  readonly param?: number;
  private readonly fn: (x: Tensor, p?: number) => Tensor;

  constructor(name: string, param?: number) {
    super();
    this.kind = resolveActivation(name);
    this.param = param;
    this.fn = FUNCTIONS[this.kind];
  }

  forward(x: Tensor): Tensor {
    return this.fn(x, this.param);
  }

  config(): ModuleConfig {
    const c: ModuleConfig = { type: MODULE_TYPE[this.kind] };
    if (this.param !== undefined) c.param = this.param;
    return c;
  }
}

// PyTorch-named classes for readability: new ReLU(), new Sigmoid(), ...
export class Identity extends Activation { constructor() { super('identity'); } }
export class HardThreshold extends Activation { constructor() { super('hardThreshold'); } }
export class Sigmoid extends Activation { constructor() { super('sigmoid'); } }
export class Tanh extends Activation { constructor() { super('tanh'); } }
export class ReLU extends Activation { constructor() { super('relu'); } }
export class Softplus extends Activation { constructor() { super('softplus'); } }
export class Softmax extends Activation { constructor(axis = -1) { super('softmax', axis); } }
export class LogSoftmax extends Activation { constructor(axis = -1) { super('logSoftmax', axis); } }
export class LeakyReLU extends Activation { constructor(slope = 0.01) { super('leakyRelu', slope); } }
export class ELU extends Activation { constructor(alpha = 1) { super('elu', alpha); } }
export class GELU extends Activation { constructor() { super('gelu'); } }

/** Module type name → activation name, for moduleFromConfig. */
export const ACTIVATION_TYPES: Record<string, ActivationName> = Object.fromEntries(
  (Object.entries(MODULE_TYPE) as [ActivationName, string][]).filter(([k]) => k !== 'linear' && k !== 'step' && k !== 'logistic').map(([k, v]) => [v, k]),
);
