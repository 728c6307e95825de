// Preprocessing: per-column scalers (fit on training rows only, saved with the model), seeded
// train/validation/test splits (optionally stratified) and one-hot encoding.
import { ConfigError, ShapeError } from '../errors.js';
import { rngFrom, type Rng } from '../random.js';
import { tensor } from '../tensor/creation.js';
import { allocate, Tensor } from '../tensor/tensor.js';
import { numClasses, numSamples, permuteRowsInPlace, rowRange, subset, type Dataset } from './dataset.js';

export interface StandardizerJSON { kind: 'standardizer'; mean: number[]; std: number[] }
export interface MinMaxScalerJSON { kind: 'minmax'; min: number[]; max: number[]; range: [number, number] }
export type ScalerJSON = StandardizerJSON | MinMaxScalerJSON;

function columnsOf(x: Tensor, who: string): [number, number] {
  if (x.ndim !== 2) throw new ShapeError(`${who}: expected a [rows, features] tensor, got shape [${x.shape.join(', ')}]`);
  return [x.shape[0], x.shape[1]];
}

/** out[i, j] = f(x[i, j], j) for a [n, width] tensor, in the input's dtype. */
function mapColumns(x: Tensor, width: number, who: string, f: (v: number, j: number) => number): Tensor {
  const [n, d] = columnsOf(x, who);
  if (d !== width) throw new ShapeError(`${who}: fitted on ${width} features, got ${d}`);
  const out = allocate(x.dtype, n * d), src = x.data;
  for (let i = 0; i < n * d; i += d) {
    for (let j = 0; j < d; j++) out[i + j] = f(src[i + j], j);
  }
  return tensor(out, { shape: [n, d] });
}

function numberList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'number' || !Number.isFinite(e))) {
    throw new ConfigError(`${what} must be an array of finite numbers`);
  }
  return v as number[];
}

/**
 * Running per-column mean, variance (Welford's update, stable in one pass), min and max: what the
 * scalers need, from rows that arrive one at a time (in memory or streamed from disk).
 */
export class Welford {
  count = 0;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(readonly d: number) {
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(d);
    this.min = new Float64Array(d).fill(Infinity);
    this.max = new Float64Array(d).fill(-Infinity);
  }

  /** Add the row data[at .. at+d). */
  add(data: ArrayLike<number>, at: number): void {
    const n = ++this.count, { mean, m2, min, max } = this;
    for (let j = 0; j < this.d; j++) {
      const v = data[at + j];
      const delta = v - mean[j];
      mean[j] += delta / n;
      m2[j] += delta * (v - mean[j]);
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }

  /** Set a scaler's fitted values from these statistics (population std, as scikit-learn). */
  into(scaler: Standardizer | MinMaxScaler): void {
    if (scaler instanceof Standardizer) {
      scaler.mean = Array.from(this.mean);
      scaler.std = Array.from(this.m2, (s) => Math.sqrt(Math.max(0, s) / this.count));
    } else {
      scaler.min = Array.from(this.min);
      scaler.max = Array.from(this.max);
    }
  }
}

/** The in-place transforms' check that rows of `width` fit in data. */
function checkRows(data: Float32Array | Float64Array, rows: number, width: number): void {
  if (data.length < rows * width) throw new ShapeError(`scaler: ${data.length} values cannot hold ${rows} rows of ${width}`);
}

/** x -> (x - mean) / std per column. Constant columns (std 0) are only centred. */
export class Standardizer {
  mean: number[] = [];
  std: number[] = [];

  get fitted(): boolean { return this.mean.length > 0; }

  fit(x: Tensor): this {
    const [n, d] = columnsOf(x, 'Standardizer.fit');
    if (n === 0) throw new ShapeError('Standardizer.fit: no rows');
    // The same one-pass statistics as a streamed fit, so both give the same scaler bit for bit.
    const w = new Welford(d);
    for (let i = 0; i < n; i++) w.add(x.data, i * d);
    w.into(this);
    return this;
  }

  transform(x: Tensor): Tensor {
    this.check('transform');
    const { mean } = this, inv = this.std.map((s) => (s > 0 ? 1 / s : 1));
    return mapColumns(x, mean.length, 'Standardizer.transform', (v, j) => (v - mean[j]) * inv[j]);
  }

  /** transform() of `rows` row-major rows, written over the input (the loaders' data, never copied). */
  transformRowsInPlace(data: Float32Array | Float64Array, rows: number): void {
    this.check('transformRowsInPlace');
    const mean = Float64Array.from(this.mean), inv = Float64Array.from(this.std, (s) => (s > 0 ? 1 / s : 1));
    const width = mean.length;
    checkRows(data, rows, width);
    // The formula of transform(), as a plain loop: this runs on every streamed block.
    for (let i = 0; i < rows * width; i += width) {
      for (let j = 0; j < width; j++) data[i + j] = (data[i + j] - mean[j]) * inv[j];
    }
  }

  fitTransform(x: Tensor): Tensor { return this.fit(x).transform(x); }

  inverseTransform(z: Tensor): Tensor {
    this.check('inverseTransform');
    const { mean } = this, std = this.std.map((s) => (s > 0 ? s : 1));
    return mapColumns(z, mean.length, 'Standardizer.inverseTransform', (v, j) => v * std[j] + mean[j]);
  }

  /** The same dataset with x standardised (y untouched). */
  transformDataset(ds: Dataset): Dataset { return { ...ds, x: this.transform(ds.x) }; }

  toJSON(): StandardizerJSON {
    this.check('toJSON');
    return { kind: 'standardizer', mean: [...this.mean], std: [...this.std] };
  }

  static fromJSON(json: unknown): Standardizer {
    const j = json as Partial<StandardizerJSON> | null;
    if (j?.kind !== 'standardizer') throw new ConfigError(`Standardizer.fromJSON: kind is ${JSON.stringify(j?.kind)}, expected "standardizer"`);
    const s = new Standardizer();
    s.mean = numberList(j.mean, 'Standardizer.fromJSON: mean');
    s.std = numberList(j.std, 'Standardizer.fromJSON: std');
    if (s.mean.length !== s.std.length || s.std.some((v) => v < 0)) throw new ConfigError('Standardizer.fromJSON: mean and std must match in length, std >= 0');
    return s;
  }

  private check(what: string): void {
    if (!this.fitted) throw new ConfigError(`Standardizer.${what}: call fit() on the training inputs first`);
  }
}

/** x -> low + (x - min) / (max - min) * (high - low) per column (default range [0, 1]). */
export class MinMaxScaler {
  min: number[] = [];
  max: number[] = [];
  readonly range: [number, number];

  constructor(range: [number, number] = [0, 1]) {
    if (!(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1])) {
      throw new ConfigError(`MinMaxScaler: range must be [low, high] with low < high, got [${range.join(', ')}]`);
    }
    this.range = [range[0], range[1]];
  }

  get fitted(): boolean { return this.min.length > 0; }

  fit(x: Tensor): this {
    const [n, d] = columnsOf(x, 'MinMaxScaler.fit');
    if (n === 0) throw new ShapeError('MinMaxScaler.fit: no rows');
    const lo = new Array<number>(d).fill(Infinity), hi = new Array<number>(d).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = x.data[i * d + j];
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
    this.min = lo; this.max = hi;
    return this;
  }

  /** Per-column factor; a constant column maps to `low`. */
  private factors(): number[] {
    const width = this.range[1] - this.range[0];
    return this.min.map((m, j) => (this.max[j] > m ? width / (this.max[j] - m) : 1));
  }

  transform(x: Tensor): Tensor {
    this.check('transform');
    const { min } = this, f = this.factors(), low = this.range[0];
    return mapColumns(x, min.length, 'MinMaxScaler.transform', (v, j) => low + (v - min[j]) * f[j]);
  }

  fitTransform(x: Tensor): Tensor { return this.fit(x).transform(x); }

  transformRowsInPlace(data: Float32Array | Float64Array, rows: number): void {
    this.check('transformRowsInPlace');
    const min = Float64Array.from(this.min), f = Float64Array.from(this.factors()), low = this.range[0];
    const width = min.length;
    checkRows(data, rows, width);
    for (let i = 0; i < rows * width; i += width) {
      for (let j = 0; j < width; j++) data[i + j] = low + (data[i + j] - min[j]) * f[j];
    }
  }

  inverseTransform(z: Tensor): Tensor {
    this.check('inverseTransform');
    const { min } = this, f = this.factors(), low = this.range[0];
    return mapColumns(z, min.length, 'MinMaxScaler.inverseTransform', (v, j) => min[j] + (v - low) / f[j]);
  }

  transformDataset(ds: Dataset): Dataset { return { ...ds, x: this.transform(ds.x) }; }

  toJSON(): MinMaxScalerJSON {
    this.check('toJSON');
    return { kind: 'minmax', min: [...this.min], max: [...this.max], range: [...this.range] };
  }

  static fromJSON(json: unknown): MinMaxScaler {
    const j = json as Partial<MinMaxScalerJSON> | null;
    if (j?.kind !== 'minmax') throw new ConfigError(`MinMaxScaler.fromJSON: kind is ${JSON.stringify(j?.kind)}, expected "minmax"`);
    const range = numberList(j.range, 'MinMaxScaler.fromJSON: range');
    if (range.length !== 2) throw new ConfigError('MinMaxScaler.fromJSON: range must hold two numbers');
    const s = new MinMaxScaler([range[0], range[1]]);
    s.min = numberList(j.min, 'MinMaxScaler.fromJSON: min');
    s.max = numberList(j.max, 'MinMaxScaler.fromJSON: max');
    if (s.min.length !== s.max.length || s.min.some((m, i) => m > s.max[i])) throw new ConfigError('MinMaxScaler.fromJSON: min and max must match in length, min <= max');
    return s;
  }

  private check(what: string): void {
    if (!this.fitted) throw new ConfigError(`MinMaxScaler.${what}: call fit() on the training inputs first`);
  }
}

/** A scaler back from its JSON, whichever kind it is. */
export function scalerFromJSON(json: unknown): Standardizer | MinMaxScaler {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'standardizer') return Standardizer.fromJSON(json);
  if (kind === 'minmax') return MinMaxScaler.fromJSON(json);
  throw new ConfigError(`scalerFromJSON: unknown scaler kind ${JSON.stringify(kind)}`);
}

export interface SplitOptions {
  seed?: number;
  rng?: Rng;
  /** Keep each class's share the same in every part (classification only). */
  stratify?: boolean;
  /** Shuffle before splitting (default true); false keeps row order, the test part last. */
  shuffle?: boolean;
}

/**
 * Row indices for parts of the given fractions (the first part takes what the others leave).
 * With `labels`, each class is split separately so every part keeps the class proportions.
 */
export function splitIndices(n: number, fractions: number[], opts: SplitOptions & { labels?: ArrayLike<number> } = {}): Int32Array[] {
  for (const f of fractions.slice(1)) {
    if (!(f >= 0 && f < 1)) throw new ConfigError(`split: fractions must be in [0, 1), got ${f}`);
  }
  const rest = fractions.slice(1).reduce((a, b) => a + b, 0);
  if (rest >= 1) throw new ConfigError(`split: the held-out fractions add up to ${rest}, leaving no training rows`);
  const shuffle = opts.shuffle ?? true;
  const rng = rngFrom(opts);
  const groups: number[][] = [];
  if (opts.labels) {
    if (opts.labels.length !== n) throw new ShapeError(`split: ${opts.labels.length} labels for ${n} rows`);
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const c = opts.labels[i];
      if (!byClass.has(c)) byClass.set(c, []);
      byClass.get(c)!.push(i);
    }
    groups.push(...[...byClass.keys()].sort((a, b) => a - b).map((c) => byClass.get(c)!));
  } else {
    groups.push(Array.from({ length: n }, (_, i) => i));
  }
  const parts: number[][] = fractions.map(() => []);
  for (const rows of groups) {
    const order = shuffle ? Array.from(rng.permutation(rows.length), (p) => rows[p]) : rows;
    // Held-out parts take their rounded share from the end; the first part keeps the rest.
    let end = order.length;
    for (let p = fractions.length - 1; p >= 1; p--) {
      const m = Math.min(end, Math.round(rows.length * fractions[p]));
      // A loop, not push(...slice): spreading >~125k arguments overflows the call stack.
      for (let i = end - m; i < end; i++) parts[p].push(order[i]);
      end -= m;
    }
    for (let i = 0; i < end; i++) parts[0].push(order[i]);
  }
  return parts.map((idx) => {
    // Stratified parts were filled class by class: mix them (or restore row order).
    if (!shuffle) return Int32Array.from(idx.sort((a, b) => a - b));
    if (groups.length > 1) { const perm = rng.permutation(idx.length); return Int32Array.from(perm, (p) => idx[p]); }
    return Int32Array.from(idx);
  });
}

function labelsFor(ds: Dataset, stratify: boolean | undefined): ArrayLike<number> | undefined {
  if (!stratify) return undefined;
  if (ds.task !== 'classification') throw new ConfigError('split: stratify needs a classification dataset');
  numClasses(ds);
  return ds.y.data;
}

/** Train and test parts (test fraction default 0.2). */
export function trainTestSplit(ds: Dataset, opts: SplitOptions & { testSize?: number } = {}): { train: Dataset; test: Dataset } {
  const [train, test] = splitIndices(numSamples(ds), [0, opts.testSize ?? 0.2], { ...opts, labels: labelsFor(ds, opts.stratify) });
  return { train: subset(ds, train), test: subset(ds, test) };
}

/**
 * trainTestSplit without copying: the same rows in the same order, but as views of `ds`, whose
 * rows are reordered in place (train first, then test). For data that fills the memory budget.
 */
export function trainTestSplitInPlace(ds: Dataset, opts: SplitOptions & { testSize?: number } = {}): { train: Dataset; test: Dataset } {
  const n = numSamples(ds);
  const [train, test] = splitIndices(n, [0, opts.testSize ?? 0.2], { ...opts, labels: labelsFor(ds, opts.stratify) });
  const order = new Int32Array(n);
  order.set(train);
  order.set(test, train.length);
  permuteRowsInPlace(ds, order);
  return { train: rowRange(ds, 0, train.length), test: rowRange(ds, train.length, n) };
}

/** Train, validation and test parts (defaults: validation 0.1, test 0.2; train takes the rest). */
export function split(
  ds: Dataset, opts: SplitOptions & { validation?: number; test?: number } = {},
): { train: Dataset; validation: Dataset; test: Dataset } {
  const [train, validation, test] = splitIndices(numSamples(ds), [0, opts.validation ?? 0.1, opts.test ?? 0.2],
    { ...opts, labels: labelsFor(ds, opts.stratify) });
  return { train: subset(ds, train), validation: subset(ds, validation), test: subset(ds, test) };
}

/** Class indices [n] -> one-hot rows [n, k] (k default: largest label + 1). */
export function oneHot(labels: Tensor | ArrayLike<number>, k?: number): Tensor {
  const src: ArrayLike<number> = labels instanceof Tensor ? labels.data : labels;
  const n = src.length;
  let max = -1;
  for (let i = 0; i < n; i++) {
    const c = src[i];
    if (!Number.isInteger(c) || c < 0) throw new ShapeError(`oneHot: label ${c} at row ${i} is not a class index`);
    if (c > max) max = c;
  }
  const width = k ?? max + 1;
  if (!Number.isInteger(width) || width < 1) throw new ConfigError(`oneHot: number of classes must be a positive integer, got ${width}`);
  if (max >= width) throw new ShapeError(`oneHot: label ${max} is not in 0..${width - 1}`);
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) out[i * width + src[i]] = 1;
  return tensor(out, { shape: [n, width] });
}
