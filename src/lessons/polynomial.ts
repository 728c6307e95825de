// polynomial: CSC413's polynomial regression with the feature map ψ(x) = (1, u, …, u^D) with u = 2x − 1 (the same polynomials in x, better conditioned) on the
// notes' curve-fitting figure (10 noisy samples of sin 2πx): degree 0 and 1 underfit, 3 fits,
// 9 passes through every training point and misses the held-out ones. Fitted with nabla: the
// half-MSE loss is quadratic in w, so one Newton step w = −H⁻¹∇L from w = 0, with ∇L and the
// Hessian H from nabla's grad() and hessian(), lands exactly on the least-squares minimum.
import { grad, hessian } from '../autograd/transforms.js';
import { rngFrom } from '../random.js';
import { matmul, mul, square, sub, sum } from '../tensor/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

const f64 = { dtype: 'float64' as const };
const DEGREES = [0, 1, 3, 9];

/** Solve A v = b by Gaussian elimination with partial pivoting (A small and symmetric positive definite here). */
export function solve(A: number[][], b: number[]): number[] {
  const n = b.length, M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * v[k];
    v[r] = s / M[r][r];
  }
  return v;
}

// Powers of u = 2x − 1 instead of x: the same polynomials, but a far better conditioned Hessian on [0, 1].
const features = (xs: number[], D: number): Tensor => tensor(xs.map((x) => Array.from({ length: D + 1 }, (_, k) => (2 * x - 1) ** k)), f64);

/** Least-squares polynomial of degree D by one Newton step on L(w) = 1/(2n)‖Ψw − t‖². */
export function fitPolynomial(xs: number[], ts: number[], D: number): number[] {
  const Psi = features(xs, D), t = tensor(ts.map((v) => [v]), f64);
  const loss = (w: Tensor) => mul(sum(square(sub(matmul(Psi, w.reshape(D + 1, 1)), t))), 1 / (2 * xs.length));
  let w = zeros([D + 1], f64);
  // A second Newton step only polishes rounding error (the first is exact in exact arithmetic).
  for (let step = 0; step < 2; step++) {
    const H = hessian(loss, w), g = grad(loss)(w);
    const Hm = Array.from({ length: D + 1 }, (_, i) => Array.from(H.data.subarray(i * (D + 1), (i + 1) * (D + 1))));
    const dw = solve(Hm, Array.from(g.data, (v) => -v));
    w = tensor(Array.from(w.data, (v, i) => v + dw[i]), f64);
  }
  return Array.from(w.data);
}

const evalPoly = (w: number[], x: number) => w.reduceRight((acc, c) => acc * (2 * x - 1) + c, 0);
const rmse = (w: number[], xs: number[], ts: number[]) => Math.sqrt(xs.reduce((s, x, i) => s + (evalPoly(w, x) - ts[i]) ** 2, 0) / xs.length);

export const polynomialLesson: Lesson = {
  name: 'polynomial',
  source: 'CSC413 lecture 2: feature maps, polynomial regression of degree 0, 1, 3 and 9; underfitting and overfitting',
  claim: 'Training error falls as the degree grows (degree 9 interpolates the 10 points), but held-out error is lowest in between: degrees 0 and 1 underfit, degree 9 overfits.',
  async run() {
    const rng = rngFrom({ seed: 3 });
    const f = (x: number) => Math.sin(2 * Math.PI * x);
    const xs = Array.from({ length: 10 }, (_, i) => i / 9), ts = xs.map((x) => f(x) + rng.normal(0, 0.3));
    const xh = Array.from({ length: 100 }, () => rng.uniform(0, 1)), th = xh.map((x) => f(x) + rng.normal(0, 0.3));
    const fits = DEGREES.map((D) => { const w = fitPolynomial(xs, ts, D); return { D, w, train: rmse(w, xs, ts), heldOut: rmse(w, xh, th) }; });
    const [d0, d1, d3, d9] = fits;
    // Stated tolerances: training RMSE may not rise by more than 1e-9 with the degree; interpolation means < 1e-6.
    const trainFalls = fits.every((r, i) => i === 0 || r.train <= fits[i - 1].train + 1e-9);
    const holds = trainFalls && d9.train < 1e-6 && d3.heldOut < d0.heldOut && d3.heldOut < d1.heldOut && d3.heldOut < d9.heldOut;
    const measurement = fits.map((r) => `degree ${r.D}: training RMSE ${r.train.toExponential(2)}, held-out RMSE ${r.heldOut.toFixed(3)}`);
    const grid = Array.from({ length: 201 }, (_, i) => i / 200);
    const svg = figure('Polynomial regression: under- and over-fitting', fits.map((r) => ({
      title: `degree ${r.D}: train ${r.train.toFixed(3)}, held-out ${r.heldOut.toFixed(3)}`, xTitle: 'x', yTitle: 't', x: [0, 1] as [number, number], y: [-1.6, 1.6] as [number, number],
      series: [
        { x: grid, y: grid.map(f), label: 'sin 2πx', dashed: true, color: '#9ca3af' },
        { x: grid, y: grid.map((x) => evalPoly(r.w, x)), label: `fit, degree ${r.D}`, color: '#e15759' },
        { x: xs, y: ts, line: false, dots: true, label: 'training points', color: '#4e79a7' },
      ],
    })), [this.claim, 'Fitted with nabla: Newton steps with grad() and hessian() of the half-MSE (exact for a quadratic loss), features powers of 2x − 1; 100 held-out points.', ...measurement, verdict(holds)]);
    return {
      lesson: this.name, claim: this.claim, holds, svg, measurement,
      figures: { degrees: DEGREES, train_rmse: fits.map((r) => r.train), held_out_rmse: fits.map((r) => r.heldOut), coefficients: fits.map((r) => r.w), training_points: 10, held_out_points: 100 },
    };
  },
};
