// JSON with binary parts: typed arrays inside optimizer or training state are moved to the file's
// binary section and replaced by {"$tensor": name}; non-finite numbers become {"$num": "NaN"}.
import type { FloatArray } from '../backend/backend.js';

export interface Blob {
  name: string;
  data: FloatArray;
  shape: number[];
}

export function encodeJson(value: unknown, blobs: Blob[]): unknown {
  if (value instanceof Float32Array || value instanceof Float64Array) {
    const name = `$${blobs.length}`;
    blobs.push({ name, data: value, shape: [value.length] });
    return { $tensor: name };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (Array.isArray(value)) return value.map((v) => encodeJson(v, blobs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodeJson(v, blobs)]));
  }
  return value;
}

/** Inverse of encodeJson; `lookup` returns the typed array for a name or throws. */
export function decodeJson(value: unknown, lookup: (name: string) => FloatArray): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeJson(v, lookup));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$tensor === 'string') return lookup(o.$tensor);
    if (keys.length === 1 && typeof o.$num === 'string') return Number(o.$num);
    return Object.fromEntries(keys.map((k) => [k, decodeJson(o[k], lookup)]));
  }
  return value;
}
