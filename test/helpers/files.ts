// Byte-level builders shared by tests that write IDX files and forge model files.
import { crc32, FORMAT_VERSION, MAGIC } from '../../src/io/index.js';

/** The exact bytes of a typed array (which may be a view into a larger buffer). */
export const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * An IDX file: magic 0x00 0x00 <type> <rank>, big-endian dims, then the body. The header fields
 * can be overridden to write deliberately inconsistent files.
 */
export function idxBytes(dims: readonly number[], body: ArrayLike<number>, header: { zero?: number; type?: number; rank?: number } = {}): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  out[1] = header.zero ?? 0; out[2] = header.type ?? 0x08; out[3] = header.rank ?? dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

const PREFIX = 16;
const pad8 = (n: number) => (n + 7) & ~7;

/** A model file's JSON header and data section. */
export function splitModel(file: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const len = new DataView(file.buffer, file.byteOffset).getUint32(8, true);
  return { header: JSON.parse(new TextDecoder().decode(file.subarray(PREFIX, PREFIX + len))), data: file.subarray(pad8(PREFIX + len)) };
}

/** Re-assemble a model file from a header object and a data section, with valid checksums. */
export function forgeModel(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const hb = new TextEncoder().encode(JSON.stringify({ ...header, dataCrc32: crc32(data) }));
  const out = new Uint8Array(pad8(PREFIX + hb.length) + data.length);
  out.set(MAGIC);
  const v = new DataView(out.buffer);
  v.setUint16(MAGIC.length, FORMAT_VERSION, true);
  v.setUint32(8, hb.length, true);
  v.setUint32(12, crc32(hb), true);
  out.set(hb, PREFIX);
  out.set(data, pad8(PREFIX + hb.length));
  return out;
}
