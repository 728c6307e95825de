// Training data for the bench in Node: Fashion-MNIST's train split when it can be found, else
// random pixels and labels of the same shape (synthetic.ts, which the browser page shares).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFashionMnist, loadIdxDir } from '../../src/data/read-files.js';
import { syntheticImages, type ImageData } from './synthetic.js';

export { pseudoRandom, smallBatch, type ImageData } from './synthetic.js';

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

export function loadImages(dir: string | null): ImageData {
  if (!dir) return syntheticImages();
  const ds = loadIdxDir(dir, 'train');
  const [n, d] = ds.x.shape;
  return { x: ds.x.data as Float32Array, y: ds.y.data as Float32Array, n, d, dir };
}
