// A BatchTracer is what f sees inside vmap: a tensor with one example's shape that holds the
// values of the whole batch (batch axis first) in `batchValue`. Ops that meet one run their
// batching rule (./batching-rules.ts) on the batched values; the tape records the op at the
// per-example level, so a transform inside vmap (vmap(grad(f))) differentiates per example.
import { TransformError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import type { Batched } from '../tensor/dispatch.js';

// The Tensor constructor wants an array of the per-example size; a tracer never uses it, so all
// tracers share views of one zero buffer per dtype.
let spare64 = new Float64Array(0), spare32 = new Float32Array(0);
function placeholder(dtype: Tensor['dtype'], n: number) {
  if (dtype === 'float64') {
    if (spare64.length < n) spare64 = new Float64Array(n);
    return spare64.subarray(0, n);
  }
  if (spare32.length < n) spare32 = new Float32Array(n);
  return spare32.subarray(0, n);
}

function unreadable(): never {
  throw new TransformError('vmap', 'output', 'the values of a batched tensor cannot be read inside vmap (one example\'s values do not exist apart from the batch); read them from what vmap returns');
}

export class BatchTracer extends Tensor implements Batched {
  readonly batchLevel: number;
  readonly batchValue: Tensor;

  constructor(value: Tensor, level: number) {
    super(placeholder(value.dtype, sizeOf(value.shape.slice(1))), value.shape.slice(1));
    Object.defineProperty(this, 'data', { get: unreadable, set: unreadable });
    this.batchLevel = level;
    this.batchValue = value;
  }

  override get size(): number { return sizeOf(this.shape); }

  /** The vmap axis size. */
  get batchSize(): number { return this.batchValue.shape[0]; }

  freshAlias(): Tensor {
    return new BatchTracer(this.batchValue, this.batchLevel);
  }

  override detach(): Tensor {
    return new BatchTracer(this.batchValue.detach(), this.batchLevel);
  }

  override toString(): string {
    return `BatchTracer(shape=${fmt(this.shape)}, batch=${this.batchSize}, level=${this.batchLevel})`;
  }
}
