// The five 2-d data sets, made by nabla's own generators, split into train and test rows, with
// a square view box around them for the plots.
import { blobs, circles, moons, spirals, xor } from '../src/data/synthetic.js';
import { numClasses, subset, type Dataset } from '../src/data/dataset.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Rng } from '../src/random.js';
import type { DatasetName } from './settings.js';

/** Rows of a data set: x [n, 2] and class indices y [n]. */
export type Split = Pick<Dataset, 'x' | 'y'>;

export interface PlaygroundData {
  name: DatasetName;
  classes: number;
  train: Split;
  test: Split;
  /** The view: [xmin, xmax] = [ymin, ymax] shifted by the centre, square so circles look round. */
  bounds: { x0: number; x1: number; y0: number; y1: number };
}

const N = 240;

function generate(name: DatasetName, seed: number): Dataset {
  switch (name) {
    case 'xor': return xor({ n: N, noise: 0.15, seed });
    case 'spirals': return spirals({ n: N, noise: 0.05, seed });
    case 'moons': return moons({ n: N, noise: 0.12, seed });
    case 'circles': return circles({ n: N, noise: 0.08, seed });
    case 'blobs': return blobs({ n: N, centers: 3, box: 2.5, std: 0.6, seed });
  }
}

function squareBounds(x: Tensor): PlaygroundData['bounds'] {
  let lo0 = Infinity, hi0 = -Infinity, lo1 = Infinity, hi1 = -Infinity;
  for (let i = 0; i < x.shape[0]; i++) {
    const a = x.data[2 * i], b = x.data[2 * i + 1];
    lo0 = Math.min(lo0, a); hi0 = Math.max(hi0, a); lo1 = Math.min(lo1, b); hi1 = Math.max(hi1, b);
  }
  const half = 0.6 * Math.max(hi0 - lo0, hi1 - lo1), c0 = (lo0 + hi0) / 2, c1 = (lo1 + hi1) / 2;
  return { x0: c0 - half, x1: c0 + half, y0: c1 - half, y1: c1 + half };
}

/** 80% train, 20% test, split by a seeded permutation (the generators already shuffle rows). */
export function loadData(name: DatasetName, seed: number): PlaygroundData {
  const ds = generate(name, seed);
  const n = ds.x.shape[0];
  const perm = Array.from(new Rng(seed + 1).permutation(n));
  const cut = Math.round(n * 0.8);
  return {
    name, classes: numClasses(ds),
    train: subset(ds, perm.slice(0, cut)), test: subset(ds, perm.slice(cut)),
    bounds: squareBounds(ds.x),
  };
}
