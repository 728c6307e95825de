// The one door every elementwise op goes through. Normally it just runs the op; a transform that
// needs to see ops as they happen (vmap: "a batched value reached op X, run X's batching rule")
// installs a hook with withOpHook. Hooks nest like transforms do: each gets `next`, which runs the
// op through the hooks installed before it and finally for real.
import type { Tensor } from './tensor.js';

/**
 * Called for each op while installed. `name` is the registry's op name ('mul', 'gelu'), 'gelu.grad'
 * for a fused backward kernel, 'affine' or 'where'; `params` are the op's numbers (slope, s and t).
 */
export type OpHook = (
  name: string, inputs: readonly Tensor[], params: readonly number[], next: (inputs: readonly Tensor[]) => Tensor,
) => Tensor;

const hooks: OpHook[] = [];

/** Run `run(inputs)` as op `name`, through the installed hooks (innermost last installed). */
export function dispatch(name: string, inputs: readonly Tensor[], params: readonly number[], run: (inputs: readonly Tensor[]) => Tensor): Tensor {
  return hooks.length === 0 ? run(inputs) : through(hooks.length - 1, name, inputs, params, run);
}

function through(level: number, name: string, inputs: readonly Tensor[], params: readonly number[], run: (inputs: readonly Tensor[]) => Tensor): Tensor {
  if (level < 0) return run(inputs);
  return hooks[level](name, inputs, params, (xs) => through(level - 1, name, xs, params, run));
}

/** Whether any hook is installed (a fused op then runs as its parts, so that each one is seen). */
export function hooksInstalled(): boolean {
  return hooks.length > 0;
}

/** Install `hook` for the duration of fn. */
export function withOpHook<T>(hook: OpHook, fn: () => T): T {
  hooks.push(hook);
  try {
    return fn();
  } finally {
    hooks.pop();
  }
}
