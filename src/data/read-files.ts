// Node-only file loaders: read bytes (gunzipping .gz), then hand them to the browser-safe parsers.
// This is the only data file that touches node:fs / node:zlib / node:path.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totalmem } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { ConfigError, ParseError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { applyCsvSchema, parseCsv, type CsvOptions, type CsvResult, type EncodedCsv } from './csv.js';
import type { CsvSchema } from './csv-schema.js';
import { FASHION_MNIST_CLASSES, isGzip, parseIdxDataset, type IdxDatasetOptions } from './idx.js';

/** Largest decompressed size accepted (Fashion-MNIST's train images are 47 MB); stops gzip bombs. */
export const MAX_GUNZIP_BYTES = 1 << 30;

/** The default memory budget: 1 GiB or a quarter of the machine's memory, whichever is smaller. */
export function defaultMemoryBudget(): number {
  return Math.min(1024 ** 3, Math.floor(totalmem() / 4));
}

/** A file's bytes, decompressed when they are gzip; errors name the file. */
export function readDataFile(path: string, maxBytes = MAX_GUNZIP_BYTES): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ParseError(`${path}: cannot read (${code})`, path);
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    throw new ParseError(`${path}: gzip data is corrupt or larger than ${maxBytes} bytes (${(e as Error).message})`, path);
  }
}

/** A CSV file (plain or .gz) as a Dataset plus the schema that encoded it. */
export function loadCsvFile(path: string, opts: CsvOptions = {}): CsvResult {
  return parseCsv(readDataFile(path), { source: path, ...opts });
}

/** New data in a CSV file encoded with a stored schema (label column optional). */
export function applyCsvSchemaFile(path: string, schema: CsvSchema): EncodedCsv {
  return applyCsvSchema(readDataFile(path), schema, { source: path });
}

/** An IDX image file and label file (plain or .gz) as one Dataset. */
export function loadIdxFiles(imagesPath: string, labelsPath: string, opts: Omit<IdxDatasetOptions, 'imagesSource' | 'labelsSource'> = {}): Dataset {
  // Each byte becomes a 4-byte float: a quarter of the budget in bytes keeps the floats within it.
  const limit = Math.floor(defaultMemoryBudget() / 4);
  return parseIdxDataset(readDataFile(imagesPath, limit), readDataFile(labelsPath, limit), { ...opts, imagesSource: imagesPath, labelsSource: labelsPath });
}

export type IdxSplit = 'train' | 't10k' | 'test';

/** The standard file names: train-images-idx3-ubyte[.gz] (or train-images.idx3-ubyte), ... */
function idxCandidates(split: IdxSplit, kind: 'images' | 'labels'): string[] {
  const prefix = split === 'train' ? 'train' : 't10k';
  const rank = kind === 'images' ? 3 : 1;
  const stems = [`${prefix}-${kind}-idx${rank}-ubyte`, `${prefix}-${kind}.idx${rank}-ubyte`];
  return stems.flatMap((s) => [`${s}.gz`, s]);
}

function findIdxFile(dir: string, split: IdxSplit, kind: 'images' | 'labels'): string | undefined {
  return idxCandidates(split, kind).map((name) => join(dir, name)).find((p) => existsSync(p));
}

function hasIdxFiles(dir: string): boolean {
  return (['train', 't10k'] as const).some((s) => findIdxFile(dir, s, 'images') && findIdxFile(dir, s, 'labels'));
}

/** The train or test split of an MNIST-style folder (the four standard files, .gz or plain). */
export function loadIdxDir(dir: string, split: IdxSplit, opts: Omit<IdxDatasetOptions, 'imagesSource' | 'labelsSource'> = {}): Dataset {
  const { images, labels } = idxPaths(dir, split);
  return loadIdxFiles(images, labels, { name: split === 'train' ? 'train' : 'test', ...opts });
}

/** The image and label files of a split in an MNIST-style folder. */
export function idxPaths(dir: string, split: IdxSplit): { images: string; labels: string } {
  const images = findIdxFile(dir, split, 'images'), labels = findIdxFile(dir, split, 'labels');
  if (!images || !labels) {
    const want = [...idxCandidates(split, 'images').slice(0, 1), ...idxCandidates(split, 'labels').slice(0, 1)];
    throw new ConfigError(`${dir}: no ${split} IDX files; expected ${want.join(' and ')} (gzipped or not) in this folder`);
  }
  return { images, labels };
}

const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/**
 * The folder holding Fashion-MNIST: `dir` if given, else the first of $NABLA_DATA,
 * $NABLA_DATA/fashion-mnist and Debian's /usr/share/datasets/fashion-mnist that has the files.
 */
export function findFashionMnist(dir?: string): string {
  const how = 'Get it with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu, installs to '
    + `${DEBIAN_FASHION_MNIST}), or download the four files train-images-idx3-ubyte.gz, `
    + 'train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz from '
    + 'the zalandoresearch/fashion-mnist repository into a folder and pass that folder (or set NABLA_DATA to it).';
  if (dir !== undefined) {
    for (const d of [dir, join(dir, 'fashion-mnist')]) if (isDir(d) && hasIdxFiles(d)) return resolve(d);
    throw new ConfigError(`Fashion-MNIST not found in ${dir}. ${how}`);
  }
  const env = process.env.NABLA_DATA;
  const tried = [...(env ? [env, join(env, 'fashion-mnist')] : []), DEBIAN_FASHION_MNIST];
  for (const d of tried) if (isDir(d) && hasIdxFiles(d)) return resolve(d);
  throw new ConfigError(`Fashion-MNIST not found (looked in ${tried.join(', ')}). ${how}`);
}

/** Fashion-MNIST's train (60,000) or test (10,000) split with its class names. */
export function loadFashionMnist(split: 'train' | 'test', dir?: string): Dataset {
  return loadIdxDir(findFashionMnist(dir), split, { classNames: [...FASHION_MNIST_CLASSES], name: `fashion-mnist-${split}` });
}

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

export type EmbeddedName = 'iris' | 'digits';
const EMBEDDED: Record<EmbeddedName, string> = { iris: 'iris.csv', digits: 'digits.csv' };

/** The package's data/ folder: found by walking up from this file (src/data or dist/data alike). */
export function packageDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data', 'iris.csv'))) return join(dir, 'data');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new ConfigError('the data/ folder of the nabla package is missing (a broken install?)');
}

/** A data set shipped with the package (iris, digits), with its CSV schema. */
export function loadEmbeddedCsv(name: EmbeddedName): CsvResult {
  const file = EMBEDDED[name];
  if (!file) throw new ConfigError(`no embedded data set "${String(name)}"; there are ${Object.keys(EMBEDDED).join(', ')}`);
  return loadCsvFile(join(packageDataDir(), file), { name });
}

/** iris: 150 rows, 4 features, 3 named classes. digits: 1,797 rows, 64 features (8x8, 0..16), 10 classes. */
export function loadEmbedded(name: EmbeddedName): Dataset {
  return loadEmbeddedCsv(name).dataset;
}
