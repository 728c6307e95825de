// The notes' scalar worked examples, on the Value engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value, value } from '../../src/index.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

// The notes print "x = −1, y = 2, z = 3" but every number they derive (f = −3, ∂f/∂q = z = −3,
// ∂f/∂x = ∂f/∂y = −3) holds only for z = −3: the minus sign was lost in the slide text. Both are checked.
test('f = (x + y)·z at x=−1, y=2, z=−3: q=1, f=−3, ∂f/∂x=∂f/∂y=−3, ∂f/∂z=1', () => {
  const x = value(-1), y = value(2), z = value(-3);
  const q = x.add(y);
  const f = q.mul(z);
  f.backward();
  assert.equal(q.data, 1);
  assert.equal(f.data, -3);
  assert.equal(x.grad, -3);
  assert.equal(y.grad, -3);
  assert.equal(z.grad, 1);
  assert.equal(q.grad, -3);
  // With z = +3 as printed: f = 3 and ∂f/∂x = ∂f/∂y = 3.
  const x2 = value(-1), y2 = value(2), z2 = value(3);
  const f2 = x2.add(y2).mul(z2);
  f2.backward();
  assert.deepEqual([f2.data, x2.grad, y2.grad, z2.grad], [3, 3, 3, 1]);
});

test('chain rule: d/dx ln(sin x) = cos x / sin x', () => {
  for (const x0 of [0.3, 1, 2.5]) {
    const x = value(x0);
    const z = x.sin().log();
    z.backward();
    close(z.data, Math.log(Math.sin(x0)));
    close(x.grad, Math.cos(x0) / Math.sin(x0));
  }
});

test('logistic least-squares unit: z = wx + b, y = σ(z), L = ½(y − t)²', () => {
  const w0 = 0.7, b0 = -0.2, x0 = 1.5, t0 = 1;
  const w = value(w0), b = value(b0);
  const z = w.mul(x0).add(b);
  const y = z.sigmoid();
  const L = y.sub(t0).pow(2).mul(0.5);
  L.backward();
  const s = 1 / (1 + Math.exp(-(w0 * x0 + b0)));
  // dL/dy = y − t, dL/dz = (y − t)σ'(z), dL/dw = dL/dz·x, dL/db = dL/dz
  const dz = (s - t0) * s * (1 - s);
  close(L.data, 0.5 * (s - t0) ** 2);
  close(w.grad, dz * x0);
  close(b.grad, dz);
});

test('regularised logistic least squares: w fans out to L and R = λ/2·w², gradients add', () => {
  const w0 = 0.7, b0 = -0.2, x0 = 1.5, t0 = 1, lambda = 0.3;
  const w = value(w0), b = value(b0);
  const y = w.mul(x0).add(b).sigmoid();
  const L = y.sub(t0).pow(2).mul(0.5);
  const R = w.pow(2).mul(lambda / 2);
  const J = L.add(R);
  J.backward();
  const s = 1 / (1 + Math.exp(-(w0 * x0 + b0)));
  close(w.grad, (s - t0) * s * (1 - s) * x0 + lambda * w0);
  close(b.grad, (s - t0) * s * (1 - s));
});

test('multivariate chain rule: f = y + e^{xy}, x = cos t, y = t²', () => {
  for (const t0 of [0.5, 1.3]) {
    const t = value(t0);
    const x = t.cos(), y = t.pow(2);
    const f = y.add(x.mul(y).exp());
    f.backward();
    const xv = Math.cos(t0), yv = t0 * t0;
    const expected = yv * Math.exp(xv * yv) * -Math.sin(t0) + (1 + xv * Math.exp(xv * yv)) * 2 * t0;
    close(t.grad, expected, 1e-12);
  }
});

test('2-layer example: z0 = w0·x + b0, h0 = ReLU(z0), ŷ = w1·h0 + b1, L = ½(ŷ − y)²', () => {
  const x = 2, yT = 1;
  const w0 = value(0.5), b0 = value(0.1), w1 = value(-1.5), b1 = value(0.3);
  const z0 = w0.mul(x).add(b0);
  const h0 = z0.relu();
  const yh = w1.mul(h0).add(b1);
  const L = yh.sub(yT).pow(2).mul(0.5);
  L.backward();
  const dy = yh.data - yT;
  close(w1.grad, dy * h0.data);
  close(b1.grad, dy);
  const dz0 = z0.data > 0 ? dy * w1.data : 0;
  close(w0.grad, dz0 * x);
  close(b0.grad, dz0);
});

test('every scalar op matches its derivative by finite differences', () => {
  const ops: [string, (v: Value) => Value, number][] = [
    ['add', (v) => v.add(3), 0.4], ['sub', (v) => v.sub(2).mul(v), 0.4], ['mul', (v) => v.mul(v), 0.4],
    ['div', (v) => value(2).div(v), 0.7], ['neg', (v) => v.neg(), 0.4], ['pow', (v) => v.pow(3), 0.4],
    ['exp', (v) => v.exp(), 0.4], ['log', (v) => v.log(), 0.4], ['sin', (v) => v.sin(), 0.4],
    ['cos', (v) => v.cos(), 0.4], ['tanh', (v) => v.tanh(), 0.4], ['sigmoid', (v) => v.sigmoid(), 0.4],
    ['relu', (v) => v.relu(), 0.4], ['softplus', (v) => v.softplus(), -0.4], ['heaviside', (v) => v.heaviside(), 0.4],
  ];
  for (const [name, f, x0] of ops) {
    const x = value(x0);
    const y = f(x);
    y.backward();
    const eps = 1e-6;
    const num = (f(value(x0 + eps)).data - f(value(x0 - eps)).data) / (2 * eps);
    assert.ok(Math.abs(x.grad - num) < 1e-7, `${name}: ${x.grad} vs ${num}`);
  }
});

test('a 100000-node chain backpropagates without a stack overflow', () => {
  const x = value(1);
  let y: Value = x;
  for (let i = 0; i < 100000; i++) y = y.mul(1.00001);
  y.backward();
  close(x.grad, 1.00001 ** 100000, 1e-9);
});
