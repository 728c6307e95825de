// vmap: map f over a leading axis without a loop over examples. f runs once, on BatchTracers that
// look like one example; every op it calls runs its batching rule on the whole batch. Because the
// rules call ops, vmap nests (each vmap call is a level) and composes with grad, vjp, jvp and
// jacobian in either order: vmap(grad(loss)) gives one gradient per example.
import { TransformError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { fmt } from '../tensor/shape.js';
import { broadcastTo, reshape, transpose } from '../tensor/ops/movement.js';
import { batchLevelOf } from '../tensor/dispatch.js';
import { BatchTracer } from './batch-tracer.js';
import { checkTensorArgs } from './transforms.js';
import './batching-rules.js';

/** Per argument: the axis to map over, or null to pass the argument unchanged to every example. */
export type InAxes = readonly (number | null)[];

/** What f may return: a tensor, or (nested) arrays of tensors, as grad with argnums and vjp do. */
type Outputs = Tensor | readonly Outputs[];

let levels = 0;

function moveToFront(x: Tensor, axis: number): Tensor {
  if (axis === 0) return x;
  const perm = [axis, ...[...x.shape.keys()].filter((a) => a !== axis)];
  return transpose(x, perm);
}

function unwrap(out: unknown, level: number, size: number): Outputs {
  if (Array.isArray(out)) return out.map((o) => unwrap(o, level, size));
  if (!(out instanceof Tensor)) {
    throw new TransformError('vmap', 'output', `f must return a Tensor or an array of Tensors, got ${out === null ? 'null' : typeof out}`);
  }
  const l = batchLevelOf(out);
  if (l === level) return (out as BatchTracer).batchValue;
  if (l > level) throw new TransformError('vmap', 'output', 'f returned a batched tensor of an inner vmap that has already finished');
  // The same for every example (f ignored the mapped arguments): repeat it along the new axis.
  return broadcastTo(reshape(out, [1, ...out.shape]), [size, ...out.shape]);
}

/**
 * Vectorize f over a leading axis: vmap(f)(xs) stacks f(xs[0]), f(xs[1]), … along a new first axis.
 * `inAxes` has one entry per argument: the axis to map over, or null for an argument shared by all
 * examples; by default axis 0 of every argument. Outputs carry the mapped axis first.
 *
 * vmap(grad(loss), [null, 0, 0])(W, X, T) gives the per-example gradients ∂Lᵢ/∂W, shape [n, ...W.shape].
 */
export function vmap<A extends Tensor[], R extends Outputs>(f: (...args: A) => R, inAxes?: InAxes): (...args: A) => R {
  return (...args: A) => {
    checkTensorArgs(args, 'vmap');
    const axes = inAxes ?? args.map(() => 0);
    if (!Array.isArray(axes) || axes.length !== args.length) {
      throw new TransformError('vmap', 'inAxes', `inAxes has ${Array.isArray(axes) ? axes.length : 'no'} entries, but f was called with ${args.length} argument(s); give one axis or null per argument`);
    }
    let size = -1, sizedBy = -1;
    const norm = axes.map((ax, i) => {
      if (ax === null) return null;
      const nd = args[i].ndim;
      if (!Number.isInteger(ax) || ax < -nd || ax >= nd) {
        throw new TransformError('vmap', i, `inAxes[${i}] = ${ax} is not an axis of argument ${i}, which has shape ${fmt(args[i].shape)}`);
      }
      const a = ax < 0 ? ax + nd : ax;
      const n = args[i].shape[a];
      if (size < 0) { size = n; sizedBy = i; }
      else if (n !== size) {
        throw new TransformError('vmap', i, `argument ${i} has size ${n} along its mapped axis ${a}, but argument ${sizedBy} has size ${size}; every mapped axis must have the same size`);
      }
      return a;
    });
    if (size < 0) throw new TransformError('vmap', 'inAxes', 'needs at least one mapped argument; every entry of inAxes is null');
    const level = ++levels;
    const wrapped = args.map((a, i) => {
      const ax = norm[i];
      if (ax === null) return a;
      const t = new BatchTracer(moveToFront(a, ax), level);
      // Differentiable for whoever differentiates the batched values (grad of vmap).
      t.requiresGrad = t.batchValue.requiresGrad;
      return t;
    }) as A;
    return unwrap(f(...wrapped), level, size) as R;
  };
}
