// Minibatches without per-step allocation: one index buffer reshuffled in place each epoch and
// two row buffers (full and last partial batch) that each batch's rows are copied into once.
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

  /** Fisher–Yates in place, drawing exactly as Rng.permutation does (same seed, same order). */
  shuffle(rng: Rng): void {
    const p = this.order;
    for (let i = 0; i < p.length; i++) p[i] = i;
    for (let i = p.length - 1; i > 0; i--) { const j = rng.int(i + 1); const t = p[i]; p[i] = p[j]; p[j] = t; }
  }

  /** Batch b as [x, y] tensors. Unshuffled full batches are the data itself (no copy). */
  batch(b: number, shuffled: boolean): [Tensor, Tensor] {
    const start = b * this.batchSize, rows = Math.min(this.batchSize, this.n - start);
    if (!shuffled && rows === this.n) return [this.x, this.y];
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
