// JAX-style function transforms on top of the tape. Because every VJP is written in tensor ops,
// a transform applied inside another one records its own backward pass: grad(grad(f)), hvp and
// hessian need no second autodiff mechanism.
//
// Each call differentiates only its own arguments. It hands f a fresh alias of each argument: a
// new tensor that wants gradients, linked to the caller's tensor by an identity node on the tape.
// Its own reverse sweep stops at the aliases, so a tensor that f captured from an enclosing
// transform is a constant here, while the enclosing transform still sees through the alias node
// to its own argument. Reusing the caller's tensor as the target instead would also
// differentiate every captured use of it ("perturbation confusion").
import { TransformError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { dependsOnOthers, gradients } from './backward.js';
import { enableGrad, isGradEnabled } from '../tensor/tape.js';
import { isBatched } from '../tensor/dispatch.js';
import { mul } from '../tensor/ops/elementwise.js';
import { sum } from '../tensor/ops/reduce.js';
import { reshape, stack } from '../tensor/ops/movement.js';
import { zeros } from '../tensor/creation.js';
import { fmt } from '../tensor/shape.js';

type Fn = (...args: Tensor[]) => Tensor;

interface Prepared {
  /** f's arguments: the aliases at the differentiated positions, the caller's tensors elsewhere. */
  args: Tensor[];
  /** The aliases, in argnums order. */
  targets: Tensor[];
}

/** A new tensor with a's values that wants gradients; an identity node links it to a when a is differentiable. */
function alias(a: Tensor, link: boolean): Tensor {
  const t = isBatched(a) ? a.freshAlias() : new Tensor(a.data, a.shape);
  t.requiresGrad = true;
  if (link && a.requiresGrad) t.node = { op: 'alias', inputs: [a], vjp: (g) => [g] };
  return t;
}

export function checkTensorArgs(args: readonly unknown[], name: string): void {
  args.forEach((a, i) => {
    if (!(a instanceof Tensor)) {
      throw new TransformError(name, i, `argument ${i} is ${a === null ? 'null' : typeof a}, not a Tensor`);
    }
  });
}

function prepare(args: Tensor[], argnums: readonly number[], name: string): Prepared {
  checkTensorArgs(args, name);
  const link = isGradEnabled();
  const out = [...args];
  const targets = argnums.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) {
      throw new TransformError(name, i, `argnums asks for argument ${i}, but f was called with ${args.length} argument(s)`);
    }
    out[i] = alias(args[i], link);
    return out[i];
  });
  return { args: out, targets };
}

/** f traced with recording on, even inside noGrad(): a transform always differentiates its function (as in JAX). */
function trace(f: Fn, p: Prepared, name: string): Tensor {
  const y = enableGrad(() => f(...p.args));
  if (!(y instanceof Tensor)) throw new TransformError(name, 'output', `f must return a Tensor, got ${y === null ? 'null' : typeof y}`);
  return y;
}

/** Whether the backward pass must be recorded: something outside this transform differentiates through it. */
function mustRecord(y: Tensor, p: Prepared): boolean {
  return isGradEnabled() && dependsOnOthers([y], new Set(p.targets));
}

/** ∂(Σ gradOutput·y)/∂targets, zeros where y does not depend on a target. */
function pullback(y: Tensor, p: Prepared, gradOutput: Tensor | undefined, createGraph: boolean, retainGraph = createGraph): Tensor[] {
  if (!y.requiresGrad && !y.nonDifferentiableOp) {
    // f does not depend on the arguments at all: the derivative is exactly zero.
    return p.targets.map((t) => zeros(t.shape, { dtype: t.dtype }));
  }
  return gradients(y, p.targets, gradOutput, { createGraph, retainGraph, allowUnused: 'zeros' }) as Tensor[];
}

function scalarOut(y: Tensor, name: string): Tensor {
  if (y.size !== 1) {
    throw new TransformError(name, 'output', `f must return a scalar tensor, got shape ${fmt(y.shape)}; use vjp() or jacobian() for non-scalar outputs`);
  }
  return y;
}

function valueAndGradImpl(f: Fn, argnums: number[], args: Tensor[], name: string): [Tensor, Tensor[]] {
  const p = prepare(args, argnums, name);
  const y = scalarOut(trace(f, p, name), name);
  return [y, pullback(y, p, undefined, mustRecord(y, p))];
}

/** ∇f with respect to argument `argnums` (a number gives one gradient, an array gives a list). */
export function grad(f: Fn, argnums?: number): (...args: Tensor[]) => Tensor;
export function grad(f: Fn, argnums: number[]): (...args: Tensor[]) => Tensor[];
export function grad(f: Fn, argnums: number | number[] = 0) {
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  return (...args: Tensor[]) => {
    const [, gs] = valueAndGradImpl(f, list, args, 'grad');
    return typeof argnums === 'number' ? gs[0] : gs;
  };
}

/** [f(x), ∇f(x)] in one pass. */
export function valueAndGrad(f: Fn, argnums?: number): (...args: Tensor[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, argnums: number[]): (...args: Tensor[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: Fn, argnums: number | number[] = 0) {
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  return (...args: Tensor[]) => {
    const [y, gs] = valueAndGradImpl(f, list, args, 'valueAndGrad');
    return [y, typeof argnums === 'number' ? gs[0] : gs];
  };
}

/** Vector-Jacobian product: [f(primals), cotangentsᵀ·∂f/∂primals for each primal]. */
export function vjp(f: Fn, primals: Tensor[], cotangents: Tensor): [Tensor, Tensor[]] {
  const p = prepare(primals, primals.map((_, i) => i), 'vjp');
  const y = trace(f, p, 'vjp');
  if (!(cotangents instanceof Tensor)) throw new TransformError('vjp', 'output', 'the cotangents must be a Tensor');
  if (cotangents.shape.length !== y.shape.length || cotangents.shape.some((s, i) => s !== y.shape[i])) {
    throw new TransformError('vjp', 'output', `cotangents of shape ${fmt(cotangents.shape)} do not match f's output shape ${fmt(y.shape)}`);
  }
  return [y, pullback(y, p, cotangents, mustRecord(y, p))];
}

/**
 * J·t for each tangent direction, by the double-VJP trick: u ↦ uᵀJ is linear in u, so its VJP
 * with cotangent t is J·t. Two reverse passes per direction after one shared one; never forms J.
 */
function forwardProducts(y: Tensor, p: Prepared, tangentSets: readonly (readonly Tensor[])[], record: boolean): Tensor[] {
  if (!y.requiresGrad && !y.nonDifferentiableOp) return tangentSets.map(() => zeros(y.shape, { dtype: y.dtype }));
  const u = zeros(y.shape, { dtype: y.dtype, requiresGrad: true });
  const g = pullback(y, p, u, true);
  return tangentSets.map((tangents) => {
    // Σᵢ ⟨gᵢ(u), tᵢ⟩ is linear in u; its gradient with respect to u is J·t.
    let s: Tensor | null = null;
    g.forEach((gi, i) => {
      const term = sum(mul(gi, tangents[i]));
      s = s ? s.add(term) : term;
    });
    if (!s!.requiresGrad) return zeros(y.shape, { dtype: y.dtype });
    return gradients(s!, [u], undefined, { createGraph: record, retainGraph: true, allowUnused: 'zeros' })[0] as Tensor;
  });
}

/** Jacobian-vector product (forward mode): [f(primals), J·tangents]. */
export function jvp(f: Fn, primals: Tensor[], tangents: Tensor[]): [Tensor, Tensor] {
  const p = prepare(primals, primals.map((_, i) => i), 'jvp');
  if (!Array.isArray(tangents) || tangents.length !== primals.length) {
    throw new TransformError('jvp', primals.length, `needs one tangent per primal: ${primals.length} primal(s), ${Array.isArray(tangents) ? tangents.length : 'no array of'} tangent(s)`);
  }
  checkTensorArgs(tangents, 'jvp');
  tangents.forEach((t, i) => {
    if (t.shape.length !== primals[i].shape.length || t.shape.some((s, k) => s !== primals[i].shape[k])) {
      throw new TransformError('jvp', i, `tangent ${i} has shape ${fmt(t.shape)}, but primal ${i} has shape ${fmt(primals[i].shape)}`);
    }
  });
  const y = trace(f, p, 'jvp');
  return [y, forwardProducts(y, p, [tangents], mustRecord(y, p))[0]];
}

/** Hessian-vector product H·v of a scalar f at x, without forming H (the notes' VHP). */
export function hvp(f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor {
  checkTensorArgs([x, v], 'hvp');
  return grad((y: Tensor) => sum(mul(grad(f)(y), v)))(x);
}

/** The full Hessian of a scalar f at x, shape [...x.shape, ...x.shape], one HVP per row. */
export function hessian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  checkTensorArgs([x], 'hessian');
  return jacrev(grad(f))(x);
}

/** The one-hot tensors e₀ … e₍ₙ₋₁₎ of `like`'s shape. */
function basis(like: Tensor): Tensor[] {
  return Array.from({ length: like.size }, (_, i) => {
    const e = zeros(like.shape, { dtype: like.dtype });
    e.data[i] = 1;
    return e;
  });
}

/** Stack per-row (or per-column) results into one tensor of shape [...y.shape, ...x.shape]. */
function assemble(parts: Tensor[], rowsFirst: boolean, y: Tensor, x: Tensor): Tensor {
  const shape = [...y.shape, ...x.shape];
  if (parts.length === 0 || y.size === 0) return zeros(shape, { dtype: y.dtype });
  const flat = parts.map((t) => reshape(t, [t.size]));
  return reshape(stack(flat, rowsFirst ? 0 : 1), shape);
}

/**
 * The Jacobian of f with respect to argument `argnum`, by reverse mode: one VJP per element of
 * f's output, each giving one row. The result has shape [...f(x).shape, ...x.shape] (JAX's jacrev).
 * Pays when f has fewer outputs than inputs (a loss: one row is the whole gradient).
 */
export function jacrev(f: Fn, argnum = 0): (...args: Tensor[]) => Tensor {
  return (...args: Tensor[]) => {
    const p = prepare(args, [argnum], 'jacrev');
    const y = trace(f, p, 'jacrev');
    const record = mustRecord(y, p);
    const rows = basis(y).map((e) => pullback(y, p, e, record, true)[0]);
    return assemble(rows, true, y, p.targets[0]);
  };
}

/**
 * The same Jacobian by forward mode: one JVP per element of x, each giving one column. Pays when
 * f has more outputs than inputs. (nabla's JVP is two reverse passes, so the break-even is near
 * outputs ≈ 2 × inputs rather than JAX's outputs ≈ inputs.)
 */
export function jacfwd(f: Fn, argnum = 0): (...args: Tensor[]) => Tensor {
  return (...args: Tensor[]) => {
    const p = prepare(args, [argnum], 'jacfwd');
    const y = trace(f, p, 'jacfwd');
    const x = p.targets[0];
    const cols = forwardProducts(y, p, basis(x).map((e) => [e]), mustRecord(y, p));
    return assemble(cols, false, y, x);
  };
}

/** The Jacobian of f with respect to argument `argnum` (reverse mode; the same as jacrev). */
export const jacobian = jacrev;
