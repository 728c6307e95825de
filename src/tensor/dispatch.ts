// The one door every op goes through: `dispatch(op, inputs, kernel, batched)`. Normally it runs the
// op's kernel. When an input is batched by vmap, it runs the op's batching rule instead (JAX's
// batching rules): a batched tensor (a BatchTracer, ../autograd/batch-tracer.ts) stands for one
// example while holding the values of the whole batch, and the rule runs the op once on the batched
// values instead of once per example. The rules live in one table keyed by op name, filled by
// ../autograd/batching-rules.ts (where every elementwise op of the registry gets its rule without
// being listed); this module imports no op, so that every op can use it.
import type { Tensor } from './tensor.js';
import { TransformError } from '../errors.js';

/** What a batched tensor adds to a Tensor: its vmap level and its batched values (batch axis first). */
export interface Batched {
  readonly batchLevel: number;
  readonly batchValue: Tensor;
  /** A new tensor of the same level and values that wants gradients (a transform's own argument). */
  freshAlias(): Tensor;
}

/**
 * A batching rule: given the op's inputs (some batched at `level`) and the op's parameters,
 * return the batched result. `apply` is the op itself, to be called on the batched values.
 */
export type BatchRule = (inputs: readonly Tensor[], level: number, params: BatchParams) => Tensor;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BatchParams = { apply: (...args: any[]) => Tensor } & Record<string, unknown>;

/** op name → its batching rule (filled by ../autograd/batching-rules.ts). */
export const batchRules: Record<string, BatchRule> = {};

export function batchLevelOf(t: unknown): number {
  return (t as Partial<Batched> | null)?.batchLevel ?? 0;
}

export function isBatched(t: unknown): t is Tensor & Batched {
  return batchLevelOf(t) > 0;
}

/** The highest vmap level among the inputs (0 when none is batched). */
export function topLevel(inputs: readonly unknown[]): number {
  let level = 0;
  for (const t of inputs) level = Math.max(level, batchLevelOf(t));
  return level;
}

/** Run op's batching rule on inputs of which some are batched (what dispatch does for them). */
export function batchOp(op: string, inputs: readonly Tensor[], params: BatchParams): Tensor {
  const rule = batchRules[op];
  if (!rule) throw new TransformError('vmap', 'output', `op '${op}' has no batching rule, so f cannot be mapped`);
  return rule(inputs, topLevel(inputs), params);
}

/**
 * Op `op` on `inputs`: `kernel()` computes it on plain tensors; when an input is batched, the op's
 * batching rule runs instead, with `batched()`'s parameters (`apply`: the op itself, for the rule to
 * call on batched values, and the op's own numbers: axes, shapes). The caller records the result on
 * the tape either way, so that transforms inside vmap (vmap(grad(f))) differentiate per example.
 */
export function dispatch(op: string, inputs: readonly Tensor[], kernel: () => Tensor, batched: () => BatchParams): Tensor {
  return topLevel(inputs) === 0 ? kernel() : batchOp(op, inputs, batched());
}
