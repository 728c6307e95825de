// Compare reverse-mode gradients with central finite differences, in float64.
import { Tensor } from '../tensor/tensor.js';
import { gradients } from './backward.js';
import { noGrad } from '../tensor/tape.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Pass when |analytic − numeric| <= atol + rtol·|numeric| everywhere (defaults 1e-5, 1e-3). */
  atol?: number;
  rtol?: number;
}

export interface InputReport {
  maxAbsError: number;
  maxRelError: number;
  /** Flat index (input element, output element) of the worst absolute error. */
  worstAt: [number, number];
}

export interface GradcheckResult {
  passed: boolean;
  inputs: InputReport[];
}

/**
 * Check every input's full Jacobian: analytic rows by one VJP per output element, numeric
 * columns by (f(x+ε) − f(x−ε)) / 2ε per input element. Inputs are copied to float64.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  const eps = opts.eps ?? 1e-6, atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-3;
  const xs = inputs.map((t) => {
    const c = new Tensor(Float64Array.from(t.data), t.shape);
    c.requiresGrad = true;
    return c;
  });
  const y = f(...xs);
  const m = y.size;
  // analytic[i][o * m + j] = ∂y_j/∂x_i[o]
  const analytic = xs.map((x) => new Float64Array(x.size * m));
  for (let j = 0; j < m; j++) {
    const gradOutput = new Tensor(new Float64Array(m), y.shape);
    gradOutput.data[j] = 1;
    const gs = gradients(y, xs, gradOutput, { retainGraph: true, allowUnused: 'zeros' });
    gs.forEach((g, i) => { for (let o = 0; o < xs[i].size; o++) analytic[i][o * m + j] = g!.data[o]; });
  }
  let passed = true;
  const reports = xs.map((x, i) => {
    let maxAbs = 0, maxRel = 0, worst: [number, number] = [0, 0];
    for (let o = 0; o < x.size; o++) {
      const keep = x.data[o];
      x.data[o] = keep + eps;
      const up = noGrad(() => f(...xs)).data.slice();
      x.data[o] = keep - eps;
      const down = noGrad(() => f(...xs)).data;
      x.data[o] = keep;
      for (let j = 0; j < m; j++) {
        const num = (up[j] - down[j]) / (2 * eps);
        const ana = analytic[i][o * m + j];
        const abs = Math.abs(ana - num);
        const scale = Math.max(Math.abs(ana), Math.abs(num));
        const rel = scale === 0 ? 0 : abs / scale;
        if (!(abs <= atol + rtol * Math.abs(num))) passed = false;
        if (abs > maxAbs || Number.isNaN(abs)) { maxAbs = abs; worst = [o, j]; }
        if (rel > maxRel) maxRel = rel;
      }
    }
    return { maxAbsError: maxAbs, maxRelError: maxRel, worstAt: worst };
  });
  return { passed, inputs: reports };
}
