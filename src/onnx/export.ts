// ONNX export of a dense MLP: one Gemm per layer (Y = X·W + b with W stored [in, out], so transB = 0)
// followed by its activation's nodes. Weights are written as float32 initializers (raw_data).
// Default opset 17 with IR version 8; an activation's ONNX form may depend on the opset (src/ops/).
import { ConfigError } from '../errors.js';
import { activation as activationDef } from '../ops/index.js';
import type { Module } from '../nn/module.js';
import { emitActivation } from './activation-nodes.js';
import { GraphBuilder } from './graph-builder.js';
import { denseLayersOf, type DenseModel } from './layers.js';
import { DataType, modelProtoType } from './onnx-schema.js';

export const DEFAULT_OPSET = 17;
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;

/** The IR version that goes with an opset (onnx/docs/Versioning.md's table). */
export function irVersionFor(opset: number): number {
  return opset <= 13 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

export interface ExportOnnxOptions {
  /** Append Softmax over the last axis to the output (for a model trained on logits). */
  softmaxOutput?: boolean;
  /** ai.onnx opset version, 13..21 (default 17). */
  opset?: number;
  /** Graph input / output names (default 'input' / 'output'). */
  inputName?: string;
  outputName?: string;
  producerVersion?: string;
}

/** The model as ONNX ModelProto bytes (float32 weights, batch dimension symbolic). */
export function exportOnnx(model: Module | DenseModel, opts: ExportOnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ConfigError(`ONNX export: opset must be an integer in ${MIN_OPSET}..${MAX_OPSET}, got ${opset}`);
  }
  const layers = denseLayersOf(model);
  const g = new GraphBuilder();
  const inputName = g.fresh(opts.inputName ?? 'input');
  let x = inputName;
  let width = layers[0].weight.shape[0];
  layers.forEach((l, i) => {
    if (l.weight.shape.length !== 2) throw new ConfigError(`ONNX export: layer ${i} weight must be [in, out], got [${l.weight.shape.join(', ')}]`);
    const [inF, outF] = l.weight.shape;
    if (inF !== width) throw new ConfigError(`ONNX export: layer ${i} expects ${inF} inputs but the previous layer gives ${width}`);
    if (l.bias && (l.bias.size !== outF)) throw new ConfigError(`ONNX export: layer ${i} bias has ${l.bias.size} values, expected ${outF}`);
    const w = g.initializer(`layer${i}_weight`, l.weight.data, [inF, outF]);
    const inputs = [x, w];
    if (l.bias) inputs.push(g.initializer(`layer${i}_bias`, l.bias.data, [outF]));
    x = g.node('Gemm', inputs, [], `layer${i}_linear`);
    x = emitActivation(g, l.activation, x, l.param, opset);
    width = outF;
  });
  const lastAct = activationDef(layers[layers.length - 1].activation).name;
  if (opts.softmaxOutput && lastAct !== 'softmax') x = emitActivation(g, 'softmax', x, undefined, opset);

  // The graph output must be produced by a node; rename the last node's output (or add Identity).
  const outputName = opts.outputName ?? 'output';
  const last = g.nodes.at(-1);
  if (last && last.output[0] === x && x !== inputName && outputName !== inputName) last.output[0] = outputName;
  else g.nodes.push({ input: [x], output: [outputName], name: 'output_identity', opType: 'Identity', attribute: [] });

  const valueInfo = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const T = modelProtoType();
  const message = T.fromObject({
    irVersion: irVersionFor(opset),
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'nabla',
    producerVersion: opts.producerVersion ?? '0.1.0',
    graph: {
      name: 'nabla_mlp',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, ['batch', layers[0].weight.shape[0]])],
      output: [valueInfo(outputName, ['batch', width])],
    },
  });
  return T.encode(message).finish();
}
