// mseLoss as one fused op against the composed ops it replaces (mean or sum of square(sub)):
// the same loss within rounding, the same gradient bit for bit in float32, second derivatives
// (createGraph, hessian) equal to the composed path's, and the composed path wherever the fused
// op does not apply (a target that wants a gradient, vmap, 'none').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { fusedSquaredError } from '../../src/tensor/ops/squared-error.js';

const composed = (p: Tensor, y: Tensor, reduction: 'mean' | 'sum') => {
  const e = nb.square(nb.sub(p, y));
  return reduction === 'mean' ? nb.mean(e) : nb.sum(e);
};

test('fused mse: the loss within rounding and the gradient bit for bit, for a scaled and a repeated backward', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const reduction of ['mean', 'sum'] as const) {
      for (const shape of [[7, 3], [5, 1], [6]]) {
        const p0 = nb.randn(shape, { seed: 40, dtype }), y = nb.randn(shape, { seed: 41, dtype });
        const run = (useFused: boolean) => {
          const p = p0.detach();
          p.requiresGrad = true;
          const L = useFused ? nb.mseLoss(p, y, { reduction }) : composed(p, y, reduction);
          if (useFused) assert.equal(L.node!.op, 'mseLoss');
          nb.mul(L, 3).backward(undefined, { retainGraph: true });
          L.backward(); // g = 1 after a retained pass: 3·∂L + ∂L
          return { loss: L.item(), grad: Array.from(p.grad!.data) };
        };
        const f = run(true), c = run(false), what = `${dtype} ${reduction} ${shape}`;
        assert.ok(Math.abs(f.loss - c.loss) <= (dtype === 'float32' ? 1e-6 : 1e-14) * Math.abs(c.loss), `${what}: loss ${f.loss} vs ${c.loss}`);
        assert.deepEqual(f.grad, c.grad, `${what}: gradient`);
      }
    }
  }
});

test('fused mse: gradcheck in float64, second derivatives equal to the composed path', () => {
  const y = nb.randn([4, 2], { seed: 42, dtype: 'float64' });
  const w2 = nb.randn([3, 2], { seed: 43, dtype: 'float64' });
  const x = nb.randn([4, 3], { seed: 44, dtype: 'float64' });
  const net = (w: Tensor) => nb.linear(nb.tanh(nb.matmul(x, w.reshape([3, 3]))), w2);
  const w = nb.randn([9], { seed: 45, dtype: 'float64' });
  assert.ok(nb.gradcheck((v) => nb.mseLoss(net(v), y), [w]).passed);
  const hf = nb.hessian((v) => nb.mseLoss(net(v), y), w), hc = nb.hessian((v) => composed(net(v), y, 'mean'), w);
  for (let i = 0; i < hc.size; i++) assert.ok(Math.abs(hf.data[i] - hc.data[i]) <= 1e-12 * Math.max(1, Math.abs(hc.data[i])), `hessian[${i}]`);
});

test('fused mse steps aside where it does not apply: a target that wants a gradient, vmap, reduction none', () => {
  const p = nb.randn([3, 2], { seed: 46, dtype: 'float64', requiresGrad: true });
  const y = nb.randn([3, 2], { seed: 47, dtype: 'float64', requiresGrad: true });
  assert.equal(fusedSquaredError(p, y, 'mean'), null);
  nb.mseLoss(p, y).backward();
  for (let i = 0; i < 6; i++) assert.equal(y.grad!.data[i], -p.grad!.data[i]);
  // Per-example losses under vmap (batched inputs take the composed ops' batching rules).
  const ys = nb.randn([3, 2], { seed: 48, dtype: 'float64' });
  const per = nb.vmap((a: Tensor, b: Tensor) => nb.mseLoss(a, b))(p.detach(), ys);
  for (let r = 0; r < 3; r++) {
    const want = ((p.data[2 * r] - ys.data[2 * r]) ** 2 + (p.data[2 * r + 1] - ys.data[2 * r + 1]) ** 2) / 2;
    assert.ok(Math.abs(per.data[r] - want) <= 1e-14, `vmap row ${r}`);
  }
  assert.deepEqual(Array.from(nb.mseLoss(p, ys, { reduction: 'none' }).data), Array.from(nb.square(nb.sub(p, ys)).data));
});
