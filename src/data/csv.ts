// CSV -> Dataset, in two streaming passes over the bytes: the first infers the schema (column
// kinds, category levels, classes, row count) holding no rows, the second encodes each record
// straight into float32 arrays of exactly the right size. No string per cell, no array per row.
// parseCsv infers a CsvSchema and encodes; applyCsvSchema encodes new data (predict time, label
// column optional) with a stored schema. Browser-safe: the Node file loaders feed the same passes
// from a file stream (./node.js).
//
// Encoding: numeric columns as they are; categorical (non-numeric) columns one-hot, levels in order
// of first appearance; class labels sorted (numerically when all are numbers), so the class order
// does not depend on row order. Missing cells (empty, NA, N/A, NaN, nan, ?) are refused unless
// `missing: 'impute'`, which fills the training mean (numeric) or most frequent level (categorical).
import { ParseError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeDataset, type Dataset } from './dataset.js';
import type { CsvReadOptions, CsvTable } from './csv-reader.js';
import { encodedWidth, featureNamesOf, type CsvSchema, type SchemaOptions, type TableHeader } from './csv-schema.js';
import { CsvTokenizer, type CsvRecord } from './csv-tokenizer.js';
import { RowEncoder } from './row-encoder.js';
import { SchemaScanner, StringRow } from './table-scan.js';

export interface CsvOptions extends CsvReadOptions, SchemaOptions {
  /** Dataset name (default: the source). */
  name?: string;
}

export interface CsvResult {
  dataset: Dataset;
  /** The encoding, to store with a model and re-apply with applyCsvSchema. */
  schema: CsvSchema;
}

export interface EncodedCsv {
  /** Inputs [n, d] float32, columns as in featureNamesOf(schema). */
  x: Tensor;
  /** Targets when the file has the label column(s), else undefined. */
  y?: Tensor;
  /** The full dataset when the targets were present. */
  dataset?: Dataset;
  /** 1-based source line of each row (to report predictions against the file). */
  lines: number[];
}

/** The header record's names: trimmed, non-empty, distinct. */
function readHeader(rec: CsvRecord, source: string): TableHeader {
  const header: string[] = [];
  for (let c = 0; c < rec.count; c++) header.push(rec.text(c));
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    if (h === '') throw new ParseError(`${source}:${rec.line}: header column ${c + 1} has no name`, source, rec.line, c + 1);
    const prev = seen.get(h);
    if (prev !== undefined) {
      throw new ParseError(`${source}:${rec.line}: header names column "${h}" twice (columns ${prev + 1} and ${c + 1})`, source, rec.line, h);
    }
    seen.set(h, c);
  });
  return { source, header, headerLine: rec.line };
}

/**
 * One pass over CSV bytes: push chunks, the header goes to onHeader (which returns the row
 * handler) and each data record to that handler. finish() checks that there was a header.
 */
export interface PassHandler {
  row(r: CsvRecord): void;
  /** After the last record. */
  end?(): void;
}

export class CsvPass {
  private readonly tok: CsvTokenizer;
  private handler: PassHandler | null = null;
  head: TableHeader | null = null;

  constructor(opts: CsvReadOptions, onHeader: (head: TableHeader) => PassHandler) {
    const source = opts.source ?? '<csv>';
    this.tok = new CsvTokenizer({ source, delimiter: opts.delimiter }, (r) => {
      if (this.handler) { this.handler.row(r); return; }
      this.head = readHeader(r, source);
      this.handler = onHeader(this.head);
    });
  }

  get source(): string { return this.tok.source; }

  push(chunk: Uint8Array): void { this.tok.push(chunk); }

  finish(): TableHeader {
    this.tok.finish();
    if (!this.head) throw new ParseError(`${this.tok.source}: empty file (a header row is required)`, this.tok.source, 1);
    this.handler!.end?.();
    return this.head;
  }
}

/** The first pass: the schema and the number of data rows. */
export function csvScanPass(opts: CsvOptions, done: (schema: CsvSchema, rows: number, head: TableHeader) => void): CsvPass {
  return new CsvPass(opts, (head) => {
    const scanner = new SchemaScanner(head, { ...opts, delimiter: opts.delimiter ?? ',' });
    return { row: (r) => scanner.add(r), end: () => done(scanner.finish(), scanner.rows, head) };
  });
}

function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Feed bytes in slices, so a pass over a large buffer keeps the tokenizer's carry small. */
function feed(pass: CsvPass, bytes: Uint8Array): TableHeader {
  const step = 1 << 20;
  for (let i = 0; i < bytes.length; i += step) pass.push(bytes.subarray(i, Math.min(bytes.length, i + step)));
  return pass.finish();
}

/** Preallocated arrays filled by an encoding pass, row by row. */
export class EncodeTarget {
  readonly x: Float32Array;
  readonly y: Float32Array | null;
  readonly lines: Int32Array | null;
  rows = 0;
  constructor(readonly n: number, readonly d: number, readonly k: number, withLabels: boolean, withLines: boolean) {
    this.x = new Float32Array(n * d);
    this.y = withLabels ? new Float32Array(n * k) : null;
    this.lines = withLines ? new Int32Array(n) : null;
  }
}

/** The second pass: every record encoded into `target` (which has room for exactly the rows scanned). */
export function csvEncodePass(opts: CsvReadOptions, schema: CsvSchema, requireLabels: boolean, makeTarget: (enc: RowEncoder) => EncodeTarget): CsvPass {
  return new CsvPass({ ...opts, delimiter: opts.delimiter ?? schema.delimiter }, (head) => {
    const enc = new RowEncoder(head, schema, requireLabels);
    const t = makeTarget(enc);
    return { row: (r) => {
      if (t.rows >= t.n) throw new ParseError(`${head.source}: the data changed between passes (more than ${t.n} rows)`, head.source);
      enc.encode(r, t.x, t.rows * t.d, t.y, t.rows * t.k);
      if (t.lines) t.lines[t.rows] = r.line;
      t.rows++;
    } };
  });
}

export function toDataset(schema: CsvSchema, x: Float32Array, y: Float32Array, n: number, name: string): Dataset {
  return makeDataset({
    x, y, n, d: encodedWidth(schema), k: schema.labels.length, task: schema.task,
    classNames: schema.classNames && [...schema.classNames], featureNames: featureNamesOf(schema), name,
  });
}

/** Parse CSV text or bytes into a Dataset and the schema that encoded it. */
export function parseCsv(input: string | Uint8Array, opts: CsvOptions = {}): CsvResult {
  const bytes = bytesOf(input);
  let schema: CsvSchema | undefined, n = 0;
  feed(csvScanPass(opts, (s, rows) => { schema = s; n = rows; }), bytes);
  let target: EncodeTarget | undefined;
  feed(csvEncodePass(opts, schema!, true, (enc) => (target = new EncodeTarget(n, enc.d, enc.k, true, false))), bytes);
  const head = target!;
  return { dataset: toDataset(schema!, head.x, head.y!, n, opts.name ?? opts.source ?? '<csv>'), schema: schema! };
}

/** Rows of a CSV (header excluded), counted in a pass that keeps nothing. */
export function countCsvRows(opts: CsvReadOptions): CsvPass & { rows(): number } {
  let n = 0;
  const pass = new CsvPass(opts, () => ({ row: () => { n++; } })) as CsvPass & { rows(): number };
  pass.rows = () => n;
  return pass;
}

/** applyCsvSchema for rows already split into cells (in-memory records, another reader's table). */
export function applyCsvSchemaToTable(table: CsvTable, schema: CsvSchema, opts: { name?: string } = {}): EncodedCsv {
  if (table.rows.length === 0) throw new ParseError(`${table.source}: no data rows after the header`, table.source, table.headerLine);
  const enc = new RowEncoder(table, schema, false);
  const n = table.rows.length;
  const x = new Float32Array(n * enc.d), y = enc.hasLabels ? new Float32Array(n * enc.k) : null;
  const row = new StringRow();
  table.rows.forEach((cells, r) => enc.encode(row.set(cells, table.lines[r]), x, r * enc.d, y, r * enc.k));
  const out: EncodedCsv = { x: tensor(x, { shape: [n, enc.d] }), lines: table.lines };
  if (y) {
    out.dataset = toDataset(schema, x, y, n, opts.name ?? table.source);
    out.y = out.dataset.y;
  }
  return out;
}

/**
 * Encode new CSV data with a stored schema. Columns are matched by name (order and extra columns
 * do not matter); the label column may be absent, as at predict time.
 */
export function applyCsvSchema(input: string | Uint8Array, schema: CsvSchema, opts: { source?: string; name?: string } = {}): EncodedCsv {
  const bytes = bytesOf(input);
  const counter = countCsvRows({ source: opts.source, delimiter: schema.delimiter });
  const head = feed(counter, bytes);
  const n = counter.rows();
  if (n === 0) throw new ParseError(`${head.source}: no data rows after the header`, head.source, head.headerLine);
  let target: EncodeTarget | undefined;
  feed(csvEncodePass({ source: opts.source }, schema, false, (enc) => (target = new EncodeTarget(n, enc.d, enc.k, enc.hasLabels, true))), bytes);
  const t = target!;
  const out: EncodedCsv = { x: tensor(t.x, { shape: [n, t.d] }), lines: Array.from(t.lines!) };
  if (t.y) {
    out.dataset = toDataset(schema, t.x, t.y, n, opts.name ?? head.source);
    out.y = out.dataset.y;
  }
  return out;
}
