// Polynomial regression under/over-fits (validation picks a middle degree); pattern A/B needs hidden units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Linear, mlp } from '../../src/nn/index.js';
import { Adam } from '../../src/optim/index.js';
import { fit, evaluate } from '../../src/train/index.js';
import { patternAB } from '../../src/data/synthetic.js';
import { Rng } from '../../src/random.js';

test('polynomial regression: degree 1 under-fits, 9 over-fits, validation picks a middle degree', () => {
  const rng = new Rng(3);
  const f = (x: number) => Math.sin(2 * Math.PI * x);
  const make = (n: number) => Array.from({ length: n }, () => { const x = rng.random(); return [x, f(x) + rng.normal(0, 0.2)]; });
  const train = make(12), val = make(200);
  // Least squares on ψ(x) = (1, x, ..., x^D) via the normal equations in float64 (tiny ridge for stability).
  const fitPoly = (D: number) => {
    const A = train.map(([x]) => Array.from({ length: D + 1 }, (_, j) => x ** j));
    const AtA = A[0].map((_, i) => A[0].map((__, j) => A.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? 1e-10 : 0)));
    const Atb = A[0].map((_, i) => A.reduce((s, r, k) => s + r[i] * train[k][1], 0));
    // Gaussian elimination.
    const M = AtA.map((r, i) => [...r, Atb[i]]);
    for (let c = 0; c <= D; c++) {
      let p = c; for (let r = c + 1; r <= D; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
      [M[c], M[p]] = [M[p], M[c]];
      for (let r = 0; r <= D; r++) if (r !== c) { const k = M[r][c] / M[c][c]; for (let j = c; j <= D + 1; j++) M[r][j] -= k * M[c][j]; }
    }
    const w = M.map((r, i) => r[D + 1] / r[i]);
    const err = (pts: number[][]) => pts.reduce((s, [x, y]) => s + (w.reduce((a, wj, j) => a + wj * x ** j, 0) - y) ** 2, 0) / pts.length;
    return { train: err(train), val: err(val) };
  };
  const r = Object.fromEntries([1, 3, 9].map((D) => [D, fitPoly(D)]));
  assert.ok(r[1].train > r[3].train && r[3].train > r[9].train, 'training error falls with degree');
  assert.ok(r[1].val > r[3].val, 'degree 1 under-fits');
  assert.ok(r[9].val > r[3].val, 'degree 9 over-fits');
  const best = [1, 3, 9].reduce((a, b) => (r[b].val < r[a].val ? b : a));
  assert.equal(best, 3);
});

test('pattern A/B under translation: a linear classifier fails, an MLP with hidden units succeeds', async () => {
  const d = patternAB(); // the notes' 16-pixel patterns A and B in all 16 cyclic translations
  // Both class means are (0.25, ..., 0.25), so no linear classifier separates all translations.
  const lin = new Linear(16, 2, { seed: 0 });
  await fit(lin, d, { epochs: 500, batchSize: 32, loss: 'crossEntropy', optimizer: new Adam(lin.parameters(), { lr: 0.05 }) });
  const linAcc = evaluate(lin, d, { loss: 'crossEntropy', metrics: ['accuracy'] }).accuracy;
  assert.ok(linAcc < 1, `linear accuracy ${linAcc}`);
  const net = mlp([16, 32, 2], { seed: 0 });
  await fit(net, d, { epochs: 500, batchSize: 32, loss: 'crossEntropy', optimizer: new Adam(net.parameters(), { lr: 0.02 }) });
  assert.equal(evaluate(net, d, { loss: 'crossEntropy', metrics: ['accuracy'] }).accuracy, 1);
});
