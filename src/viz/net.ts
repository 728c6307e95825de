// The structural view of a network that explain and profile need: a list of dense layers
// z = h·W + b, h' = g(z), with W stored [in, out] as nabla's Linear does. Any model with this
// shape works; netOfModule(mlp([2, 3, 1])) adapts an nn.Sequential / mlp in one line.
import { ConfigError } from '../errors.js';
import { Activation as ActivationModule, activationFn, resolveActivation, type ActivationName } from '../nn/activations.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationGrad, onesLike } from '../tensor/index.js';

export interface LayerLike {
  /** [in, out]. */
  weight: Tensor;
  /** [out], optional. */
  bias?: Tensor | null;
  /** linear (or identity/none), relu, sigmoid, tanh, softplus, leakyRelu, elu, gelu, softmax. */
  activation?: string;
  /** The activation's parameter, as nn's Activation holds it: leakyRelu's slope (default 0.01), elu's alpha (default 1). */
  param?: number;
}

export interface NetLike {
  layers: readonly LayerLike[];
}

export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'leakyRelu' | 'elu' | 'gelu' | 'softmax';

// nn's spellings (resolveActivation) mapped onto the activations viz can show.
const SHOWN: Partial<Record<ActivationName, Activation>> = {
  identity: 'linear', linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', logistic: 'sigmoid', tanh: 'tanh',
  softplus: 'softplus', leakyRelu: 'leakyRelu', elu: 'elu', gelu: 'gelu', softmax: 'softmax',
};

export function activationOf(layer: LayerLike): Activation {
  const name = resolveActivation(layer.activation || 'linear');
  if (name === 'step' || name === 'hardThreshold') {
    throw new ConfigError(`viz: the hard threshold's derivative is 0 everywhere (and undefined at 0), so no gradient flows through it and explain/profile cannot show it; use sigmoid or another smooth activation`);
  }
  const a = SHOWN[name];
  if (!a) throw new ConfigError(`viz: activation '${layer.activation}' cannot be shown; use one of ${[...new Set(Object.values(SHOWN))].join(', ')}`);
  return a;
}

/** g(z) with the engine's ops, as nn's Activation computes it (recorded, so backward goes through it). */
export function applyActivation(a: Activation, z: Tensor, param?: number): Tensor {
  return activationFn(a, param)(z);
}

/** g′(z) elementwise, from the engine's own derivative kernels (sigmoid and tanh read h = g(z)). */
export function activationDerivative(a: Activation, z: Tensor, h: Tensor, param?: number): Tensor {
  const one = onesLike(z);
  switch (a) {
    case 'linear': return one;
    case 'sigmoid': case 'tanh': return activationGrad(a, h, one);
    case 'relu': case 'softplus': case 'gelu': return activationGrad(a, z, one);
    case 'leakyRelu': return activationGrad(a, z, one, param ?? 0.01);
    case 'elu': return activationGrad(a, z, one, param ?? 1);
    case 'softmax': throw new ConfigError('viz: softmax has a full Jacobian, not an elementwise g′; use it only on the output layer with the ce loss');
  }
}

/**
 * A model of Linear / activation / dropout children (nn.Sequential, mlp) as the dense-layer list
 * explain and profile take. The one place viz knows nn classes; everything else works on NetLike.
 */
export function netOfModule(model: Module): NetLike {
  const layers: LayerLike[] = [];
  for (const [, m] of model.namedChildren()) {
    if (m instanceof Linear) layers.push({ weight: m.weight, bias: m.bias, activation: 'linear' });
    else if (m instanceof ActivationModule) {
      const last = layers[layers.length - 1];
      if (!last || last.activation !== 'linear') throw new ConfigError(`cannot show a model with activation '${m.kind}' not right after a Linear layer`);
      last.activation = m.kind === 'identity' ? 'linear' : m.kind;
      if (m.param !== undefined) last.param = m.param;
    } else if (m.parameters().length === 0) continue; // dropout: the identity at inference
    else throw new ConfigError(`cannot show a model with a ${m.constructor.name} layer; explain and profile take Linear + activation stacks`);
  }
  return { layers };
}

/** Sizes [in, hidden..., out] of a net, checking that the layers chain. */
export function layerSizes(net: NetLike): number[] {
  if (net.layers.length === 0) throw new ConfigError('viz: the network has no layers');
  const sizes = [net.layers[0].weight.shape[0]];
  net.layers.forEach((l, i) => {
    if (l.weight.ndim !== 2) throw new ConfigError(`viz: layer ${i + 1} weight must be [in, out], got shape [${l.weight.shape.join(', ')}]`);
    const [inp, out] = l.weight.shape;
    if (inp !== sizes[i]) throw new ConfigError(`viz: layer ${i + 1} takes ${inp} inputs but layer ${i} gives ${sizes[i]}`);
    if (l.bias && (l.bias.size !== out)) throw new ConfigError(`viz: layer ${i + 1} bias has ${l.bias.size} values, expected ${out}`);
    sizes.push(out);
  });
  return sizes;
}
