// The one place every op asks "is an input batched by vmap?". A batched tensor (a BatchTracer,
// defined in ./vmap.ts) stands for one example while holding the values of the whole batch; an
// op that meets one hands its inputs to the op's batching rule, which runs the op once on the
// batched values instead of once per example. The rules live in one table keyed by op name
// (filled by ./batching-rules.ts); this module imports no op so that every op can use it.
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

/** Run op's batching rule; ops call this when topLevel(inputs) > 0. */
export function batchOp(op: string, inputs: readonly Tensor[], params: BatchParams): Tensor {
  const rule = batchRules[op];
  if (!rule) throw new TransformError('vmap', 'output', `op '${op}' has no batching rule, so f cannot be mapped`);
  return rule(inputs, topLevel(inputs), params);
}
