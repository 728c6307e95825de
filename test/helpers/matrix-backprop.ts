// The notes' matrix-form backprop written out with plain loops in float64 and no nabla code, so
// that explain's JSON record can be recomputed independently of the engine that produced it.
import assert from 'node:assert/strict';
import type { BatchRecord } from '../../src/viz/index.js';

type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const T = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
const map2 = (a: M, b: M, f: (x: number, y: number) => number): M => a.map((r, i) => r.map((v, j) => f(v, b[i][j])));
const g: Record<string, [(z: number) => number, (z: number) => number]> = {
  linear: [(z) => z, () => 1],
  relu: [(z) => Math.max(0, z), (z) => (z > 0 ? 1 : 0)],
  tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2],
  sigmoid: [(z) => 1 / (1 + Math.exp(-z)), (z) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); }],
};

/** Forward, loss, objective and every gradient of the record, from the record's numbers alone. */
export function recompute(r: BatchRecord) {
  const n = r.X.length, nl = r.weights.length;
  const Z: M[] = [], H: M[] = [r.X];
  for (let l = 0; l < nl; l++) {
    const z = matmul(H[l], r.weights[l]).map((row) => row.map((v, j) => v + r.biases[l][j]));
    Z.push(z);
    H.push(z.map((row) => row.map(g[r.activations[l]][0])));
  }
  let L: number, dZ: M;
  const zL = Z[nl - 1];
  if (r.loss === 'half-mse') {
    const diff = map2(H[nl], r.T, (a, b) => a - b);
    L = diff.flat().reduce((s, v) => s + v * v, 0) / (2 * n);
    dZ = map2(diff, zL, (d, z) => (d / n) * g[r.activations[nl - 1]][1](z));
  } else {
    // softmax cross-entropy, mean over the batch
    const p = zL.map((row) => { const m = Math.max(...row); const e = row.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); });
    L = -p.reduce((s, row, i) => s + row.reduce((a, v, k) => a + r.T[i][k] * Math.log(v), 0), 0) / n;
    dZ = map2(p, r.T, (a, b) => (a - b) / n);
  }
  const sq = r.weights.reduce((s, w) => s + w.flat().reduce((a, v) => a + v * v, 0), 0);
  const J = L + (r.l2 / 2) * sq;
  const dW: M[] = [], db: number[][] = [];
  for (let l = nl - 1; l >= 0; l--) {
    dW[l] = map2(matmul(T(H[l]), dZ), r.weights[l], (a, w) => a + r.l2 * w);
    db[l] = dZ[0].map((_, j) => dZ.reduce((s, row) => s + row[j], 0));
    if (l > 0) dZ = map2(matmul(dZ, T(r.weights[l])), Z[l - 1], (d, z) => d * g[r.activations[l - 1]][1](z));
  }
  return { L, J, dW, db };
}

function close(a: number, b: number, what: string) {
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

export function assertRecomputes(r: BatchRecord) {
  const ref = recompute(r);
  close(r.L, ref.L, 'L');
  close(r.J, ref.J, 'J');
  r.grads.weights.forEach((w, l) => w.flat().forEach((v, i) => close(v, ref.dW[l].flat()[i], `∂J/∂W${l + 1}[${i}]`)));
  r.grads.biases.forEach((b, l) => b.forEach((v, i) => close(v, ref.db[l][i], `∂J/∂b${l + 1}[${i}]`)));
}

