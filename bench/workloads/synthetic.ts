// Synthetic data for the bench, with no Node API (the browser page uses it too): random pixels and
// labels of Fashion-MNIST's shape when the data set is absent (throughput does not depend on the
// values; the table says so), and the small network's batch. bench/peers/workloads.mjs repeats
// it in plain JavaScript (pseudoRandom, the seeds, smallBatch) because the peers run without tsx.

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

/** 8192 random images of 784 pixels and their random labels. */
export function syntheticImages(): ImageData {
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
