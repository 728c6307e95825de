// What `--data NAME|FILE|DIR` means: an embedded set, Fashion-MNIST, a synthetic set, a CSV file,
// or a folder of IDX files. Returns the training data, a test split where the source has one,
// and the CSV schema so that predict can encode new files the same way.
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import type { CsvSchema } from '../data/csv-schema.js';
import * as synthetic from '../data/synthetic.js';
import { applyCsvSchemaFile, loadCsvFile, loadEmbeddedCsv, loadFashionMnist, loadIdxDir, type EmbeddedName } from '../data/read-files.js';
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
  xor: (seed) => synthetic.xor({ n: 400, seed }),
  spirals: (seed) => synthetic.spirals({ n: 600, seed }),
  moons: (seed) => synthetic.moons({ n: 600, seed }),
  circles: (seed) => synthetic.circles({ n: 600, seed }),
  blobs: (seed) => synthetic.blobs({ n: 600, seed }),
  sine: (seed) => synthetic.sine({ n: 400, seed }),
  'pattern-ab': () => synthetic.patternAB(),
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

/** A test file for --test, encoded like the training data. */
export function loadTestData(path: string, loaded: LoadedData): Dataset {
  if (!existsSync(path)) throw new UsageError(`--test ${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return loadIdxDir(path, 'test');
  if (!loaded.schema) throw new UsageError(`--test ${path}: a CSV test file needs CSV training data to take its columns from`);
  const enc = applyCsvSchemaFile(path, loaded.schema);
  if (!enc.dataset) throw new UsageError(`--test ${path}: the file has no label column '${loaded.schema.labels.join(', ')}'`);
  return enc.dataset;
}
