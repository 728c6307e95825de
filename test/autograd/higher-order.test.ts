// grad of grad, Hessian-vector products and Hessians, against analytic forms and finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what = '') => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('grad of grad of x³ is 6x; third derivative is 6', () => {
  const f = (x: Tensor) => x.pow(3).sum();
  const x = nb.tensor([2, -1.5], f64);
  const second = (y: Tensor) => nb.grad((z: Tensor) => nb.grad(f)(z).sum())(y);
  close(nb.grad((y: Tensor) => second(y).sum())(x).data, [6, 6], 1e-12);
  close(nb.grad((y: Tensor) => nb.grad(f)(y).sum())(x).data, [12, -9], 1e-12);
});

test('hvp and hessian of a quadratic form ½xᵀAx + bᵀx equal ½(A + Aᵀ)', () => {
  const A = nb.randn([4, 4], { ...f64, seed: 1 });
  const b = nb.randn([4], { ...f64, seed: 2 });
  const f = (x: Tensor) => x.matmul(A).matmul(x).mul(0.5).add(b.matmul(x));
  const x = nb.randn([4], { ...f64, seed: 3 });
  const v = nb.randn([4], { ...f64, seed: 4 });
  const Hs = nb.noGrad(() => A.add(A.T).mul(0.5));
  close(nb.hvp(f, x, v).data, Hs.matmul(v).data, 1e-12, 'hvp');
  close(nb.hessian(f, x).data, Hs.data, 1e-12, 'hessian');
});

test('hessian of Σ softplus(x) is diag(σ(x)(1 − σ(x)))', () => {
  const x = nb.randn([5], { ...f64, seed: 5 });
  const H = nb.hessian((y) => nb.softplus(y).sum(), x);
  const expected = new Float64Array(25);
  for (let i = 0; i < 5; i++) { const s = 1 / (1 + Math.exp(-x.data[i])); expected[i * 6] = s * (1 - s); }
  close(H.data, expected, 1e-12);
  assert.deepEqual(H.shape, [5, 5]);
});

test('hvp of a small MLP loss equals finite differences of its gradient', () => {
  const X = nb.randn([6, 3], { ...f64, seed: 6 });
  const Y = nb.randn([6, 2], { ...f64, seed: 7 });
  const shapes = [[3, 4], [4], [4, 2], [2]];
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  // Parameters flattened into one vector θ so that H·v is a vector too.
  const loss = (theta: Tensor) => {
    const parts: Tensor[] = [];
    let at = 0;
    shapes.forEach((s, i) => { parts.push(theta.slice([at, at + sizes[i]]).reshape(s)); at += sizes[i]; });
    const [W1, b1, W2, b2] = parts;
    const out = X.matmul(W1).add(b1).tanh().matmul(W2).add(b2);
    return out.sub(Y).square().mean();
  };
  const theta = nb.randn([total], { ...f64, seed: 8 });
  const v = nb.randn([total], { ...f64, seed: 9 });
  const hv = nb.hvp(loss, theta, v);
  const eps = 1e-5;
  const gPlus = nb.grad(loss)(theta.add(v.mul(eps)));
  const gMinus = nb.grad(loss)(theta.sub(v.mul(eps)));
  const fd = nb.noGrad(() => gPlus.sub(gMinus).div(2 * eps));
  close(hv.data, fd.data, 1e-6, 'hvp vs fd');
});

test('hvp through sigmoid, relu, softmax + log and gelu second derivatives matches finite differences', () => {
  const fs: [string, (x: Tensor) => Tensor][] = [
    ['sigmoid', (x) => x.sigmoid().square().sum()],
    ['softmax-ce', (x) => x.reshape(2, 3).logSoftmax().slice(null, 0).sum().neg()],
    ['gelu', (x) => nb.gelu(x).mul(x).sum()],
    ['elu', (x) => nb.elu(x, 1.3).square().sum()],
    ['softplus', (x) => x.softplus().mul(x).sum()],
    ['div-log', (x) => x.square().add(1).log().div(x.exp().add(1)).sum()],
  ];
  for (const [name, f] of fs) {
    const x = nb.randn([6], { ...f64, seed: 10 });
    const v = nb.randn([6], { ...f64, seed: 11 });
    const eps = 1e-5;
    const fd = nb.noGrad(() => nb.grad(f)(x.add(v.mul(eps))).sub(nb.grad(f)(x.sub(v.mul(eps)))).div(2 * eps));
    close(nb.hvp(f, x, v).data, fd.data, 1e-6, name);
  }
});

test('jvp equals the directional derivative and vjp the transposed product', () => {
  const W = nb.randn([3, 4], { ...f64, seed: 12 });
  const f = (x: Tensor) => x.matmul(W).tanh();
  const x = nb.randn([2, 3], { ...f64, seed: 13 });
  const t = nb.randn([2, 3], { ...f64, seed: 14 });
  const [, jt] = nb.jvp(f, [x], [t]);
  const eps = 1e-6;
  const fd = nb.noGrad(() => f(x.add(t.mul(eps))).sub(f(x.sub(t.mul(eps)))).div(2 * eps));
  close(jt.data, fd.data, 1e-8, 'jvp');
  const u = nb.randn([2, 4], { ...f64, seed: 15 });
  const [, [ux]] = nb.vjp(f, [x], u);
  // ⟨u, J t⟩ = ⟨uᵀJ, t⟩
  const lhs = nb.noGrad(() => u.mul(jt).sum().item());
  const rhs = nb.noGrad(() => ux.mul(t).sum().item());
  assert.ok(Math.abs(lhs - rhs) < 1e-12);
});

test('valueAndGrad and grad with several argnums', () => {
  const f = (a: Tensor, b: Tensor) => a.mul(b).sum();
  const a = nb.tensor([1, 2], f64), b = nb.tensor([3, 4], f64);
  const [v, [ga, gb]] = nb.valueAndGrad(f, [0, 1])(a, b);
  assert.equal(v.item(), 11);
  assert.deepEqual(ga.toArray(), [3, 4]);
  assert.deepEqual(gb.toArray(), [1, 2]);
  assert.deepEqual(nb.grad(f, 1)(a, b).toArray(), [1, 2]);
  assert.equal(a.grad, null, 'transforms do not touch .grad');
});
