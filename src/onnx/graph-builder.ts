// Accumulates ONNX nodes and initializers as plain objects shaped like the protobufjs messages.
import { AttributeType, DataType } from './onnx-schema.js';

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: OnnxAttribute[];
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

/** Little-endian float32 bytes, as TensorProto.raw_data requires on every platform. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

export const floatAttr = (name: string, f: number): OnnxAttribute => ({ name, type: AttributeType.FLOAT, f });
export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, type: AttributeType.INT, i });
export const stringAttr = (name: string, s: string): OnnxAttribute => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) });

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly used = new Set<string>();
  private readonly scalars = new Map<number, string>();

  /** A fresh value name with this stem. */
  fresh(stem: string): string {
    let name = stem;
    for (let k = 1; this.used.has(name); k++) name = `${stem}_${k}`;
    this.used.add(name);
    return name;
  }

  node(opType: string, input: string[], attribute: OnnxAttribute[] = [], stem = opType.toLowerCase()): string {
    const out = this.fresh(stem);
    this.nodes.push({ input, output: [out], name: `${opType}_${this.nodes.length}`, opType, attribute });
    return out;
  }

  initializer(stem: string, values: ArrayLike<number>, dims: number[]): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: float32Bytes(values) });
    return name;
  }

  /** A float32 scalar constant (shared between uses). */
  scalar(v: number): string {
    let name = this.scalars.get(v);
    if (name === undefined) {
      name = this.initializer(`const_${String(v).replace(/[^0-9a-z]/gi, '_')}`, [v], []);
      this.scalars.set(v, name);
    }
    return name;
  }
}
