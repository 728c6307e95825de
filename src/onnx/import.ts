// ONNX import of a plain MLP: the graph must be one chain input → (Gemm | MatMul [+ Add bias])
// → activation → ... → output. Anything else is refused: unknown operators with an
// UnsupportedOnnxError listing them all, malformed bytes or graphs with a ParseError.
import { ParseError } from '../errors.js';
import type { Sequential } from '../nn/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { UnsupportedOnnxError } from './errors.js';
import { GELU_C, GELU_K } from './activation-nodes.js';
import { sequentialOf, type DenseLayer } from './layers.js';
import { DataType, modelProtoType } from './onnx-schema.js';
import { readFloatTensor, type FloatInit, type TensorProtoObject } from './read-tensor.js';

interface AttrObject { name?: string; type?: number; f?: number; i?: number; s?: Uint8Array }
interface NodeObject { input?: string[]; output?: string[]; opType?: string; domain?: string; attribute?: AttrObject[] }
interface ValueInfoObject { name?: string }
interface GraphObject { node?: NodeObject[]; initializer?: TensorProtoObject[]; input?: ValueInfoObject[]; output?: ValueInfoObject[] }
interface ModelObject { irVersion?: number; opsetImport?: { domain?: string; version?: number }[]; graph?: GraphObject }

export interface ImportedOnnx {
  layers: DenseLayer[];
  /** The layers as a nabla Sequential (Linear + activation modules). */
  model: Sequential;
  irVersion: number;
  opset: number;
}

const ACTIVATIONS: Record<string, string> = {
  Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softplus: 'softplus', LeakyRelu: 'leakyRelu',
  Elu: 'elu', Gelu: 'gelu', Softmax: 'softmax', LogSoftmax: 'logSoftmax',
};
const SUPPORTED = new Set([...Object.keys(ACTIVATIONS), 'Gemm', 'MatMul', 'Add', 'Mul', 'Greater', 'Cast', 'Identity', 'Dropout']);
const GELU_OPS = ['Mul', 'Mul', 'Mul', 'Add', 'Mul', 'Tanh', 'Add', 'Mul', 'Mul'];

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

/** Read a plain MLP from ONNX ModelProto bytes. */
export function importOnnx(bytes: Uint8Array, source = '<onnx>'): ImportedOnnx {
  const m = decodeModel(bytes, source);
  const fail = (why: string) => new ParseError(`${source}: ${why}`, source);
  const opset = m.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (opset === undefined || !Number.isSafeInteger(opset) || opset < 1) throw fail('no ai.onnx opset_import: not an ONNX model');
  const g = m.graph;
  if (!g) throw fail('the model has no graph');
  const nodes = g.node ?? [];

  // Refuse unknown operators first, all of them named together.
  const unsupported = new Set<string>();
  for (const n of nodes) {
    const op = n.opType ?? '<empty>';
    const domain = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}::` : '';
    if (domain || !SUPPORTED.has(op)) unsupported.add(domain + op);
  }
  if (unsupported.size) throw new UnsupportedOnnxError([...unsupported].sort());

  const inits = new Map<string, TensorProtoObject>();
  for (const t of g.initializer ?? []) if (t.name) inits.set(t.name, t);
  const cache = new Map<string, FloatInit>();
  const init = (name: string | undefined): FloatInit => {
    const t = name === undefined ? undefined : inits.get(name);
    if (!t || name === undefined) throw fail(`'${name}' is not an initializer (weights must be stored in the file)`);
    let v = cache.get(name);
    if (!v) cache.set(name, (v = readFloatTensor(t, source)));
    return v;
  };
  const scalar = (name: string | undefined): number | undefined => {
    if (name === undefined || !inits.has(name)) return undefined;
    const v = init(name);
    return v.data.length === 1 ? v.data[0] : undefined;
  };

  const inputs = (g.input ?? []).filter((v) => v.name && !inits.has(v.name));
  if (inputs.length !== 1) throw fail(`expected one graph input, found ${inputs.length}`);
  const outputs = g.output ?? [];
  if (outputs.length !== 1 || !outputs[0].name) throw fail(`expected one graph output, found ${outputs.length}`);

  const layers: DenseLayer[] = [];
  let activated = true; // no open layer until the first Gemm/MatMul
  let hasBias = true;
  let cur = inputs[0].name as string;
  const takes = (n: NodeObject, k = 0) => n.input?.[k] === cur;
  const out = (n: NodeObject) => {
    const o = n.output?.[0];
    if (!o) throw fail(`node ${n.opType} has no output`);
    return o;
  };
  const newLayer = (w: Float32Array, inF: number, outF: number, b: Float32Array | null) => {
    const prev = layers.at(-1)?.weight.shape[1];
    if (prev !== undefined && prev !== inF) throw fail(`layer ${layers.length} takes ${inF} inputs but the previous layer gives ${prev}`);
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
    if (c.data.length !== outF && c.data.length !== 1) throw fail(`bias '${name}' has ${c.data.length} values, expected ${outF}`);
    return Float32Array.from({ length: outF }, (_, j) => scale * c.data[c.data.length === 1 ? 0 : j]);
  };

  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const op = n.opType as string;
    if (op === 'Add' && !takes(n, 0) && takes(n, 1)) n.input = [n.input![1], n.input![0]];
    if (!takes(n, 0)) throw fail(`node ${i} (${op}) does not continue the chain from '${cur}': only a single-path MLP can be imported`);
    switch (op) {
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
      case 'Identity': case 'Dropout': break;
      case 'Greater': {
        const next = nodes[i + 1];
        if (scalar(n.input?.[1]) !== 0 || next?.opType !== 'Cast' || next.input?.[0] !== out(n) || attr(next, 'to')?.i !== DataType.FLOAT) {
          throw new UnsupportedOnnxError(['Greater'], 'Greater is imported only as Greater(x, 0) → Cast(float), the hard threshold');
        }
        activate('hardThreshold', op);
        i++;
        cur = out(next);
        continue;
      }
      case 'Mul': case 'Cast': {
        const end = op === 'Mul' ? matchGelu(nodes, i, cur, scalar) : -1;
        if (end < 0) throw new UnsupportedOnnxError([op], `${op} is imported only inside the tanh-GELU or hard-threshold patterns nabla exports`);
        activate('gelu', op);
        i = end;
        cur = out(nodes[end]);
        continue;
      }
      default: {
        const name = ACTIVATIONS[op];
        if (op === 'Gelu' && new TextDecoder().decode(attr(n, 'approximate')?.s ?? new Uint8Array()) !== 'tanh') {
          throw new UnsupportedOnnxError(['Gelu'], "approximate='none' (erf); nabla's gelu is the tanh approximation");
        }
        if (op === 'Softmax' || op === 'LogSoftmax') {
          const axis = attr(n, 'axis')?.i ?? (opset >= 13 ? -1 : 1);
          if (axis !== -1 && axis !== 1) throw new UnsupportedOnnxError([op], `axis ${axis}; only the last axis of [batch, features]`);
        }
        const alpha = attr(n, 'alpha')?.f;
        const param = op === 'LeakyRelu' || op === 'Elu' ? (alpha === undefined ? (op === 'Elu' ? 1 : 0.01) : shortestFloat32(alpha)) : undefined;
        activate(name, op, param);
      }
    }
    cur = out(n);
  }
  if (layers.length === 0) throw fail('no Gemm or MatMul layer found');
  if (cur !== outputs[0].name) throw fail(`the chain ends at '${cur}', not at the graph output '${outputs[0].name}'`);
  return { layers, model: sequentialOf(layers), irVersion: m.irVersion ?? 0, opset };
}

/** Index of the last node of nabla's exported tanh-GELU pattern starting at `start`, or -1. */
function matchGelu(nodes: NodeObject[], start: number, x: string, scalar: (n: string | undefined) => number | undefined): number {
  const ns = nodes.slice(start, start + GELU_OPS.length);
  if (ns.length < GELU_OPS.length || ns.some((n, k) => n.opType !== GELU_OPS[k])) return -1;
  const o = ns.map((n) => n.output?.[0]);
  const ins = (k: number, a: string | undefined, b: string | undefined) => {
    const [p, q] = ns[k].input ?? [];
    return (p === a && q === b) || (p === b && q === a);
  };
  const constIn = (k: number, operand: string | undefined, value: number) => {
    const [p, q] = ns[k].input ?? [];
    const other = p === operand ? q : q === operand ? p : undefined;
    const v = scalar(other);
    return v !== undefined && close(v, value);
  };
  const ok = ins(0, x, x) && ins(1, o[0], x) && constIn(2, o[1], GELU_K) && ins(3, x, o[2])
    && constIn(4, o[3], GELU_C) && ns[5].input?.[0] === o[4] && constIn(6, o[5], 1) && ins(7, x, o[6]) && constIn(8, o[7], 0.5);
  return ok ? start + GELU_OPS.length - 1 : -1;
}
