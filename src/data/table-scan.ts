// Schema inference in one streaming pass over table rows (CSV records or SQL result rows): counts
// per column, category dictionaries built on the way, class names and the row count, holding no
// rows. The second pass (RowEncoder) then writes straight into arrays of exactly the right size.
import { ConfigError, ParseError } from '../errors.js';
import type { Task } from './dataset.js';
import type { CsvTable } from './csv-reader.js';
import {
  headerError, isMissing, labelColumns, parseNumber, type CsvSchema, type FeatureSpec, type SchemaOptions, type TableHeader,
} from './csv-schema.js';
import { MISSING, NUMBER, TEXT, overflowsFloat32, type CellKind, type TableRow } from './csv-tokenizer.js';

/** Distinct values kept per column: more than this in a category column is refused. */
export const MAX_LEVELS = 65536;
/** Distinct numbers remembered per numeric-looking column (only needed if it turns out categorical). */
const MAX_NUMERIC_LEVELS = 1024;

/** A level seen in a column: the order it first appeared in, how often, and its text. */
interface Level { seq: number; count: number; text: string }

/** Integers 0 <= v < SMALL are counted in an array per column, not a Map (pixels, codes, counts). */
const SMALL = 256;
const FLOAT32_MAX = 3.4028234663852886e38;

class ColumnStats {
  other = 0;
  seq = 0;
  readonly byText = new Map<string, Level>();
  /** Numeric-looking values other than small integers: integers by value, others by their text. */
  readonly byNumber = new Map<number | string, Level>();
  /** Integers 0..SMALL-1 as levels: count (0: not seen), order of first appearance, first text. */
  smallCount: Int32Array | null = null;
  smallSeq: Int32Array | null = null;
  smallText: string[] = [];
  /** Distinct numbers seen: byNumber's plus the small ones. */
  numberLevels = 0;
  numbersOverflowed = false;
  textOverflowed = false;
  constructor(readonly name: string, readonly forced: boolean) {}
}

/** The error for a row whose field count differs from the header's. */
export function raggedError(head: TableHeader, line: number, got: number): ParseError {
  const want = head.header.length;
  const column = got < want ? head.header[got] : `#${got}`;
  return new ParseError(
    `${head.source}:${line}: row has ${got} fields but the header has ${want} (column "${column}" ${got < want ? 'is missing' : 'is extra'})`,
    head.source, line, column,
  );
}

/** The error for a number that float32 storage cannot hold. */
export function overflowError(head: TableHeader, row: TableRow, c: number): ParseError {
  const name = head.header[c], col = row.at(c);
  const where = col > 0 ? `${head.source}:${row.line}:${col}` : `${head.source}:${row.line}`;
  return new ParseError(
    `${where}: column "${name}": ${row.text(c)} overflows float32 (the largest magnitude is 3.4028235e38); rescale the column`,
    head.source, row.line, name,
  );
}

export class SchemaScanner {
  /** Data rows seen. */
  rows = 0;
  private readonly labels: number[];
  private readonly cols: number[];
  private readonly stats: ColumnStats[];
  /** Per feature column: numbers seen and their sum (typed arrays: the per-cell work stays unboxed). */
  private readonly numCount: Float64Array;
  private readonly numSum: Float64Array;
  private readonly missing: 'refuse' | 'impute';
  private allNumbers = true;
  private allIntegers = true;
  private readonly classTexts = new Set<string>();
  private classesOverflowed = false;

  constructor(private readonly head: TableHeader, private readonly opts: SchemaOptions & { delimiter?: string } = {}) {
    this.missing = opts.missing ?? 'refuse';
    this.labels = labelColumns(head, opts.label);
    for (const name of [...(opts.categorical ?? []), ...(opts.ignore ?? [])]) {
      if (!head.header.includes(name)) throw headerError(head, name, `no column named "${name}"`);
    }
    const skip = new Set([...this.labels, ...(opts.ignore ?? []).map((n) => head.header.indexOf(n))]);
    this.cols = head.header.map((_, c) => c).filter((c) => !skip.has(c));
    if (this.cols.length === 0) throw headerError(head, head.header[this.labels[0]], 'no feature columns left besides the label');
    const forced = new Set(opts.categorical ?? []);
    this.stats = this.cols.map((c) => new ColumnStats(head.header[c], forced.has(head.header[c])));
    this.numCount = new Float64Array(this.cols.length);
    this.numSum = new Float64Array(this.cols.length);
  }

  add(row: TableRow): void {
    const head = this.head;
    if (row.count !== head.header.length) throw raggedError(head, row.line, row.count);
    this.rows++;
    const { cols, stats, numCount, numSum } = this;
    const num = row.num;
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j], s = stats[j];
      if (num !== undefined && !s.forced) {
        // Plain numbers within float32's range: the whole per-cell work, without a call.
        const v = num[c];
        if (v <= FLOAT32_MAX && v >= -FLOAT32_MAX) {
          numCount[j]++;
          numSum[j] += v;
          if (s.numbersOverflowed) continue;
          // A small integer seen before: one count in a typed array.
          const iv = v | 0, counts = s.smallCount;
          if (counts !== null && iv === v && iv >= 0 && iv < SMALL && counts[iv] > 0 && (iv !== 0 || 1 / v > 0)) {
            counts[iv]++;
            continue;
          }
          this.number(s, v, row, c);
          continue;
        }
      }
      const kind = row.cell(c);
      if (kind === MISSING) continue;
      if (kind === NUMBER) {
        const v = row.value;
        if (overflowsFloat32(v)) throw overflowError(head, row, c);
        numCount[j]++;
        numSum[j] += v;
        if (s.forced) this.level(s, row.text(c));
        else if (!s.numbersOverflowed) this.number(s, v, row, c);
      } else {
        s.other++;
        this.level(s, row.text(c));
      }
    }
    for (const c of this.labels) {
      const kind = row.cell(c);
      if (kind === MISSING) {
        throw new ParseError(`${head.source}:${row.line}: column "${head.header[c]}": missing label`, head.source, row.line, head.header[c]);
      }
      if (kind === NUMBER) {
        const v = row.value;
        if (overflowsFloat32(v)) throw overflowError(head, row, c);
        if (!Number.isInteger(v)) this.allIntegers = false;
      } else {
        this.allNumbers = this.allIntegers = false;
      }
      if (!this.classesOverflowed) {
        this.classTexts.add(row.text(c));
        if (this.classTexts.size > MAX_LEVELS) { this.classesOverflowed = true; this.classTexts.clear(); }
      }
    }
  }

  /**
   * Remember a number as a possible level (needed only if its column turns out categorical):
   * small integers in an array, other integers by value, the rest by their text.
   */
  private number(s: ColumnStats, v: number, row: TableRow, c: number): void {
    if (v >= 0 && v < SMALL && (v | 0) === v && 1 / v > 0) {
      const counts = (s.smallCount ??= new Int32Array(SMALL));
      const seq = (s.smallSeq ??= new Int32Array(SMALL));
      if (counts[v] > 0) { counts[v]++; return; }
      if (this.full(s)) return;
      counts[v] = 1;
      seq[v] = s.seq++;
      s.smallText[v] = row.text(c);
      return;
    }
    // Small integers as Smi keys: Map lookups with other numbers take V8's slow path.
    const key: number | string = (v | 0) === v && !Object.is(v, -0) ? v | 0 : row.text(c);
    const l = s.byNumber.get(key);
    if (l) { l.count++; return; }
    if (this.full(s)) return;
    s.byNumber.set(key, { seq: s.seq++, count: 1, text: row.text(c) });
  }

  /** Counts a new numeric level; past MAX_NUMERIC_LEVELS the column stops keeping them. */
  private full(s: ColumnStats): boolean {
    if (s.numberLevels >= MAX_NUMERIC_LEVELS) {
      s.numbersOverflowed = true;
      s.byNumber.clear();
      s.smallCount = s.smallSeq = null;
      s.smallText = [];
      return true;
    }
    s.numberLevels++;
    return false;
  }

  private level(s: ColumnStats, text: string): void {
    if (s.textOverflowed) return;
    const l = s.byText.get(text);
    if (l) { l.count++; return; }
    if (s.byText.size >= MAX_LEVELS) { s.textOverflowed = true; s.byText.clear(); return; }
    s.byText.set(text, { seq: s.seq++, count: 1, text });
  }

  /** The schema, once every row has been added. */
  finish(): CsvSchema {
    const { head, opts } = this;
    if (this.rows === 0) throw new ParseError(`${head.source}: no data rows after the header`, head.source, head.headerLine);
    const features = this.stats.map((s, j) => this.feature(s, this.numCount[j], this.numSum[j]));
    const schema: CsvSchema = {
      format: 'nabla-csv-schema', version: 1, features, labels: this.labels.map((c) => head.header[c]),
      task: 'classification', missing: this.missing, delimiter: opts.delimiter ?? ',',
    };
    const task: Task = opts.task ?? (this.labels.length > 1 || (this.allNumbers && !this.allIntegers) ? 'regression' : 'classification');
    schema.task = task;
    if (task === 'regression') return schema;
    if (this.labels.length > 1) throw new ConfigError(`${head.source}: several label columns (${schema.labels.join(', ')}) need task 'regression'`);
    if (this.classesOverflowed) {
      throw new ParseError(`${head.source}: label column "${schema.labels[0]}" has more than ${MAX_LEVELS} distinct values; if it is a quantity, train a regression`,
        head.source, head.headerLine, schema.labels[0]);
    }
    if (this.allNumbers) {
      const names = new Set([...this.classTexts].map((t) => String(parseNumber(t))));
      schema.classNames = [...names].sort((a, b) => Number(a) - Number(b));
    } else {
      schema.classNames = [...this.classTexts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // code-unit order: the same everywhere
    }
    return schema;
  }

  private feature(s: ColumnStats, numeric: number, sum: number): FeatureSpec {
    const { head } = this;
    const name = s.name;
    if (numeric + s.other === 0 && this.missing === 'impute') {
      throw new ParseError(`${head.source}: column "${name}" has no values to impute from`, head.source, head.headerLine, name);
    }
    // A mostly numeric column with a stray word is a typo to report (at encode), not a category.
    if (!s.forced && !(s.other > 0 && s.other >= numeric)) {
      return this.missing === 'impute' ? { name, kind: 'numeric', fill: sum / numeric } : { name, kind: 'numeric' };
    }
    if (s.textOverflowed || s.numbersOverflowed) {
      throw new ParseError(`${head.source}: column "${name}" has more than ${s.textOverflowed ? MAX_LEVELS : MAX_NUMERIC_LEVELS} distinct values, too many to encode as categories; leave it out (ignore)`,
        head.source, head.headerLine, name);
    }
    const small: Level[] = [];
    if (s.smallCount && s.smallSeq) {
      for (let v = 0; v < SMALL; v++) if (s.smallCount[v] > 0) small.push({ seq: s.smallSeq[v], count: s.smallCount[v], text: s.smallText[v] });
    }
    const levels = [...s.byText.values(), ...s.byNumber.values(), ...small].sort((a, b) => a.seq - b.seq);
    const spec: FeatureSpec = { name, kind: 'categorical', levels: levels.map((l) => l.text) };
    if (this.missing === 'impute') {
      let best = -1;
      for (const l of levels) if (l.count > best) { best = l.count; spec.fill = l.text; }
    }
    return spec;
  }
}

/** A row of strings (readCsv's tables) read through the TableRow interface. */
export class StringRow implements TableRow {
  line = 0;
  count = 0;
  value = 0;
  private cells: string[] = [];
  set(cells: string[], line: number): this { this.cells = cells; this.count = cells.length; this.line = line; return this; }
  cell(i: number): CellKind {
    const t = this.cells[i].trim();
    if (isMissing(t)) return MISSING;
    const v = parseNumber(t);
    if (v === undefined) return TEXT;
    this.value = v;
    return NUMBER;
  }
  text(i: number): string { return this.cells[i].trim(); }
  at(): number { return 0; }
}

/** Infer a schema from a table: which columns are inputs, their kinds and levels, the task and classes. */
export function inferCsvSchema(table: CsvTable, opts: SchemaOptions = {}): CsvSchema {
  const scanner = new SchemaScanner(table, { ...opts, delimiter: table.delimiter });
  const row = new StringRow();
  table.rows.forEach((cells, r) => scanner.add(row.set(cells, table.lines[r])));
  return scanner.finish();
}
