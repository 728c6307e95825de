// Minibatches without per-step allocation: one index buffer reshuffled in place each epoch and
// two row buffers (full and last partial batch) that shuffled rows are copied into once; in-order
// batches are views of the data.
import type { FloatArray } from '../backend/backend.js';
import type { Rng } from '../random.js';
import { allocate, Tensor } from '../tensor/tensor.js';

export class Batcher {
  readonly n: number;
  readonly batchSize: number;
  readonly order: Int32Array;
  private readonly bufs = new Map<number, [Tensor, Tensor]>();

  constructor(private readonly x: Tensor, private readonly y: Tensor, batchSize: number) {
    this.n = x.shape[0];
    this.batchSize = Math.max(1, Math.min(batchSize, this.n));
    this.order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.order[i] = i;
  }

  get numBatches(): number {
    return Math.ceil(this.n / this.batchSize);
  }

  /** A new random order for the next epoch (the same draws as Rng.permutation). */
  shuffle(rng: Rng): void {
    rng.permutationInto(this.order);
  }

  /** Batch b as [x, y] tensors: views of the data in order, or copies of shuffled rows. */
  batch(b: number, shuffled: boolean): [Tensor, Tensor] {
    const start = b * this.batchSize, rows = Math.min(this.batchSize, this.n - start);
    if (!shuffled) return [rowsOf(this.x, start, start + rows), rowsOf(this.y, start, start + rows)];
    let pair = this.bufs.get(rows);
    if (!pair) {
      pair = [rowsLike(this.x, rows), rowsLike(this.y, rows)];
      this.bufs.set(rows, pair);
    }
    copyRows(this.x.data, pair[0].data, this.order, start, rows, this.x.size / this.n);
    copyRows(this.y.data, pair[1].data, this.order, start, rows, this.y.size / this.n);
    // Fresh Tensor wrappers (cheap) so no autograd state leaks from the previous step.
    return [new Tensor(pair[0].data, pair[0].shape), new Tensor(pair[1].data, pair[1].shape)];
  }
}

/** Rows [start, end) of t as a view (no copy). */
export function rowsOf(t: Tensor, start: number, end: number): Tensor {
  const w = t.size / t.shape[0];
  return new Tensor(t.data.subarray(start * w, end * w), [end - start, ...t.shape.slice(1)]);
}

function rowsLike(t: Tensor, rows: number): Tensor {
  const shape = [rows, ...t.shape.slice(1)];
  return new Tensor(allocate(t.dtype, (t.size / t.shape[0]) * rows), shape);
}

function copyRows(src: FloatArray, dst: FloatArray, order: Int32Array, start: number, rows: number, width: number): void {
  if (width === 1) { for (let r = 0; r < rows; r++) dst[r] = src[order[start + r]]; return; }
  for (let r = 0; r < rows; r++) {
    const i = order[start + r];
    dst.set(src.subarray(i * width, (i + 1) * width), r * width);
  }
}
