// The playground's data sets: TensorFlow Playground's (circles, xor, gauss, spirals; plane and
// multi-gaussian for regression) plus moons, made by nabla's own generators where it has one,
// moved onto the square [-BOX, BOX]² so that every input feature (x², sin x) works on one scale,
// and split into train and test rows by the chosen ratio.
import {
  blobs, circles, makeDataset, moons, numClasses, Rng, spirals, subset, xor, type Dataset, type Tensor,
} from '../src/index.js';
import { problemOf, type DatasetName, type Problem, type Settings } from './settings.js';

/** Rows of a data set: points x [n, 2] (the plane, before features) and targets y. */
export type Split = Pick<Dataset, 'x' | 'y'>;

export interface PlaygroundData {
  name: DatasetName;
  problem: Problem;
  /** Classes (classification) or 1 (regression: one output). */
  outputs: number;
  train: Split;
  test: Split;
  /** The square the plots show. */
  bounds: { x0: number; x1: number; y0: number; y1: number };
}

/** Half-width of the plane the data lives in (TensorFlow Playground uses 6; 3 keeps x² moderate). */
export const BOX = 3;
const N = 300;

/** Shift and scale the points so their bounding box is centred and fills 80% of the square. */
function fitToBox(ds: Dataset): Dataset {
  const x = ds.x.data, n = ds.x.shape[0];
  let lo0 = Infinity, hi0 = -Infinity, lo1 = Infinity, hi1 = -Infinity;
  for (let i = 0; i < n; i++) {
    lo0 = Math.min(lo0, x[2 * i]); hi0 = Math.max(hi0, x[2 * i]);
    lo1 = Math.min(lo1, x[2 * i + 1]); hi1 = Math.max(hi1, x[2 * i + 1]);
  }
  const c0 = (lo0 + hi0) / 2, c1 = (lo1 + hi1) / 2, s = (0.8 * 2 * BOX) / Math.max(hi0 - lo0, hi1 - lo1, 1e-9);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) { out[2 * i] = (x[2 * i] - c0) * s; out[2 * i + 1] = (x[2 * i + 1] - c1) * s; }
  return makeDataset({ x: out, y: Float32Array.from(ds.y.data), n, d: 2, task: ds.task, classNames: ds.classNames, featureNames: ['x1', 'x2'], name: ds.name });
}

/** Regression on the plane: targets in [-1, 1] from f, plus noise. */
function regression(name: string, rng: Rng, noise: number, f: (a: number, b: number) => number): Dataset {
  const x = new Float32Array(2 * N), y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const a = rng.uniform(-BOX, BOX), b = rng.uniform(-BOX, BOX);
    x[2 * i] = a; x[2 * i + 1] = b;
    y[i] = f(a + rng.normal(0, noise * BOX), b + rng.normal(0, noise * BOX));
  }
  return makeDataset({ x, y, n: N, d: 2, task: 'regression', featureNames: ['x1', 'x2'], name });
}

/** Noise 0..50 (%) → a standard deviation on the generators' unit scale. */
function generate(name: DatasetName, noisePct: number, seed: number): Dataset {
  const noise = noisePct / 100, rng = new Rng(seed);
  switch (name) {
    case 'circles': return fitToBox(circles({ n: N, noise: 0.02 + 0.3 * noise, factor: 0.45, seed }));
    case 'xor': return fitToBox(xor({ n: N, noise: 0.1 + 0.5 * noise, seed }));
    case 'gauss': return fitToBox(blobs({ n: N, centers: [[-1, -1], [1, 1]], std: 0.35 + 1.5 * noise, seed }));
    case 'spirals': return fitToBox(spirals({ n: N, noise: 0.02 + 0.3 * noise, seed }));
    case 'moons': return fitToBox(moons({ n: N, noise: 0.05 + 0.5 * noise, seed }));
    case 'plane': return regression('plane', rng, noise, (a, b) => Math.max(-1, Math.min(1, (a + b) / (2 * BOX))));
    case 'multigauss': {
      // Four bumps of alternating sign, as in TensorFlow Playground's "multi gaussian".
      const bumps: [number, number, number][] = [[-1.2, 1.2, 1], [1.2, 1.2, -1], [-1.2, -1.2, -1], [1.2, -1.2, 1]];
      return regression('multigauss', rng, noise, (a, b) => bumps.reduce((s, [ca, cb, sign]) =>
        s + sign * Math.exp(-((a - ca) ** 2 + (b - cb) ** 2) / 1.2), 0));
    }
  }
}

/** The data for the settings: trainRatio % of the rows (a seeded permutation) train, the rest test. */
export function loadData(s: Pick<Settings, 'dataset' | 'noise' | 'trainRatio' | 'seed'>): PlaygroundData {
  const ds = generate(s.dataset, s.noise, s.seed);
  const n = ds.x.shape[0];
  const perm = Array.from(new Rng(s.seed + 1).permutation(n));
  const cut = Math.max(1, Math.min(n - 1, Math.round((n * s.trainRatio) / 100)));
  const problem = problemOf(s.dataset);
  return {
    name: s.dataset, problem, outputs: problem === 'classification' ? numClasses(ds) : 1,
    train: subset(ds, perm.slice(0, cut)), test: subset(ds, perm.slice(cut)),
    bounds: { x0: -BOX, x1: BOX, y0: -BOX, y1: BOX },
  };
}

/** Row i of a split as the point (x₁, x₂). */
export function pointOf(split: Split, i: number): [number, number] {
  return [split.x.data[2 * i], split.x.data[2 * i + 1]];
}

export function rows(t: Tensor): number {
  return t.shape[0];
}
