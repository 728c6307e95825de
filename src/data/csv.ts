// CSV -> Dataset. parseCsv infers a CsvSchema from the data and encodes it; applyCsvSchema encodes
// new data (predict time, label column optional) with a stored schema. Browser-safe.
//
// Encoding: numeric columns as they are; categorical (non-numeric) columns one-hot, levels in order
// of first appearance; class labels sorted (numerically when all are numbers), so the class order
// does not depend on row order. Missing cells (empty, NA, N/A, NaN, nan, ?) are refused unless
// `missing: 'impute'`, which fills the training mean (numeric) or most frequent level (categorical).
import { ParseError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeDataset, type Dataset } from './dataset.js';
import { readCsv, type CsvReadOptions, type CsvTable } from './csv-reader.js';
import {
  checkRow, classKey, encodedWidth, featureNamesOf, inferCsvSchema, isMissing, parseNumber,
  type CsvSchema, type SchemaOptions,
} from './csv-schema.js';

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

/** Parse CSV text or bytes into a Dataset and the schema that encoded it. */
export function parseCsv(input: string | Uint8Array, opts: CsvOptions = {}): CsvResult {
  const table = readCsv(input, opts);
  const schema = inferCsvSchema(table, opts);
  const { x, y } = encodeTable(table, schema, true);
  const dataset = toDataset(table, schema, x, y!, opts.name ?? table.source);
  return { dataset, schema };
}

/**
 * Encode new CSV data with a stored schema. Columns are matched by name (order and extra columns
 * do not matter); the label column may be absent, as at predict time.
 */
export function applyCsvSchema(input: string | Uint8Array, schema: CsvSchema, opts: { source?: string; name?: string } = {}): EncodedCsv {
  return applyCsvSchemaToTable(readCsv(input, { source: opts.source, delimiter: schema.delimiter }), schema, opts);
}

/** applyCsvSchema for rows already split into cells (in-memory records, another reader's table). */
export function applyCsvSchemaToTable(table: CsvTable, schema: CsvSchema, opts: { name?: string } = {}): EncodedCsv {
  if (table.rows.length === 0) throw new ParseError(`${table.source}: no data rows after the header`, table.source, table.headerLine);
  const { x, y } = encodeTable(table, schema, false);
  const n = table.rows.length;
  const out: EncodedCsv = { x: tensor(x, { shape: [n, encodedWidth(schema)] }), lines: table.lines };
  if (y) {
    out.dataset = toDataset(table, schema, x, y, opts.name ?? table.source);
    out.y = out.dataset.y;
  }
  return out;
}

function toDataset(table: CsvTable, schema: CsvSchema, x: Float32Array, y: Float32Array, name: string): Dataset {
  return makeDataset({
    x, y, n: table.rows.length, d: encodedWidth(schema), k: schema.labels.length, task: schema.task,
    classNames: schema.classNames && [...schema.classNames], featureNames: featureNamesOf(schema), name,
  });
}

function cellError(table: CsvTable, r: number, column: string, what: string): ParseError {
  const line = table.lines[r];
  return new ParseError(`${table.source}:${line}: column "${column}": ${what}`, table.source, line, column);
}

function quote(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}...` : cell);
}

/** Column index of each schema column in this table's header (features required, labels all-or-none). */
function locate(table: CsvTable, schema: CsvSchema, requireLabels: boolean): { feat: number[]; lab: number[] | null } {
  const find = (name: string): number => table.header.indexOf(name);
  const feat = schema.features.map((f) => {
    const c = find(f.name);
    if (c < 0) {
      throw new ParseError(`${table.source}:${table.headerLine}: column "${f.name}" is missing (the model was trained with it)`,
        table.source, table.headerLine, f.name);
    }
    return c;
  });
  const lab = schema.labels.map(find);
  const present = lab.filter((c) => c >= 0).length;
  if (present === lab.length) return { feat, lab };
  if (present === 0 && !requireLabels) return { feat, lab: null };
  const absent = schema.labels[lab.indexOf(-1)];
  throw new ParseError(`${table.source}:${table.headerLine}: label column "${absent}" is missing`, table.source, table.headerLine, absent);
}

function encodeTable(table: CsvTable, schema: CsvSchema, requireLabels: boolean): { x: Float32Array; y: Float32Array | null } {
  const { feat, lab } = locate(table, schema, requireLabels);
  const n = table.rows.length, d = encodedWidth(schema);
  const x = new Float32Array(n * d);
  const k = schema.labels.length;
  const y = lab ? new Float32Array(n * k) : null;
  const impute = schema.missing === 'impute';
  // Level -> position lookups, built once.
  const levelIndex = schema.features.map((f) => (f.kind === 'categorical' ? new Map(f.levels.map((l, i) => [l, i])) : null));
  const numericClasses = schema.classNames?.every((c) => parseNumber(c) !== undefined) ?? false;
  const classIndex = new Map((schema.classNames ?? []).map((c, i) => [c, i]));

  for (let r = 0; r < n; r++) {
    checkRow(table, r);
    const row = table.rows[r];
    let at = r * d;
    schema.features.forEach((f, j) => {
      let cell = row[feat[j]].trim();
      if (isMissing(cell)) {
        if (!impute || f.fill === undefined) {
          throw cellError(table, r, f.name, `missing value ${quote(cell)} (pass missing: 'impute' to fill in the column ${f.kind === 'numeric' ? 'mean' : 'most frequent value'})`);
        }
        if (f.kind === 'numeric') { x[at++] = f.fill; return; }
        cell = f.fill;
      }
      if (f.kind === 'numeric') {
        const v = parseNumber(cell);
        if (v === undefined) {
          throw cellError(table, r, f.name, `expected a number, got ${quote(cell)} (use categorical: ["${f.name}"] if the column holds categories)`);
        }
        x[at++] = v;
      } else {
        const level = levelIndex[j]!.get(cell);
        if (level === undefined) {
          throw cellError(table, r, f.name, `unknown category ${quote(cell)}; known: ${f.levels.slice(0, 20).map(quote).join(', ')}`);
        }
        x[at + level] = 1;
        at += f.levels.length;
      }
    });
    if (!y || !lab) continue;
    lab.forEach((c, j) => {
      const cell = row[c].trim(), name = schema.labels[j];
      if (isMissing(cell)) throw cellError(table, r, name, `missing label ${quote(cell)}`);
      if (schema.task === 'regression') {
        const v = parseNumber(cell);
        if (v === undefined) throw cellError(table, r, name, `expected a number as regression target, got ${quote(cell)}`);
        y[r * k + j] = v;
      } else {
        const cls = classIndex.get(classKey(cell, numericClasses));
        if (cls === undefined) {
          throw cellError(table, r, name, `unknown class ${quote(cell)}; known: ${schema.classNames!.slice(0, 20).map(quote).join(', ')}`);
        }
        y[r] = cls;
      }
    });
  }
  return { x, y };
}
