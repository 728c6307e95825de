// The op registry: every activation it defines is differentiable where it says so (against finite
// differences in float64), agrees across backends, has a JVP that matches forward mode, batches,
// and goes through the one dispatch door (which runs vmap's batching rules). SiLU, added through the registry alone, is checked end to
// end: formula, derivative, model file, ONNX round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { activations, allOps, jvpOf, kernelCodes, paramOf, unaryOp } from '../../src/ops/index.js';
import { batchRules } from '../../src/tensor/dispatch.js';
import { TransformError } from '../../src/errors.js';
import * as el from '../../src/tensor/ops/elementwise.js';
import { activationDerivative } from '../../src/tensor/ops/activation.js';
import { exportOnnx, importOnnx } from '../../src/onnx/index.js';

const f64 = { dtype: 'float64' as const };
// Away from kinks (relu at 0), where finite differences are not defined.
const away = (shape: number[], seed: number) => {
  const t = nb.randn(shape, { ...f64, seed });
  for (let i = 0; i < t.size; i++) if (Math.abs(t.data[i]) < 0.1) t.data[i] += 0.3;
  return t;
};
const differentiable = activations().filter((a) => a.differentiable);

test('every differentiable activation passes gradcheck in float64 (with a non-default parameter too)', () => {
  for (const a of differentiable) {
    // .add(0): gradcheck needs an output distinct from its input (identity returns x itself).
    const r = nb.gradcheck((x) => nb.activate(a.name, x).add(0), [away([3, 4], 7)]);
    assert.ok(r.passed, `${a.name}: ${JSON.stringify(r.inputs)}`);
    if (a.params.length && a.activation.elementwise) { // (softmax's parameter is an axis)
      const p = a.params[0].default + 0.25;
      assert.ok(nb.gradcheck((x) => nb.activate(a.name, x, p), [away([3, 4], 8)]).passed, `${a.name}(${p})`);
    }
  }
});

test('every elementwise activation: second derivatives by autograd match finite differences of the first', () => {
  for (const a of differentiable.filter((d) => d.activation.elementwise)) {
    // g′(x)·x, so that a g″ of 0 (relu) still leaves a function of x to check: its derivative is g″(x)·x + g′(x).
    const r = nb.gradcheck((x) => nb.grad((y: Tensor) => nb.activate(a.name, y).sum())(x).mul(x), [away([5], 9)]);
    assert.ok(r.passed, `${a.name}: ${JSON.stringify(r.inputs)}`);
  }
});

test('every activation gives the same values and gradients on each backend as on JS (float32)', () => {
  const run = () => differentiable.map((a) => {
    const x = nb.randn([13, 37], { seed: 3, requiresGrad: true });
    const y = nb.activate(a.name, x);
    y.mul(nb.randn([13, 37], { seed: 4 })).sum().backward();
    return [a.name, Array.from(y.data), Array.from(x.grad!.data)] as const;
  });
  const prev = nb.getBackend();
  nb.setBackend('js');
  const ref = run();
  try {
    for (const b of nb.availableBackends().filter((n) => n !== 'js')) {
      nb.setBackend(b);
      run().forEach(([name, y, g], k) => {
        for (const [ours, theirs, what] of [[y, ref[k][1], 'value'], [g, ref[k][2], 'grad']] as const) {
          ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= 2e-5 * Math.max(1, Math.abs(theirs[i])), `${b} ${name} ${what}[${i}]: ${v} vs ${theirs[i]}`));
        }
      });
    }
  } finally {
    nb.setBackend(prev);
  }
});

test('each elementwise activation\'s derivative formula (explain uses it) matches autograd', () => {
  for (const a of differentiable.filter((d) => d.activation.elementwise)) {
    const x = away([6], 11);
    const auto = nb.grad((v: Tensor) => nb.activate(a.name, v).sum())(x);
    const y = nb.activate(a.name, x);
    const formula = nb.noGrad(() => activationDerivative(a.name, x, y));
    auto.data.forEach((v, i) => assert.ok(Math.abs(v - formula.data[i]) < 1e-12, `${a.name}[${i}]: ${v} vs ${formula.data[i]}`));
  }
});

test('the JVP rules of the unary ops agree with forward mode computed by nb.jvp', () => {
  const T = el;
  for (const d of allOps()) {
    if (d.kind !== 'unary' || !d.kernel || !d.differentiable) continue;
    const x = nb.rand([5], { ...f64, seed: 12, low: 0.5, high: 2 });
    const t = nb.randn([5], { ...f64, seed: 13 });
    const p = paramOf(d);
    const y = el.applyUnary(d, x, p);
    const ours = jvpOf(d)(T, x, y, t, p)!;
    const [, ref] = nb.jvp((v) => el.applyUnary(d, v, p), [x], [t]);
    ref.data.forEach((v, i) => assert.ok(Math.abs(v - ours.data[i]) < 1e-10, `${d.name}[${i}]`));
  }
});

test('the dispatch door: plain inputs run the kernel, a batched input runs the op\'s batching rule, an op without one is refused', () => {
  const x = nb.tensor([[-1, 2], [3, -4]], { requiresGrad: true });
  const relu = batchRules.relu;
  const seen: number[] = [];
  batchRules.relu = (inputs, level, p) => { seen.push(level); return relu(inputs, level, p); };
  try {
    assert.deepEqual(Array.from(nb.relu(x).data), [0, 2, 3, 0]);
    assert.deepEqual(seen, [], 'no rule for plain inputs');
    const y = nb.vmap((r: Tensor) => nb.relu(r))(x);
    assert.deepEqual(Array.from(y.data), [0, 2, 3, 0]);
    assert.deepEqual(seen, [1], 'the rule ran once for the whole batch, at vmap level 1');
    delete (batchRules as Record<string, unknown>).relu;
    assert.throws(() => nb.vmap((r: Tensor) => nb.relu(r))(x), (e: unknown) => e instanceof TransformError && /op 'relu' has no batching rule/.test((e as Error).message));
  } finally {
    batchRules.relu = relu;
  }
});

test('every registry op with a kernel batches through the door: batch axis anywhere, mixed with unbatched inputs', () => {
  for (const d of allOps()) {
    if (d.kind === 'binary' || d.kernel) assert.ok(batchRules[d.name], `${d.name} has a batching rule`);
    if (d.kind === 'unary' && d.grad) assert.ok(batchRules[`${d.name}Grad`], `${d.name}Grad has a batching rule`);
  }
  const a = nb.randn([3, 4, 2], { seed: 20 }); // batch axis 1 (size 4)
  const b = nb.randn([2], { seed: 21 }); // unbatched
  const y = nb.vmap((v: Tensor) => nb.gelu(v), [1])(a);
  assert.deepEqual(y.shape, [4, 3, 2]);
  assert.deepEqual(Array.from(y.data), Array.from(nb.gelu(a.transpose(1, 0, 2)).data));
  const z = nb.vmap((p: Tensor, q: Tensor) => nb.mul(p, q), [1, null])(a, b);
  assert.deepEqual(z.shape, [4, 3, 2]);
  for (let k = 0; k < 4; k++) {
    const row = nb.mul(a.slice(null, [k, k + 1]).reshape([3, 2]), b);
    assert.deepEqual(Array.from(z.slice([k, k + 1]).data), Array.from(row.data), `batch ${k}`);
  }
});

test('kernel codes are unique per table and every compiled op has a reference kernel', () => {
  for (const t of ['unary', 'unaryGrad', 'binary'] as const) {
    const all = allOps().flatMap((d) => (t === 'binary' ? (d.kind === 'binary' ? [d.kernel.code] : []) : d.kind === 'unary' ? [(t === 'unary' ? d.kernel : d.grad)?.code].filter((c) => c !== undefined) : []));
    assert.equal(new Set(all).size, all.length, `${t}: a code is used twice`);
    for (const b of ['wasm', 'native'] as const) assert.ok(Object.keys(kernelCodes(t, b)).length > 0);
  }
  for (const d of allOps()) if (d.kind === 'unary') assert.ok(d.kernel || d.compose, `${d.name} has a forward`);
});

test('SiLU is x·σ(x) with derivative σ(x)(1 + x(1 − σ(x))), spelled silu, SiLU or swish', () => {
  const x = nb.tensor([-3, -0.5, 0, 0.5, 3], f64).requiresGrad_();
  const y = nb.silu(x);
  y.sum().backward();
  x.data.forEach((v, i) => {
    const s = 1 / (1 + Math.exp(-v));
    assert.ok(Math.abs(y.data[i] - v * s) < 1e-15);
    assert.ok(Math.abs(x.grad!.data[i] - s * (1 + v * (1 - s))) < 1e-15);
  });
  for (const spelling of ['silu', 'SiLU', 'swish']) assert.equal(nb.resolveActivation(spelling), 'silu');
  assert.deepEqual(new nb.SiLU().config(), { type: 'SiLU' });
  assert.ok(nb.moduleFromConfig({ type: 'SiLU' }) instanceof nb.Activation);
});

test('SiLU exports to ONNX as Mul(x, Sigmoid(x)) and imports back as silu with the same outputs', () => {
  const m = nb.mlp([3, 5, 2], { activation: 'silu', seed: 4 });
  for (const opset of [17, 20]) {
    const bytes = exportOnnx(m, { opset });
    const back = importOnnx(bytes);
    assert.deepEqual(back.layers.map((l) => l.activation), ['silu', 'identity']);
    const x = nb.randn([4, 3], { seed: 5 });
    const [a, b] = [m.forward(x).data, back.model.forward(x).data];
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6));
  }
  // A plain Sigmoid stays sigmoid: the longer form only matches when the Mul reads x and σ(x).
  assert.deepEqual(importOnnx(exportOnnx(nb.mlp([3, 5, 2], { activation: 'sigmoid', seed: 4 }))).layers.map((l) => l.activation), ['sigmoid', 'identity']);
});

test('LeakyReLU\'s default slope has one source: the registry', () => {
  const slope = unaryOp('leakyRelu').params[0].default;
  const x = nb.tensor([-2]);
  assert.equal(nb.leakyRelu(x).item(), Math.fround(-2 * slope));
  assert.equal(new nb.LeakyReLU().param, slope);
  assert.equal(nb.activationFn('leaky_relu')(x).item(), Math.fround(-2 * slope));
});
