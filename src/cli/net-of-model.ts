// A Sequential of Linear / activation / dropout modules seen as the dense-layer list that
// explain and profile take (viz works on that structure, not on nn classes).
import type { Module } from '../nn/module.js';
import { Linear } from '../nn/linear.js';
import { Activation } from '../nn/activations.js';
import { ConfigError } from '../errors.js';
import type { LayerLike, NetLike } from '../viz/net.js';

export function netOfModel(model: Module): NetLike {
  const layers: LayerLike[] = [];
  for (const [, m] of model.namedChildren()) {
    if (m instanceof Linear) layers.push({ weight: m.weight, bias: m.bias, activation: 'linear' });
    else if (m instanceof Activation) {
      const last = layers[layers.length - 1];
      if (!last || last.activation !== 'linear') throw new ConfigError(`cannot show a model with activation '${m.kind}' not right after a Linear layer`);
      last.activation = m.kind === 'identity' ? 'linear' : m.kind;
    } else if (m.parameters().length === 0) continue; // dropout: the identity at inference
    else throw new ConfigError(`cannot show a model with a ${m.constructor.name} layer; explain and profile take Linear + activation stacks`);
  }
  return { layers };
}
