// The structural view of a network that explain and profile need: a list of dense layers
// z = h·W + b, h' = g(z), with W stored [in, out] as nabla's Linear does. Any model with this
// shape works; netOfModule(mlp([2, 3, 1])) adapts an nn.Sequential / mlp in one line.
import { ConfigError } from '../errors.js';
import { Activation as ActivationModule } from '../nn/activations.js';
import { activation as activationDef } from '../ops/index.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { onesLike } from '../tensor/creation.js';
import { activate, activationDerivative as derivativeOf } from '../tensor/ops/activation.js';

export interface LayerLike {
  /** [in, out]. */
  weight: Tensor;
  /** [out], optional. */
  bias?: Tensor | null;
  /** Any elementwise activation of the op registry (or linear/identity/none), or softmax on the output. */
  activation?: string;
  /** The activation's parameter, as nn's Activation holds it (undefined: the registry's default). */
  param?: number;
}

export interface NetLike {
  layers: readonly LayerLike[];
}

/** An activation's registry name, with 'linear' for the identity (the notes' word). */
export type Activation = string;

export function activationOf(layer: LayerLike): Activation {
  const def = activationDef(layer.activation || 'linear');
  if (def.name === 'identity') return 'linear';
  if (def.activation.notShown) throw new ConfigError(`viz: ${def.activation.notShown}`);
  if (!def.activation.elementwise && def.name !== 'softmax') throw new ConfigError(`viz: activation '${layer.activation}' cannot be shown; explain and profile take elementwise activations, or softmax on the output`);
  return def.name;
}

/** g(z) with the engine's ops, as nn's Activation computes it (recorded, so backward goes through it). */
export function applyActivation(a: Activation, z: Tensor, param?: number): Tensor {
  return activate(a, z, param);
}

/** g′(z) elementwise, from the engine's own derivative kernels or the registry's formula. */
export function activationDerivative(a: Activation, z: Tensor, h: Tensor, param?: number): Tensor {
  if (a === 'linear') return onesLike(z);
  if (a === 'softmax') throw new ConfigError('viz: softmax has a full Jacobian, not an elementwise g′; use it only on the output layer with the ce loss');
  return derivativeOf(a, z, h, param);
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
