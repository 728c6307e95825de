// How a tensor prints: its values, laid out as PyTorch lays them out (torch/_tensor_str.py), so that
// console.log(t) and String(t) read like `tensor([[1., 2.], [3., 4.]])` rather than the object's
// fields. One number format for the whole tensor: whole numbers as `3.`, others with 4 decimals,
// scientific notation when the magnitudes span more than 1000× or leave [1e-4, 1e8); rows wrap at
// 80 columns; more than 1000 values are summarised to the first and last 3 along each axis.
import type { FloatArray } from '../backend/backend.js';

const LINE_WIDTH = 80;
const THRESHOLD = 1000;
const EDGE = 3;
const PRECISION = 4;

/** What a printed tensor needs: shape, values, dtype and the autograd flags shown as suffixes. */
export interface PrintableTensor {
  readonly shape: readonly number[];
  readonly data: FloatArray;
  readonly dtype: string;
  readonly requiresGrad: boolean;
  readonly node: { readonly op: string } | null;
}

/** Python's '{:.4e}': at least two exponent digits (JavaScript writes e-5, Python e-05). */
function exponential(v: number): string {
  return v.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The one number format of a tensor, chosen from the values it will show. */
class NumberFormat {
  readonly width: number;
  private readonly intMode: boolean;
  private readonly sciMode: boolean;

  constructor(values: number[]) {
    const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
    this.intMode = values.every((v) => !Number.isFinite(v) || Number.isInteger(v));
    let width = 1;
    if (nonzero.length === 0) {
      this.sciMode = false;
    } else {
      const abs = nonzero.map(Math.abs);
      const min = Math.min(...abs), max = Math.max(...abs);
      this.sciMode = max / min > 1000 || max > 1e8 || (!this.intMode && min < 1e-4);
      for (const v of nonzero) {
        const s = this.sciMode ? exponential(v) : this.intMode ? `${v.toFixed(0)}.` : v.toFixed(PRECISION);
        width = Math.max(width, s.length);
      }
    }
    this.width = width;
  }

  format(v: number): string {
    let s: string;
    if (Number.isNaN(v)) s = 'nan';
    else if (!Number.isFinite(v)) s = v > 0 ? 'inf' : '-inf';
    else if (this.sciMode) s = exponential(v);
    else if (this.intMode) s = `${v.toFixed(0)}.`;
    else s = v.toFixed(PRECISION);
    return s.padStart(this.width);
  }
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

/** The indices shown along an axis of length n: all, or the first and last EDGE with null for '...'. */
function shownIndices(n: number, summarize: boolean): (number | null)[] {
  if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), null, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}

/** The values that will be printed (the summarised ones when summarising), for choosing the format. */
function shownValues(t: PrintableTensor, summarize: boolean): number[] {
  if (!summarize) return Array.from(t.data);
  const strides = stridesOf(t.shape), out: number[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === t.shape.length) { out.push(t.data[offset]); return; }
    for (const i of shownIndices(t.shape[axis], true)) if (i !== null) walk(axis + 1, offset + i * strides[axis]);
  };
  walk(0, 0);
  return out;
}

function body(t: PrintableTensor, fmt: NumberFormat, summarize: boolean, axis: number, offset: number, indent: number): string {
  const strides = stridesOf(t.shape);
  const dims = t.shape.length - axis;
  const indices = shownIndices(t.shape[axis], summarize);
  if (dims === 1) {
    const items = indices.map((i) => (i === null ? ' ...' : fmt.format(t.data[offset + i * strides[axis]])));
    const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (fmt.width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const slices = indices.map((i) => (i === null ? '...' : body(t, fmt, summarize, axis + 1, offset + i * strides[axis], indent + 1)));
  return `[${slices.join(`,${'\n'.repeat(dims - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** `tensor([...], dtype=float64, requiresGrad=true)`, the way torch prints `tensor([...], dtype=torch.float64, requires_grad=True)`. */
export function formatTensor(t: PrintableTensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const size = t.data.length;
  const suffixes: string[] = [];
  let text: string;
  if (size === 0) {
    text = '[]';
    if (t.shape.length !== 1) suffixes.push(`shape=[${t.shape.join(', ')}]`);
  } else {
    const summarize = size > THRESHOLD;
    const fmt = new NumberFormat(shownValues(t, summarize));
    // A 0-d tensor is its one value, unpadded.
    text = t.shape.length === 0 ? fmt.format(t.data[0]).trim() : body(t, fmt, summarize, 0, 0, indent);
  }
  if (t.dtype !== 'float32') suffixes.push(`dtype=${t.dtype}`);
  if (t.node) suffixes.push(`gradFn=<${t.node.op}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  // Suffixes go on the last line while it stays within the line width, as torch does.
  let out = prefix + text;
  let lastLine = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINE_WIDTH) { out += `,\n${' '.repeat(indent)}${s}`; lastLine = indent + s.length; }
    else { out += `, ${s}`; lastLine += s.length + 2; }
  }
  return `${out})`;
}
