// Synthetic data for the bench, with no Node API (the browser page uses it too): random pixels and
// labels of Fashion-MNIST's shape when the data set is absent (throughput does not depend on the
// values; the table says so), and the small network's batch. The generator and the small batch
// live in bench/peers/workloads.mjs, plain JavaScript that the peers run without tsx, so that every
// system trains on the same numbers.
import { pseudoRandom, smallBatch } from '../peers/workloads.mjs';

export { pseudoRandom, smallBatch };

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

/** 8192 random images of 784 pixels and their random labels. */
export function syntheticImages(): ImageData {
  const n = 8192, d = 784;
  const y = pseudoRandom(n, 7).map((v) => Math.floor(v * 10));
  return { x: pseudoRandom(n * d, 3), y, n, d, dir: null };
}
