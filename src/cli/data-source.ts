// What `--data NAME|FILE|DIR` means: an embedded set, Fashion-MNIST, a synthetic set, a CSV file,
// or a folder of IDX files. Returns the training data, a test split where the source has one,
// and the CSV schema so that predict can encode new files the same way.
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { blobs, circles, encodedWidth, inMemoryBytes, moons, needsStreaming, patternAB, sine, spirals, xor, type CsvSchema, type Dataset, type StreamingTable } from '../index.js';
import {
  applyCsvSchemaFile, encodeCsvFile, isSqlPath, loadCsvFile, loadEmbeddedCsv, loadFashionMnist, loadIdxDir, readFashionMnist,
  idxNeedsStreaming, readIdxDir, readSql, scanCsvFile, scanSql, SqlSource, streamCsvFile, streamIdxDir, streamSql, type EmbeddedName,
} from '../node.js';
import { UsageError } from './usage-error.js';

export interface LoadedData {
  train: Dataset;
  test?: Dataset;
  schema?: CsvSchema;
  /** What the user asked for, for the model file's summary. */
  source: string;
}

export const DEFAULT_DATA = 'digits';
const EMBEDDED: EmbeddedName[] = ['iris', 'digits'];
const SYNTHETIC: Record<string, (seed: number) => Dataset> = {
  xor: (seed) => xor({ n: 400, seed }),
  spirals: (seed) => spirals({ n: 600, seed }),
  moons: (seed) => moons({ n: 600, seed }),
  circles: (seed) => circles({ n: 600, seed }),
  blobs: (seed) => blobs({ n: 600, seed }),
  sine: (seed) => sine({ n: 400, seed }),
  'pattern-ab': () => patternAB(),
};

/**
 * Built-in sets that come with their own protocol: flag defaults that replace train's general
 * ones when the user does not set them. pattern-ab is the notes' separability question (all 32
 * translations, no held-out part, full-batch training until every pattern is right), so a
 * validation split of its 32 rows would test something the lecture never claims.
 */
export const DATA_PROTOCOLS: Record<string, { note: string; defaults: Record<string, string> }> = {
  'pattern-ab': {
    note: "the lecture's protocol: all 32 translations are trained on and scored, no held-out set",
    defaults: { valSplit: '0', batchSize: '0', epochs: '300', lr: '0.01' },
  },
};

export const DATA_NAMES = [...EMBEDDED, 'fashion-mnist', ...Object.keys(SYNTHETIC)];

export interface DataOptions {
  label?: string;
  seed: number;
  missing?: 'refuse' | 'impute';
}

function labelOption(label: string | undefined): string | number | undefined {
  if (label === undefined) return undefined;
  return /^-?\d+$/.test(label) ? Number(label) : label;
}

/** Resolve --data (default: the embedded digits set). */
export function loadData(data: string | undefined, opts: DataOptions): LoadedData {
  const name = data ?? DEFAULT_DATA;
  if ((EMBEDDED as string[]).includes(name) && !existsSync(name)) {
    const { dataset, schema } = loadEmbeddedCsv(name as EmbeddedName);
    return { train: dataset, schema, source: name };
  }
  if (name === 'fashion-mnist') {
    return { train: loadFashionMnist('train'), test: loadFashionMnist('test'), source: name };
  }
  if (SYNTHETIC[name] && !existsSync(name)) return { train: SYNTHETIC[name](opts.seed), source: name };
  if (!existsSync(name)) {
    throw new UsageError(`--data ${name}: no such file or folder, and not one of the built-in data sets (${DATA_NAMES.join(', ')})`);
  }
  if (statSync(name).isDirectory()) {
    const train = loadIdxDir(name, 'train');
    let test: Dataset | undefined;
    try { test = loadIdxDir(name, 'test'); } catch { test = undefined; }
    return { train, test, source: name };
  }
  if (extname(name).toLowerCase() !== '.csv' && extname(name).toLowerCase() !== '.txt') {
    throw new UsageError(`--data ${name}: expected a .csv file or a folder of IDX files`);
  }
  const { dataset, schema } = loadCsvFile(name, { label: labelOption(opts.label), missing: opts.missing });
  return { train: dataset, schema, source: name };
}

export interface TrainingData {
  /** The rows in memory, or ... */
  train?: Dataset;
  /** ... the table streamed from its source each epoch. */
  stream?: StreamingTable;
  test?: Dataset;
  schema?: CsvSchema;
  source: string;
  /** Closes what the source holds open (a DuckDB connection). */
  close?: () => void;
}

export interface TrainingDataOptions extends DataOptions {
  /** Bytes the data may take in memory. */
  maxMemory: number;
  /** Stream even when the data would fit the budget. */
  stream: boolean;
  /** A DuckDB query over the data (its table is named `data`). */
  sql?: string;
}

/**
 * Resolve --data for training: like loadData, but files are read as streams within the memory
 * budget, CSV and Parquet above the budget (or with --stream) are streamed from disk every epoch,
 * and Parquet / --sql go through DuckDB.
 */
export async function loadTrainingData(data: string | undefined, opts: TrainingDataOptions): Promise<TrainingData> {
  const name = data ?? DEFAULT_DATA;
  const csvOpts = { label: labelOption(opts.label), missing: opts.missing };
  if (opts.sql !== undefined || isSqlPath(name)) {
    const source = await SqlSource.open({ data: name, sql: opts.sql });
    const { schema, rows } = await scanSql(source, csvOpts);
    const close = () => source.close();
    if (chooseStream(source.name, rows, schema, opts)) return { stream: streamSql(source, schema, rows), schema, source: name, close };
    const { dataset } = await readSql(source, schema, rows, { maxMemory: opts.maxMemory, name });
    close();
    return { train: dataset, schema, source: name };
  }
  const isFile = existsSync(name) && statSync(name).isFile();
  if (isFile && (extname(name).toLowerCase() === '.csv' || extname(name).toLowerCase() === '.txt' || /\.(csv|txt)\.gz$/i.test(name))) {
    const { schema, rows } = await scanCsvFile(name, csvOpts);
    if (chooseStream(name, rows, schema, opts)) return { stream: streamCsvFile(name, schema, rows), schema, source: name };
    const { dataset } = await encodeCsvFile(name, schema, rows, { ...csvOpts, maxMemory: opts.maxMemory, name });
    return { train: dataset, schema, source: name };
  }
  const budget = { maxMemory: opts.maxMemory };
  if (existsSync(name) && statSync(name).isDirectory() && (opts.stream || await idxNeedsStreaming(name, 'train', opts.maxMemory))) {
    // The test split is held in memory when it fits, as for a CSV's --test file.
    let test: Dataset | undefined;
    try { test = await readIdxDir(name, 'test', budget); } catch { test = undefined; }
    return { stream: await streamIdxDir(name, 'train', budget), test, source: name };
  }
  if (opts.stream) throw new UsageError(`--stream: ${name} is not a CSV or Parquet file or a folder of IDX files; only those are streamed from disk`);
  if (name === 'fashion-mnist' && !existsSync(name)) {
    return { train: await readFashionMnist('train', budget), test: await readFashionMnist('test', budget), source: name };
  }
  if (existsSync(name) && statSync(name).isDirectory()) {
    const train = await readIdxDir(name, 'train', budget);
    let test: Dataset | undefined;
    try { test = await readIdxDir(name, 'test', budget); } catch { test = undefined; }
    return { train, test, source: name };
  }
  return loadData(data, opts);
}

/** Stream when asked, or when the data would not fit the memory budget (the library warns, main.ts prints it). */
function chooseStream(name: string, rows: number, schema: CsvSchema, opts: TrainingDataOptions): boolean {
  return opts.stream || needsStreaming(name, inMemoryBytes(rows, encodedWidth(schema), schema.labels.length), opts.maxMemory);
}

/** A test file for --test, encoded like the training data. */
export function loadTestData(path: string, loaded: { schema?: CsvSchema }): Dataset {
  if (!existsSync(path)) throw new UsageError(`--test ${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return loadIdxDir(path, 'test');
  if (!loaded.schema) throw new UsageError(`--test ${path}: a CSV test file needs CSV training data to take its columns from`);
  const enc = applyCsvSchemaFile(path, loaded.schema);
  if (!enc.dataset) throw new UsageError(`--test ${path}: the file has no label column '${loaded.schema.labels.join(', ')}'`);
  return enc.dataset;
}
