// One table row -> its encoded features and targets, written straight into float32 arrays at a
// given offset: the in-memory loaders fill one [n, d] array, the streaming ones a block at a time.
import { ParseError } from '../errors.js';
import { encodedWidth, parseNumber, type CsvSchema, type TableHeader } from './csv-schema.js';
import { MISSING, NUMBER, overflowsFloat32, type TableRow } from './csv-tokenizer.js';
import { overflowError, raggedError } from './table-scan.js';

const FLOAT32_MAX = 3.4028234663852886e38;

/** A number as a Map key that V8 looks up fast: small integers as Smis (others take a slow path). */
function smiKey(v: number): number {
  return (v | 0) === v ? v | 0 : v;
}

function quote(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}...` : cell);
}

export class RowEncoder {
  /** Columns of x. */
  readonly d: number;
  /** Targets per row (1 for classification). */
  readonly k: number;
  /** Whether the table has the label column(s). */
  readonly hasLabels: boolean;
  private readonly feat: number[];
  private readonly lab: number[];
  private readonly levelByText: (Map<string, number> | null)[];
  private readonly levelByNumber: (Map<number, number> | null)[];
  private readonly classByText = new Map<string, number>();
  private readonly classByNumber = new Map<number, number>();
  private readonly numericClasses: boolean;
  /** 1 where feature j is numeric (the fast lane's test, one byte per feature). */
  private readonly numeric: Uint8Array;
  /** The features' columns when every feature is numeric (then x's columns are exactly these), else null. */
  private readonly numericCols: Int32Array | null;

  constructor(private readonly head: TableHeader, private readonly schema: CsvSchema, requireLabels: boolean) {
    const find = (name: string): number => head.header.indexOf(name);
    this.feat = schema.features.map((f) => {
      const c = find(f.name);
      if (c < 0) {
        throw new ParseError(`${head.source}:${head.headerLine}: column "${f.name}" is missing (the model was trained with it)`,
          head.source, head.headerLine, f.name);
      }
      return c;
    });
    const lab = schema.labels.map(find);
    const present = lab.filter((c) => c >= 0).length;
    if (present !== lab.length && (present > 0 || requireLabels)) {
      const absent = schema.labels[lab.indexOf(-1)];
      throw new ParseError(`${head.source}:${head.headerLine}: label column "${absent}" is missing`, head.source, head.headerLine, absent);
    }
    this.hasLabels = present === lab.length;
    this.lab = this.hasLabels ? lab : [];
    this.d = encodedWidth(schema);
    this.k = schema.labels.length;
    this.levelByText = schema.features.map((f) => (f.kind === 'categorical' ? new Map(f.levels.map((l, i) => [l, i])) : null));
    this.levelByNumber = schema.features.map((f) => {
      if (f.kind !== 'categorical') return null;
      const m = new Map<number, number>();
      f.levels.forEach((l, i) => { const v = parseNumber(l); if (v !== undefined && !m.has(smiKey(v))) m.set(smiKey(v), i); });
      return m;
    });
    this.numeric = Uint8Array.from(schema.features, (f) => (f.kind === 'numeric' ? 1 : 0));
    this.numericCols = schema.features.every((f) => f.kind === 'numeric') ? Int32Array.from(this.feat) : null;
    this.numericClasses = schema.classNames?.every((c) => parseNumber(c) !== undefined) ?? false;
    (schema.classNames ?? []).forEach((c, i) => {
      this.classByText.set(c, i);
      if (this.numericClasses) this.classByNumber.set(smiKey(Number(c)), i);
    });
  }

  private cellError(row: TableRow, c: number, what: string): ParseError {
    const name = this.head.header[c];
    return new ParseError(`${this.head.source}:${row.line}: column "${name}": ${what}`, this.head.source, row.line, name);
  }

  /** Encode row into x[xo .. xo+d) and, when the table has labels and y is given, y[yo .. yo+k). */
  encode(row: TableRow, x: Float32Array, xo: number, y: Float32Array | null, yo: number): void {
    const { schema, feat } = this;
    if (row.count !== this.head.header.length) throw raggedError(this.head, row.line, row.count);
    const num = row.num;
    const cols = this.numericCols;
    if (num !== undefined && cols !== null) {
      // Every feature numeric: plain numbers in range are stored as they are; the first other
      // cell sends the row through the general loop below, which writes it again from the start.
      const n = cols.length;
      let j = 0;
      for (; j < n; j++) {
        const v = num[cols[j]];
        if (!(v <= FLOAT32_MAX && v >= -FLOAT32_MAX)) break;
        x[xo + j] = v;
      }
      if (j === n) {
        if (y) this.encodeTargets(row, y, yo);
        return;
      }
    }
    const impute = schema.missing === 'impute';
    const numeric = this.numeric;
    let at = xo;
    for (let j = 0; j < feat.length; j++) {
      const c = feat[j];
      if (num !== undefined && numeric[j] === 1) {
        // A plain number in a numeric column within float32's range: stored as is.
        const v = num[c];
        if (v <= FLOAT32_MAX && v >= -FLOAT32_MAX) { x[at++] = v; continue; }
      }
      const f = schema.features[j];
      let kind = row.cell(c);
      let text: string | undefined;
      if (kind === MISSING) {
        if (!impute || f.fill === undefined) {
          throw this.cellError(row, c, `missing value ${quote(row.text(c))} (pass missing: 'impute' to fill in the column ${f.kind === 'numeric' ? 'mean' : 'most frequent value'})`);
        }
        if (f.kind === 'numeric') { x[at++] = f.fill; continue; }
        text = f.fill;
        kind = 2;
      }
      if (f.kind === 'numeric') {
        if (kind !== NUMBER) {
          throw this.cellError(row, c, `expected a number, got ${quote(row.text(c))} (use categorical: ["${f.name}"] if the column holds categories)`);
        }
        const v = row.value;
        if (overflowsFloat32(v)) throw overflowError(this.head, row, c);
        x[at++] = v;
        continue;
      }
      const value = kind === NUMBER ? row.value : NaN;
      text ??= row.text(c);
      let level = this.levelByText[j]!.get(text);
      if (level === undefined && kind === NUMBER) level = this.levelByNumber[j]!.get(smiKey(value));
      if (level === undefined) {
        throw this.cellError(row, c, `unknown category ${quote(text)}; known: ${f.levels.slice(0, 20).map(quote).join(', ')}`);
      }
      const width = f.levels.length;
      for (let l = 0; l < width; l++) x[at + l] = 0;
      x[at + level] = 1;
      at += width;
    }
    if (y) this.encodeTargets(row, y, yo);
  }

  /** Only the targets of row into y[yo .. yo+k) (nothing when the table has no labels). */
  encodeTargets(row: TableRow, y: Float32Array, yo: number): void {
    const { schema } = this;
    if (!this.hasLabels) return;
    const k = this.k;
    for (let j = 0; j < k; j++) {
      const c = this.lab[j];
      const kind = row.cell(c);
      if (kind === MISSING) throw this.cellError(row, c, `missing label ${quote(row.text(c))}`);
      if (schema.task === 'regression') {
        if (kind !== NUMBER) throw this.cellError(row, c, `expected a number as regression target, got ${quote(row.text(c))}`);
        if (overflowsFloat32(row.value)) throw overflowError(this.head, row, c);
        y[yo + j] = row.value;
        continue;
      }
      const cls = this.numericClasses
        ? (kind === NUMBER ? this.classByNumber.get(smiKey(row.value)) : undefined)
        : this.classByText.get(row.text(c));
      if (cls === undefined) {
        throw this.cellError(row, c, `unknown class ${quote(row.text(c))}; known: ${schema.classNames!.slice(0, 20).map(quote).join(', ')}`);
      }
      y[yo] = cls;
    }
  }
}
