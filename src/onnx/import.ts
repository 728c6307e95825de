// ONNX import of a plain MLP: the graph must be one chain input → [preprocessing] → (Gemm | MatMul
// [+ Add bias]) → activation → ... → output. Accepted as PyTorch and nabla write them: a leading
// Flatten, Constant nodes, Transpose of a weight (exports without constant folding), Dropout (in
// inference mode) and Identity, and nabla's own pipeline preprocessing (NaN → fill, (x - a) / s).
// Anything else is refused: unknown operators with an UnsupportedOnnxError listing them all, opsets
// and IR versions outside the supported range with an UnsupportedOnnxVersionError, declared shapes
// that contradict the weights with a ShapeError, malformed bytes or graphs with a ParseError.
import { ParseError, ShapeError } from '../errors.js';
import type { CsvSchema } from '../data/csv-schema.js';
import { Standardizer } from '../data/preprocess.js';
import type { Task } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { Sequential } from '../nn/sequential.js';
import { Pipeline, type PipelineMeta, type PipelineOutputs } from '../pipeline/pipeline.js';
import { Tensor } from '../tensor/tensor.js';
import { UnsupportedOnnxError, UnsupportedOnnxVersionError } from './errors.js';
import { activationOnnxOps, importForms, type ImportForm } from './activation-nodes.js';
import { activation as activationDef } from '../ops/index.js';
import { sequentialOf, type DenseLayer } from './layers.js';
import { DataType, modelProtoType } from './onnx-schema.js';
import { ImportedGraph } from './imported-graph.js';
import { readFloatTensor, type FloatInit, type TensorProtoObject } from './read-tensor.js';

interface AttrObject { name?: string; type?: number; f?: number; i?: number; s?: Uint8Array; t?: TensorProtoObject; floats?: number[]; ints?: number[] }
interface NodeObject { input?: string[]; output?: string[]; opType?: string; domain?: string; attribute?: AttrObject[] }
interface DimObject { dimValue?: number; dimParam?: string }
interface ValueInfoObject { name?: string; type?: { tensorType?: { elemType?: number; shape?: { dim?: DimObject[] } } } }
interface GraphObject { node?: NodeObject[]; initializer?: TensorProtoObject[]; input?: ValueInfoObject[]; output?: ValueInfoObject[] }
interface ModelObject {
  irVersion?: number; opsetImport?: { domain?: string; version?: number }[]; graph?: GraphObject;
  metadataProps?: { key?: string; value?: string }[];
}

export interface ImportedOnnx {
  /** The dense layers after any preprocessing, activations included (the final Softmax / Sigmoid too). */
  layers: DenseLayer[];
  /**
   * The whole graph as a nabla model: `model.forward(x)` on the graph's input columns gives the
   * graph's output (preprocessing and a final Softmax / Sigmoid included). A Sequential of Linear and
   * activation modules unless the graph has preprocessing nodes or the two probability columns
   * [1 - p, p] of a one-output sigmoid (then save `pipeline`, not this).
   */
  model: Module;
  /** The graph as a pipeline: preprocessing, layers, task and names (from nabla's metadata when present). */
  pipeline: Pipeline;
  irVersion: number;
  opset: number;
  /** The file's metadata_props. */
  metadata: Record<string, string>;
}

/** The ai.onnx opsets and IR versions whose operator definitions the importer follows. */
export const IMPORT_OPSETS = { min: 7, max: 22 } as const;
export const IMPORT_IR_VERSIONS = { min: 3, max: 10 } as const;

// Activations are read as the op registry's ONNX forms (src/ops/activations.ts), longest first.
const FORMS = importForms();
const SUPPORTED = new Set([...activationOnnxOps(), 'Gemm', 'MatMul', 'Add', 'Mul', 'Identity', 'Dropout',
  'Flatten', 'Constant', 'Transpose', 'Sub', 'Div', 'IsNaN', 'Where', 'Concat']);

const attr = (n: NodeObject, name: string): AttrObject | undefined => n.attribute?.find((a) => a.name === name);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** The shortest decimal that is this float32 (0.01f → 0.01), as the user most likely wrote it. */
function shortestFloat32(f: number): number {
  for (let p = 1; p < 10; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

function decodeModel(bytes: Uint8Array, source: string): ModelObject {
  if (!(bytes instanceof Uint8Array)) throw new ParseError(`${source}: expected the ONNX file's bytes`, source);
  const T = modelProtoType();
  try {
    return T.toObject(T.decode(bytes), { longs: Number, arrays: false, defaults: false }) as ModelObject;
  } catch (e) {
    // protobufjs throws RangeError/Error on truncated or malformed input (and deep nesting overflows the stack).
    throw new ParseError(`${source}: not a valid ONNX protobuf (${(e as Error).message})`, source);
  }
}

/** A Constant node's value as a TensorProto (value, value_float or value_floats). */
function constantValue(n: NodeObject): TensorProtoObject | undefined {
  const t = attr(n, 'value')?.t;
  if (t) return t;
  const f = attr(n, 'value_float');
  if (f) return { dims: [], dataType: DataType.FLOAT, floatData: [f.f ?? 0] };
  const fs = attr(n, 'value_floats');
  if (fs) return { dims: [fs.floats?.length ?? 0], dataType: DataType.FLOAT, floatData: fs.floats ?? [] };
  return undefined;
}

/** A boolean constant (Dropout's training_mode), or undefined if it is not one. */
function boolValue(t: TensorProtoObject & { int32Data?: number[] }): boolean | undefined {
  if (t.dataType !== DataType.BOOL) return undefined;
  if (t.rawData && t.rawData.length === 1) return t.rawData[0] !== 0;
  if (t.int32Data && t.int32Data.length === 1) return t.int32Data[0] !== 0;
  return undefined;
}

/** What the file cannot say about itself; each overrides the file's metadata_props. */
export interface ImportOnnxOptions {
  /** The task (default: classification when the graph ends in Softmax / LogSoftmax / Sigmoid on one output). */
  task?: Task;
  /** Class i's name (default: nabla's class_names metadata, else 0..k-1). */
  classNames?: string[];
  /** The input columns' names (default: nabla's feature_names metadata, else read by position). */
  featureNames?: string[];
  /** The label column's name in CSV input (default: nabla's label metadata, else 'label'). */
  label?: string;
}

/** Read a plain MLP from ONNX ModelProto bytes. */
export function importOnnx(bytes: Uint8Array, source = '<onnx>', opts: ImportOnnxOptions = {}): ImportedOnnx {
  const m = decodeModel(bytes, source);
  const fail = (why: string) => new ParseError(`${source}: ${why}`, source);
  const opset = m.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (opset === undefined || !Number.isSafeInteger(opset) || opset < 1) throw fail('no ai.onnx opset_import: not an ONNX model');
  if (opset < IMPORT_OPSETS.min || opset > IMPORT_OPSETS.max) throw new UnsupportedOnnxVersionError(source, 'opset', opset, IMPORT_OPSETS);
  const ir = m.irVersion ?? 0;
  if (ir < IMPORT_IR_VERSIONS.min || ir > IMPORT_IR_VERSIONS.max) throw new UnsupportedOnnxVersionError(source, 'IR version', ir, IMPORT_IR_VERSIONS);
  const g = m.graph;
  if (!g) throw fail('the model has no graph');
  const metadata: Record<string, string> = {};
  for (const p of m.metadataProps ?? []) if (p.key) metadata[p.key] = p.value ?? '';

  // Refuse unknown operators first, all of them named together.
  const unsupported = new Set<string>();
  for (const n of g.node ?? []) {
    const op = n.opType ?? '<empty>';
    const domain = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}::` : '';
    if (domain || !SUPPORTED.has(op)) unsupported.add(domain + op);
  }
  if (unsupported.size) throw new UnsupportedOnnxError([...unsupported].sort());

  // Constants: initializers and Constant nodes; a Transpose of a constant is folded into one.
  const consts = new Map<string, TensorProtoObject>();
  for (const t of g.initializer ?? []) if (t.name) consts.set(t.name, t);
  const cache = new Map<string, FloatInit>();
  const init = (name: string | undefined): FloatInit => {
    const t = name === undefined ? undefined : consts.get(name);
    if (!t || name === undefined) throw fail(`'${name}' is not an initializer (weights must be stored in the file)`);
    let v = cache.get(name);
    if (!v) cache.set(name, (v = readFloatTensor({ ...t, name }, source)));
    return v;
  };
  const nodes: NodeObject[] = [];
  for (const n of g.node ?? []) {
    const out0 = n.output?.[0];
    if (n.opType === 'Constant') {
      const v = constantValue(n);
      if (!v || !out0) throw new UnsupportedOnnxError(['Constant'], 'only a tensor or float value');
      consts.set(out0, v);
    } else if (n.opType === 'Transpose' && n.input?.[0] !== undefined && consts.has(n.input[0]) && out0) {
      const w = init(n.input[0]);
      const perm = attr(n, 'perm')?.ints ?? [1, 0];
      if (w.dims.length !== 2 || perm.length !== 2 || perm[0] !== 1 || perm[1] !== 0) {
        throw new UnsupportedOnnxError(['Transpose'], `only a 2-D weight transposed, got dims [${w.dims.join(', ')}] perm [${perm.join(', ')}]`);
      }
      const [r, c] = w.dims;
      const data = new Float32Array(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = w.data[i * c + j];
      consts.set(out0, { dims: [c, r], dataType: DataType.FLOAT });
      cache.set(out0, { dims: [c, r], data });
    } else {
      nodes.push(n);
    }
  }
  const scalar = (name: string | undefined): number | undefined => {
    if (name === undefined || !consts.has(name)) return undefined;
    const v = init(name);
    return v.data.length === 1 ? v.data[0] : undefined;
  };

  const inputs = (g.input ?? []).filter((v) => v.name && !consts.has(v.name));
  if (inputs.length !== 1) throw fail(`expected one graph input, found ${inputs.length}`);
  const outputs = g.output ?? [];
  if (outputs.length !== 1 || !outputs[0].name) throw fail(`expected one graph output, found ${outputs.length}`);

  const layers: DenseLayer[] = [];
  let activated = true; // no open layer until the first Gemm/MatMul
  let hasBias = true;
  let cur = inputs[0].name as string;
  let flattened = false; // a Flatten before the first layer: the declared input may have more axes
  let twoColumns = false; // the graph ends with [1 - p, p] after a one-output sigmoid
  const pre: { fill?: Float32Array; shift?: Float32Array; divisor?: Float32Array } = {};
  const takes = (n: NodeObject, k = 0) => n.input?.[k] === cur;
  const out = (n: NodeObject) => {
    const o = n.output?.[0];
    if (!o) throw fail(`node ${n.opType} has no output`);
    return o;
  };
  const newLayer = (w: Float32Array, inF: number, outF: number, b: Float32Array | null) => {
    const prev = layers.at(-1)?.weight.shape[1];
    if (prev !== undefined && prev !== inF) throw new ShapeError(`${source}: layer ${layers.length} takes ${inF} inputs but the previous layer gives ${prev}`);
    layers.push({ weight: new Tensor(w, [inF, outF]), bias: b && new Tensor(b, [outF]), activation: 'identity' });
    activated = false;
    hasBias = b !== null;
  };
  const activate = (name: string, op: string, param?: number) => {
    const l = layers.at(-1);
    if (!l || activated) throw new UnsupportedOnnxError([op], 'an activation must follow Gemm/MatMul(+Add), one per layer');
    l.activation = name;
    if (param !== undefined) l.param = param;
    activated = true;
  };
  const biasOf = (name: string | undefined, outF: number, scale: number): Float32Array => {
    const c = init(name);
    if (c.data.length !== outF && c.data.length !== 1) throw new ShapeError(`${source}: bias '${name}' has ${c.data.length} values, expected ${outF}`);
    return Float32Array.from({ length: outF }, (_, j) => scale * c.data[c.data.length === 1 ? 0 : j]);
  };
  /** A per-column constant of the preprocessing (before the first layer). */
  const columns = (name: string | undefined, op: string): Float32Array => {
    const c = init(name);
    if (c.dims.length > 2 || (c.dims.length === 2 && c.dims[0] !== 1)) throw new UnsupportedOnnxError([op], `a per-column constant before the first layer, got dims [${c.dims.join(', ')}]`);
    return c.data;
  };
  const preprocessing = (op: string, what: string) => {
    if (layers.length > 0) throw new UnsupportedOnnxError([op], `${op} is imported only ${what}`);
  };

  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const op = n.opType as string;
    if ((op === 'Add' || op === 'Mul') && !takes(n, 0) && takes(n, 1)) n.input = [n.input![1], n.input![0]];
    if (op === 'Where') {
      // Where(IsNaN(x), fill, x): nabla's missing-value fill, right after the input.
      const prev = nodes[i - 1];
      if (!(i === 1 && prev?.opType === 'IsNaN' && n.input?.[0] === out(prev) && n.input?.[2] === cur)) {
        throw new UnsupportedOnnxError(['Where'], 'Where is imported only as Where(IsNaN(x), fill, x) on the input');
      }
      pre.fill = columns(n.input?.[1], op);
      cur = out(n);
      continue;
    }
    if ((op === 'Sub' && layers.length > 0) || op === 'Concat') {
      // Concat(1 - p, p) as the last nodes after a one-output sigmoid: nabla's BCE probabilities.
      const l = layers.at(-1), next = nodes[i + 1];
      const ok = op === 'Sub' && l && activated && l.activation === 'sigmoid' && l.weight.shape[1] === 1 && scalar(n.input?.[0]) === 1
        && n.input?.[1] === cur && next?.opType === 'Concat' && i + 2 === nodes.length && next.input?.length === 2
        && next.input[0] === out(n) && next.input[1] === cur && [1, -1].includes(attr(next, 'axis')?.i ?? 0);
      if (!ok) throw new UnsupportedOnnxError([op], 'after the first layer, Sub and Concat are imported only as the [1 - p, p] output of a one-output Sigmoid, last in the graph');
      twoColumns = true;
      cur = out(next);
      i++;
      continue;
    }
    if (!takes(n, 0)) throw fail(`node ${i} (${op}) does not continue the chain from '${cur}': only a single-path MLP can be imported`);
    switch (op) {
      case 'IsNaN': {
        if (i !== 0 || nodes[i + 1]?.opType !== 'Where') throw new UnsupportedOnnxError(['IsNaN'], 'IsNaN is imported only as Where(IsNaN(x), fill, x) on the input');
        continue; // the chain continues at the Where
      }
      case 'Sub': case 'Div': {
        preprocessing(op, 'as (x - shift) / divisor before the first layer');
        if (op === 'Sub' && (pre.shift || pre.divisor)) throw new UnsupportedOnnxError([op], 'one Sub before one Div or Mul');
        if (op === 'Div' && pre.divisor) throw new UnsupportedOnnxError([op], 'one Div or Mul before the first layer');
        if (op === 'Sub') pre.shift = columns(n.input?.[1], op);
        else pre.divisor = columns(n.input?.[1], op);
        break;
      }
      case 'Gemm': case 'MatMul': {
        const w = init(n.input?.[1]);
        if (w.dims.length !== 2) throw fail(`${op} weight must be 2-D, got [${w.dims.join(', ')}]`);
        if (op === 'Gemm' && (attr(n, 'transA')?.i ?? 0) !== 0) throw new UnsupportedOnnxError(['Gemm'], 'transA = 1');
        const transB = op === 'Gemm' && (attr(n, 'transB')?.i ?? 0) !== 0;
        const alpha = op === 'Gemm' ? attr(n, 'alpha')?.f ?? 1 : 1;
        const beta = op === 'Gemm' ? attr(n, 'beta')?.f ?? 1 : 1;
        const [inF, outF] = transB ? [w.dims[1], w.dims[0]] : [w.dims[0], w.dims[1]];
        const wd = new Float32Array(inF * outF);
        for (let r = 0; r < inF; r++) for (let c = 0; c < outF; c++) wd[r * outF + c] = alpha * w.data[transB ? c * inF + r : r * outF + c];
        const b = op === 'Gemm' && n.input?.[2] ? biasOf(n.input[2], outF, beta) : null;
        newLayer(wd, inF, outF, b);
        break;
      }
      case 'Add': {
        const l = layers.at(-1);
        if (!l || activated || hasBias) throw new UnsupportedOnnxError(['Add'], 'Add is imported only as the bias right after MatMul');
        l.bias = new Tensor(biasOf(n.input?.[1], l.weight.shape[1], 1), [l.weight.shape[1]]);
        hasBias = true;
        break;
      }
      case 'Identity': break;
      case 'Flatten': {
        const axis = attr(n, 'axis')?.i ?? 1;
        if (axis !== 1) throw new UnsupportedOnnxError(['Flatten'], `axis ${axis}; only axis 1 (keep the batch axis)`);
        if (layers.length === 0) flattened = true;
        break;
      }
      case 'Dropout': {
        // Inference mode unless a training_mode input says otherwise (opset 12+).
        const mode = n.input?.[2];
        if (mode) {
          const t = consts.get(mode);
          const on = t && boolValue(t);
          if (on !== false) throw new UnsupportedOnnxError(['Dropout'], 'Dropout in training mode (training_mode is not a constant false); export the model in eval mode');
        }
        break;
      }
      default: {
        if (op === 'Mul' && layers.length === 0) {
          // (x - shift) · factor before the first layer: the divisor is 1 / factor.
          if (pre.divisor) throw new UnsupportedOnnxError([op], 'one Div or Mul before the first layer');
          pre.divisor = columns(n.input?.[1], op).map((f) => 1 / f);
          break;
        }
        // An activation: the longest registry form that the nodes from i on spell out, reading x = cur.
        let mismatch: string | undefined;
        const found = FORMS.find((f) => {
          const m = matchForm(f, nodes, i, cur, scalar, opset);
          if (typeof m === 'string') mismatch ??= m;
          else if (m) {
            activate(f.activation, op, m.param);
            i = m.end;
            return true;
          }
          return false;
        });
        if (!found) {
          const forms = FORMS.filter((f) => f.form.nodes.length > 1 && f.form.nodes.some((k) => k.op === op)).map((f) => `${f.activation}: ${f.form.nodes.map((k) => k.op).join('→')}`);
          throw new UnsupportedOnnxError([op], mismatch ?? `${op} is imported only inside the activation patterns nabla exports (${forms.join('; ')})`);
        }
        cur = out(nodes[i]);
        continue;
      }
    }
    cur = out(n);
  }
  if (layers.length === 0) throw fail('no Gemm or MatMul layer found');
  if (cur !== outputs[0].name) throw fail(`the chain ends at '${cur}', not at the graph output '${outputs[0].name}'`);
  const inWidth = layers[0].weight.shape[0], outWidth = layers[layers.length - 1].weight.shape[1];
  for (const [what, v] of [['fill', pre.fill], ['shift', pre.shift], ['divisor', pre.divisor]] as const) {
    if (v && v.length !== inWidth && v.length !== 1) throw new ShapeError(`${source}: the preprocessing ${what} has ${v.length} values but the first layer takes ${inWidth} features`);
  }
  if (pre.divisor?.some((s) => !(s > 0) || !Number.isFinite(s))) throw new UnsupportedOnnxError([pre.divisor ? 'Div' : 'Mul'], 'a preprocessing scale that is not positive and finite');
  checkDeclared(inputs[0], 'input', inWidth, flattened, source);
  checkDeclared(outputs[0], 'output', twoColumns ? 2 : outWidth, false, source);

  const body = sequentialOf(layers);
  const given: Record<string, string> = {
    ...metadata,
    ...(opts.task ? { task: opts.task } : {}),
    ...(opts.classNames ? { class_names: JSON.stringify(opts.classNames) } : {}),
    ...(opts.featureNames ? { feature_names: JSON.stringify(opts.featureNames) } : {}),
    ...(opts.label ? { label: JSON.stringify([opts.label]) } : {}),
  };
  const pipeline = pipelineOf(body, layers, pre, given, source);
  const model: Module = pre.fill || pre.shift || pre.divisor || twoColumns ? new ImportedGraph(pipeline, twoColumns) : body;
  return { layers, model, pipeline, irVersion: ir, opset, metadata };
}

/** Refuse a declared input/output shape or type that contradicts the weights. */
function checkDeclared(v: ValueInfoObject, what: 'input' | 'output', width: number, flattened: boolean, source: string): void {
  const t = v.type?.tensorType;
  if (!t) return; // no declaration to contradict
  if (t.elemType !== undefined && t.elemType !== DataType.FLOAT) {
    throw new ShapeError(`${source}: the graph ${what} '${v.name}' is declared with element type ${t.elemType}, nabla imports float32 (type 1) graphs`);
  }
  const dims = t.shape?.dim;
  if (!dims) return;
  const shown = `[${dims.map((d) => d.dimValue ?? d.dimParam ?? '?').join(', ')}]`;
  const features = dims.slice(1);
  const known = features.every((d) => d.dimValue !== undefined);
  const declared = features.reduce((p, d) => p * (d.dimValue ?? 1), 1);
  const wrongRank = dims.length < 2 || (dims.length > 2 && !flattened);
  if (wrongRank || (known && declared !== width)) {
    const needs = what === 'input' ? `the first layer takes ${width} features` : `the last layer gives ${width} outputs`;
    throw new ShapeError(`${source}: the graph ${what} '${v.name}' is declared ${shown} but ${needs}${wrongRank ? ` ([batch, ${width}])` : ''}`);
  }
}

const jsonStrings = (s: string | undefined): string[] | undefined => {
  if (s === undefined) return undefined;
  try { const v = JSON.parse(s) as unknown; return Array.isArray(v) && v.every((e) => typeof e === 'string') ? v : undefined; } catch { return undefined; }
};

/**
 * The imported graph as a pipeline. Task, names and label come from nabla's metadata_props when the
 * file has them; otherwise a final Softmax / LogSoftmax, or a Sigmoid on one output, means a
 * classifier and anything else a regression, with columns read by position.
 */
function pipelineOf(body: Sequential, layers: DenseLayer[], pre: { fill?: Float32Array; shift?: Float32Array; divisor?: Float32Array },
  metadata: Record<string, string>, source: string): Pipeline {
  const d = layers[0].weight.shape[0], k = layers[layers.length - 1].weight.shape[1];
  const last = layers[layers.length - 1].activation;
  const head: PipelineOutputs | undefined = last === 'softmax' ? 'probabilities' : last === 'logSoftmax' ? 'logProbabilities'
    : last === 'sigmoid' && k === 1 ? 'probabilities' : undefined;
  const task: Task = metadata.task === 'classification' || metadata.task === 'regression' ? metadata.task : head ? 'classification' : 'regression';
  const outputs: PipelineOutputs = task === 'regression' ? 'values' : head ?? 'logits';
  const classes = k === 1 ? 2 : k;
  const classNames = task === 'classification' ? jsonStrings(metadata.class_names) : undefined;
  const featureNames = jsonStrings(metadata.feature_names);
  const labels = jsonStrings(metadata.label);
  const named = featureNames?.length === d;
  if (featureNames && !named) throw new ShapeError(`${source}: ${featureNames.length} feature names for a model that takes ${d} features`);
  if (classNames && classNames.length !== classes) throw new ShapeError(`${source}: ${classNames.length} class names for a model that gives ${classes} classes`);
  const meta: PipelineMeta = {
    task,
    loss: task === 'regression' ? 'mse' : k === 1 ? 'bceWithLogits' : 'crossEntropy',
    featureNames: named ? featureNames : Array.from({ length: d }, (_, j) => `x${j}`),
    outputs,
    source,
    summary: { imported_from: source, layers: layers.length, outputs },
    ...(classNames ? { classNames } : {}),
    ...(labels?.length ? { labels } : {}),
  };
  const full = (v: Float32Array | undefined, fallback: number) => Array.from({ length: d }, (_, j) => (v ? v[v.length === 1 ? 0 : j] : fallback));
  if (pre.shift || pre.divisor) meta.scaler = { kind: 'standardizer', mean: full(pre.shift, 0), std: full(pre.divisor, 1) };
  if (pre.fill) {
    // Filling NaN needs the columns by name, as in training: only nabla's own exports carry them.
    if (!named) throw new UnsupportedOnnxError(['Where'], 'a missing-value fill needs the feature_names metadata nabla writes');
    const schema: CsvSchema = {
      format: 'nabla-csv-schema', version: 1, task, missing: 'impute', delimiter: ',',
      features: meta.featureNames.map((name, j) => ({ name, kind: 'numeric', fill: full(pre.fill, NaN)[j] })),
      labels: labels?.length ? labels : ['label'],
      ...(task === 'classification' ? { classNames: meta.classNames ?? Array.from({ length: classes }, (_, i) => String(i)) } : {}),
    };
    meta.schema = schema;
  }
  return new Pipeline(body, meta);
}

/**
 * Whether the nodes from `start` on are `f`'s form applied to x: each node's op, its inputs (x, an
 * earlier node of the form, or a scalar constant), its fixed attributes. Returns the last node's
 * index and the parameter read from an attribute, null when the nodes are something else, or a
 * reason when they are this op with settings nabla does not have (Gelu with approximate='none').
 */
function matchForm(
  f: ImportForm, nodes: NodeObject[], start: number, x: string,
  scalar: (n: string | undefined) => number | undefined, opset: number,
): { end: number; param?: number } | null | string {
  const spec = f.form.nodes;
  const ns = nodes.slice(start, start + spec.length);
  if (ns.length < spec.length || ns.some((n, k) => n.opType !== spec[k].op)) return null;
  const outs = ns.map((n) => n.output?.[0]);
  const fits = (name: string | undefined, o: (typeof spec)[number]['inputs'][number]) =>
    o === 'x' ? name === x : typeof o === 'number' ? name === outs[o] : (() => { const v = scalar(name); return v !== undefined && close(v, o.c); })();
  const def = activationDef(f.activation);
  let param: number | undefined;
  for (let k = 0; k < spec.length; k++) {
    const want = spec[k].inputs, got = ns[k].input ?? [];
    if (got.length !== want.length) return null;
    const inOrder = want.every((o, q) => fits(got[q], o));
    const swapped = want.length === 2 && COMMUTATIVE.has(spec[k].op) && fits(got[0], want[1]) && fits(got[1], want[0]);
    if (!inOrder && !swapped) return null;
    for (const [name, v] of Object.entries(spec[k].attrs ?? {})) {
      const a = attr(ns[k], name);
      if ('param' in v) {
        if (a?.f !== undefined) param = shortestFloat32(a.f);
        else param = def.params.find((p) => p.name === v.param)?.default; // ONNX's defaults (LeakyRelu 0.01, Elu 1) are nabla's
      } else if ('int' in v) {
        if (name === 'axis') {
          // Softmax's axis: the last axis of [batch, features] is -1 or 1 (the default before opset 13).
          const axis = a?.i ?? (opset >= 13 ? -1 : 1);
          if (axis !== -1 && axis !== 1) return `axis ${axis}; only the last axis of [batch, features]`;
        } else if (a?.i !== v.int) return null;
      } else {
        const text = new TextDecoder().decode(a?.s ?? new Uint8Array());
        if (text !== v.str) return f.form.note ?? `${spec[k].op} ${name}='${text || 'default'}', nabla's ${f.activation} needs '${v.str}'`;
      }
    }
  }
  return { end: start + spec.length - 1, param };
}

const COMMUTATIVE = new Set(['Add', 'Mul', 'Max', 'Min', 'Sum']);
