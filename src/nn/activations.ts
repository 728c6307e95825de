// Activation modules. What each activation is (function, derivative, parameters and their
// defaults, spellings) is the op registry's (src/ops/activations.ts); this file wraps each in a
// parameter-free Module so that Sequential stacks and model files can hold them, and gives the
// PyTorch-named classes.
import { activation as activationDef, paramOf } from '../ops/index.js';
import { activate } from '../tensor/ops/activation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type ModuleConfig } from './module.js';

/** The linear (identity) activation: g(z) = z. */
export const identity = (x: Tensor): Tensor => x;
/** The notes' hard threshold: 1 where z > 0 else 0 (no useful gradient, as the notes warn). */
export const hardThreshold = (x: Tensor): Tensor => activate('hardThreshold', x);

/** An activation's canonical name in the op registry ('relu', 'leakyRelu', 'identity' ...). */
export type ActivationName = string;

/** Canonical activation name from a user's spelling ('ReLU', 'leaky_relu', 'linear' ...). */
export function resolveActivation(name: string): ActivationName {
  return activationDef(name).name;
}

/** The activation function with this name (param as in Activation; undefined: the registry's default). */
export function activationFn(name: string, param?: number): (x: Tensor) => Tensor {
  const canonical = resolveActivation(name);
  return (x) => activate(canonical, x, param);
}

/** A parameter-free layer applying one activation. */
export class Activation extends Module {
  readonly kind: ActivationName;
  readonly param?: number;

  constructor(name: string, param?: number) {
    super();
    this.kind = resolveActivation(name);
    this.param = param;
  }

  forward(x: Tensor): Tensor {
    return activate(this.kind, x, this.param);
  }

  config(): ModuleConfig {
    const c: ModuleConfig = { type: activationDef(this.kind).activation.module };
    if (this.param !== undefined) c.param = this.param;
    return c;
  }
}

/** The registry's default for an activation's parameter. */
const byDefault = (name: string) => paramOf(activationDef(name));

// PyTorch-named classes for readability: new ReLU(), new Sigmoid(), ...
export class Identity extends Activation { constructor() { super('identity'); } }
export class HardThreshold extends Activation { constructor() { super('hardThreshold'); } }
export class Sigmoid extends Activation { constructor() { super('sigmoid'); } }
export class Tanh extends Activation { constructor() { super('tanh'); } }
export class ReLU extends Activation { constructor() { super('relu'); } }
export class Softplus extends Activation { constructor() { super('softplus'); } }
export class Softmax extends Activation { constructor(axis = byDefault('softmax')) { super('softmax', axis); } }
export class LogSoftmax extends Activation { constructor(axis = byDefault('logSoftmax')) { super('logSoftmax', axis); } }
export class LeakyReLU extends Activation { constructor(slope = byDefault('leakyRelu')) { super('leakyRelu', slope); } }
export class ELU extends Activation { constructor(alpha = byDefault('elu')) { super('elu', alpha); } }
export class GELU extends Activation { constructor() { super('gelu'); } }
export class SiLU extends Activation { constructor() { super('silu'); } }
