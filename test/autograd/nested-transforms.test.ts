// Nested transforms differentiate only their own arguments: the known perturbation-confusion
// cases, each with the value a correct implementation gives and the wrong one a confused one gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };
const t64 = (v: number[]) => nb.tensor(v, f64);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12, what = '') => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('perturbation confusion: grad of grad with a captured variable, d/dx (∂/∂y x·y at y = x) = 1, not 2', () => {
  const x = t64([3]);
  const d = nb.grad((x: Tensor) => nb.grad((y: Tensor) => x.mul(y).sum())(x).sum())(x);
  close(d.data, [1]);
});

test('perturbation confusion: Siskind and Pearlmutter, d/dx [x · d/dy (x + y)] at x = 1 is 1, not 2', () => {
  const one = t64([1]);
  const d = nb.grad((x: Tensor) => x.mul(nb.grad((y: Tensor) => x.add(y).sum())(one)).sum())(one);
  close(d.data, [1]);
});

test('perturbation confusion: vjp inside grad, d/dx (cᵀ ∂(x·y)/∂y at y = x) = c', () => {
  const x = t64([3, -2]), c = t64([0.5, 2]);
  const d = nb.grad((x: Tensor) => nb.vjp((y: Tensor) => x.mul(y), [x], c)[1][0].sum())(x);
  close(d.data, [0.5, 2]);
});

test('perturbation confusion: jvp inside grad, d/dx (∂(x·y)/∂y · t at y = x) = t', () => {
  const x = t64([3, -2]), t = t64([1.5, -1]);
  const d = nb.grad((x: Tensor) => nb.jvp((y: Tensor) => x.mul(y), [x], [t])[1].sum())(x);
  close(d.data, [1.5, -1]);
});

test('perturbation confusion: grad inside jvp, the tangent of x ↦ ∇_y (x·y) at y = x is t, not 2t', () => {
  const x = t64([3, -2]), t = t64([1, 4]);
  const [, dt] = nb.jvp((x: Tensor) => nb.grad((y: Tensor) => x.mul(y).sum())(x), [x], [t]);
  close(dt.data, [1, 4]);
});

test('perturbation confusion at depth 3: grad ∘ grad ∘ grad with captures gives 4x', () => {
  // inner(z) = Σ x·y·z, so ∂/∂z = x·y; middle(y) = Σ (x·y)·y, so ∂/∂y = 2xy, at y = x: 2x²; d/dx Σ 2x² = 4x.
  const x = t64([3, -1]);
  const d = nb.grad((x: Tensor) => {
    const middle = (y: Tensor) => nb.grad((z: Tensor) => x.mul(y).mul(z).sum())(y).mul(y).sum();
    return nb.grad(middle)(x).sum();
  })(x);
  close(d.data, [12, -4]);
});

test('perturbation confusion at depth 3: grad of jvp of vjp with captures gives 1', () => {
  // vjp: 1ᵀ ∂(x·y·z)/∂z at z = y is x·y; jvp: ∂(x·y)/∂y · 1 = x; grad: d/dx Σ x = 1.
  const x = t64([2, 5]), ones = t64([1, 1]);
  const d = nb.grad((x: Tensor) =>
    nb.jvp((y: Tensor) => nb.vjp((z: Tensor) => x.mul(y).mul(z), [y], ones)[1][0], [x], [ones])[1].sum())(x);
  close(d.data, [1, 1]);
});

test('perturbation confusion at depth 3: jvp of grad of vjp with captures', () => {
  // vjp at z = y: x·y·c; grad wrt y of Σ x·y·c·y = 2·x·y·c, at y = x: 2x²c; jvp with tangent t: 4xct.
  const x = t64([1.5, -2]), c = t64([0.5, 3]), t = t64([1, -1]);
  const [, dt] = nb.jvp((x: Tensor) =>
    nb.grad((y: Tensor) => nb.vjp((z: Tensor) => x.mul(y).mul(z), [y], c)[1][0].mul(y).sum())(x), [x], [t]);
  close(dt.data, [4 * 1.5 * 0.5 * 1, 4 * -2 * 3 * -1]);
});

test('a captured tensor is a constant to the inner transform: hessian inside grad', () => {
  // H of y ↦ Σ x·y³ is diag(6·x·y); at y = x it is diag(6x²), and d/dx of its trace Σ 6x² is 12x.
  const x = t64([1, 2]);
  const d = nb.grad((x: Tensor) => {
    const H = nb.hessian((y: Tensor) => x.mul(y.pow(3)).sum(), x);
    return H.mul(nb.eye(2, 2, f64)).sum();
  })(x);
  close(d.data, [12, 24]);
});

test('a top-level transform neither runs nor frees the VJPs of a graph it only captures', () => {
  const p = t64([2, 3]).requiresGrad_();
  const z = p.mul(p); // the user's own graph
  const g = nb.grad((y: Tensor) => y.mul(z).sum())(t64([1, 1]));
  close(g.data, [4, 9]);
  z.sum().backward(); // still there: the transform did not free it
  close(p.grad!.data, [4, 6]);
});

test('PyTorch-style backward() through a transform result reaches a leaf that requires grad', () => {
  const x = t64([1, 2]).requiresGrad_();
  const g = nb.grad((y: Tensor) => y.pow(3).sum())(x); // 3y²
  g.sum().backward();
  close(x.grad!.data, [6, 12]);
  // and captured: d/dp Σ ∂/∂y (p·y²) = d/dp Σ 2py = 2y
  const q = t64([0.5, 4]).requiresGrad_();
  nb.grad((y: Tensor) => q.mul(y.square()).sum())(t64([3, -1])).sum().backward();
  close(q.grad!.data, [6, -2]);
});

test('grad of a function that ignores its argument is zero', () => {
  close(nb.grad(() => t64([1, 2]).sum())(t64([3, 4])).data, [0, 0]);
});

// --- jacobian ------------------------------------------------------------------------------------

const f = (x: Tensor) => x.matmul(nb.tensor([[1, 2, 0], [0, -1, 3]], f64)).tanh().mul(x.sum()).reshape(3, 1);

test('jacobian has shape [...f(x).shape, ...x.shape] and equals stacked VJP rows', () => {
  const x = t64([0.3, -0.7]);
  const J = nb.jacobian(f)(x);
  assert.deepEqual(J.shape, [3, 1, 2]);
  for (let j = 0; j < 3; j++) {
    const e = nb.zeros([3, 1], f64);
    e.data[j] = 1;
    const [, [row]] = nb.vjp(f, [x], e);
    close(J.data.subarray(j * 2, j * 2 + 2), row.data, 1e-12, `row ${j}`);
  }
});

test('jacfwd equals jacrev, and both match central finite differences', () => {
  const g = (X: Tensor, W: Tensor) => X.matmul(W).sigmoid().square();
  const X = nb.randn([2, 3], { ...f64, seed: 1 }), W = nb.randn([3, 2], { ...f64, seed: 2 });
  for (const argnum of [0, 1]) {
    const Jr = nb.jacrev(g, argnum)(X, W), Jf = nb.jacfwd(g, argnum)(X, W);
    const x = argnum === 0 ? X : W;
    assert.deepEqual(Jr.shape, [2, 2, ...x.shape]);
    close(Jf.data, Jr.data, 1e-12, `argnum ${argnum}`);
    const eps = 1e-6, n = x.size;
    for (let i = 0; i < n; i++) {
      const keep = x.data[i];
      x.data[i] = keep + eps;
      const up = g(X, W).data.slice();
      x.data[i] = keep - eps;
      const down = g(X, W).data;
      x.data[i] = keep;
      for (let o = 0; o < 4; o++) assert.ok(Math.abs((up[o] - down[o]) / (2 * eps) - Jr.data[o * n + i]) < 1e-8);
    }
  }
});

test('hessian is the jacobian of the gradient and is symmetric', () => {
  const h = (x: Tensor) => x.matmul(x.T).sum().sin();
  const x = nb.randn([2, 2], { ...f64, seed: 3 });
  const H = nb.hessian(h, x);
  assert.deepEqual(H.shape, [2, 2, 2, 2]);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(H.data[i * 4 + j] - H.data[j * 4 + i]) < 1e-12);
  close(nb.jacfwd(nb.grad(h))(x).data, H.data, 1e-12);
});

// --- errors --------------------------------------------------------------------------------------

const named = (transform: string, argument: number | string) => (e: unknown) =>
  e instanceof nb.TransformError && e.transform === transform && e.argument === argument && e.message.startsWith(`${transform}:`);

test('a transform given a non-tensor names the transform and the argument', () => {
  const sq = (x: Tensor) => x.square().sum();
  assert.throws(() => nb.grad(sq)(3 as unknown as Tensor), named('grad', 0));
  assert.throws(() => nb.valueAndGrad((a: Tensor, b: Tensor) => a.mul(b).sum())(t64([1]), [2] as unknown as Tensor), named('valueAndGrad', 1));
  assert.throws(() => nb.jacobian(sq)(null as unknown as Tensor), named('jacrev', 0));
  assert.throws(() => nb.jvp(sq, [t64([1])], [1 as unknown as Tensor]), named('jvp', 0));
  assert.throws(() => nb.hessian(sq, 'x' as unknown as Tensor), named('hessian', 0));
  assert.throws(() => nb.grad(sq, 2)(t64([1])), named('grad', 2));
});

test('a non-scalar output where a scalar is needed, or mismatched cotangents and tangents, are TransformErrors', () => {
  assert.throws(() => nb.grad((x: Tensor) => x.square())(t64([1, 2])), (e) => named('grad', 'output')(e) && /shape \[2\]/.test((e as Error).message));
  assert.throws(() => nb.grad(() => 3 as unknown as Tensor)(t64([1])), named('grad', 'output'));
  assert.throws(() => nb.vjp((x: Tensor) => x.square(), [t64([1, 2])], t64([1])), named('vjp', 'output'));
  assert.throws(() => nb.jvp((x: Tensor) => x.square(), [t64([1, 2])], [t64([1])]), named('jvp', 0));
  assert.throws(() => nb.jvp((x: Tensor) => x.square(), [t64([1, 2])], []), named('jvp', 1));
});
