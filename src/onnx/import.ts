// ONNX import of a plain MLP: the graph must be one chain input → (Gemm | MatMul [+ Add bias])
// → activation → ... → output. Anything else is refused: unknown operators with an
// UnsupportedOnnxError listing them all, malformed bytes or graphs with a ParseError.
import { ParseError } from '../errors.js';
import type { Sequential } from '../nn/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { UnsupportedOnnxError } from './errors.js';
import { activationOnnxOps, importForms, type ImportForm } from './activation-nodes.js';
import { activation as activationDef } from '../ops/index.js';
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

const SUPPORTED = new Set([...activationOnnxOps(), 'Gemm', 'MatMul', 'Add', 'Identity', 'Dropout']);
const FORMS = importForms();

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
      default: {
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
          const forms = FORMS.filter((f) => f.form.nodes.length > 1 && f.form.nodes.some((k) => k.op === op)).map((f) => f.form.nodes.map((k) => k.op).join('→'));
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
  return { layers, model: sequentialOf(layers), irVersion: m.irVersion ?? 0, opset };
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
