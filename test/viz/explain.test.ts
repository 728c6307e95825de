import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HardThreshold, LeakyReLU, Linear, Sequential, tensor, type Tensor } from '../../src/index.js';
import { defaultExample, explain, explainDefault, explainScalar, explainScalarTrace, explainTrace, netOfModule, type NetLike } from '../../src/viz/index.js';
import { assertGolden } from './golden.js';

/** Parse "  lhs = ... = VALUE    (shape [..])" lines into lhs → numbers. */
function parseLines(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const m = /^ {2}(\S+)\s+=.* = (\[[^=]*\]|-?[\d.e-]+)(?: {4}\(shape \[[\d, ]*\]\))?$/.exec(line);
    if (m) out.set(m[1], (JSON.parse(m[2]) as unknown as number[] | number[][] | number) instanceof Array ? (JSON.parse(m[2]) as number[]).flat(2) : [Number(m[2])]);
  }
  return out;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** The same network, run separately on the caller's tensors with a batch of one row. */
function engineGrads(net: NetLike, x: number[], t: number[]) {
  const params = net.layers.map((l) => ({ w: l.weight.detach().requiresGrad_(), b: l.bias!.detach().requiresGrad_(), act: l.activation }));
  let h: Tensor = tensor([x], { dtype: 'float64' });
  for (const p of params) {
    const z = h.matmul(p.w).add(p.b);
    h = p.act === 'relu' ? z.relu() : p.act === 'sigmoid' ? z.sigmoid() : p.act === 'tanh' ? z.tanh() : z;
  }
  h.sub(tensor([t], { dtype: 'float64' })).square().sum().mul(0.5).backward();
  return params;
}

test('default example matches its golden files (text and Markdown)', () => {
  assertGolden('explain-default.txt', explainDefault());
  assertGolden('explain-default.md', explainDefault({ format: 'markdown' }));
});

test("explain's printed gradients equal the engine's .grad from an independent backward", () => {
  const f64 = { dtype: 'float64' as const };
  const net: NetLike = {
    layers: [
      { weight: tensor([[0.3, -0.8, 0.5], [0.9, 0.1, -0.4]], f64), bias: tensor([0.05, 0.2, -0.1], f64), activation: 'tanh' },
      { weight: tensor([[0.6, -0.2], [-0.7, 0.4], [0.25, 0.9]], f64), bias: tensor([0.1, -0.3], f64), activation: 'sigmoid' },
      { weight: tensor([[1.1], [-0.6]], f64), bias: tensor([0.05], f64), activation: 'linear' },
    ],
  };
  const x = [0.7, -1.2], t = [0.4];
  const text = explain(net, x, t, { digits: 10 });
  const lines = parseLines(text);
  const ref = engineGrads(net, x, t);
  ref.forEach((p, i) => {
    const l = `⁽${'¹²³'[i]}⁾`;
    close(lines.get(`∂L/∂W${l}`)!, p.w.grad!.data, 1e-8, `printed ∂L/∂W${l}`);
    close(lines.get(`∂L/∂b${l}`)!, p.b.grad!.data, 1e-8, `printed ∂L/∂b${l}`);
  });
  // The trace holds the engine tensors themselves: same numbers, exactly.
  const trace = explainTrace(net, x, t);
  trace.layers.forEach((ly, i) => {
    assert.deepEqual(Array.from(ly.weight.grad!.data), Array.from(ref[i].w.grad!.data));
    assert.deepEqual(Array.from(ly.bias!.grad!.data), Array.from(ref[i].b.grad!.data));
  });
  // explain works on copies: the caller's parameters get no .grad.
  assert.equal(net.layers[0].weight.grad, null);
});

test('the default example shows the notes\' equations and the ReLU gate', () => {
  const text = explainDefault();
  for (const eq of ['z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾', 'h⁽¹⁾ = ReLU(z⁽¹⁾)', 'ŷ    = z⁽²⁾', '∂L/∂ŷ    = ŷ − t', '∂L/∂z⁽¹⁾ = ∂L/∂h⁽¹⁾ ⊙ ReLU′(z⁽¹⁾)',
    '∂L/∂W⁽¹⁾ = x·(∂L/∂z⁽¹⁾)ᵀ', '∂L/∂h⁽¹⁾ = W⁽²⁾·∂L/∂z⁽²⁾']) {
    assert.ok(text.includes(eq), `missing: ${eq}`);
  }
  const lines = parseLines(text);
  assert.deepEqual(lines.get('∂L/∂z⁽¹⁾'), [-0.245, 0.175, 0]); // the unit with z < 0 passes no gradient
  const { net, x, target } = defaultExample();
  const ref = engineGrads(net, x, target);
  close(lines.get('∂L/∂W⁽¹⁾')!, ref[0].w.grad!.data, 1e-12, '∂L/∂W⁽¹⁾');
  assert.match(explainDefault({ format: 'markdown' }), /\\mathbf\{W\}\^\{\(1\)\\top\} \\mathbf\{x\}/);
});

test('cross-entropy: ∂L/∂z of the output layer is ŷ − t, softmax and sigmoid heads', () => {
  const f64 = { dtype: 'float64' as const };
  const net: NetLike = { layers: [
    { weight: tensor([[0.2, -0.5], [0.4, 0.3]], f64), bias: tensor([0, 0.1], f64), activation: 'relu' },
    { weight: tensor([[0.5, -0.4, 0.3], [0.2, 0.1, -0.6]], f64), bias: tensor([0.1, 0, -0.1], f64), activation: 'softmax' },
  ] };
  const tr = explainTrace(net, [1, 2], 2, { loss: 'ce' });
  const dz = tr.layers[1].z.grad!.data;
  close(dz, Array.from(tr.output.data, (p, k) => p - (k === 2 ? 1 : 0)), 1e-12, 'softmax ∂L/∂z');
  assert.match(explain(net, [1, 2], 2, { loss: 'ce' }), /ŷ    = softmax\(z⁽²⁾\)/);
  const bin: NetLike = { layers: [{ weight: tensor([[0.5], [-1]], f64), bias: tensor([0.2], f64), activation: 'sigmoid' }] };
  const tb = explainTrace(bin, [1, 0.5], [1], { loss: 'ce' });
  close(tb.layers[0].z.grad!.data, [tb.output.data[0] - 1], 1e-12, 'sigmoid ∂L/∂z');
});

test('explain refuses inputs that do not fit, naming the sizes', () => {
  const { net } = defaultExample();
  assert.throws(() => explain(net, [1, 2, 3], [1]), /x has 3 values but the network takes 2/);
  assert.throws(() => explain(net, [1, 2], [1, 2]), /target has 2 values but the network has 1 outputs/);
});

test('scalar f = (x + y)·z reproduces the notes: q = 1, f = −3, ∂f/∂x = −3, ∂f/∂y = −3, ∂f/∂z = 1', () => {
  const { nodes } = explainScalarTrace('sum-product');
  assert.equal(nodes.q.data, 1);
  assert.equal(nodes.f.data, -3);
  assert.deepEqual([nodes.x.grad, nodes.y.grad, nodes.z.grad, nodes.q.grad], [-3, -3, 1, -3]);
  const text = explainScalar('sum-product');
  for (const line of ['q = x + y = (-1) + 2 = 1', 'f = q·z = 1·(-3) = -3', '∂f/∂x = ∂f/∂q · ∂q/∂x = (-3)·(1) = -3',
    '∂f/∂y = ∂f/∂q · ∂q/∂y = (-3)·(1) = -3', '∂f/∂z = ∂f/∂f · q = 1·1 = 1']) {
    assert.ok(text.includes(line), `missing: ${line}`);
  }
});

test('scalar examples: logistic least squares and the 2-layer ReLU net', () => {
  const lg = explainScalarTrace('logistic-least-squares').nodes;
  assert.deepEqual([lg.z.data, lg.y.data, lg.L.data, lg.w.grad, lg.b.grad], [0, 0.5, 0.125, -0.25, -0.125]);
  const tl = explainScalarTrace('two-layer-relu').nodes;
  assert.deepEqual([tl.L.data, tl.w1.grad, tl.b1.grad, tl.h0.grad, tl.w0.grad, tl.b0.grad], [2, -3, -2, 2, 4, 2]);
  // With z₀ < 0 the ReLU gate stops the gradient.
  const off = explainScalarTrace('two-layer-relu', { values: { b0: -2 } }).nodes;
  assert.deepEqual([off.z0.grad, off.w0.grad], [0, 0]);
  assert.throws(() => explainScalar('sum-product', { values: { w: 1 } }), /unknown value 'w'/);
});

test('scalar examples match their golden files', () => {
  assertGolden('scalar-sum-product.txt', explainScalar('sum-product'));
  assertGolden('scalar-sum-product.md', explainScalar('sum-product', { format: 'markdown' }));
  assertGolden('scalar-logistic.txt', explainScalar('logistic-least-squares'));
  assertGolden('scalar-two-layer.txt', explainScalar('two-layer-relu'));
});

test('activation parameters reach viz: explainTrace of a LeakyReLU(0.5) model uses slope 0.5, as model.forward does', () => {
  const model = new Sequential(new Linear(2, 3, { seed: 3, dtype: 'float64' }), new LeakyReLU(0.5), new Linear(3, 1, { seed: 4, dtype: 'float64' }));
  const net = netOfModule(model);
  assert.equal(net.layers[0].param, 0.5);
  // An input that makes some pre-activations negative, where the slope matters.
  const x = [1.5, -2], t = [0.3];
  const trace = explainTrace(net, x, t);
  const z1 = trace.layers[0].z, h1 = trace.layers[0].h;
  assert.ok(Array.from(z1.data).some((v) => v < 0), 'some z⁽¹⁾ < 0');
  Array.from(z1.data).forEach((v, i) => assert.equal(h1.data[i], v > 0 ? v : 0.5 * v));
  close(trace.output.data, model.forward(tensor([x], { dtype: 'float64' })).data, 1e-12, 'ŷ vs model.forward');
  // The printed g′ is the slope 0.5 where z < 0, and ∂L/∂z⁽¹⁾ = ∂L/∂h⁽¹⁾ ⊙ g′ holds with it.
  const dz = trace.layers[0].z.grad!.data, dh = h1.grad!.data;
  Array.from(z1.data).forEach((v, i) => assert.ok(Math.abs(dz[i] - dh[i] * (v > 0 ? 1 : 0.5)) < 1e-12));
  assert.match(explain(net, x, t), /LeakyReLU′\(z⁽¹⁾\) = .*0\.5/);
});

test('a hard-threshold layer is refused with the reason: its derivative is 0 everywhere', () => {
  const model = new Sequential(new Linear(2, 2, { seed: 1 }), new HardThreshold(), new Linear(2, 1, { seed: 2 }));
  assert.throws(() => explainTrace(netOfModule(model), [1, 2], [0]), /derivative is 0 everywhere.*cannot show it/);
});
