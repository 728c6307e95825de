// The structural view of a network that explain and profile need: a list of dense layers
// z = h·W + b, h' = g(z), with W stored [in, out] as nabla's Linear does. Any model with this
// shape works (nn.Sequential / mlp can be adapted in one line); viz depends on no nn class.
import { ConfigError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { activationGrad, elu, gelu, leakyRelu, onesLike, relu, sigmoid, softmax, softplus, tanh } from '../tensor/index.js';

export interface LayerLike {
  /** [in, out]. */
  weight: Tensor;
  /** [out], optional. */
  bias?: Tensor | null;
  /** linear (or identity/none), relu, sigmoid, tanh, softplus, leakyRelu, elu, gelu, softmax. */
  activation?: string;
}

export interface NetLike {
  layers: readonly LayerLike[];
}

export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softplus' | 'leakyRelu' | 'elu' | 'gelu' | 'softmax';

const ALIASES: Record<string, Activation> = {
  linear: 'linear', identity: 'linear', none: 'linear', '': 'linear',
  relu: 'relu', sigmoid: 'sigmoid', logistic: 'sigmoid', tanh: 'tanh', softplus: 'softplus',
  leakyrelu: 'leakyRelu', leaky_relu: 'leakyRelu', elu: 'elu', gelu: 'gelu', softmax: 'softmax',
};

export function activationOf(layer: LayerLike): Activation {
  const a = ALIASES[(layer.activation ?? 'linear').toLowerCase()];
  if (!a) throw new ConfigError(`viz: unknown activation '${layer.activation}'; use one of ${Object.keys(ALIASES).filter(Boolean).join(', ')}`);
  return a;
}

/** g(z) with the engine's ops (recorded, so backward goes through it). */
export function applyActivation(a: Activation, z: Tensor): Tensor {
  switch (a) {
    case 'linear': return z;
    case 'relu': return relu(z);
    case 'sigmoid': return sigmoid(z);
    case 'tanh': return tanh(z);
    case 'softplus': return softplus(z);
    case 'leakyRelu': return leakyRelu(z);
    case 'elu': return elu(z);
    case 'gelu': return gelu(z);
    case 'softmax': return softmax(z, -1);
  }
}

/** g′(z) elementwise, from the engine's own derivative kernels (sigmoid and tanh read h = g(z)). */
export function activationDerivative(a: Activation, z: Tensor, h: Tensor): Tensor {
  const one = onesLike(z);
  switch (a) {
    case 'linear': return one;
    case 'sigmoid': case 'tanh': return activationGrad(a, h, one);
    case 'relu': case 'softplus': case 'gelu': return activationGrad(a, z, one);
    case 'leakyRelu': return activationGrad(a, z, one, 0.01);
    case 'elu': return activationGrad(a, z, one, 1);
    case 'softmax': throw new ConfigError('viz: softmax has a full Jacobian, not an elementwise g′; use it only on the output layer with the ce loss');
  }
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
