// Exported ONNX files run in ONNX Runtime Web and agree with nabla's forward pass to 1e-5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/random.js';
import { mlp, Sequential, Linear, ReLU, Dropout, Softmax } from '../../src/nn/index.js';
import { tensor } from '../../src/tensor/index.js';
import type { Module } from '../../src/nn/module.js';
import { exportOnnx, importOnnx, irVersionFor, type DenseModel } from '../../src/onnx/index.js';
import { modelProtoType } from '../../src/onnx/onnx-schema.js';
import { ConfigError } from '../../src/errors.js';
import { runOnnx } from './ort-helpers.js';
import { activations } from '../../src/ops/index.js';

// Every activation of the op registry, so a new one is checked against ONNX Runtime as it lands.
const ACTIVATIONS = activations().map((a) => a.name);

function randomInput(rng: Rng, rows: number, cols: number): Float32Array {
  // Spread wide enough to reach every activation's branches (and softplus's large-|x| path).
  return Float32Array.from({ length: rows * cols }, () => (rng.random() - 0.5) * 8);
}

async function maxDiff(model: Module | DenseModel, forward: (x: Float32Array, rows: number) => ArrayLike<number>, inF: number, opts: Parameters<typeof exportOnnx>[1], seed: number) {
  const rng = new Rng(seed);
  const bytes = exportOnnx(model, opts);
  let worst = 0;
  for (const rows of [1, 7, 32]) {
    const x = randomInput(rng, rows, inF);
    const ours = forward(x, rows);
    const theirs = await runOnnx(bytes, x, [rows, inF]);
    assert.equal(theirs.data.length, ours.length);
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(theirs.data[i] - ours[i]));
  }
  return worst;
}

const fwd = (m: Module, inF: number) => (x: Float32Array, rows: number) => m.forward(tensor(x, { shape: [rows, inF] })).data;

for (const act of ACTIVATIONS) {
  test(`ONNX export: ${act} MLP matches ONNX Runtime to 1e-5 (opset 17 and 20)`, async () => {
    for (const opset of [17, 20]) {
      const m = mlp([5, 16, 8, 3], { activation: act === 'softmax' || act === 'logSoftmax' ? 'tanh' : act, outputActivation: act, seed: 3 });
      const d = await maxDiff(m, fwd(m, 5), 5, { opset }, 11);
      assert.ok(d <= 1e-5, `${act} opset ${opset}: max |diff| ${d}`);
    }
  });
}

test('ONNX export: parameters (leakyRelu slope, elu alpha), softmaxOutput, Dropout and nested Sequential', async () => {
  const m = new Sequential(new Sequential(new Linear(4, 6, { seed: 1 }), new ReLU(), new Dropout(0.3)), mlp([6, 5], { outputActivation: 'leakyRelu', seed: 2 }));
  (m.at(1) as Sequential).add(new Linear(5, 3, { seed: 5 }));
  const eluNet = mlp([4, 6, 3], { activation: 'elu', seed: 4 });
  const probs = new Sequential(m, new Softmax());
  m.eval();
  assert.ok(await maxDiff(m, fwd(probs, 4), 4, { softmaxOutput: true }, 1) <= 1e-5);
  const custom = new Sequential(new Linear(4, 3, { seed: 9 }));
  const withParam: DenseModel = { layers: [{ weight: (custom.at(0) as Linear).weight, bias: (custom.at(0) as Linear).bias, activation: 'leaky_relu', param: 0.2 }] };
  const leaky = (x: Float32Array, rows: number) => Array.from(custom.forward(tensor(x, { shape: [rows, 4] })).data, (v) => (v > 0 ? v : 0.2 * v));
  assert.ok(await maxDiff(withParam, leaky, 4, {}, 2) <= 1e-5);
  assert.ok(await maxDiff(eluNet, fwd(eluNet, 4), 4, { opset: 13 }, 3) <= 1e-5);
});

test('ONNX export: states its opset and IR version; refuses what it cannot express', () => {
  const T = modelProtoType();
  for (const [opset, ir] of [[13, 7], [17, 8], [20, 9], [21, 10]] as const) {
    const m = T.toObject(T.decode(exportOnnx(mlp([2, 2], { seed: 0 }), { opset })), { longs: Number });
    assert.equal(m.irVersion, ir);
    assert.equal(irVersionFor(opset), ir);
    assert.deepEqual(m.opsetImport, [{ domain: '', version: opset }]);
    assert.equal(m.producerName, 'nabla');
  }
  assert.throws(() => exportOnnx(mlp([2, 2]), { opset: 9 }), ConfigError);
  assert.throws(() => exportOnnx(new Sequential(new ReLU())), ConfigError);
  assert.throws(() => exportOnnx(new Sequential(new Linear(2, 3), new ReLU(), new ReLU())), ConfigError);
  assert.throws(() => exportOnnx(new Sequential(new Linear(2, 3), new Linear(2, 3))), ConfigError);
});

test('ONNX round trip: import(export(model)) computes the same function, for every activation', () => {
  const rng = new Rng(5);
  for (const act of ACTIVATIONS) {
    for (const opset of [17, 20]) {
      const m = mlp([3, 7, 2], { activation: act === 'softmax' || act === 'logSoftmax' ? 'elu' : act, outputActivation: act, seed: 8 });
      const back = importOnnx(exportOnnx(m, { opset }));
      assert.equal(back.opset, opset);
      const x = tensor(randomInput(rng, 9, 3), { shape: [9, 3] });
      assert.deepEqual(Array.from(back.model.forward(x).data), Array.from(m.forward(x).data), `${act} opset ${opset}`);
    }
  }
});
