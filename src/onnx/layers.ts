// The structural view of an MLP that ONNX export and import share: dense layers y = g(x·W + b)
// with W: [in, out] (nabla's Linear layout), b: [out], and one activation per layer.
import { ConfigError } from '../errors.js';
import { Activation, resolveActivation, type ActivationName } from '../nn/activations.js';
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';

export interface DenseLayer {
  /** [in, out] */
  weight: Tensor;
  /** [out]; absent means no bias. */
  bias?: Tensor | null;
  /** Any spelling resolveActivation accepts ('relu', 'ReLU', 'leaky_relu', 'identity' ...). */
  activation: string;
  /** LeakyReLU slope / ELU alpha (defaults 0.01 / 1, as in nabla's modules). */
  param?: number;
}

export interface DenseModel {
  layers: DenseLayer[];
}

function flatten(m: Module, out: Module[]): Module[] {
  if (m instanceof Sequential) for (const c of m) flatten(c, out);
  else out.push(m);
  return out;
}

/** Dense layers of a Sequential of Linear / activation / Dropout modules (nested Sequentials allowed). */
export function denseLayersOf(model: Module | DenseModel): DenseLayer[] {
  if (!('forward' in model)) return model.layers.map((l) => ({ ...l, activation: resolveActivation(l.activation) }));
  const layers: DenseLayer[] = [];
  for (const m of flatten(model, [])) {
    if (m instanceof Linear) {
      layers.push({ weight: m.weight, bias: m.bias, activation: 'identity' });
    } else if (m instanceof Activation) {
      const last = layers.at(-1);
      const isIdentity = m.kind === 'identity' || m.kind === 'linear';
      if (isIdentity) continue;
      if (!last || last.activation !== 'identity') {
        throw new ConfigError(`ONNX export: activation '${m.kind}' must follow a Linear layer (one activation per layer)`);
      }
      last.activation = m.kind;
      if (m.param !== undefined) last.param = m.param;
    } else if (m instanceof Dropout) {
      continue; // identity at inference
    } else {
      throw new ConfigError(`ONNX export: module '${m.config().type}' is not supported (Linear, activations, Dropout, Sequential)`);
    }
  }
  if (layers.length === 0) throw new ConfigError('ONNX export: the model has no Linear layer');
  return layers;
}

/** A Sequential rebuilt from dense layers (the importer's result). */
export function sequentialOf(layers: readonly DenseLayer[]): Sequential {
  const seq = new Sequential();
  for (const l of layers) {
    const [inF, outF] = l.weight.shape;
    const lin = new Linear(inF, outF, { bias: !!l.bias, dtype: l.weight.dtype });
    lin.weight.data.set(l.weight.data);
    if (l.bias && lin.bias) lin.bias.data.set(l.bias.data);
    seq.add(lin);
    const act: ActivationName = resolveActivation(l.activation);
    if (act !== 'identity' && act !== 'linear') seq.add(new Activation(act, l.param));
  }
  return seq;
}
