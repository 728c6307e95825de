// Property test of the tensor autodiff: random expression graphs with broadcasting shapes, keepdims
// reductions, batched matmul (plain and transB) and softmax, checked against an element-by-element
// evaluation with the scalar Value engine (the oracle) and against central finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng, Value, noGrad, tensor, matmul, type Tensor } from '../../src/index.js';
import { report, tally } from './fuzz-helpers.js';

/** The oracle's tensor: a shape and one Value per element, row-major. */
interface VT { shape: number[]; v: Value[] }

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const stridesOf = (s: number[]) => s.map((_, i) => size(s.slice(i + 1)));

function bshape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** Index into `s` (broadcast to `out`) of the flat output index `k`. */
function srcIndex(k: number, out: number[], s: number[]): number {
  const os = stridesOf(out), ss = stridesOf(s);
  let idx = 0;
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor(k / os[i]) % out[i];
    const j = i - (out.length - s.length);
    if (j >= 0 && s[j] !== 1) idx += c * ss[j];
  }
  return idx;
}

function vBinary(a: VT, b: VT, f: (x: Value, y: Value) => Value): VT {
  const shape = bshape(a.shape, b.shape);
  return { shape, v: Array.from({ length: size(shape) }, (_, k) => f(a.v[srcIndex(k, shape, a.shape)], b.v[srcIndex(k, shape, b.shape)])) };
}

function vReduce(a: VT, axis: number, mean: boolean): VT {
  const shape = a.shape.map((d, i) => (i === axis ? 1 : d));
  const st = stridesOf(a.shape);
  const v = Array.from({ length: size(shape) }, (_, k) => {
    const base = k;
    let off = 0;
    const os = stridesOf(shape);
    for (let i = 0; i < shape.length; i++) off += (Math.floor(base / os[i]) % shape[i]) * st[i];
    let acc = new Value(0);
    for (let r = 0; r < a.shape[axis]; r++) acc = acc.add(a.v[off + r * st[axis]]);
    return mean ? acc.mul(1 / a.shape[axis]) : acc;
  });
  return { shape, v };
}

function vMatmul(a: VT, w: VT, transB: boolean): VT {
  const d = a.shape[a.shape.length - 1];
  const rows = a.v.length / d;
  const v: Value[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < d; c++) {
      let acc = new Value(0);
      for (let k = 0; k < d; k++) acc = acc.add(a.v[r * d + k].mul(w.v[transB ? c * d + k : k * d + c]));
      v.push(acc);
    }
  }
  return { shape: a.shape, v };
}

function vSoftmax(a: VT): VT {
  const d = a.shape[a.shape.length - 1];
  const v: Value[] = [];
  for (let r = 0; r < a.v.length / d; r++) {
    const e = a.v.slice(r * d, r * d + d).map((x) => x.exp());
    const s = e.reduce((p, q) => p.add(q));
    for (const x of e) v.push(x.div(s));
  }
  return { shape: a.shape, v };
}

type Unary = [string, (x: Value) => Value, (t: Tensor) => Tensor];
const UNARY: Unary[] = [
  ['tanh', (x) => x.tanh(), (t) => t.tanh()],
  ['sigmoid', (x) => x.sigmoid(), (t) => t.sigmoid()],
  ['sin', (x) => x.sin(), (t) => t.sin()],
  ['softplus', (x) => x.softplus(), (t) => t.softplus()],
  ['relu', (x) => x.relu(), (t) => t.relu()],
  ['log1p(x²)', (x) => x.mul(x).add(1).log(), (t) => t.square().add(1).log()],
  ['exp∘tanh', (x) => x.tanh().exp(), (t) => t.tanh().exp()],
];
type Binary = [string, (x: Value, y: Value) => Value, (a: Tensor, b: Tensor) => Tensor];
const BINARY: Binary[] = [
  ['add', (x, y) => x.add(y), (a, b) => a.add(b)],
  ['sub', (x, y) => x.sub(y), (a, b) => a.sub(b)],
  ['mul', (x, y) => x.mul(y), (a, b) => a.mul(b)],
  ['div', (x, y) => x.div(y.mul(y).add(1)), (a, b) => a.div(b.square().add(1))],
];

interface Case { inputs: { shape: number[]; data: number[] }[]; build: (xs: Tensor[]) => Tensor; oracle: (xs: VT[]) => VT; weights: number[]; desc: string }

/** A random graph over broadcast-compatible inputs, built in both engines from the same choices. */
function randomCase(seed: number): Case {
  const rng = new Rng(seed);
  const rank = 1 + rng.int(3);
  const base = Array.from({ length: rank }, () => 1 + rng.int(3));
  const inputs: Case['inputs'] = [];
  const addInput = (shape: number[]) => { inputs.push({ shape, data: Array.from({ length: size(shape) }, () => rng.uniform(-1.5, 1.5)) }); return inputs.length - 1; };
  for (let i = 0; i < 3; i++) addInput(base.slice(rng.int(rank)).map((d) => (rng.random() < 0.3 ? 1 : d)));
  type Node = { t: (xs: Tensor[]) => Tensor; o: (xs: VT[]) => VT; shape: number[]; desc: string };
  const nodes: Node[] = inputs.map((inp, i) => ({ t: (xs) => xs[i], o: (xs) => xs[i], shape: inp.shape, desc: `x${i}[${inp.shape}]` }));
  const steps = 2 + rng.int(6);
  for (let s = 0; s < steps; s++) {
    const a = nodes[rng.int(nodes.length)];
    const kind = rng.int(6);
    let n: Node;
    if (kind === 0 || kind === 1) {
      const [name, fv, ft] = UNARY[rng.int(UNARY.length)];
      n = { t: (xs) => ft(a.t(xs)), o: (xs) => ({ shape: a.shape, v: a.o(xs).v.map(fv) }), shape: a.shape, desc: `${name}(${a.desc})` };
    } else if (kind === 2 || kind === 3) {
      const b = nodes[rng.int(nodes.length)];
      const [name, fv, ft] = BINARY[rng.int(BINARY.length)];
      n = { t: (xs) => ft(a.t(xs), b.t(xs)), o: (xs) => vBinary(a.o(xs), b.o(xs), fv), shape: bshape(a.shape, b.shape), desc: `${name}(${a.desc}, ${b.desc})` };
    } else if (kind === 4) {
      const axis = rng.int(a.shape.length), mean = rng.random() < 0.5;
      n = { t: (xs) => (mean ? a.t(xs).mean(axis, true) : a.t(xs).sum(axis, true)), o: (xs) => vReduce(a.o(xs), axis, mean), shape: a.shape.map((d, i) => (i === axis ? 1 : d)), desc: `${mean ? 'mean' : 'sum'}(${a.desc}, ${axis})` };
    } else if (rng.random() < 0.7) {
      const d = a.shape[a.shape.length - 1];
      const w = addInput([d, d]);
      const transB = rng.random() < 0.5;
      n = { t: (xs) => matmul(a.t(xs), xs[w], { transB }), o: (xs) => vMatmul(a.o(xs), xs[w], transB), shape: a.shape, desc: `matmul(${a.desc}, W${transB ? 'ᵀ' : ''})` };
    } else {
      n = { t: (xs) => a.t(xs).softmax(-1), o: (xs) => vSoftmax(a.o(xs)), shape: a.shape, desc: `softmax(${a.desc})` };
    }
    nodes.push(n);
  }
  const out = nodes[nodes.length - 1];
  const weights = Array.from({ length: size(out.shape) }, () => rng.uniform(-1, 1));
  return { inputs, build: out.t, oracle: out.o, weights, desc: out.desc };
}

/** loss = Σ weights ⊙ f(inputs), in the tensor engine. */
function tensorLoss(c: Case, xs: Tensor[]): Tensor {
  const y = c.build(xs);
  return y.mul(tensor(c.weights, { dtype: 'float64', shape: y.shape })).sum();
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

test('autodiff property: random broadcasting/reduction/matmul graphs match the scalar oracle (values and gradients)', () => {
  fc.assert(fc.property(fc.nat(), (seed) => {
    tally('autodiff-oracle');
    const c = randomCase(seed);
    const xs = c.inputs.map((i) => tensor(i.data, { dtype: 'float64', shape: i.shape, requiresGrad: true }));
    const loss = tensorLoss(c, xs);
    loss.backward();
    const vs = c.inputs.map((i) => ({ shape: i.shape, v: i.data.map((d) => new Value(d)) }));
    const out = c.oracle(vs);
    const sLoss = out.v.reduce((acc, v, k) => acc.add(v.mul(c.weights[k])), new Value(0));
    sLoss.backward();
    assert.ok(close(loss.item(), sLoss.data, 1e-10), `${c.desc}: loss ${loss.item()} vs ${sLoss.data}`);
    xs.forEach((x, i) => vs[i].v.forEach((v, k) => {
      const g = x.grad ? x.grad.data[k] : 0;
      assert.ok(close(g, v.grad, 1e-9), `${c.desc}: ∂/∂x${i}[${k}] tensor ${g} vs scalar ${v.grad}`);
    }));
  }), { numRuns: 2000, seed: 42 });
  report('autodiff-oracle');
});

test('autodiff property: gradients match central finite differences', () => {
  fc.assert(fc.property(fc.nat(), (seed) => {
    tally('autodiff-fd');
    const c = randomCase(seed);
    const xs = c.inputs.map((i) => tensor(i.data, { dtype: 'float64', shape: i.shape, requiresGrad: true }));
    tensorLoss(c, xs).backward();
    const rng = new Rng(seed ^ 0x5bd1);
    const h = 1e-6;
    const at = (i: number, k: number, d: number) => noGrad(() => tensorLoss(c, c.inputs.map((inp, j) => {
      const data = [...inp.data];
      if (j === i) data[k] += d;
      return tensor(data, { dtype: 'float64', shape: inp.shape });
    })).item());
    for (let probe = 0; probe < 3; probe++) {
      const i = rng.int(xs.length), k = rng.int(c.inputs[i].data.length);
      const fd = (at(i, k, h) - at(i, k, -h)) / (2 * h);
      const g = xs[i].grad ? xs[i].grad!.data[k] : 0;
      // relu's kink can sit inside ±h; such rare probes are not gradient errors.
      if (c.desc.includes('relu') && !close(fd, g, 1e-5)) continue;
      assert.ok(close(fd, g, 1e-5), `${c.desc}: ∂/∂x${i}[${k}] autodiff ${g} vs finite difference ${fd}`);
    }
  }), { numRuns: 1000, seed: 43 });
  report('autodiff-fd');
});
