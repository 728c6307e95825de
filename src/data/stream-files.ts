// Node-only streaming loaders: files read in chunks (gunzipped as a stream when they are gzip),
// fed to the browser-safe parsers. Nothing here reads a whole file into memory.
import { ConfigError, ParseError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { makeDataset } from './dataset.js';
import { formatBytes, inMemoryBytes, needsStreaming } from './budget.js';
import { csvEncodePass, csvScanPass, EncodeTarget, toDataset, type CsvOptions, type CsvPass, type CsvResult } from './csv.js';
import { encodedWidth, featureNamesOf, type CsvSchema, type TableHeader } from './csv-schema.js';
import { encodeCsvBlocks } from './csv-blocks.js';
import { csvBlocksInWorker } from './csv-in-worker.js';
import { CHUNK, fileChunks, isGzipFile, sniff } from './file-chunks.js';
import { BlockWriter, StreamingTable, type RowBlock } from './stream.js';
import { FASHION_MNIST_CLASSES } from './idx.js';
import { defaultMemoryBudget, findFashionMnist, idxPaths, type IdxSplit } from './read-files.js';

export { defaultMemoryBudget, fileChunks, isGzipFile };

async function runPass(path: string, pass: CsvPass): Promise<TableHeader> {
  for await (const chunk of fileChunks(path)) pass.push(chunk);
  return pass.finish();
}

/** A CSV file's schema and row count, from one streaming pass that keeps no rows. */
export async function scanCsvFile(path: string, opts: CsvOptions = {}): Promise<{ schema: CsvSchema; rows: number; head: TableHeader }> {
  let out: { schema: CsvSchema; rows: number; head: TableHeader } | undefined;
  await runPass(path, csvScanPass({ source: path, ...opts }, (schema, rows, head) => { out = { schema, rows, head }; }));
  return out!;
}

export interface LoadOptions {
  /** Bytes the data may take in memory (default: defaultMemoryBudget()). */
  maxMemory?: number;
}

/** Refuse data above the budget with one line saying what to do. */
export function checkBudget(what: string, bytes: number, budget: number, remedy: string): void {
  if (bytes <= budget) return;
  throw new ConfigError(`${what} needs ${formatBytes(bytes)} in memory, above the memory budget of ${formatBytes(budget)}; ${remedy}`);
}

/**
 * A CSV file (plain or gzip) as a Dataset, parsed in two streaming passes: the schema, then the
 * rows straight into float32 arrays of the right size. Refused above the memory budget.
 */
export async function readCsvFile(path: string, opts: CsvOptions & LoadOptions = {}): Promise<CsvResult> {
  const { schema, rows } = await scanCsvFile(path, opts);
  return encodeCsvFile(path, schema, rows, opts);
}

/** The second pass of readCsvFile, for a schema and row count already scanned. */
export async function encodeCsvFile(path: string, schema: CsvSchema, rows: number, opts: CsvOptions & LoadOptions = {}): Promise<CsvResult> {
  const d = encodedWidth(schema), k = schema.labels.length;
  checkBudget(path, inMemoryBytes(rows, d, k), opts.maxMemory ?? defaultMemoryBudget(), 'stream it (--stream), or raise --max-memory');
  let target: EncodeTarget | undefined;
  await runPass(path, csvEncodePass({ source: path, delimiter: schema.delimiter }, schema, true, (enc) => (target = new EncodeTarget(rows, enc.d, enc.k, true, false))));
  const t = target!;
  if (t.rows !== rows) throw new ParseError(`${path}: the file changed while it was read (${rows} rows, then ${t.rows})`, path);
  return { dataset: toDataset(schema, t.x, t.y!, rows, opts.name ?? path), schema };
}

export interface StreamCsvOptions {
  /**
   * Parse in a worker thread (default true): the next blocks are read, tokenized and encoded while
   * this thread trains on the current ones, and handed over without a copy. Off: on this thread.
   */
  worker?: boolean;
}

/** A CSV file streamed from disk every pass: the table for out-of-core training. */
export function streamCsvFile(path: string, schema: CsvSchema, rows: number, name = path, opts: StreamCsvOptions = {}): StreamingTable {
  const d = encodedWidth(schema), k = schema.labels.length;
  const info = {
    n: rows, d, k, task: schema.task, featureNames: featureNamesOf(schema), name,
    ...(schema.classNames ? { classNames: [...schema.classNames] } : {}),
  };
  const worker = opts.worker ?? true;
  return new StreamingTable(info, () => (worker ? csvBlocksInWorker(path, schema) : csvBlocks(path, schema)));
}

async function* csvBlocks(path: string, schema: CsvSchema): AsyncGenerator<RowBlock> {
  const w = new BlockWriter(encodedWidth(schema), schema.labels.length);
  for await (const blocks of encodeCsvBlocks(path, schema, w, CHUNK)) yield* blocks;
}

// ---- IDX ----

export interface IdxRead {
  dims: number[];
  /** The values as float32, divided by the divisor asked for. */
  data: Float32Array;
}

/**
 * An IDX file (plain or gzip) read as a stream into float32 (value / divisor). The header is checked
 * before anything is allocated: against the file size for a plain file, against the memory budget
 * always; a gzip file's bytes are checked as they arrive, so a forged header cannot make us
 * allocate (or touch) more than the data that is really there.
 */
export async function readIdxFile(path: string, ndim: number, divisor: number, opts: LoadOptions = {}): Promise<IdxRead> {
  const budget = opts.maxMemory ?? defaultMemoryBudget();
  const fail = (what: string): never => { throw new ParseError(`${path}: ${what}`, path); };
  const gz = isGzipFile(path);
  let header: Uint8Array = new Uint8Array(0);
  let dims: number[] | null = null, count = 0, got = 0;
  let data: Float32Array | null = null;
  const { size } = sniff(path, 0);
  const parseHeader = (): boolean => {
    if (header.length < 4) return false;
    if (header[0] !== 0 || header[1] !== 0) fail(`not an IDX file: magic starts 0x${header[0].toString(16).padStart(2, '0')} 0x${header[1].toString(16).padStart(2, '0')}, expected 0x00 0x00`);
    if (header[2] !== 0x08) fail(`IDX value type 0x${header[2].toString(16).padStart(2, '0')} is not supported (only 0x08, unsigned byte)`);
    const rank = header[3];
    if (rank !== ndim) fail(`has ${rank} dimensions, expected ${ndim} (${ndim === 3 ? 'images' : 'labels'})`);
    const start = 4 + 4 * rank;
    if (header.length < start) return false;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
    count = dims.reduce((a, b) => a * b, 1);
    if (!gz && count !== size - start) {
      fail(count > size - start
        ? `truncated: header says ${dims.join('x')} = ${count} values but only ${size - start} bytes follow`
        : `${size - start - count} unexpected bytes after the ${dims.join('x')} values`);
    }
    checkBudget(`${path} (${dims.join('x')} values as float32)`, count * 4, budget,
      'raise --max-memory if the machine has the memory, or use a smaller part of the data (IDX files are read whole)');
    data = new Float32Array(count); // untouched pages cost no memory until real bytes fill them
    return true;
  };
  for await (const chunk of fileChunks(path)) {
    let c = chunk;
    if (!dims) {
      const joined = new Uint8Array(header.length + c.length);
      joined.set(header); joined.set(c, header.length);
      header = joined;
      if (header.length > 4 + 4 * 255 + CHUNK) fail('header never ends');
      if (!parseHeader()) continue;
      c = header.subarray(4 + 4 * dims!.length);
      header = new Uint8Array(0);
    }
    if (got + c.length > count) fail(`${got + c.length - count} or more unexpected bytes after the ${dims!.join('x')} values`);
    const out = data!;
    for (let i = 0; i < c.length; i++) out[got + i] = c[i] / divisor;
    got += c.length;
  }
  if (!dims) fail(`truncated: ${header.length} bytes, not a complete IDX header`);
  if (got < count) fail(`truncated: header says ${dims!.join('x')} = ${count} values but only ${got} bytes follow`);
  return { dims: dims!, data: data! };
}

/** An IDX file's dimensions, from its header alone (checked against the size of a plain file). */
export async function readIdxHeader(path: string, ndim: number): Promise<number[]> {
  const fail = (what: string): never => { throw new ParseError(`${path}: ${what}`, path); };
  const gz = isGzipFile(path);
  const { size } = sniff(path, 0);
  let header = new Uint8Array(0);
  const need = 4 + 4 * ndim;
  for await (const chunk of fileChunks(path)) {
    const joined = new Uint8Array(header.length + chunk.length);
    joined.set(header); joined.set(chunk, header.length);
    header = joined;
    if (header.length >= need) break;
  }
  if (header.length >= 4) {
    if (header[0] !== 0 || header[1] !== 0) fail(`not an IDX file: magic starts 0x${header[0].toString(16).padStart(2, '0')} 0x${header[1].toString(16).padStart(2, '0')}, expected 0x00 0x00`);
    if (header[2] !== 0x08) fail(`IDX value type 0x${header[2].toString(16).padStart(2, '0')} is not supported (only 0x08, unsigned byte)`);
    if (header[3] !== ndim) fail(`has ${header[3]} dimensions, expected ${ndim} (${ndim === 3 ? 'images' : 'labels'})`);
  }
  if (header.length < need) fail(`truncated: ${header.length} bytes, not a complete IDX header`);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (!gz && count !== size - need) {
    fail(count > size - need
      ? `truncated: header says ${dims.join('x')} = ${count} values but only ${size - need} bytes follow`
      : `${size - need - count} unexpected bytes after the ${dims.join('x')} values`);
  }
  return dims;
}

/**
 * What an IDX image file and its label file say about each other, checked the same way whether the
 * images are held or streamed: one label per image, a class name for every label, and the pixels'
 * feature names (rRcC for square images, pI otherwise).
 */
function idxNames(imagesPath: string, labelsPath: string, labels: IdxRead, n: number, rows: number, cols: number, given?: string[]): { d: number; classNames: string[]; featureNames: string[] } {
  if (labels.dims[0] !== n) throw new ParseError(`${labelsPath}: ${labels.dims[0]} labels for ${n} images in ${imagesPath}`, labelsPath);
  let max = 0;
  for (const v of labels.data) if (v > max) max = v;
  const classNames = given ?? Array.from({ length: max + 1 }, (_, i) => String(i));
  if (max >= classNames.length) throw new ParseError(`${labelsPath}: label ${max} but only ${classNames.length} class names`, labelsPath);
  const d = rows * cols;
  const featureNames = rows === cols ? Array.from({ length: d }, (_, i) => `r${Math.floor(i / cols)}c${i % cols}`) : Array.from({ length: d }, (_, i) => `p${i}`);
  return { d, classNames, featureNames };
}

/**
 * An IDX image file and label file streamed from disk every pass (images above the memory budget):
 * the labels (a byte per image) are held, the images read in blocks of rows, each pixel / 255 as
 * the in-memory loader gives it. A gzip file whose bytes end before its header's count is a
 * ParseError when the pass reaches the end.
 */
export async function streamIdxFiles(imagesPath: string, labelsPath: string, opts: LoadOptions & { classNames?: string[]; name?: string } = {}): Promise<StreamingTable> {
  const dims = await readIdxHeader(imagesPath, 3);
  const labels = await readIdxFile(labelsPath, 1, 1, opts);
  const [n, rows, cols] = dims;
  const { d, classNames, featureNames } = idxNames(imagesPath, labelsPath, labels, n, rows, cols, opts.classNames);
  const info = { n, d, k: 1, task: 'classification' as const, featureNames, classNames, name: opts.name ?? imagesPath };
  return new StreamingTable(info, () => idxBlocks(imagesPath, labels.data, dims));
}

async function* idxBlocks(path: string, labels: Float32Array, dims: number[]): AsyncGenerator<RowBlock> {
  const [n, rows, cols] = dims, d = rows * cols;
  const w = new BlockWriter(d, 1);
  let skip = 4 + 4 * dims.length, row = 0, col = 0;
  for await (const chunk of fileChunks(path)) {
    let i = Math.min(skip, chunk.length);
    skip -= i;
    if (row * d + col + (chunk.length - i) > n * d) {
      throw new ParseError(`${path}: unexpected bytes after the ${dims.join('x')} values`, path);
    }
    while (i < chunk.length) {
      const take = Math.min(d - col, chunk.length - i);
      const x = w.xs, at = w.xOffset + col;
      for (let j = 0; j < take; j++) x[at + j] = chunk[i + j] / 255;
      i += take;
      col += take;
      if (col === d) {
        w.ys[w.yOffset] = labels[row++];
        col = 0;
        w.commit();
      }
    }
    yield* w.take();
  }
  if (row < n) throw new ParseError(`${path}: truncated: header says ${dims.join('x')} = ${n * d} values but only ${row * d + col} bytes follow`, path);
  yield* w.take(true);
}

/** Whether an IDX folder's train split must be streamed: above the memory budget (said once), or asked. */
export async function idxNeedsStreaming(dir: string, split: IdxSplit, budget: number): Promise<boolean> {
  const { images } = idxPaths(dir, split);
  const [n, rows, cols] = await readIdxHeader(images, 3);
  return needsStreaming(images, inMemoryBytes(n, rows * cols, 1), budget);
}

/** The train or test split of an MNIST-style folder, streamed from disk every pass. */
export async function streamIdxDir(dir: string, split: IdxSplit, opts: LoadOptions & { classNames?: string[]; name?: string } = {}): Promise<StreamingTable> {
  const { images, labels } = idxPaths(dir, split);
  return streamIdxFiles(images, labels, { name: split === 'train' ? 'train' : 'test', ...opts });
}

/** An IDX image file and label file (plain or gzip) as one Dataset, read as streams within the budget. */
export async function readIdxFiles(imagesPath: string, labelsPath: string, opts: LoadOptions & { classNames?: string[]; name?: string } = {}): Promise<Dataset> {
  const labels = await readIdxFile(labelsPath, 1, 1, opts);
  const images = await readIdxFile(imagesPath, 3, 255, opts);
  const [n, rows, cols] = images.dims;
  const { d, classNames, featureNames } = idxNames(imagesPath, labelsPath, labels, n, rows, cols, opts.classNames);
  return makeDataset({ x: images.data, y: labels.data, n, d, task: 'classification', classNames, featureNames, name: opts.name });
}

/** The train or test split of an MNIST-style folder, read as streams within the budget. */
export async function readIdxDir(dir: string, split: IdxSplit, opts: LoadOptions & { classNames?: string[]; name?: string } = {}): Promise<Dataset> {
  const { images, labels } = idxPaths(dir, split);
  return readIdxFiles(images, labels, { name: split === 'train' ? 'train' : 'test', ...opts });
}

/** Fashion-MNIST's train (60,000) or test (10,000) split, read as streams within the budget. */
export async function readFashionMnist(split: 'train' | 'test', opts: LoadOptions & { dir?: string } = {}): Promise<Dataset> {
  return readIdxDir(findFashionMnist(opts.dir), split, { ...opts, classNames: [...FASHION_MNIST_CLASSES], name: `fashion-mnist-${split}` });
}
