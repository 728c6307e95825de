// Types for the part of workloads.mjs that the TypeScript side of the bench shares (the peers run
// the .mjs as plain JavaScript, without tsx).

/** Deterministic uniform values in [0, 1) (xorshift). */
export function pseudoRandom(n: number, seed: number): Float32Array;

/** The small network's batch: x uniform in [-1, 1]², y = x₀·x₁. */
export function smallBatch(batch: number): { x: Float32Array; y: Float32Array };

/** Pixels and labels as the peers take them: x [n, d] in [0, 1], one-hot y [n, classes]. */
export function oneHotImages(x: Float32Array, labels: ArrayLike<number>, d: number, classes?: number):
  { x: Float32Array; y: Float32Array; n: number; d: number; classes: number };
