// Reverse-mode differentiation over the recorded graph: a topological order, then one reverse
// sweep that calls each node's VJP and sums gradients over fan-out (the multivariate chain rule).
import { bindTensorMethods, type Tensor } from '../tensor/tensor.js';
import { GradError, NonFiniteError } from '../errors.js';
import { addIntoGradBuffer, enableGrad, hasOwnedGrad, noGrad, ownGradBuffer, withSweep } from '../tensor/tape.js';
import { fmt, sameShape } from '../tensor/shape.js';
import { add } from '../tensor/ops/elementwise.js';
import { full } from '../tensor/creation.js';

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (default: false, the graph is freed). */
  retainGraph?: boolean;
  /** Record the backward pass itself, making gradients differentiable (default: false). */
  createGraph?: boolean;
  /** Throw NonFiniteError naming the op as soon as a gradient holds NaN or ±Infinity. */
  checkFinite?: boolean;
}

/** Nodes reachable from the roots, parents before children; traversal stops at `stops`. */
function topoOrder(roots: readonly Tensor[], stops?: ReadonlySet<Tensor>): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS so that deep scalar graphs do not overflow the call stack: a stack of tensors
  // and, beside it, the index of the next input to visit for each.
  const stack: Tensor[] = [], next: number[] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push(r);
    next.push(0);
    while (stack.length) {
      const top = stack.length - 1;
      const t = stack[top], i = next[top];
      const inputs = t.node && !stops?.has(t) ? t.node.inputs : NO_INPUTS;
      if (i < inputs.length) {
        next[top] = i + 1;
        const c = inputs[i];
        if (c.requiresGrad && !seen.has(c)) { seen.add(c); stack.push(c); next.push(0); }
      } else {
        stack.pop();
        next.pop();
        order.push(t);
      }
    }
  }
  return order;
}

const NO_INPUTS: readonly Tensor[] = [];

function checkGradOutput(root: Tensor, gradOutput: Tensor | undefined, where: string): Tensor {
  if (!root.requiresGrad) {
    const why = root.nonDifferentiableOp
      ? `it was produced by '${root.nonDifferentiableOp}', which has no gradient`
      : 'it does not depend on any tensor with requiresGrad';
    throw new GradError(`${where}: the tensor has no gradient graph (${why})`);
  }
  if (gradOutput === undefined) {
    if (root.size !== 1) {
      throw new GradError(`${where}: gradOutput can only be implied (as 1) for a scalar output; this output has shape ${fmt(root.shape)}, so pass a gradOutput of that shape`);
    }
    return full(root.shape, 1, { dtype: root.dtype });
  }
  if (!sameShape(gradOutput.shape, root.shape)) {
    throw new GradError(`${where}: gradOutput of shape ${fmt(gradOutput.shape)} does not match output shape ${fmt(root.shape)}`);
  }
  if (gradOutput.dtype !== root.dtype) throw new GradError(`${where}: gradOutput dtype ${gradOutput.dtype} differs from output dtype ${root.dtype}`);
  return gradOutput;
}

function assertFinite(g: Tensor, op: string, input: number): void {
  const d = g.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) throw new NonFiniteError(`backward: the VJP of '${op}' gave a non-finite gradient (${d[i]}) for its input ${input} at element ${i}`);
  }
}

interface SweepOptions extends BackwardOptions {
  /** Tensors whose gradients are wanted; the sweep does not go past them. */
  targets?: ReadonlySet<Tensor>;
}

/**
 * The tensors in `order` from which a target can be reached. With targets, the sweep runs only
 * through these: a transform nested in another must not run (or free) the VJPs of the enclosing
 * graph, which it reaches through captured tensors but does not differentiate.
 */
function leadingTo(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const useful = new Set<Tensor>();
  for (const t of order) {
    if (targets.has(t) || t.node?.inputs.some((i) => useful.has(i))) useful.add(t);
  }
  return useful;
}

/**
 * Whether the graph of `roots` depends on a differentiable tensor other than `own`: a leaf that
 * wants gradients, or one of `own` that is itself linked to an enclosing graph. Then a transform's
 * result must stay differentiable for whoever owns that tensor (the backward pass is recorded).
 */
export function dependsOnOthers(roots: readonly Tensor[], own: ReadonlySet<Tensor>): boolean {
  const seen = new Set<Tensor>();
  const stack = roots.filter((r) => r.requiresGrad);
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (own.has(t)) {
      if (t.node) return true;
      continue;
    }
    if (!t.node) return true;
    for (const i of t.node.inputs) if (i.requiresGrad) stack.push(i);
  }
  return false;
}

/** The reverse sweep; returns the gradient reaching every visited tensor. */
function sweep(roots: readonly Tensor[], gradOutputs: readonly Tensor[], opts: SweepOptions): Map<Tensor, Tensor> {
  // VJPs ask which sweep runs them and whose gradients it returns (tape.ts's gradientObserved),
  // and whether they may write into leaves' zeroed gradient buffers (tape.ts's claimZeroGradient).
  const inPlace = !opts.createGraph && !opts.checkFinite;
  return withSweep(opts.targets ?? null, () => sweepIn(roots, gradOutputs, opts), inPlace);
}

function sweepIn(roots: readonly Tensor[], gradOutputs: readonly Tensor[], opts: SweepOptions): Map<Tensor, Tensor> {
  const targets = opts.targets;
  const all = topoOrder(roots, targets);
  const useful = targets ? leadingTo(all, targets) : null;
  const order = useful ? all.filter((t) => useful.has(t)) : all;
  const grads = new Map<Tensor, Tensor>();
  for (let i = 0; i < roots.length; i++) accumulate(grads, roots[i], gradOutputs[i]);
  // Plain loops rather than forEach and closures: a small network's step runs this per node.
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    const g = grads.get(t);
    const node = t.node;
    if (!g || !node || targets?.has(t)) continue;
    if (!node.vjp) {
      throw new GradError(`backward: the graph through '${node.op}' was already freed by an earlier backward(); pass { retainGraph: true } to the first call to go through it twice`);
    }
    const inGrads = node.vjp(g);
    if (!opts.retainGraph) node.vjp = null;
    const inputs = node.inputs;
    for (let j = 0; j < inputs.length; j++) {
      const inp = inputs[j], gi = inGrads[j];
      if (!gi || !inp.requiresGrad || (useful && !useful.has(inp))) continue;
      if (opts.checkFinite) assertFinite(gi, node.op, j);
      accumulate(grads, inp, gi);
    }
  }
  return grads;
}

/** Add g to t's gradient so far (fan-out: the multivariate chain rule's sum). */
function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  const prev = grads.get(t);
  grads.set(t, prev ? add(prev, g) : g);
}

/** loss.backward(): accumulate ∂root/∂leaf into every leaf's .grad (and retainGrad() tensors'). */
export function backward(root: Tensor, gradOutput?: Tensor, opts: BackwardOptions = {}): void {
  const s = checkGradOutput(root, gradOutput, 'backward');
  const run = () => sweep([root], [s], opts);
  const grads = opts.createGraph ? enableGrad(run) : noGrad(run);
  const store = () => {
    for (const [t, g] of grads) {
      if (!t.isLeaf && !t.retainsGrad) continue;
      if (!t.grad) t.grad = g;
      else if (!opts.createGraph && hasOwnedGrad(t) && g.dtype === t.dtype) addIntoGradBuffer(t, g);
      else t.grad = opts.createGraph ? add(t.grad, g) : ownGradBuffer(add(t.grad, g));
    }
  };
  if (opts.createGraph) enableGrad(store);
  else noGrad(store);
}

/**
 * ∂(Σ gradOutputs·outputs)/∂inputs without touching any .grad (torch.autograd.grad). Inputs that the
 * outputs do not depend on get null (or zeros with allowUnused: 'zeros').
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  gradOutputs?: Tensor | readonly (Tensor | undefined)[],
  opts: BackwardOptions & { allowUnused?: 'zeros' | 'null' } = {},
): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  const given = gradOutputs === undefined ? [] : Array.isArray(gradOutputs) ? gradOutputs : [gradOutputs as Tensor];
  const s = outs.map((o, i) => checkGradOutput(o, given[i], 'grad'));
  const retainGraph = opts.retainGraph ?? !!opts.createGraph;
  const run = () => sweep(outs, s, { ...opts, retainGraph, targets: new Set(inputs) });
  const grads = opts.createGraph ? enableGrad(run) : noGrad(run);
  return inputs.map((x) => grads.get(x) ?? (opts.allowUnused === 'zeros' ? full(x.shape, 0, { dtype: x.dtype }) : null));
}

// Tensor.backward() calls this (tensor.ts sits below autograd and cannot import it).
bindTensorMethods({ backward });
