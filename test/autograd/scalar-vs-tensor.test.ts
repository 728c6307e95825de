// The tensor engine against the scalar engine (the oracle) on randomly generated expressions:
// each expression is built once over Values per element and once over whole tensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { Rng, Value, value, type Tensor } from '../../src/index.js';

/** One node type for both engines: a way to build it from its operands in each. */
interface Op {
  arity: 1 | 2;
  scalar: (a: Value, b: Value) => Value;
  tensor: (a: Tensor, b: Tensor) => Tensor;
}

// Inputs stay in a safe domain: log and div take operands made positive first.
const OPS: Op[] = [
  { arity: 2, scalar: (a, b) => a.add(b), tensor: (a, b) => a.add(b) },
  { arity: 2, scalar: (a, b) => a.sub(b), tensor: (a, b) => a.sub(b) },
  { arity: 2, scalar: (a, b) => a.mul(b), tensor: (a, b) => a.mul(b) },
  { arity: 2, scalar: (a, b) => a.div(b.mul(b).add(1)), tensor: (a, b) => a.div(b.square().add(1)) },
  { arity: 1, scalar: (a) => a.mul(a).add(1).log(), tensor: (a) => a.square().add(1).log() },
  { arity: 1, scalar: (a) => a.tanh().exp(), tensor: (a) => a.tanh().exp() },
  { arity: 1, scalar: (a) => a.sin(), tensor: (a) => a.sin() },
  { arity: 1, scalar: (a) => a.cos(), tensor: (a) => a.cos() },
  { arity: 1, scalar: (a) => a.tanh(), tensor: (a) => a.tanh() },
  { arity: 1, scalar: (a) => a.sigmoid(), tensor: (a) => a.sigmoid() },
  { arity: 1, scalar: (a) => a.relu(), tensor: (a) => a.relu() },
  { arity: 1, scalar: (a) => a.softplus(), tensor: (a) => a.softplus() },
  { arity: 1, scalar: (a) => a.neg(), tensor: (a) => a.neg() },
  { arity: 1, scalar: (a) => a.pow(3), tensor: (a) => a.pow(3) },
  { arity: 1, scalar: (a) => a.heaviside().add(a), tensor: (a) => a.heaviside().add(a) },
];

type Expr = { kind: 'var'; i: number } | { kind: 'op'; op: Op; args: Expr[] };

function randomExpr(rng: Rng, depth: number, vars: number): Expr {
  if (depth === 0 || rng.random() < 0.2) return { kind: 'var', i: rng.int(vars) };
  const op = OPS[rng.int(OPS.length)];
  return { kind: 'op', op, args: Array.from({ length: op.arity }, () => randomExpr(rng, depth - 1, vars)) };
}

function evalScalar(e: Expr, xs: Value[]): Value {
  if (e.kind === 'var') return xs[e.i];
  const a = e.args.map((x) => evalScalar(x, xs));
  return e.op.scalar(a[0], a[1] ?? a[0]);
}

function evalTensor(e: Expr, xs: Tensor[]): Tensor {
  if (e.kind === 'var') return xs[e.i];
  const a = e.args.map((x) => evalTensor(x, xs));
  return e.op.tensor(a[0], a[1] ?? a[0]);
}

test('200 random expressions: tensor values and gradients equal the scalar engine', () => {
  const rng = new Rng(2024);
  const VARS = 3, WIDTH = 4;
  for (let trial = 0; trial < 200; trial++) {
    const e = randomExpr(rng, 5, VARS);
    const inputs = Array.from({ length: VARS }, () => Array.from({ length: WIDTH }, () => rng.uniform(-2, 2)));
    // Tensor engine: one float64 vector per variable, loss = Σ expression.
    const ts = inputs.map((v) => nb.tensor(v, { dtype: 'float64', requiresGrad: true }));
    const out = evalTensor(e, ts);
    const y = nb.broadcastTo(out, [WIDTH]).sum();
    if (y.requiresGrad) y.backward();
    // Scalar engine: the same expression per element.
    for (let j = 0; j < WIDTH; j++) {
      const vs = inputs.map((v, i) => value(v[j], `x${i}`));
      const s = evalScalar(e, vs);
      s.backward();
      const tv = out.size === 1 ? out.data[0] : out.data[j];
      assert.ok(Math.abs(s.data - tv) <= 1e-12 * Math.max(1, Math.abs(s.data)), `trial ${trial}: value ${s.data} vs ${tv}`);
      vs.forEach((v, i) => {
        const tg = ts[i].grad ? ts[i].grad!.data[j] : 0;
        assert.ok(Math.abs(v.grad - tg) <= 1e-10 * Math.max(1, Math.abs(v.grad)), `trial ${trial}: ∂/∂x${i}[${j}] ${v.grad} vs ${tg}`);
      });
    }
  }
});
