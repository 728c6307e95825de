// PyTorch-style autograd semantics, and the clear errors for misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const f64 = { dtype: 'float64' as const };

test('gradients accumulate across backward calls until zeroGrad', () => {
  const w = nb.tensor([1, 2], { ...f64, requiresGrad: true });
  w.mul(3).sum().backward();
  w.mul(3).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [6, 6]);
  w.zeroGrad();
  assert.equal(w.grad, null);
  w.square().sum().backward();
  assert.deepEqual(w.grad!.toArray(), [2, 4]);
});

test('fan-out sums gradients; retainGrad keeps a non-leaf gradient; leaves only by default', () => {
  const x = nb.tensor([3], { ...f64, requiresGrad: true });
  const h = x.mul(2).retainGrad();
  const k = x.mul(5);
  const y = h.mul(h).add(h).add(k).sum();
  y.backward();
  assert.deepEqual(h.grad!.toArray(), [2 * 6 + 1]);
  assert.equal(k.grad, null);
  assert.deepEqual(x.grad!.toArray(), [2 * 13 + 5]);
});

test('a gradOutput for non-scalar outputs', () => {
  const x = nb.tensor([1, 2, 3], { ...f64, requiresGrad: true });
  x.square().backward(nb.tensor([1, 0, 2], f64));
  assert.deepEqual(x.grad!.toArray(), [2, 0, 12]);
});

test('detach and noGrad stop gradients', () => {
  const x = nb.tensor([2], { ...f64, requiresGrad: true });
  const y = x.square().detach().mul(x).sum();
  y.backward();
  assert.deepEqual(x.grad!.toArray(), [4]);
  const z = nb.noGrad(() => x.mul(3));
  assert.equal(z.requiresGrad, false);
  assert.equal(z.node, null);
});

test('reshape shares data; transpose copies; toArray, item and dtype', () => {
  const x = nb.arange(6).reshape(2, 3);
  assert.deepEqual(x.toArray(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(x.T.toArray(), [[0, 3], [1, 4], [2, 5]]);
  assert.equal(x.dtype, 'float32');
  assert.equal(nb.tensor([[1.5]], f64).item(), 1.5);
  assert.ok(nb.tensor([1], f64).data instanceof Float64Array);
  assert.deepEqual(nb.eye(2).toArray(), [[1, 0], [0, 1]]);
  assert.deepEqual(nb.softmax(nb.tensor([1000, 1000])).toArray(), [0.5, 0.5], 'stable for large logits');
  assert.deepEqual(nb.logSoftmax(nb.tensor([0, -1000], f64)).toArray(), [0, -1000]);
  assert.deepEqual(nb.argmax(nb.tensor([[1, 5, 2], [7, 0, 7]]), 1).toArray(), [1, 0]);
  assert.deepEqual(nb.max(nb.tensor([[1, 5, 2], [7, 0, 7]]), 0, true).toArray(), [[7, 5, 7]]);
  assert.deepEqual(nb.mean(nb.tensor([[1, 2], [3, 4]]), 0).toArray(), [2, 3]);
  assert.deepEqual(nb.where(nb.tensor([1, 0]), nb.tensor([1, 2]), 9).toArray(), [1, 9]);
  assert.deepEqual(nb.tensor([1, 2, 3]).lt(2).toArray(), [1, 0, 0]);
});

test('same seed, same random tensors; different seed, different ones', () => {
  assert.deepEqual(nb.randn([5], { seed: 7 }).toArray(), nb.randn([5], { seed: 7 }).toArray());
  assert.notDeepEqual(nb.randn([5], { seed: 7 }).toArray(), nb.randn([5], { seed: 8 }).toArray());
  const u = nb.rand([1000], { seed: 1 });
  assert.ok(u.data.every((v) => v >= 0 && v < 1));
});

test('shape errors name the op and both shapes', () => {
  assert.throws(() => nb.add(nb.zeros([2, 3]), nb.zeros([4])), (e: Error) => e instanceof nb.ShapeError && /add/.test(e.message) && /\[2, 3\]/.test(e.message) && /\[4\]/.test(e.message));
  assert.throws(() => nb.matmul(nb.zeros([2, 3]), nb.zeros([4, 5])), (e: Error) => e instanceof nb.ShapeError && /matmul/.test(e.message) && /\[2, 3\]/.test(e.message) && /\[4, 5\]/.test(e.message));
  assert.throws(() => nb.zeros([2, 3]).reshape(4, 2), nb.ShapeError);
  assert.throws(() => nb.tensor([[1, 2], [3]]), /ragged/);
  assert.throws(() => nb.gather(nb.zeros([2, 3]), nb.tensor([[5], [0]]), 1), /out of range/);
});

test('a size that does not fit is a ShapeError, not a dtype error', () => {
  assert.throws(() => new nb.Tensor(new Float32Array(5), [2, 3]), (e: Error) => e instanceof nb.ShapeError && /5 values/.test(e.message));
  assert.throws(() => nb.zeros([2]).item(), (e: Error) => e instanceof nb.ShapeError && !(e instanceof nb.DTypeError));
});

test('mixed dtypes are refused, not coerced', () => {
  assert.throws(() => nb.add(nb.zeros([2]), nb.zeros([2], f64)), (e: Error) => e instanceof nb.DTypeError && /float32/.test(e.message) && /float64/.test(e.message));
  assert.throws(() => nb.matmul(nb.zeros([2, 2]), nb.zeros([2, 2], f64)), nb.DTypeError);
  // The message's advice works: .to() converts, and gradients flow back in the original dtype.
  const a = nb.tensor([1, 2], { requiresGrad: true }), b = nb.tensor([3, 4], f64);
  const y = a.to('float64').mul(b).sum();
  assert.equal(y.dtype, 'float64');
  y.backward();
  assert.equal(a.grad!.dtype, 'float32');
  assert.deepEqual(a.grad!.toArray(), [3, 4]);
});

test('backward twice through a freed graph says how to keep it', () => {
  const x = nb.tensor([1, 2], { requiresGrad: true });
  const y = x.exp().sum();
  y.backward();
  assert.throws(() => y.backward(), (e: Error) => e instanceof nb.GradError && /retainGraph/.test(e.message));
  const z = x.exp().sum();
  z.backward(undefined, { retainGraph: true });
  z.backward();
});

test('backward on a non-scalar without a gradOutput, and on a tensor with no graph', () => {
  const x = nb.tensor([1, 2], { requiresGrad: true });
  assert.throws(() => x.square().backward(), (e: Error) => e instanceof nb.GradError && /shape \[2\]/.test(e.message));
  assert.throws(() => nb.tensor([1]).backward(), nb.GradError);
});

test('gradient through a non-differentiable integer op names the op', () => {
  const x = nb.tensor([1, 3, 2], { requiresGrad: true });
  assert.throws(() => nb.argmax(x).backward(), (e: Error) => e instanceof nb.GradError && /argmax/.test(e.message));
  assert.throws(() => x.gt(1).sum().backward(), nb.GradError);
  assert.throws(() => nb.grad((t) => nb.argmax(t))(x), /argmax/);
});

test('checkFinite stops at the first non-finite gradient and names the op', () => {
  const x = nb.tensor([0, 1], { requiresGrad: true });
  const y = x.sqrt().sum();
  assert.throws(() => y.backward(undefined, { checkFinite: true }), (e: Error) => e instanceof nb.NonFiniteError && /sqrt/.test(e.message));
  const x2 = nb.tensor([0, 1], { requiresGrad: true });
  x2.sqrt().sum().backward();
  assert.equal(x2.grad!.data[0], Infinity, 'without the check, IEEE semantics as in PyTorch');
});
