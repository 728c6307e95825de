// Training data for the bench: Fashion-MNIST's train split when it can be found, else random
// pixels and labels of the same shape (throughput does not depend on the values; the table says so).
// Keep in step with bench/peers/common.mjs, which repeats the synthetic data (pseudoRandom, the
// seeds, smallBatch) in plain JavaScript because the peers run without tsx.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFashionMnist, loadIdxDir } from '../../src/data/read-files.js';

export interface ImageData {
  /** [n, d] row-major pixels in [0, 1]. */
  x: Float32Array;
  /** [n] class indices. */
  y: Float32Array;
  n: number;
  d: number;
  /** The folder it came from, or null for synthetic data. */
  dir: string | null;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** $NABLA_BENCH_DATA, the project's ../shared/data/fashion-mnist, then $NABLA_DATA or Debian's copy. */
export function findDataDir(): string | null {
  const explicit = process.env.NABLA_BENCH_DATA;
  const shared = join(REPO, '../shared/data/fashion-mnist');
  for (const d of [explicit, shared]) {
    if (d && existsSync(join(d, 'train-images-idx3-ubyte.gz'))) return resolve(d);
  }
  try {
    return findFashionMnist();
  } catch {
    return null;
  }
}

/** Deterministic uniform values in [0, 1) (xorshift; no need for nabla's RNG here). */
export function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296;
  }
  return out;
}

export function loadImages(dir: string | null): ImageData {
  if (dir) {
    const ds = loadIdxDir(dir, 'train');
    const [n, d] = ds.x.shape;
    return { x: ds.x.data as Float32Array, y: ds.y.data as Float32Array, n, d, dir };
  }
  const n = 8192, d = 784;
  const y = pseudoRandom(n, 7).map((v) => Math.floor(v * 10));
  return { x: pseudoRandom(n * d, 3), y, n, d, dir: null };
}

/** The small network's regression data: x uniform in [-1, 1]², y = x₀·x₁ (one fixed batch). */
export function smallBatch(batch: number): { x: Float32Array; y: Float32Array } {
  const x = pseudoRandom(batch * 2, 11).map((v) => 2 * v - 1);
  const y = new Float32Array(batch);
  for (let i = 0; i < batch; i++) y[i] = x[2 * i] * x[2 * i + 1];
  return { x, y };
}
