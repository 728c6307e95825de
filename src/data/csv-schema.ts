// CsvSchema: how a CSV's columns become model inputs and targets (feature order, categorical
// levels, imputation values, class names). Inferred once from training data, stored in the model
// file, and re-applied to new data so that predict sees exactly the same encoding.
import { ConfigError, ParseError } from '../errors.js';
import type { Task } from './dataset.js';

export type MissingPolicy = 'refuse' | 'impute';

export type FeatureSpec =
  | { name: string; kind: 'numeric'; /** mean of the training column, used when imputing */ fill?: number }
  | { name: string; kind: 'categorical'; /** in order of first appearance */ levels: string[]; /** most frequent level */ fill?: string };

export interface CsvSchema {
  format: 'nabla-csv-schema';
  version: 1;
  /** Input columns in the order their encoded values appear in x. */
  features: FeatureSpec[];
  /** Target column names: one for classification, one or more for regression. */
  labels: string[];
  task: Task;
  /** Class i's label as it appears in the file, sorted (numerically when all labels are numbers). */
  classNames?: string[];
  missing: MissingPolicy;
  delimiter: string;
}

export interface SchemaOptions {
  /** Label column(s) by name or 0-based index (negative counts from the end). Default: a column
   *  named label/target/class/species/digit/y (any case), else the last column. */
  label?: string | number | Array<string | number>;
  /** Force the task; by default integer or non-numeric labels mean classification, other numbers regression. */
  task?: Task;
  /** Refuse missing values (default) or fill them with the column's mean / most frequent level. */
  missing?: MissingPolicy;
  /** Feature columns to one-hot encode even though their values look numeric (codes, ids). */
  categorical?: string[];
  /** Columns to leave out (row ids, free text). */
  ignore?: string[];
}

const LABEL_NAMES = ['label', 'target', 'class', 'species', 'digit', 'y'];
const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', '?']);
const NON_DECIMAL = /^\s*0[xXbBoO]/;

export function isMissing(cell: string): boolean {
  return MISSING.has(cell);
}

/** A finite decimal number, or undefined (Number() alone would accept '', '0x1f' and 'Infinity'). */
export function parseNumber(cell: string): number | undefined {
  const v = Number(cell);
  // Number() is fast but also reads '' / '  ' as 0 and '0x1f', '0b1', '0o7' as integers.
  if (!Number.isFinite(v) || (v === 0 && cell.trim() === '')) return undefined;
  return NON_DECIMAL.test(cell) ? undefined : v;
}

/** Names of the columns of x: numeric columns as is, categorical ones as `column=level` per level. */
export function featureNamesOf(schema: CsvSchema): string[] {
  return schema.features.flatMap((f) => (f.kind === 'numeric' ? [f.name] : f.levels.map((l) => `${f.name}=${l}`)));
}

/** Number of columns of x. */
export function encodedWidth(schema: CsvSchema): number {
  return schema.features.reduce((w, f) => w + (f.kind === 'numeric' ? 1 : f.levels.length), 0);
}

/** The header of a table: what column lookups and their errors need. */
export interface TableHeader {
  source: string;
  header: string[];
  headerLine: number;
}

export function headerError(table: TableHeader, column: string | number, what: string): ParseError {
  const line = table.headerLine;
  return new ParseError(`${table.source}:${line}: ${what}; the columns are ${table.header.map((h) => `"${h}"`).join(', ')}`, table.source, line, String(column));
}

function resolveColumn(table: TableHeader, ref: string | number): number {
  if (typeof ref === 'number') {
    const c = ref < 0 ? table.header.length + ref : ref;
    if (!Number.isInteger(ref) || c < 0 || c >= table.header.length) {
      throw headerError(table, ref, `label column index ${ref} is outside 0..${table.header.length - 1}`);
    }
    return c;
  }
  const c = table.header.indexOf(ref);
  if (c < 0) throw headerError(table, ref, `no column named "${ref}" for the label`);
  return c;
}

export function labelColumns(table: TableHeader, label: SchemaOptions['label']): number[] {
  if (label === undefined) {
    const lower = table.header.map((h) => h.toLowerCase());
    for (const name of LABEL_NAMES) {
      const c = lower.indexOf(name);
      if (c >= 0) return [c];
    }
    return [table.header.length - 1];
  }
  const cols = (Array.isArray(label) ? label : [label]).map((l) => resolveColumn(table, l));
  if (cols.length === 0) throw new ConfigError(`${table.source}: label list is empty`);
  return cols;
}

/** The class name a label cell stands for: numbers in canonical form so '1', '1.0' and '01' agree. */
export function classKey(cell: string, numeric: boolean): string {
  if (!numeric) return cell;
  const v = parseNumber(cell);
  return v === undefined ? cell : String(v);
}

/** Validate a schema read back from JSON (a model file), so a bad file fails here and not mid-predict. */
export function checkCsvSchema(json: unknown): CsvSchema {
  const bad = (what: string): never => { throw new ConfigError(`CSV schema: ${what}`); };
  if (typeof json !== 'object' || json === null) return bad('not an object');
  const s = json as Partial<CsvSchema>;
  if (s.format !== 'nabla-csv-schema' || s.version !== 1) bad(`unknown format ${JSON.stringify(s.format)} version ${JSON.stringify(s.version)}`);
  if (!Array.isArray(s.features) || s.features.length === 0) bad('features must be a non-empty array');
  for (const f of s.features!) {
    if (typeof f?.name !== 'string') bad('a feature has no name');
    if (f.kind === 'numeric') {
      if (f.fill !== undefined && !Number.isFinite(f.fill)) bad(`feature "${f.name}": fill must be a finite number`);
    } else if (f.kind === 'categorical') {
      if (!Array.isArray(f.levels) || f.levels.some((l) => typeof l !== 'string')) bad(`feature "${f.name}": levels must be strings`);
    } else bad(`feature "${(f as FeatureSpec).name}": kind must be numeric or categorical`);
  }
  if (!Array.isArray(s.labels) || s.labels.some((l) => typeof l !== 'string')) bad('labels must be an array of column names');
  if (s.task !== 'classification' && s.task !== 'regression') bad(`task must be classification or regression`);
  if (s.task === 'classification' && (!Array.isArray(s.classNames) || s.classNames.some((l) => typeof l !== 'string'))) {
    bad('a classification schema needs classNames');
  }
  if (s.missing !== 'refuse' && s.missing !== 'impute') bad('missing must be refuse or impute');
  if (typeof s.delimiter !== 'string' || s.delimiter.length !== 1) bad('delimiter must be one character');
  return s as CsvSchema;
}
