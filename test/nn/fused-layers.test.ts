// The fused paths nn takes (Linear + activation in one GEMM epilogue; softmax cross-entropy with
// integer labels in one kernel) against the same computation through the unfused ops: values and
// gradients within float32 rounding, the same recorded graph, gradients against finite differences
// in float64, and second derivatives (createGraph, hessian) equal to the composed path's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Module, Tensor } from '../../src/index.js';
import { linearActivation } from '../../src/tensor/ops/linear.js';
import { fusedCrossEntropy } from '../../src/tensor/ops/softmax-cross-entropy.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= rtol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** The model's layers applied one at a time: the path Sequential took before it fused. */
function unfused(model: nb.Sequential, x: Tensor): Tensor {
  let y = x;
  for (const m of model) y = m.forward(y);
  return y;
}

/** The ops recorded from `out` back to the leaves, in visiting order. */
function ops(out: Tensor): string[] {
  const seen: string[] = [];
  const stack = [out];
  while (stack.length) {
    const t = stack.pop()!;
    if (!t.node) continue;
    seen.push(t.node.op);
    stack.push(...t.node.inputs);
  }
  return seen;
}

function lossAndGrads(model: Module, forward: () => Tensor, y: Tensor, composedLoss: boolean): [number[], number, number[][]] {
  model.zeroGrad();
  const out = forward();
  const loss = composedLoss ? nb.nllLoss(nb.logSoftmax(out, 1), y) : nb.crossEntropy(out, y);
  loss.backward();
  return [Array.from(out.data), loss.item(), model.parameters().map((p) => Array.from(p.grad!.data))];
}

const ACTS: [string, number?][] = [['relu'], ['tanh'], ['sigmoid'], ['leakyRelu', 0.2], ['elu', 0.5], ['gelu'], ['softplus'], ['silu'], ['identity']];

for (const [act, param] of ACTS) {
  test(`mlp with ${act}: the fused forward and loss equal the layer-by-layer ops (float32), with the same graph`, () => {
    const model = new nb.Sequential(
      new nb.Linear(13, 17, { seed: 3 }), new nb.Activation(act, param),
      new nb.Linear(17, 9, { seed: 4 }), new nb.Activation(act, param), new nb.Linear(9, 5, { seed: 5 }),
    );
    const x = nb.randn([11, 13], { seed: 4 });
    const y = nb.randint(0, 5, [11], { seed: 5 });
    const [o1, l1, g1] = lossAndGrads(model, () => model.forward(x), y, false);
    const [o2, l2, g2] = lossAndGrads(model, () => unfused(model, x), y, true);
    close(o1, o2, 2e-6, 'output');
    close([l1], [l2], 2e-6, 'loss');
    g1.forEach((g, i) => close(g, g2[i], 2e-5, `grad ${i}`));
    // The same nodes in the same order up to the logits (the loss differs: one node instead of five).
    const xs = x.detach();
    const w = nb.randn([13, 13], { seed: 6, requiresGrad: true });
    const first = nb.matmul(xs, w);
    assert.deepEqual(ops(model.forward(first)), ops(unfused(model, first)));
  });
}

test('linearActivation under noGrad, on leaves without gradients and under vmap gives the composed values', () => {
  const x = nb.randn([7, 6], { seed: 1 }), w = nb.randn([6, 4], { seed: 2 }), b = nb.randn([4], { seed: 3 });
  const want = nb.relu(nb.linear(x, w, b));
  close(nb.noGrad(() => linearActivation(x, w, b, 'relu')).data, want.data, 1e-6, 'noGrad');
  close(linearActivation(x, w, null, 'tanh').data, nb.tanh(nb.linear(x, w)).data, 1e-6, 'no bias');
  // vmap over rows: each row is a [1, 6] example; the batched path composes (a vmap watches the ops).
  const f = (r: Tensor) => linearActivation(r.reshape([1, 6]), w, b, 'gelu').reshape([4]);
  close(nb.vmap(f)(x).data, nb.gelu(nb.linear(x, w, b)).data, 1e-6, 'vmap');
});

test('linearActivation + fused cross-entropy: gradients match finite differences in float64', () => {
  const y = nb.tensor([0, 2, 1, 2, 0], { dtype: 'float64' });
  for (const act of ['relu', 'tanh', 'sigmoid', 'gelu', 'elu']) {
    const f = (x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor) => nb.crossEntropy(nb.linear(linearActivation(x, w1, b1, act), w2), y);
    const inputs = [[5, 4], [4, 6], [6], [6, 3]].map((s, i) => nb.randn(s, { seed: 10 + i, dtype: 'float64' }));
    const r = nb.gradcheck(f, inputs, { atol: 1e-7, rtol: 1e-5 });
    assert.ok(r.passed, `${act}: ${JSON.stringify(r.inputs)}`);
  }
});

test('second derivatives through the fused ops equal the composed ops (hessian, createGraph)', () => {
  const x = nb.randn([4, 3], { seed: 20, dtype: 'float64' }), b = nb.randn([5], { seed: 21, dtype: 'float64' });
  const w2 = nb.randn([5, 3], { seed: 22, dtype: 'float64' });
  const y = nb.tensor([2, 0, 1, 1], { dtype: 'float64' });
  const fused = (w: Tensor) => nb.crossEntropy(nb.linear(linearActivation(x, w.reshape([3, 5]), b, 'tanh'), w2), y);
  const composed = (w: Tensor) => nb.nllLoss(nb.logSoftmax(nb.linear(nb.tanh(nb.linear(x, w.reshape([3, 5]), b)), w2), 1), y);
  const w = nb.randn([15], { seed: 23, dtype: 'float64' });
  close(nb.hessian(fused, w).data, nb.hessian(composed, w).data, 1e-10, 'hessian');
  // createGraph through backward(): the gradient of Σ ∂L/∂z² with respect to the logits.
  const second = (useFused: boolean) => {
    const z = nb.randn([4, 3], { seed: 24, dtype: 'float64', requiresGrad: true });
    const L = useFused ? nb.crossEntropy(z, y, { reduction: 'sum' }) : nb.nllLoss(nb.logSoftmax(z, 1), y, { reduction: 'sum' });
    const [g] = nb.gradients(L, [z], undefined, { createGraph: true });
    nb.sum(nb.square(g!)).backward();
    return Array.from(z.grad!.data);
  };
  close(second(true), second(false), 1e-12, 'grad of grad');
});

test('fused cross-entropy: mean and sum, [n, 1] labels, float64 labels, a scaled or repeated backward, and the same errors', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const z0 = nb.randn([9, 4], { seed: 30, dtype });
    for (const reduction of ['mean', 'sum'] as const) {
      for (const labels of [nb.randint(0, 4, [9], { seed: 31 }), nb.randint(0, 4, [9, 1], { seed: 31 }), nb.randint(0, 4, [9], { seed: 31 }).to('float64')]) {
        const run = (useFused: boolean) => {
          const z = z0.detach();
          z.requiresGrad = true;
          const L = useFused ? nb.crossEntropy(z, labels, { reduction }) : nb.nllLoss(nb.logSoftmax(z, 1), labels, { reduction });
          nb.mul(L, 3).backward(undefined, { retainGraph: true });
          L.backward(); // g = 1 after a retained pass: 3·∂L + ∂L
          return [L.item(), ...z.grad!.data];
        };
        close(run(true), run(false), dtype === 'float32' ? 2e-6 : 1e-13, `${dtype} ${reduction} labels ${labels.shape} ${labels.dtype}`);
      }
    }
  }
  const z = nb.randn([3, 4], { seed: 32 });
  assert.equal(fusedCrossEntropy(z, nb.tensor([0, 4, 1]), 'mean'), null, 'an out-of-range label falls back');
  assert.throws(() => nb.crossEntropy(z, nb.tensor([0, 4, 1])), /gather: index 4 at position 1 is out of range \[0, 4\)/);
  assert.throws(() => nb.crossEntropy(z, nb.tensor([0, 1.5, 1])), /gather: index 1.5/);
  // 'none' and soft targets keep the composed path.
  close(nb.crossEntropy(z, nb.tensor([0, 3, 1]), { reduction: 'none' }).data, nb.neg(nb.gather(nb.logSoftmax(z, 1), nb.tensor([[0], [3], [1]]), 1)).reshape([3]).data, 1e-6, 'none');
});

/** Calls of the backend's gemmFused with a derivative epilogue while fn runs. */
function foldedGemms(fn: () => void): number {
  const inner = nb.getBackend();
  let count = 0;
  const spy = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'gemmFused') {
        return (...args: Parameters<NonNullable<typeof inner.gemmFused>>) => {
          if (args[14].grad) count++;
          return target.gemmFused!(...args);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  nb.setBackend(spy);
  try { fn(); } finally { nb.setBackend(inner); }
  return count;
}

test('backward folds each hidden activation into the next layer\'s ∂X only where nobody reads the activation\'s gradient', () => {
  const model = nb.mlp([6, 8, 7, 3], { activation: 'tanh', seed: 40 });
  const x = nb.randn([5, 6], { seed: 41 }), y = nb.randint(0, 3, [5], { seed: 42 });
  const grads = () => model.parameters().map((p) => Array.from(p.grad!.data));
  // The reference: layer by layer, composed loss.
  const [, , want] = lossAndGrads(model, () => unfused(model, x), y, true);
  // A plain backward folds both hidden activations.
  model.zeroGrad();
  let out = model.forward(x);
  assert.equal(foldedGemms(() => nb.crossEntropy(out, y).backward()), 2);
  grads().forEach((g, i) => close(g, want[i], 2e-5, `folded grad ${i}`));
  // retainGrad on the last hidden activation: that one is not folded, and its .grad is ∂L/∂Y.
  model.zeroGrad();
  out = model.forward(x);
  const hidden = out.node!.inputs[0];
  hidden.retainGrad();
  assert.equal(foldedGemms(() => nb.crossEntropy(out, y).backward()), 1);
  grads().forEach((g, i) => close(g, want[i], 2e-5, `retained grad ${i}`));
  const unfusedOut = unfused(model, x);
  const unfusedHidden = unfusedOut.node!.inputs[0];
  const [wantHidden] = nb.gradients(nb.nllLoss(nb.logSoftmax(unfusedOut, 1), y), [unfusedHidden]);
  close(hidden.grad!.data, wantHidden!.data, 2e-5, 'retained ∂L/∂Y');
  // gradients() asking for the activation gets ∂L/∂Y, not the folded ∂L/∂Z.
  out = model.forward(x);
  const [gotHidden] = nb.gradients(nb.crossEntropy(out, y), [out.node!.inputs[0]]);
  close(gotHidden!.data, wantHidden!.data, 2e-5, 'gradients() ∂L/∂Y');
  // Another use of the activation found by walking the graph: the extra gradient is multiplied by g′ alone.
  model.zeroGrad();
  out = model.forward(x);
  nb.add(nb.crossEntropy(out, y), nb.sum(nb.square(out.node!.inputs[0]))).backward();
  const got = grads();
  model.zeroGrad();
  const u = unfused(model, x);
  nb.add(nb.nllLoss(nb.logSoftmax(u, 1), y), nb.sum(nb.square(u.node!.inputs[0]))).backward();
  grads().forEach((g, i) => close(got[i], g, 2e-5, `fan-out grad ${i}`));
  // A recorded backward pass does not fold (its gradient must be differentiable).
  model.zeroGrad();
  out = model.forward(x);
  assert.equal(foldedGemms(() => nb.crossEntropy(out, y).backward(undefined, { createGraph: true })), 0);
  grads().forEach((g, i) => close(g, want[i], 2e-5, `createGraph grad ${i}`));
});

test('the lessons\' GEMM flop counter sees the fused layers: forward 2·n·Σ in·out, backward twice that', () => {
  const model = nb.mlp([5, 7, 6, 3], { activation: 'relu', seed: 50 });
  const x = nb.randn([4, 5], { seed: 51 });
  const f = nb.countGemmFlops(() => nb.sum(model.forward(x)));
  assert.equal(f.flops, 2 * 4 * (5 * 7 + 7 * 6 + 6 * 3));
  const b = nb.countGemmFlops(() => f.result.backward());
  // ∂W for every layer, ∂X for all but the first (x needs no gradient).
  assert.equal(b.flops, 2 * 4 * (5 * 7 + 7 * 6 + 6 * 3) + 2 * 4 * (7 * 6 + 6 * 3));
});
