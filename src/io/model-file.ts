// The model file (browser-safe): one binary file
//   "NABLA\0" | version u16 | header length u32 | header CRC-32 u32 | UTF-8 JSON header | pad to 8 | weights
// All integers and floats little-endian; weights are the exact float bits. Reading checks the magic,
// version, header checksum and JSON, and every tensor's shape against its byte length and the file's
// total length before allocating anything, so a damaged or forged file fails with a ParseError.
import type { FloatArray } from '../backend/backend.js';
import { ConfigError, NablaError, ParseError } from '../errors.js';
import type { Module, ModuleConfig } from '../nn/module.js';
import { moduleFromConfig, parameterBudget } from '../nn/from-config.js';
import { Optimizer, type OptimizerState } from '../optim/optimizer.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import { decodeJson, encodeJson, type Blob } from './blobs.js';
import { crc32 } from './crc32.js';

export const MAGIC = Uint8Array.from([0x4e, 0x41, 0x42, 0x4c, 0x41, 0x00]); // "NABLA\0"
export const FORMAT_VERSION = 1;
const PREFIX = 16;
const BYTES: Record<DType, number> = { float32: 4, float64: 8 };
const LITTLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export interface SaveOptions {
  optimizer?: Optimizer | OptimizerState;
  /** Training history (History from fit, or any record of number arrays). */
  history?: Record<string, number[]>;
  /** Checkpoint state written by fit (epoch, RNG, scheduler, ...). */
  training?: unknown;
  /** Free-form JSON: preprocessing, class names, notes. */
  meta?: Record<string, unknown>;
}

export interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  format: 'nabla-model';
  architecture: ModuleConfig;
  parameters: string[];
  tensors: TensorEntry[];
  dataBytes: number;
  dataCrc32: number;
  optimizer?: unknown;
  history?: unknown;
  training?: unknown;
  meta?: unknown;
}

export interface ModelFile {
  version: number;
  architecture: ModuleConfig;
  /** The rebuilt model with its weights loaded. */
  model: Module;
  /** The stored parameters by name. */
  state: Record<string, Tensor>;
  optimizer?: OptimizerState;
  history?: Record<string, number[]>;
  training?: unknown;
  meta?: Record<string, unknown>;
}

const pad8 = (n: number) => (n + 7) & ~7;

/** Model, weights and optional optimizer state, history and meta as one file's bytes. */
export function serializeModel(model: Module, opts: SaveOptions = {}): Uint8Array {
  const named = model.namedParameters();
  const blobs: Blob[] = named.map(([name, p]) => ({ name, data: p.data, shape: [...p.shape] }));
  const optState = opts.optimizer instanceof Optimizer ? opts.optimizer.stateDict() : opts.optimizer;
  const extra = {
    optimizer: optState === undefined ? undefined : encodeJson(optState, blobs),
    history: opts.history === undefined ? undefined : encodeJson(opts.history, blobs),
    training: opts.training === undefined ? undefined : encodeJson(opts.training, blobs),
    meta: opts.meta === undefined ? undefined : encodeJson(opts.meta, blobs),
  };
  let offset = 0;
  const tensors: TensorEntry[] = blobs.map((b) => {
    const dtype: DType = b.data instanceof Float64Array ? 'float64' : 'float32';
    const e = { name: b.name, dtype, shape: b.shape, offset, byteLength: b.data.length * BYTES[dtype] };
    offset += e.byteLength;
    return e;
  });
  const data = new Uint8Array(offset);
  const view = new DataView(data.buffer);
  blobs.forEach((b, i) => writeFloats(b.data, data, view, tensors[i].offset));
  const header: Header = {
    format: 'nabla-model', architecture: model.config(), parameters: named.map(([n]) => n),
    tensors, dataBytes: offset, dataCrc32: crc32(data), ...extra,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = pad8(PREFIX + json.length);
  const out = new Uint8Array(dataStart + data.length);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint16(6, FORMAT_VERSION, true);
  dv.setUint32(8, json.length, true);
  dv.setUint32(12, crc32(json), true);
  out.set(json, PREFIX);
  out.set(data, dataStart);
  return out;
}

function writeFloats(src: FloatArray, dst: Uint8Array, view: DataView, at: number): void {
  if (LITTLE) { dst.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), at); return; }
  const f64 = src instanceof Float64Array;
  for (let i = 0; i < src.length; i++) {
    if (f64) view.setFloat64(at + 8 * i, src[i], true); else view.setFloat32(at + 4 * i, src[i], true);
  }
}

function readFloats(e: TensorEntry, bytes: Uint8Array, start: number): FloatArray {
  const n = e.byteLength / BYTES[e.dtype];
  const out = e.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  if (LITTLE) {
    new Uint8Array(out.buffer).set(bytes.subarray(start + e.offset, start + e.offset + e.byteLength));
  } else {
    const v = new DataView(bytes.buffer, bytes.byteOffset + start + e.offset, e.byteLength);
    for (let i = 0; i < n; i++) out[i] = e.dtype === 'float64' ? v.getFloat64(8 * i, true) : v.getFloat32(4 * i, true);
  }
  return out;
}

/** Read a model file; `source` (a path or name) is named in every error. */
export function deserializeModel(bytes: Uint8Array, source = '<bytes>'): ModelFile {
  const fail = (msg: string, offset?: number): never => { throw new ParseError(`${source}: ${msg}`, source, undefined, undefined, offset); };
  if (bytes.length < PREFIX) fail(`truncated: ${bytes.length} bytes, a nabla model file has at least ${PREFIX}`, bytes.length);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) fail(`not a nabla model file (expected the bytes "NABLA\\0" at offset 0)`, i);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(6, true);
  if (version === 0 || version > FORMAT_VERSION) fail(`format version ${version} is not supported (this nabla reads version ${FORMAT_VERSION})`, 6);
  const headerLen = dv.getUint32(8, true);
  if (headerLen > bytes.length - PREFIX) fail(`truncated: the header claims ${headerLen} bytes but only ${bytes.length - PREFIX} follow`, 8);
  const headerBytes = bytes.subarray(PREFIX, PREFIX + headerLen);
  if (crc32(headerBytes) !== dv.getUint32(12, true)) fail('the header is damaged (CRC-32 mismatch)', PREFIX);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as Header;
  } catch (e) {
    return fail(`the header is not valid UTF-8 JSON (${(e as Error).message})`, PREFIX);
  }
  if (!header || typeof header !== 'object' || header.format !== 'nabla-model') fail("the header is not a nabla model header (format must be 'nabla-model')", PREFIX);
  if (!header.architecture || typeof header.architecture !== 'object') fail('the header has no architecture', PREFIX);
  const dataStart = pad8(PREFIX + headerLen);
  checkTable(header, bytes.length - dataStart, fail);
  if (crc32(bytes.subarray(dataStart)) !== header.dataCrc32) fail('the weights are damaged (CRC-32 mismatch)', dataStart);

  // Everything checked: now allocate.
  const arrays = new Map<string, FloatArray>();
  for (const e of header.tensors) arrays.set(e.name, readFloats(e, bytes, dataStart));
  const state: Record<string, Tensor> = {};
  const entries = new Map(header.tensors.map((e) => [e.name, e]));
  for (const name of header.parameters) {
    const e = entries.get(name);
    if (!e) return fail(`parameter '${name}' has no tensor entry`, PREFIX);
    state[name] = new Tensor(arrays.get(name)!, e.shape);
  }
  const lookup = (name: string): FloatArray => arrays.get(name) ?? fail(`the header refers to a missing tensor '${name}'`, PREFIX);
  let model: Module;
  try {
    const held = header.parameters.reduce((n, name) => n + (state[name]?.size ?? 0), 0);
    model = moduleFromConfig(header.architecture, parameterBudget(held));
    model.loadStateDict(state);
  } catch (e) {
    if (e instanceof NablaError && !(e instanceof ConfigError)) throw e;
    return fail(`the architecture does not match the weights: ${(e as Error).message}`, PREFIX);
  }
  const file: ModelFile = { version, architecture: header.architecture, model, state };
  if (header.optimizer !== undefined) file.optimizer = decodeJson(header.optimizer, lookup) as OptimizerState;
  if (header.history !== undefined) file.history = decodeJson(header.history, lookup) as Record<string, number[]>;
  if (header.training !== undefined) file.training = decodeJson(header.training, lookup);
  if (header.meta !== undefined) file.meta = decodeJson(header.meta, lookup) as Record<string, unknown>;
  return file;
}

/** The tensor table must tile the data section exactly: contiguous, in order, sizes from shapes. */
function checkTable(h: Header, available: number, fail: (m: string, o?: number) => never): void {
  if (!Array.isArray(h.tensors) || !Array.isArray(h.parameters)) fail('the header has no tensor table');
  if (!Number.isSafeInteger(h.dataBytes) || h.dataBytes < 0) fail(`dataBytes ${h.dataBytes} is not a byte count`);
  if (h.dataBytes !== available) {
    fail(h.dataBytes > available
      ? `truncated: the weights need ${h.dataBytes} bytes but only ${available} follow the header`
      : `${available - h.dataBytes} unexpected bytes after the weights`);
  }
  let offset = 0;
  const names = new Set<string>();
  for (const [i, e] of h.tensors.entries()) {
    const where = `tensor #${i}${typeof e?.name === 'string' ? ` '${e.name}'` : ''}`;
    if (!e || typeof e.name !== 'string' || names.has(e.name)) fail(`${where} has a missing or repeated name`);
    names.add(e.name);
    if (e.dtype !== 'float32' && e.dtype !== 'float64') fail(`${where} has unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.length > 8 || !e.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      fail(`${where} has an invalid shape ${JSON.stringify(e.shape)}`);
    }
    let count = 1;
    for (const s of e.shape) { count *= s; if (count > available) fail(`${where} of shape [${e.shape.join(', ')}] is larger than the file`); }
    if (e.byteLength !== count * BYTES[e.dtype]) fail(`${where}: shape [${e.shape.join(', ')}] of ${e.dtype} needs ${count * BYTES[e.dtype]} bytes, the table says ${e.byteLength}`);
    if (e.offset !== offset) fail(`${where} starts at byte ${e.offset}, expected ${offset}`);
    offset += e.byteLength;
  }
  if (offset !== h.dataBytes) fail(`the tensors cover ${offset} bytes but the data section has ${h.dataBytes}`);
}
