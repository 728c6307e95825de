// ONNX export of a dense MLP or of a whole pipeline. A layer is one Gemm (Y = X·W + b with W stored
// [in, out], so transB = 0) followed by its activation's nodes; weights are float32 initializers.
// A pipeline adds its preprocessing in front (missing values, then (x - mean) / std) so the file
// takes the CSV's raw feature columns, and names its columns and classes in metadata_props.
// Default opset 17 with IR version 8; an activation's ONNX form may depend on the opset (src/ops/).
import { ConfigError } from '../errors.js';
import { MinMaxScaler, Standardizer } from '../data/preprocess.js';
import { resolveActivation } from '../nn/activations.js';
import type { Module } from '../nn/module.js';
import { Pipeline, type PipelineOutputs } from '../pipeline/pipeline.js';
import { emitActivation } from './activation-nodes.js';
import { GraphBuilder, intAttr } from './graph-builder.js';
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
  /**
   * Make the first output the class probabilities, in class-index order: Softmax after
   * cross-entropy logits, Sigmoid after one BCE logit (given as two columns [1 - p, p], as
   * `nabla predict` writes them). Refused for regression.
   */
  probabilities?: boolean;
  /** The former name of `probabilities` (it means the same). */
  softmaxOutput?: boolean;
  /** ai.onnx opset version, 13..21 (default 17). */
  opset?: number;
  /** Graph input / output names (default 'input' / 'probabilities', 'logits' or 'values' for a pipeline, else 'output'). */
  inputName?: string;
  outputName?: string;
  producerVersion?: string;
}

/** What a bare model's last layer outputs, by its activation. */
function outputsOfLayers(lastActivation: string, width: number): PipelineOutputs {
  const act = resolveActivation(lastActivation);
  if (act === 'softmax') return 'probabilities';
  if (act === 'logSoftmax') return 'logProbabilities';
  if ((act === 'sigmoid' || act === 'logistic') && width === 1) return 'probabilities';
  return 'logits';
}

/** The model (or pipeline) as ONNX ModelProto bytes (float32 weights, batch dimension symbolic). */
export function exportOnnx(model: Module | DenseModel | Pipeline, opts: ExportOnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ConfigError(`ONNX export: opset must be an integer in ${MIN_OPSET}..${MAX_OPSET}, got ${opset}`);
  }
  const pipeline = model instanceof Pipeline ? model : undefined;
  const layers = denseLayersOf(pipeline ? pipeline.model : model as Module | DenseModel);
  const inWidth = layers[0].weight.shape[0];
  if (pipeline && pipeline.inputWidth !== inWidth) {
    throw new ConfigError(`ONNX export: the pipeline has ${pipeline.inputWidth} features but the model's first layer takes ${inWidth}`);
  }
  const g = new GraphBuilder();
  const inputName = g.fresh(opts.inputName ?? 'input');
  let x = pipeline ? emitPreprocessing(g, pipeline, inputName) : inputName;
  let width = inWidth;
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
  const produced = pipeline ? pipeline.outputs : outputsOfLayers(layers[layers.length - 1].activation, width);
  const classes = width === 1 ? 2 : width;
  const probabilities = opts.probabilities ?? opts.softmaxOutput ?? false;
  let outputs: PipelineOutputs = produced;
  if (probabilities) {
    if (produced === 'values') throw new ConfigError('ONNX export: a regression pipeline outputs values; probabilities fit classifiers only');
    ({ x, width } = emitProbabilities(g, produced, x, width, opset));
    outputs = 'probabilities';
  }

  // The graph output must be produced by a node; rename the last node's output (or add Identity).
  const outputName = opts.outputName ?? (pipeline ? outputs : 'output');
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
    ...(pipeline ? { metadataProps: metadataOf(pipeline, outputs, classes) } : {}),
    graph: {
      name: pipeline ? 'nabla_pipeline' : 'nabla_mlp',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, ['batch', inWidth])],
      output: [valueInfo(outputName, ['batch', width])],
    },
  });
  return T.encode(message).finish();
}

/**
 * Nodes that turn the CSV's raw feature columns into the model's inputs, as the pipeline does:
 * NaN (a missing cell) becomes the training mean when the model was trained with imputation,
 * then each column is scaled. Categorical columns cannot travel in one float32 input: refused.
 */
function emitPreprocessing(g: GraphBuilder, p: Pipeline, input: string): string {
  const d = p.inputWidth;
  let x = input;
  const features = p.schema?.features ?? [];
  const categorical = features.filter((f) => f.kind === 'categorical');
  if (categorical.length) {
    const f = categorical[0] as Extract<typeof categorical[number], { kind: 'categorical' }>;
    throw new ConfigError(`ONNX export: column '${f.name}' is categorical (${f.levels.slice(0, 5).join(', ')}${f.levels.length > 5 ? ', ...' : ''})`
      + `${categorical.length > 1 ? ` and so ${categorical.length === 2 ? 'is' : 'are'} ${categorical.slice(1).map((c) => `'${c.name}'`).join(', ')}` : ''}; `
      + 'the ONNX model takes one float32 input of numeric feature columns, so a model trained on categorical columns cannot be exported');
  }
  if (p.schema?.missing === 'impute') {
    const fills = features.map((f) => (f.kind === 'numeric' && f.fill !== undefined ? f.fill : NaN));
    const nan = g.node('IsNaN', [x], [], 'missing');
    x = g.node('Where', [nan, g.initializer('impute_fill', fills, [d]), x], [], 'imputed');
  }
  const s = p.scaler;
  if (s instanceof Standardizer) {
    x = g.node('Sub', [x, g.initializer('scale_mean', s.mean, [d])], [], 'centred');
    x = g.node('Div', [x, g.initializer('scale_std', s.std.map((v) => (v > 0 ? v : 1)), [d])], [], 'standardised');
  } else if (s instanceof MinMaxScaler) {
    // low + (x - min)·f written as (x - (min - low/f)) / (1/f): the same two ops as standardising.
    const json = s.toJSON();
    const width = json.range[1] - json.range[0];
    const f = json.min.map((m, j) => (json.max[j] > m ? width / (json.max[j] - m) : 1));
    x = g.node('Sub', [x, g.initializer('scale_offset', json.min.map((m, j) => m - json.range[0] / f[j]), [d])], [], 'shifted');
    x = g.node('Div', [x, g.initializer('scale_divisor', f.map((v) => 1 / v), [d])], [], 'scaled');
  }
  return x;
}

/** Probabilities in class-index order from what the network outputs; one column becomes [1 - p, p]. */
function emitProbabilities(g: GraphBuilder, produced: PipelineOutputs, x: string, width: number, opset: number): { x: string; width: number } {
  if (produced === 'logits') x = width === 1 ? emitActivation(g, 'sigmoid', x, undefined, opset) : emitActivation(g, 'softmax', x, undefined, opset);
  else if (produced === 'logProbabilities') x = g.node('Exp', [x], [], 'probabilities');
  if (width !== 1) return { x, width };
  const complement = g.node('Sub', [g.scalar(1), x], [], 'p_class0');
  return { x: g.node('Concat', [complement, x], [intAttr('axis', 1)], 'probabilities'), width: 2 };
}

/** What a user of the file needs to feed it and read it, as metadata_props (JSON values). */
function metadataOf(p: Pipeline, outputs: PipelineOutputs, classes: number): { key: string; value: string }[] {
  const props: Record<string, unknown> = {
    task: p.task,
    loss: p.loss,
    feature_names: p.featureNames,
    label: p.labels,
    outputs,
  };
  if (p.task === 'classification') props.class_names = p.classNamesOrIndices(classes);
  if (p.scaler) props.preprocessing = p.scaler instanceof Standardizer ? 'standardised in the graph: (x - mean) / std' : 'min-max scaled in the graph';
  if (p.schema?.missing === 'impute') props.missing = 'NaN inputs are replaced by the training mean of the column';
  return Object.entries(props).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}
