// Dataset: the rows a model trains on. Inputs x are [n, d] float32; targets y are class indices
// [n] (stored as float values, like every other tensor) or regression targets [n, k].
import { ConfigError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

export type Task = 'classification' | 'regression';

export interface Dataset {
  /** Inputs, [n, d] float32. */
  x: Tensor;
  /** Class indices [n] (classification) or targets [n, k] (regression). */
  y: Tensor;
  task: Task;
  /** For classification: the name of each class index (`classNames[i]` is class i). */
  classNames?: string[];
  /** One name per column of x (one-hot columns are named `column=level`). */
  featureNames: string[];
  name?: string;
}

export interface DatasetParts {
  x: Float32Array;
  y: Float32Array;
  n: number;
  d: number;
  /** Number of targets per row for regression (default 1); ignored for classification. */
  k?: number;
  task: Task;
  classNames?: string[];
  featureNames?: string[];
  name?: string;
}

/** A checked Dataset from flat row-major arrays (the loaders' common exit). */
export function makeDataset(p: DatasetParts): Dataset {
  const k = p.task === 'regression' ? (p.k ?? 1) : 1;
  if (p.x.length !== p.n * p.d) throw new ShapeError(`dataset: x has ${p.x.length} values, expected ${p.n}x${p.d}`);
  if (p.y.length !== p.n * k) throw new ShapeError(`dataset: y has ${p.y.length} values, expected ${p.n * k} (${p.n} rows)`);
  const featureNames = p.featureNames ?? Array.from({ length: p.d }, (_, i) => `x${i}`);
  if (featureNames.length !== p.d) {
    throw new ShapeError(`dataset: ${featureNames.length} feature names for ${p.d} columns`);
  }
  if (p.task === 'classification') checkLabels(p.y, p.classNames?.length);
  const ds: Dataset = {
    x: tensor(p.x, { shape: [p.n, p.d] }),
    y: tensor(p.y, { shape: p.task === 'classification' ? [p.n] : [p.n, k] }),
    task: p.task,
    featureNames,
  };
  if (p.classNames) ds.classNames = p.classNames;
  if (p.name !== undefined) ds.name = p.name;
  return ds;
}

function checkLabels(y: ArrayLike<number>, k: number | undefined): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || (k !== undefined && v >= k)) {
      throw new ConfigError(`dataset: label ${v} at row ${i} is not a class index${k === undefined ? '' : ` in 0..${k - 1}`}`);
    }
  }
}

export function numSamples(ds: Dataset): number {
  return ds.x.shape[0];
}

export function numFeatures(ds: Dataset): number {
  return ds.x.shape[1];
}

/** Classes of a classification set: the class names if known, else the largest label + 1. */
export function numClasses(ds: Dataset): number {
  if (ds.task !== 'classification') throw new ConfigError(`numClasses: ${ds.name ?? 'dataset'} is a regression set`);
  if (ds.classNames) return ds.classNames.length;
  let max = -1;
  for (const v of ds.y.data) if (v > max) max = v;
  return max + 1;
}

/** The number of outputs a model needs: classes for classification, targets for regression. */
export function numOutputs(ds: Dataset): number {
  return ds.task === 'classification' ? numClasses(ds) : ds.y.shape[1];
}

/** How many rows of each class (index = class). */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(numClasses(ds)).fill(0);
  for (const v of ds.y.data) counts[v]++;
  return counts;
}

/** A new dataset holding copies of the given rows, in the given order. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const n = numSamples(ds), d = numFeatures(ds);
  const k = ds.task === 'classification' ? 1 : ds.y.shape[1];
  const m = indices.length;
  const x = new Float32Array(m * d), y = new Float32Array(m * k);
  for (let r = 0; r < m; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ShapeError(`subset: row index ${i} is outside 0..${n - 1}`);
    x.set(ds.x.data.subarray(i * d, (i + 1) * d), r * d);
    for (let j = 0; j < k; j++) y[r * k + j] = ds.y.data[i * k + j];
  }
  return makeDataset({ ...ds, x, y, n: m, d, k, featureNames: [...ds.featureNames], classNames: ds.classNames && [...ds.classNames] });
}

/**
 * Reorder rows in place so that row r holds what row order[r] held (order must be a permutation
 * of 0..n-1), following the permutation's cycles with one spare row: no copy of the data.
 */
export function permuteRowsInPlace(ds: Dataset, order: Int32Array): void {
  const n = numSamples(ds);
  if (order.length !== n) throw new ShapeError(`permuteRowsInPlace: ${order.length} indices for ${n} rows`);
  const done = new Uint8Array(n);
  for (const t of [ds.x, ds.y]) {
    const w = t.size / Math.max(1, n), a = t.data, spare = a.slice(0, w);
    done.fill(0);
    for (let s = 0; s < n; s++) {
      if (done[s]) continue;
      spare.set(a.subarray(s * w, (s + 1) * w));
      let p = s;
      for (;;) {
        done[p] = 1;
        const q = order[p];
        if (q < 0 || q >= n || (done[q] && q !== s)) throw new ShapeError('permuteRowsInPlace: order is not a permutation');
        if (q === s) { a.set(spare, p * w); break; }
        a.copyWithin(p * w, q * w, (q + 1) * w);
        p = q;
      }
    }
  }
}

/** Rows [start, end) as a dataset sharing the data (no copy). */
export function rowRange(ds: Dataset, start: number, end: number): Dataset {
  const view = (t: Tensor): Tensor => {
    const w = t.size / Math.max(1, t.shape[0]);
    return tensor(t.data.subarray(start * w, end * w), { shape: [end - start, ...t.shape.slice(1)] });
  };
  return { ...ds, x: view(ds.x), y: view(ds.y) };
}

/** A one-line description: name, rows, features, task and classes. */
export function describe(ds: Dataset): string {
  const what = ds.task === 'classification'
    ? `${numClasses(ds)} classes${ds.classNames ? ` (${ds.classNames.slice(0, 10).join(', ')}${ds.classNames.length > 10 ? ', ...' : ''})` : ''}`
    : `regression, ${ds.y.shape[1]} target${ds.y.shape[1] === 1 ? '' : 's'}`;
  return `${ds.name ?? 'dataset'}: ${numSamples(ds)} rows x ${numFeatures(ds)} features, ${what}`;
}
