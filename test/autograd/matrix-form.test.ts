// The notes' matrix-form derivations: backward() must equal the closed forms computed by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };

function assertClose(a: Tensor, b: Tensor, tol = 1e-12, what = '') {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  for (let i = 0; i < a.size; i++) {
    assert.ok(Math.abs(a.data[i] - b.data[i]) <= tol * Math.max(1, Math.abs(b.data[i])), `${what}[${i}]: ${a.data[i]} vs ${b.data[i]}`);
  }
}

test('2-layer MLP in full matrix form (Hutter & Valada): ReLU hidden, linear output, L = 1/(2n)Σ(Ŷ−Y)²', () => {
  const n = 5, D = 3, M = 4, K = 2;
  const X = nb.randn([n, D], { ...f64, seed: 1 });
  const Y = nb.randn([n, K], { ...f64, seed: 2 });
  const W0 = nb.randn([D, M], { ...f64, seed: 3, requiresGrad: true });
  const b0 = nb.randn([M], { ...f64, seed: 4, requiresGrad: true });
  const W1 = nb.randn([M, K], { ...f64, seed: 5, requiresGrad: true });
  const b1 = nb.randn([K], { ...f64, seed: 6, requiresGrad: true });

  const Z0 = X.matmul(W0).add(b0);
  const H0 = Z0.relu();
  const Z1 = H0.matmul(W1).add(b1);
  const Yh = Z1;
  const L = Yh.sub(Y).square().sum().div(2 * n);
  L.backward();

  // The closed forms, by hand, with no autograd:
  nb.noGrad(() => {
    const dYh = Yh.sub(Y).div(n); //                     ∂L/∂Ŷ = (Ŷ − Y)/n
    const dZ1 = dYh; //                                  ∂L/∂Z1 = ∂L/∂Ŷ ⊙ g1′(Z1) = ∂L/∂Ŷ ⊙ 1
    const dW1 = H0.T.matmul(dZ1); //                     ∂L/∂W1 = H0ᵀ ∂L/∂Z1
    const ones = nb.ones([n, n], f64);
    const dB1 = ones.matmul(dZ1); //                     ∂L/∂B1 = 1ₙₓₙ ∂L/∂Z1 (every row equal)
    const dH0 = dZ1.matmul(W1.T); //                     ∂L/∂H0 = ∂L/∂Z1 W1ᵀ
    const dZ0 = dH0.mul(Z0.gt(0)); //                    ∂L/∂Z0 = ∂L/∂H0 ⊙ g0′(Z0)
    const dW0 = X.T.matmul(dZ0); //                      ∂L/∂W0 = Xᵀ ∂L/∂Z0
    const dB0 = ones.matmul(dZ0);
    assertClose(W1.grad!, dW1, 1e-12, 'dW1');
    assertClose(W0.grad!, dW0, 1e-12, 'dW0');
    // The bias is one row broadcast over n rows; each row of 1ₙₓₙ∂L/∂Z is its gradient.
    for (let r = 0; r < n; r++) {
      assertClose(b1.grad!, dB1.slice(r), 1e-12, 'dB1');
      assertClose(b0.grad!, dB0.slice(r), 1e-12, 'dB0');
    }
  });
});

test('linear layer (Johnson): ∂L/∂X = ∂L/∂Y·Wᵀ and ∂L/∂W = Xᵀ·∂L/∂Y for N=2, D=2, M=3', () => {
  const X = nb.tensor([[1, 2], [3, 4]], { ...f64, requiresGrad: true });
  const W = nb.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], { ...f64, requiresGrad: true });
  const dY = nb.tensor([[1, -1, 2], [0.5, 0, -3]], f64);
  X.matmul(W).backward(dY);
  assertClose(X.grad!, nb.tensor([[1 * 0.1 - 0.2 + 2 * 0.3, 0.4 - 0.5 + 1.2], [0.05 - 0.9, 0.2 - 1.8]], f64), 1e-12, 'dX');
  assertClose(W.grad!, nb.tensor([[1 + 1.5, -1, 2 - 9], [2 + 2, -2, 4 - 12]], f64), 1e-12, 'dW');
});

test('D2L objective J = L + λ/2(‖W1‖² + ‖W2‖²): ∂J/∂W2 = ∂J/∂o·hᵀ + λW2, ∂J/∂W1 = ∂J/∂z·xᵀ + λW1', () => {
  const d = 3, h = 4, q = 2, lambda = 0.1;
  const x = nb.randn([d, 1], { ...f64, seed: 11 });
  const y = nb.randn([q, 1], { ...f64, seed: 12 });
  const W1 = nb.randn([h, d], { ...f64, seed: 13, requiresGrad: true });
  const W2 = nb.randn([q, h], { ...f64, seed: 14, requiresGrad: true });
  const z = W1.matmul(x);
  const hh = z.tanh();
  const o = W2.matmul(hh);
  const L = o.sub(y).square().sum().mul(0.5);
  const s = W1.square().sum().add(W2.square().sum()).mul(lambda / 2);
  const J = L.add(s);
  J.backward();
  nb.noGrad(() => {
    const dO = o.sub(y); //                                ∂J/∂o = ∂L/∂o
    assertClose(W2.grad!, dO.matmul(hh.T).add(W2.mul(lambda)), 1e-12, 'dW2');
    const dH = W2.T.matmul(dO); //                         ∂J/∂h = W2ᵀ ∂J/∂o
    const dZ = dH.mul(nb.sub(1, hh.square())); //          ∂J/∂z = ∂J/∂h ⊙ φ′(z)
    assertClose(W1.grad!, dZ.matmul(x.T).add(W1.mul(lambda)), 1e-12, 'dW1');
  });
});

test('Navarin 2-3-1 sigmoid network, J = 1/(2N)Σ(t − z)²: ∂J/∂w²₁ and ∂J/∂w¹₁₁ as derived', () => {
  const N = 4;
  const X = nb.randn([N, 2], { ...f64, seed: 21 });
  const T = nb.rand([N, 1], { ...f64, seed: 22 });
  const W1 = nb.randn([3, 2], { ...f64, seed: 23, requiresGrad: true }); // rows = hidden units (the notes' layout)
  const b1 = nb.randn([3], { ...f64, seed: 24, requiresGrad: true });
  const W2 = nb.randn([3, 1], { ...f64, seed: 25, requiresGrad: true });
  const b2 = nb.randn([1], { ...f64, seed: 26, requiresGrad: true });
  const A1 = X.matmul(W1.T).add(b1); //   a¹ = W¹x + b¹ for every example (rows)
  const H = A1.sigmoid();
  const A2 = H.matmul(W2).add(b2); //     a² = (w²)ᵀh + b²
  const Z = A2.sigmoid();
  const J = T.sub(Z).square().sum().div(2 * N);
  J.backward();
  // By the notes: ∂J/∂w²₁ = −1/N Σ_p (t−z) σ′(a²) h₁ ; ∂J/∂w¹₁₁ = −1/N Σ_p (t−z) σ′(a²) w²₁ σ′(a¹₁) x₁
  let dw21 = 0, dw111 = 0;
  for (let p = 0; p < N; p++) {
    const t = T.data[p], z = Z.data[p];
    const s2 = z * (1 - z);
    const h1 = H.data[p * 3];
    dw21 += -(t - z) * s2 * h1 / N;
    dw111 += -(t - z) * s2 * W2.data[0] * h1 * (1 - h1) * X.data[p * 2] / N;
  }
  assert.ok(Math.abs(W2.grad!.data[0] - dw21) < 1e-14);
  assert.ok(Math.abs(W1.grad!.data[0] - dw111) < 1e-14);
});

test('vector form (Grosse): ȳ = y − t, W̄(2) = ȳhᵀ, h̄ = W(2)ᵀȳ, z̄ = h̄ ∘ σ′(z), W̄(1) = z̄xᵀ', () => {
  const x = nb.randn([3, 1], { ...f64, seed: 31 });
  const t = nb.randn([2, 1], { ...f64, seed: 32 });
  const W1 = nb.randn([4, 3], { ...f64, seed: 33, requiresGrad: true });
  const b1 = nb.randn([4, 1], { ...f64, seed: 34, requiresGrad: true });
  const W2 = nb.randn([2, 4], { ...f64, seed: 35, requiresGrad: true });
  const b2 = nb.randn([2, 1], { ...f64, seed: 36, requiresGrad: true });
  const z = W1.matmul(x).add(b1), h = z.sigmoid(), y = W2.matmul(h).add(b2);
  y.sub(t).square().sum().mul(0.5).backward();
  nb.noGrad(() => {
    const yb = y.sub(t);
    assertClose(W2.grad!, yb.matmul(h.T), 1e-12, 'W2');
    assertClose(b2.grad!, yb, 1e-12, 'b2');
    const zb = W2.T.matmul(yb).mul(h.mul(nb.sub(1, h)));
    assertClose(W1.grad!, zb.matmul(x.T), 1e-12, 'W1');
    assertClose(b1.grad!, zb, 1e-12, 'b1');
  });
});
