// TensorProto → float values, with every size checked against the bytes actually present before
// anything is allocated (a forged dims field cannot make nabla reserve more than the file holds).
import { ParseError } from '../errors.js';
import { DataType } from './onnx-schema.js';

/** A decoded TensorProto as protobufjs's toObject({longs: Number}) leaves it. */
export interface TensorProtoObject {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  doubleData?: number[];
  dataLocation?: number;
}

export interface FloatInit {
  dims: number[];
  data: Float32Array;
}

const MAX_ELEMENTS = 2 ** 31 - 1;

export function readFloatTensor(t: TensorProtoObject, source: string): FloatInit {
  const name = t.name ?? '<unnamed>';
  const fail = (why: string) => new ParseError(`${source}: initializer '${name}': ${why}`, source);
  if (t.dataLocation === 1) throw fail('external data is not supported (store the weights inside the file)');
  const dims = t.dims ?? [];
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw fail(`bad dimension ${d}`);
    n *= d;
    if (n > MAX_ELEMENTS) throw fail(`more than ${MAX_ELEMENTS} elements`);
  }
  const type = t.dataType ?? 0;
  const width = type === DataType.FLOAT ? 4 : type === DataType.DOUBLE ? 8 : 0;
  if (width === 0) throw fail(`data type ${type} is not float or double`);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== n * width) throw fail(`raw_data has ${raw.length} bytes, dims [${dims.join(', ')}] need ${n * width}`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    return { dims, data };
  }
  const values = (width === 4 ? t.floatData : t.doubleData) ?? [];
  if (values.length !== n) throw fail(`${values.length} values stored, dims [${dims.join(', ')}] need ${n}`);
  return { dims, data: Float32Array.from(values) };
}
