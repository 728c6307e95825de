// Every differentiable op's gradient against central finite differences in float64,
// at random points, including broadcasting cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };
let seed = 100;
const rn = (shape: number[]) => nb.randn(shape, { ...f64, seed: seed++ });
const pos = (shape: number[]) => nb.rand(shape, { ...f64, seed: seed++, low: 0.5, high: 2 });
// Points away from kinks (relu/abs/max at 0), where finite differences are not defined.
const away = (shape: number[]) => {
  const t = rn(shape);
  for (let i = 0; i < t.size; i++) if (Math.abs(t.data[i]) < 0.1) t.data[i] += 0.3;
  return t;
};

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) {
  test(`gradcheck ${name}`, () => {
    const r = nb.gradcheck(f, inputs);
    assert.ok(r.passed, `${name}: ${JSON.stringify(r.inputs)}`);
  });
}

// unary
check('neg', (x) => nb.neg(x), [rn([3, 4])]);
check('exp', (x) => nb.exp(x), [rn([3, 4])]);
check('log', (x) => nb.log(x), [pos([3, 4])]);
check('sqrt', (x) => nb.sqrt(x), [pos([5])]);
check('abs', (x) => nb.abs(x), [away([2, 3])]);
check('square', (x) => nb.square(x), [rn([2, 3])]);
check('reciprocal', (x) => nb.reciprocal(x), [pos([4])]);
check('sin', (x) => nb.sin(x), [rn([4])]);
check('cos', (x) => nb.cos(x), [rn([4])]);
check('tanh', (x) => nb.tanh(x), [rn([3, 3])]);
check('sigmoid', (x) => nb.sigmoid(x), [rn([3, 3])]);
check('relu', (x) => nb.relu(x), [away([3, 3])]);
check('softplus', (x) => nb.softplus(x), [rn([3, 3])]);
check('leakyRelu', (x) => nb.leakyRelu(x, 0.1), [away([3, 3])]);
check('elu', (x) => nb.elu(x, 1.5), [away([3, 3])]);
check('gelu', (x) => nb.gelu(x), [rn([3, 3])]);
check('clamp', (x) => nb.clamp(x, -0.5, 0.5), [away([4, 4]).mul(0.2).add(0.05)]);

// binary, same shape and broadcast
check('add', (a, b) => nb.add(a, b), [rn([2, 3]), rn([2, 3])]);
check('add broadcast row', (a, b) => nb.add(a, b), [rn([4, 3]), rn([3])]);
check('add broadcast col+row', (a, b) => nb.add(a, b), [rn([4, 1]), rn([1, 3])]);
check('sub broadcast', (a, b) => nb.sub(a, b), [rn([2, 3, 4]), rn([3, 1])]);
check('mul broadcast', (a, b) => nb.mul(a, b), [rn([2, 3]), rn([2, 1])]);
check('div broadcast', (a, b) => nb.div(a, b), [rn([2, 3]), pos([3])]);
check('pow', (a, b) => nb.pow(a, b), [pos([2, 3]), rn([2, 3])]);
check('pow broadcast scalar exponent', (a, b) => nb.pow(a, b), [pos([2, 3]), rn([])]);
check('maximum', (a, b) => nb.maximum(a, b), [rn([3, 3]), rn([3, 3]).add(0.05)]);
check('minimum broadcast', (a, b) => nb.minimum(a, b), [rn([3, 3]), rn([3])]);
check('where', (a, b) => nb.where(nb.gt(a, 0), a.mul(b), b), [away([3, 4]), rn([4])]);
check('scalar affine ops', (x) => x.add(2).sub(1).mul(3).div(4), [rn([3])]);

// reductions
check('sum all', (x) => nb.sum(x), [rn([3, 4])]);
check('sum axis keepdims', (x) => nb.sum(x, 1, true), [rn([2, 3, 4])]);
check('sum axes', (x) => nb.sum(x, [0, 2]), [rn([2, 3, 4])]);
check('mean axis', (x) => nb.mean(x, -1), [rn([3, 5])]);
check('max axis', (x) => nb.max(x, 1), [rn([3, 5])]);
check('min all', (x) => nb.min(x), [rn([3, 5])]);

// linear algebra and movement
check('matmul 2d', (a, b) => nb.matmul(a, b), [rn([3, 4]), rn([4, 2])]);
check('matmul transA', (a, b) => nb.matmul(a, b, { transA: true }), [rn([4, 3]), rn([4, 2])]);
check('matmul transB', (a, b) => nb.matmul(a, b, { transB: true }), [rn([3, 4]), rn([2, 4])]);
check('matmul transA transB', (a, b) => nb.matmul(a, b, { transA: true, transB: true }), [rn([4, 3]), rn([2, 4])]);
check('matmul batched broadcast', (a, b) => nb.matmul(a, b), [rn([2, 3, 4]), rn([4, 2])]);
check('matmul vector', (a, b) => nb.matmul(a, b), [rn([4]), rn([4, 3])]);
check('transpose', (x) => nb.transpose(x, [2, 0, 1]), [rn([2, 3, 4])]);
check('.T', (x) => x.T.mul(x.T), [rn([2, 3])]);
check('reshape', (x) => nb.reshape(x, [6, -1]).mul(x.reshape(6, 2)), [rn([3, 4])]);
check('broadcastTo', (x) => nb.broadcastTo(x, [4, 3]), [rn([3])]);
check('slice', (x) => x.slice([1, 3], [0, undefined, 2]), [rn([4, 5])]);
check('slice index', (x) => x.slice(null, -1), [rn([3, 4])]);
check('gather', (x) => nb.gather(x, nb.tensor([[2], [0], [1]], f64), 1), [rn([3, 4])]);
check('concat', (a, b) => nb.concat([a, b], 1), [rn([2, 3]), rn([2, 1])]);
check('stack', (a, b) => nb.stack([a, b], 1), [rn([2, 3]), rn([2, 3])]);
check('softmax', (x) => nb.softmax(x), [rn([3, 4])]);
check('softmax axis 0', (x) => nb.softmax(x, 0), [rn([3, 4])]);
check('logSoftmax', (x) => nb.logSoftmax(x), [rn([3, 4])]);

test('gradcheck reports a failure for a wrong VJP', () => {
  // A deliberately wrong derivative: gradcheck must notice (so it can fail at all).
  const wrong = (x: Tensor) => {
    const y = nb.exp(x);
    const out = nb.tensor(y.data.slice(), { shape: y.shape });
    out.requiresGrad = true;
    out.node = { op: 'badExp', inputs: [x], vjp: (g) => [g.mul(2)] };
    return out;
  };
  const r = nb.gradcheck(wrong, [rn([3])]);
  assert.equal(r.passed, false);
  assert.ok(r.inputs[0].maxAbsError > 0.1);
});

check('linear (fused bias)', (x, w, b) => nb.linear(x, w, b), [rn([5, 3]), rn([3, 4]), rn([4])]);
check('linear without bias', (x, w) => nb.linear(x, w), [rn([2, 3]), rn([3, 2])]);
test('linear equals matmul + add', () => {
  const x = rn([4, 3]), w = rn([3, 2]), b = rn([2]);
  const fused = nb.linear(x, w, b).data, plain = nb.add(nb.matmul(x, w), b).data;
  // Same sums in a different order (bias first): equal up to rounding.
  fused.forEach((v, i) => assert.ok(Math.abs(v - plain[i]) < 1e-14, `${v} vs ${plain[i]}`));
  assert.throws(() => nb.linear(rn([4, 3]), rn([2, 2])), /linear/);
});
