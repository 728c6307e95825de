// Out-of-core data: a table read from its source once per epoch, in blocks of encoded rows, so
// memory stays flat whatever the size of the file. Browser-safe; the sources (CSV files, SQL
// results) live in the Node-only loaders and hand over blocks.
//
// - Validation rows are chosen by a seeded hash of the row index, so the split needs no pass and
//   no memory, and is the same every epoch.
// - Shuffling uses a seeded shuffle buffer (as tf.data and PyTorch's IterableDataset do): a row
//   enters the buffer and a random row leaves it. Epoch e draws from Rng(seed + e), so a run is
//   reproducible and a resumed run draws what the uninterrupted one drew.
// - Scaling statistics come from one streaming pass over the training rows (Welford).
import { ConfigError } from '../errors.js';
import { Rng } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Task } from './dataset.js';
import { Welford, type MinMaxScaler, type Standardizer } from './preprocess.js';

export { BlockWriter } from './block-writer.js';

/** Encoded rows in source order: x is [rows, d], y is [rows, k]; `first` is the index of the first row. */
export interface RowBlock {
  x: Float32Array;
  y: Float32Array;
  rows: number;
  first: number;
}

/** What a streamed table describes about itself (known after the schema pass). */
export interface StreamInfo {
  /** Rows in the source. */
  n: number;
  d: number;
  /** Targets per row (1 for classification). */
  k: number;
  task: Task;
  featureNames: string[];
  classNames?: string[];
  name: string;
}

/** A batch stream fit() can train on: iterating it again starts a new epoch. */
export interface BatchStream extends AsyncIterable<{ x: Tensor; y: Tensor }> {
  /** Batches per epoch, when known (progress bars). */
  readonly numBatches?: number;
  /** Rows per epoch, when known. */
  readonly numRows?: number;
  readonly task?: Task;
}

export interface StreamBatchOptions {
  /** 'train' (default) or 'validation': which side of the hash split. */
  part?: 'train' | 'validation';
  /** Fraction of rows in the validation part (default 0: none). */
  validation?: number;
  /** Seeds the split and the shuffle (default 0). */
  seed?: number;
  batchSize?: number;
  /** Shuffle training rows through a buffer (default true for 'train', never for 'validation'). */
  shuffle?: boolean;
  /** Rows in the shuffle buffer (default: 64 MB worth of rows, at least 1,024 and at most 100,000). */
  shuffleBuffer?: number;
  /** Applied to x of every block before batching. */
  scaler?: Standardizer | MinMaxScaler;
  /** Targets as a [b, 1] column (one-logit BCE) instead of [b] class indices. */
  targetColumn?: boolean;
}

/** Whether data is a batch stream rather than tensors in memory. */
export function isBatchStream(data: unknown): data is BatchStream {
  return typeof data === 'object' && data !== null && Symbol.asyncIterator in data;
}

/** Uniform in [0, 1) from a row index and a seed (a splitmix-style mix of both halves of i). */
export function rowHash(i: number, seed: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ (i >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h ^ Math.floor(i / 4294967296)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

/** Whether row i is held out for validation. */
export function isValidationRow(i: number, fraction: number, seed: number): boolean {
  return fraction > 0 && rowHash(i, seed) < fraction;
}

/** A table streamed from its source: one call of blocks() is one pass in source order. */
export class StreamingTable {
  /**
   * The shuffle buffer (tens of MB), allocated once and reused by every pass that finds it free,
   * whichever batches() stream runs it: a fresh buffer's pages cost more to fault in than an
   * epoch's copies through it.
   */
  private store: ShuffleStore | null = null;

  constructor(readonly info: StreamInfo, readonly blocks: () => AsyncIterable<RowBlock>) {}

  /** A shuffle buffer of `capacity` rows for one pass: the table's own when free, else a new one. */
  private shuffleStore(capacity: number): ShuffleStore {
    const { d, k } = this.info;
    const s = this.store;
    if (s && !s.busy && s.sx.length >= capacity * d && s.sy.length >= capacity * k) return s;
    const own = { sx: new Float32Array(capacity * d), sy: new Float32Array(capacity * k), busy: false };
    if (!s || !s.busy) this.store = own;
    return own;
  }

  /** Fit a scaler on the training rows in one streaming pass. */
  async fitScaler<S extends Standardizer | MinMaxScaler>(scaler: S, opts: { validation?: number; seed?: number } = {}): Promise<S> {
    const { d } = this.info;
    const frac = opts.validation ?? 0, seed = opts.seed ?? 0;
    const w = new Welford(d);
    for await (const b of this.blocks()) {
      for (let r = 0; r < b.rows; r++) {
        if (isValidationRow(b.first + r, frac, seed)) continue;
        w.add(b.x, r * d);
      }
    }
    if (w.count === 0) throw new ConfigError(`${this.info.name}: no training rows to fit the scaler on`);
    w.into(scaler);
    return scaler;
  }

  /** Batches of one part, as a stream fit() and evaluateStream() consume. */
  batches(opts: StreamBatchOptions = {}): BatchStream {
    const table = this;
    const part = opts.part ?? 'train';
    const frac = opts.validation ?? 0, seed = opts.seed ?? 0;
    if (!(frac >= 0 && frac < 1)) throw new ConfigError(`stream: validation fraction must be in [0, 1), got ${frac}`);
    const { d, k, n } = this.info;
    const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 32));
    const shuffle = part === 'train' && (opts.shuffle ?? true);
    const capacity = Math.max(1, Math.floor(opts.shuffleBuffer ?? Math.min(100_000, Math.max(1024, (64 << 20) / (4 * (d + k))))));
    let held = 0;
    if (frac > 0) for (let i = 0; i < n; i++) if (isValidationRow(i, frac, seed)) held++;
    const expected = part === 'train' ? n - held : held;
    let epoch = 0;
    const yShape = (rows: number): number[] => (this.info.task === 'classification' ? (opts.targetColumn ? [rows, 1] : [rows]) : [rows, k]);
    return {
      numBatches: Math.ceil(expected / batchSize),
      numRows: expected,
      task: this.info.task,
      [Symbol.asyncIterator]() {
        const rng = new Rng((seed + epoch++) >>> 0);
        // An iteration started while another is still running gets its own shuffle buffer.
        const own = shuffle ? table.shuffleStore(capacity) : null;
        if (own) own.busy = true;
        const it = batchesOf(table, { part, frac, seed, batchSize, shuffle, capacity, scaler: opts.scaler, d, k, yShape, rng, store: own });
        return released(it, () => { if (own) own.busy = false; });
      },
    };
  }
}

/** The shuffle buffer's rows. */
interface ShuffleStore { sx: Float32Array; sy: Float32Array; busy: boolean }

/** it, calling done() once when it ends, throws or is abandoned (return()). */
async function* released<T>(it: AsyncGenerator<T>, done: () => void): AsyncGenerator<T> {
  try { yield* it; } finally { done(); }
}

/**
 * dst[do, do+n) = src[so, so+n): a plain loop for short rows (no subarray object per row), a
 * memory copy for wide ones, where the loop would cost several times more than the object.
 */
function copy(src: Float32Array, so: number, dst: Float32Array, dO: number, n: number): void {
  if (n >= 64) { dst.set(src.subarray(so, so + n), dO); return; }
  for (let i = 0; i < n; i++) dst[dO + i] = src[so + i];
}

interface BatchPlan {
  part: 'train' | 'validation';
  frac: number;
  seed: number;
  batchSize: number;
  shuffle: boolean;
  capacity: number;
  scaler?: Standardizer | MinMaxScaler;
  d: number;
  k: number;
  yShape: (rows: number) => number[];
  rng: Rng;
  store: ShuffleStore | null;
}

async function* batchesOf(table: StreamingTable, p: BatchPlan): AsyncGenerator<{ x: Tensor; y: Tensor }> {
  const { d, k, batchSize, rng } = p;
  const wantVal = p.part === 'validation';
  let bx = new Float32Array(batchSize * d), by = new Float32Array(batchSize * k), fill = 0;
  // The shuffle buffer: `held` rows, replaced at random once full.
  const cap = p.store ? p.capacity : 0;
  const sx = p.store ? p.store.sx : new Float32Array(0), sy = p.store ? p.store.sy : new Float32Array(0);
  let held = 0;
  const take = (x: Float32Array, xo: number, y: Float32Array, yo: number): boolean => {
    copy(x, xo, bx, fill * d, d);
    copy(y, yo, by, fill * k, k);
    return ++fill === batchSize;
  };
  // Batches reuse two buffers (as the in-memory Batcher does): a batch stays valid while the
  // next one is filled, which is all a training step needs, and the stream makes no garbage.
  const spare = [new Float32Array(batchSize * d), new Float32Array(batchSize * k)];
  const emit = (): { x: Tensor; y: Tensor } => {
    const out = { x: new Tensor(bx, [fill, d]), y: new Tensor(by, p.yShape(fill)) };
    [bx, spare[0]] = [spare[0], bx];
    [by, spare[1]] = [spare[1], by];
    fill = 0;
    return out;
  };
  for await (const b of table.blocks()) {
    if (p.scaler) p.scaler.transformRowsInPlace(b.x, b.rows);
    for (let r = 0; r < b.rows; r++) {
      if (isValidationRow(b.first + r, p.frac, p.seed) !== wantVal) continue;
      if (cap === 0) {
        if (take(b.x, r * d, b.y, r * k)) yield emit();
        continue;
      }
      if (held < cap) {
        copy(b.x, r * d, sx, held * d, d);
        copy(b.y, r * k, sy, held * k, k);
        held++;
        continue;
      }
      const j = rng.int(cap);
      const full = take(sx, j * d, sy, j * k);
      copy(b.x, r * d, sx, j * d, d);
      copy(b.y, r * k, sy, j * k, k);
      if (full) yield emit();
    }
  }
  // Drain the buffer in random order.
  while (held > 0) {
    const j = rng.int(held);
    const full = take(sx, j * d, sy, j * k);
    held--;
    if (j !== held) {
      sx.copyWithin(j * d, held * d, (held + 1) * d);
      sy.copyWithin(j * k, held * k, (held + 1) * k);
    }
    if (full) yield emit();
  }
  if (fill > 0) {
    const rows = fill;
    const out = { x: new Tensor(bx.subarray(0, rows * d), [rows, d]), y: new Tensor(by.subarray(0, rows * k), p.yShape(rows)) };
    fill = 0;
    yield out;
  }
}
