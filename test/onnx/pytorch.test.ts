// The importer against files PyTorch really writes (test/fixtures/onnx, made by make-fixtures.py
// with Debian's python3-torch): each imported forward pass matches what PyTorch computed, and the
// import is a pipeline with identity preprocessing. Also the strict side: opsets, IR versions and
// declared shapes outside what nabla supports are refused with one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ShapeError } from '../../src/errors.js';
import { mlp } from '../../src/nn/index.js';
import { tensor } from '../../src/tensor/index.js';
import { exportOnnx, importOnnx, UnsupportedOnnxError, UnsupportedOnnxVersionError } from '../../src/onnx/index.js';
import { modelProtoType } from '../../src/onnx/onnx-schema.js';

const DIR = resolve(import.meta.dirname, '../fixtures/onnx');
interface Fixture { note: string; opset: number; inputShape: number[]; input: number[]; outputShape: number[]; output: number[]; ops: string[] }
const { models } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { models: Record<string, Fixture> };

const EXPECT: Record<string, { task: string; outputs: string; activations: string[] }> = {
  'flatten-relu': { task: 'regression', outputs: 'values', activations: ['relu', 'identity'] },
  'gelu-tanh-softmax': { task: 'classification', outputs: 'probabilities', activations: ['gelu', 'softmax'] },
  'no-folding-sigmoid': { task: 'classification', outputs: 'probabilities', activations: ['tanh', 'sigmoid'] },
  'old-opset-elu-regression': { task: 'regression', outputs: 'values', activations: ['elu', 'softplus', 'identity'] },
  'dropout-identity-logsoftmax': { task: 'classification', outputs: 'logProbabilities', activations: ['leakyRelu', 'logSoftmax'] },
};

for (const [name, f] of Object.entries(models)) {
  test(`PyTorch export '${name}' (${f.note}): imported forward matches PyTorch to 1e-5`, () => {
    const imported = importOnnx(readFileSync(join(DIR, `${name}.onnx`)), `${name}.onnx`);
    assert.equal(imported.opset, f.opset);
    assert.deepEqual(imported.layers.map((l) => l.activation), EXPECT[name].activations);
    const rows = f.inputShape[0], width = f.input.length / rows;
    const y = imported.model.forward(tensor(Float32Array.from(f.input), { shape: [rows, width] }));
    assert.deepEqual(y.shape, f.outputShape);
    let worst = 0;
    for (let i = 0; i < f.output.length; i++) worst = Math.max(worst, Math.abs(y.data[i] - f.output[i]));
    assert.ok(worst <= 1e-5, `max |nabla - PyTorch| = ${worst}`);
    // The pipeline beside it: identity preprocessing, the same forward, a task read from the head.
    const p = imported.pipeline;
    assert.equal(p.scaler, undefined);
    assert.equal(p.task, EXPECT[name].task);
    assert.equal(p.outputs, EXPECT[name].outputs);
    const rowsOf = Array.from({ length: rows }, (_, i) => f.input.slice(i * width, (i + 1) * width));
    assert.deepEqual(Array.from(p.forward(rowsOf).data), Array.from(y.data));
    if (p.task === 'classification') {
      const probs = p.predictProba(rowsOf);
      for (let i = 0; i < rows; i++) {
        const row = Array.from(probs.data.subarray(i * probs.shape[1], (i + 1) * probs.shape[1]));
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5, `row ${i} probabilities sum to 1`);
      }
    }
  });
}

test('PyTorch export with Dropout in training mode is refused: it would drop units at random', () => {
  assert.throws(() => importOnnx(readFileSync(join(DIR, 'dropout-training-mode.onnx')), 'dropout-training-mode.onnx'),
    (e: unknown) => e instanceof UnsupportedOnnxError && /Dropout in training mode/.test(e.message) && !e.message.includes('\n'));
});

/** nabla's own export with one field of the ModelProto changed. */
function edited(change: (m: Record<string, any>) => void): Uint8Array {
  const T = modelProtoType();
  const m = T.toObject(T.decode(exportOnnx(mlp([4, 5, 3], { seed: 1 }))), { longs: Number }) as Record<string, any>;
  change(m);
  return T.encode(T.fromObject(m)).finish();
}

test('ONNX import is strict: opsets, IR versions and declared shapes outside what nabla supports, one line each', () => {
  for (const opset of [1, 6, 99, 1000]) {
    assert.throws(() => importOnnx(edited((m) => { m.opsetImport[0].version = opset; }), 'm.onnx'),
      (e: unknown) => e instanceof UnsupportedOnnxVersionError && e.message === `m.onnx: ONNX opset ${opset} is not supported (nabla imports ai.onnx opsets 7..22)`);
  }
  for (const ir of [2, 99]) {
    assert.throws(() => importOnnx(edited((m) => { m.irVersion = ir; }), 'm.onnx'),
      (e: unknown) => e instanceof UnsupportedOnnxVersionError && /IR version \d+ is not supported \(nabla imports IR versions 3\.\.10\)/.test(e.message));
  }
  assert.throws(() => importOnnx(edited((m) => { m.graph.input[0].type.tensorType.shape.dim[1].dimValue = 5; }), 'm.onnx'),
    (e: unknown) => e instanceof ShapeError && e.message === "m.onnx: the graph input 'input' is declared [batch, 5] but the first layer takes 4 features");
  assert.throws(() => importOnnx(edited((m) => { m.graph.output[0].type.tensorType.shape.dim[1].dimValue = 2; }), 'm.onnx'),
    (e: unknown) => e instanceof ShapeError && /output 'output' is declared \[batch, 2\] but the last layer gives 3 outputs/.test(e.message));
  assert.throws(() => importOnnx(edited((m) => { m.graph.input[0].type.tensorType.shape.dim.push({ dimValue: 1 }); }), 'm.onnx'),
    (e: unknown) => e instanceof ShapeError && /declared \[batch, 4, 1\]/.test(e.message));
  assert.throws(() => importOnnx(edited((m) => { m.graph.input[0].type.tensorType.elemType = 11; }), 'm.onnx'),
    (e: unknown) => e instanceof ShapeError && /element type 11/.test(e.message));
  // Within range and consistent: imported.
  assert.equal(importOnnx(edited((m) => { m.opsetImport[0].version = 7; m.irVersion = 3; })).opset, 7);
});
