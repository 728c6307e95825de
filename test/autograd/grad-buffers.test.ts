// Persistent gradient buffers: zeroGrad(false) keeps each parameter's .grad and zeroes it, and
// backward() then adds into it in place (the linear layer's weight gradient straight from its
// GEMM). The gradients are the same, bit for bit, as with fresh buffers; a gradient autograd did
// not make for that leaf alone (shared between two leaves, held by the caller, part of a graph)
// is never written into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const grads = (m: nb.Module) => m.parameters().map((p) => Array.from(p.grad!.data));

test('zeroGrad(false) keeps the buffers, and backward adds into them: the same gradients bit for bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const make = () => nb.mlp([5, 7, 6, 3], { activation: 'tanh', seed: 3, dtype });
    const fresh = make(), kept = make();
    const x = nb.randn([9, 5], { seed: 4, dtype }), y = nb.randint(0, 3, [9], { seed: 5 }).to(dtype);
    let buffers: Tensor[] | null = null;
    for (let step = 0; step < 3; step++) {
      fresh.zeroGrad();
      kept.zeroGrad(false);
      const zeros = kept.parameters().map((p) => p.grad!);
      assert.ok(zeros.every((g) => g.data.every((v) => v === 0)), 'zeroed');
      if (buffers) assert.ok(zeros.every((g, i) => g === buffers![i]), 'the same tensors as the step before');
      buffers = zeros;
      for (const m of [fresh, kept]) nb.crossEntropy(m.forward(x), y).backward();
      assert.ok(kept.parameters().every((p, i) => p.grad === buffers![i]), 'filled in place');
      assert.deepEqual(grads(kept), grads(fresh), `${dtype} step ${step}`);
      // Two backward passes accumulate, as without kept buffers.
      for (const m of [fresh, kept]) nb.mseLoss(m.forward(x), nb.zeros([9, 3], { dtype })).backward();
      assert.deepEqual(grads(kept), grads(fresh), `${dtype} step ${step}, accumulated`);
    }
  }
});

test('a weight used twice (tied layers) gets both contributions in its buffer, as finite differences say', () => {
  const lin = new nb.Linear(4, 4, { seed: 6, dtype: 'float64' });
  const x = nb.randn([3, 4], { seed: 7, dtype: 'float64' });
  const f = (w: Tensor) => nb.sum(nb.square(nb.linear(nb.tanh(nb.linear(x, w, lin.bias)), w, lin.bias)));
  lin.zeroGrad(false);
  f(lin.weight).backward();
  const check = nb.gradcheck((w) => f(w), [lin.weight.detach().requiresGrad_()]);
  assert.ok(check.passed);
  const [want] = nb.gradients(f(lin.weight), [lin.weight]);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(lin.weight.grad!.data[i] - want!.data[i]) <= 1e-12, `element ${i}`);
});

test('gradients that are not owned buffers are never written into', () => {
  // add's VJP hands the same tensor to both leaves: accumulating into a's must leave b's alone.
  const a = nb.tensor([1, 2], { requiresGrad: true }), b = nb.tensor([3, 4], { requiresGrad: true });
  nb.sum(nb.add(a, b)).backward();
  const bBefore = Array.from(b.grad!.data);
  nb.sum(nb.mul(a, 3)).backward();
  nb.sum(nb.mul(a, 5)).backward();
  assert.deepEqual(Array.from(a.grad!.data), [9, 9]);
  assert.deepEqual(Array.from(b.grad!.data), bBefore);
  // A gradient the caller kept from before zeroGrad() (setToNone) keeps its values.
  const lin = new nb.Linear(2, 2, { seed: 8 });
  const x = nb.randn([4, 2], { seed: 9 });
  lin.zeroGrad(false);
  nb.sum(lin.forward(x)).backward();
  const held = lin.weight.grad!, heldValues = Array.from(held.data);
  lin.zeroGrad();
  assert.equal(lin.weight.grad, null);
  nb.sum(nb.mul(lin.forward(x), 2)).backward();
  assert.deepEqual(Array.from(held.data), heldValues);
  // createGraph makes a differentiable gradient: it is a graph node, not a buffer to write into.
  const w = nb.tensor([[0.5, -1.5]], { dtype: 'float64', requiresGrad: true });
  const lw = new nb.Linear(2, 1, { seed: 10, dtype: 'float64' });
  lw.zeroGrad(false);
  nb.sum(nb.square(lw.forward(w))).backward(undefined, { createGraph: true, retainGraph: true });
  const g = lw.weight.grad!;
  assert.ok(g.requiresGrad, 'the gradient is differentiable');
  nb.sum(g).backward();
  assert.ok(w.grad !== null, 'and differentiates back to w');
});
