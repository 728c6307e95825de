// Property test of nested transforms: random programs of grad / vjp / jvp / jacobian nested 2 to 3
// deep, whose inner functions capture the outer transforms' variables, evaluated once with nabla's
// transforms and once with nested central finite differences in float64 (where a perturbation is
// explicit, so it cannot be confused), must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };
const M = nb.tensor([[0.8, -0.5], [0.3, 0.6]], f64);

type Unary = (x: Tensor) => Tensor;
type Binary = (a: Tensor, b: Tensor) => Tensor;
const UNARY: Record<string, Unary> = {
  sin: (x) => x.sin(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(), square: (x) => x.square().mul(0.5),
  softplus: (x) => x.softplus(), exp: (x) => x.mul(0.3).exp(), matmul: (x) => x.matmul(M), cos: (x) => x.cos(),
  sumBroadcast: (x) => x.sum().mul(x).mul(0.5), logistic: (x) => nb.log(x.square().add(1)),
};
const BINARY: Record<string, Binary> = {
  add: (a, b) => a.add(b), mul: (a, b) => a.mul(b), sub: (a, b) => a.sub(b),
  div: (a, b) => a.div(b.square().add(1)), dot: (a, b) => a.mul(b).sum().mul(a),
};

/** A body: steps applied to the terms (initially every variable in scope), then all terms multiplied. */
type Step = { kind: 'unary'; op: string; at: number } | { kind: 'binary'; op: string; at: number; with: number };
interface Level { transform: 'grad' | 'vjp' | 'jvp' | 'jacobian'; argFrom: number; argMul: number | null; w: number[] }
interface Program { levels: Level[]; steps: Step[]; x0: number[]; w0: number[] }

function body(steps: readonly Step[], scope: readonly Tensor[]): Tensor {
  const terms = [...scope];
  for (const s of steps) {
    const i = s.at % terms.length;
    terms[i] = s.kind === 'unary' ? UNARY[s.op](terms[i]) : BINARY[s.op](terms[i], terms[s.with % terms.length]);
  }
  return terms.reduce((a, b, i) => (i % 2 ? a.mul(b) : a.add(b).mul(b)));
}

// --- finite differences: explicit perturbations of plain float64 tensors ----------------------------

const H = 3e-3;
/** Fourth-order central difference of g along direction d (truncation O(h⁴)). */
function directional(g: (y: Tensor) => Tensor, y: Tensor, d: Tensor): Tensor {
  const at = (k: number) => g(y.add(d.mul(k * H)));
  return at(-2).sub(at(-1).mul(8)).add(at(1).mul(8)).sub(at(2)).div(12 * H);
}

function fdGrad(g: (y: Tensor) => Tensor, y: Tensor): Tensor {
  const parts = [0, 1].map((i) => {
    const e = nb.zeros([2], f64);
    e.data[i] = 1;
    return directional(g, y, e);
  });
  return nb.stack(parts);
}

type Mode = 'ad' | 'fd';

/** Run levels[k..] with the variables in scope; returns a tensor of shape [2]. */
function run(p: Program, k: number, scope: Tensor[], mode: Mode): Tensor {
  if (k === p.levels.length) return body(p.steps, scope);
  const L = p.levels[k];
  const w = nb.tensor(L.w, f64);
  const base = scope[L.argFrom % scope.length];
  const arg = L.argMul === null ? base : base.mul(scope[L.argMul % scope.length]).add(0.25);
  const inner = (y: Tensor) => run(p, k + 1, [...scope, y], mode);
  if (mode === 'fd') {
    if (L.transform === 'grad' || L.transform === 'vjp') return fdGrad((y) => inner(y).mul(w).sum(), arg);
    return directional(inner, arg, w);
  }
  switch (L.transform) {
    case 'grad': return nb.grad((y: Tensor) => inner(y).mul(w).sum())(arg);
    case 'vjp': return nb.vjp(inner, [arg], w)[1][0];
    case 'jvp': return nb.jvp(inner, [arg], [w])[1];
    case 'jacobian': return nb.jacobian(inner)(arg).matmul(w);
  }
}

// Moderate values away from 0, so that no product collapses to 0 and hides a wrong derivative.
const num = fc.integer({ min: -100, max: 100 }).map((i) => i / 80 + 0.013);
const vec = fc.tuple(num, num).map(([a, b]) => [a, b]);
const level: fc.Arbitrary<Level> = fc.record({
  transform: fc.constantFrom('grad' as const, 'vjp' as const, 'jvp' as const, 'jacobian' as const),
  argFrom: fc.nat(5), argMul: fc.option(fc.nat(5), { nil: null }), w: vec,
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...Object.keys(UNARY)), at: fc.nat(5) }),
  fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...Object.keys(BINARY)), at: fc.nat(5), with: fc.nat(5) }),
);
// The outermost level is the test's own grad below, so 1–2 levels here make programs 2–3 deep.
const program: fc.Arbitrary<Program> = fc.record({
  levels: fc.array(level, { minLength: 1, maxLength: 2 }),
  steps: fc.array(step, { minLength: 1, maxLength: 5 }),
  x0: vec, w0: vec,
});

test('nested transforms with captured variables agree with nested finite differences (depth 2–3)', () => {
  fc.assert(
    fc.property(program, (p) => {
      const w0 = nb.tensor(p.w0, f64), x0 = nb.tensor(p.x0, f64);
      const ad = nb.grad((x: Tensor) => run(p, 0, [x], 'ad').mul(w0).sum())(x0);
      const fd = nb.noGrad(() => fdGrad((x) => run(p, 0, [x], 'fd').mul(w0).sum(), x0));
      for (let i = 0; i < 2; i++) {
        const a = ad.data[i], n = fd.data[i];
        assert.ok(Math.abs(a - n) <= 1e-6 + 1e-5 * Math.abs(n), `component ${i}: transforms ${a}, finite differences ${n}`);
      }
    }),
    { numRuns: 60, seed: 20261201 },
  );
});
