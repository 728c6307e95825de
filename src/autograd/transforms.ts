// JAX-style function transforms on top of the tape. Because every VJP is written in tensor ops,
// a transform applied inside another one records its own backward pass: grad(grad(f)), hvp and
// hessian need no second autodiff mechanism.
import { GradError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { gradients } from './backward.js';
import { enableGrad, isGradEnabled } from './graph.js';
import { mul } from '../tensor/ops/elementwise.js';
import { sum } from '../tensor/ops/reduce.js';
import { reshape, stack } from '../tensor/ops/movement.js';
import { zeros } from '../tensor/creation.js';

type Fn = (...args: Tensor[]) => Tensor;

/**
 * Prepare the differentiated arguments. Inside an outer transform (the argument already requires
 * grad and recording is on) the argument itself is the target and the backward pass is recorded;
 * otherwise a fresh leaf sharing its data is used and the result is a plain constant.
 */
function prepare(args: Tensor[], argnums: number[]): { args: Tensor[]; targets: Tensor[]; nested: boolean } {
  const nested = isGradEnabled() && argnums.some((i) => args[i]?.requiresGrad);
  const out = [...args];
  const targets = argnums.map((i) => {
    const a = args[i];
    if (!(a instanceof Tensor)) throw new GradError(`grad: argument ${i} is not a Tensor`);
    if (nested && a.requiresGrad) return a;
    const leaf = new Tensor(a.data, a.shape);
    leaf.requiresGrad = true;
    out[i] = leaf;
    return leaf;
  });
  return { args: out, targets, nested };
}

function scalarOut(y: Tensor, name: string): Tensor {
  if (!(y instanceof Tensor) || y.size !== 1) {
    throw new GradError(`${name}: f must return a scalar tensor, got ${y instanceof Tensor ? `shape [${y.shape}]` : typeof y}; use vjp() for non-scalar outputs`);
  }
  return y;
}

function valueAndGradImpl(f: Fn, argnums: number[], args: Tensor[], name: string): [Tensor, Tensor[]] {
  const p = prepare(args, argnums);
  // f is traced even inside noGrad(): a transform always differentiates its function (as in JAX).
  const y = scalarOut(enableGrad(() => f(...p.args)), name);
  const gs = gradients(y, p.targets, undefined, { createGraph: p.nested, allowUnused: 'zeros' });
  return [y, gs as Tensor[]];
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
  const p = prepare(primals, primals.map((_, i) => i));
  const y = enableGrad(() => f(...p.args));
  const gs = gradients(y, p.targets, cotangents, { createGraph: p.nested, allowUnused: 'zeros' });
  return [y, gs as Tensor[]];
}

/**
 * Jacobian-vector product (forward mode) by the double-VJP trick: u ↦ uᵀJ is linear in u, so its
 * VJP with cotangent t is J·t. Costs two reverse passes; never forms J.
 */
export function jvp(f: Fn, primals: Tensor[], tangents: Tensor[]): [Tensor, Tensor] {
  const p = prepare(primals, primals.map((_, i) => i));
  const y = enableGrad(() => f(...p.args));
  const u = zeros(y.shape, { dtype: y.dtype, requiresGrad: true });
  const g = gradients(y, p.targets, u, { createGraph: true, allowUnused: 'zeros' }) as Tensor[];
  // Σᵢ ⟨gᵢ(u), tᵢ⟩ is linear in u; its gradient with respect to u is J·t.
  let s: Tensor | null = null;
  g.forEach((gi, i) => {
    const term = sum(mul(gi, tangents[i]));
    s = s ? s.add(term) : term;
  });
  const [jt] = gradients(s!, [u], undefined, { createGraph: p.nested, allowUnused: 'zeros' }) as Tensor[];
  return [y, jt];
}

/** Hessian-vector product H·v of a scalar f at x, without forming H (the notes' VHP). */
export function hvp(f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor {
  return grad((y: Tensor) => sum(mul(grad(f)(y), v)))(x);
}

/** The full Hessian of a scalar f at x, shape [...x.shape, ...x.shape], one HVP per row. */
export function hessian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const n = x.size;
  const rows: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const e = zeros(x.shape, { dtype: x.dtype });
    e.data[i] = 1;
    rows.push(reshape(hvp(f, x, e), [n]));
  }
  return reshape(stack(rows), [...x.shape, ...x.shape]);
}
