// ONNX import: models from other producers (Gemm transB, MatMul + Add) agree with ONNX Runtime;
// anything beyond a plain MLP is refused with the full list of unsupported ops; bad bytes give
// only typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParseError } from '../../src/errors.js';
import { mlp } from '../../src/nn/index.js';
import { Rng } from '../../src/random.js';
import { tensor } from '../../src/tensor/index.js';
import { exportOnnx, importOnnx, UnsupportedOnnxError } from '../../src/onnx/index.js';
import { float32Bytes, floatAttr, intAttr, stringAttr, type OnnxNode } from '../../src/onnx/graph-builder.js';
import { modelProtoType } from '../../src/onnx/onnx-schema.js';
import { mutated, onlyTypedErrors, report, tally } from '../trust/fuzz-helpers.js';
import { runOnnx } from './ort-helpers.js';

const init = (name: string, dims: number[], values: ArrayLike<number>) => ({ name, dims, dataType: 1, rawData: float32Bytes(values) });
const node = (opType: string, input: string[], output: string, attribute: OnnxNode['attribute'] = []) => ({ opType, input, output: [output], attribute });
const info = (name: string, dims: (number | string)[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });

function model(nodes: object[], inits: object[], inF: number, outF: number, opset = 17): Uint8Array {
  const T = modelProtoType();
  return T.encode(T.fromObject({
    irVersion: 8, opsetImport: [{ domain: '', version: opset }], producerName: 'hand-made',
    graph: { name: 'g', node: nodes, initializer: inits, input: [info('x', ['n', inF])], output: [info('y', ['n', outF])] },
  })).finish();
}

const rand = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.random() * 2 - 1);

test('ONNX import: a PyTorch-style graph (Gemm transB=1, alpha/beta, MatMul+Add, Softmax) matches ONNX Runtime', async () => {
  const rng = new Rng(1);
  const bytes = model([
    node('Gemm', ['x', 'W1', 'b1'], 'h1', [intAttr('transB', 1), floatAttr('alpha', 0.5), floatAttr('beta', 2)]),
    node('LeakyRelu', ['h1'], 'a1', [floatAttr('alpha', 0.1)]),
    node('MatMul', ['a1', 'W2'], 'h2'),
    node('Add', ['b2', 'h2'], 'z2'),
    node('Gelu', ['z2'], 'a2', [stringAttr('approximate', 'tanh')]),
    node('Dropout', ['a2'], 'd2'),
    node('Gemm', ['d2', 'W3'], 'z3'),
    node('Softmax', ['z3'], 'y', [intAttr('axis', 1)]),
  ], [init('W1', [6, 4], rand(rng, 24)), init('b1', [6], rand(rng, 6)), init('W2', [6, 5], rand(rng, 30)), init('b2', [5], rand(rng, 5)), init('W3', [5, 3], rand(rng, 15))], 4, 3, 20);
  const { model: m, layers } = importOnnx(bytes, 'torch.onnx');
  assert.deepEqual(layers.map((l) => [l.activation, l.weight.shape, !!l.bias]), [['leakyRelu', [4, 6], true], ['gelu', [6, 5], true], ['softmax', [5, 3], false]]);
  const x = Float32Array.from(rand(rng, 40));
  const ours = m.forward(tensor(x, { shape: [10, 4] })).data;
  const theirs = (await runOnnx(bytes, x, [10, 4])).data;
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) <= 1e-5, `${i}: ${ours[i]} vs ${theirs[i]}`);
});

test('ONNX import: refuses every unsupported op at once, and non-MLP structure with a reason', () => {
  const rng = new Rng(2);
  const w = init('W', [4, 4], rand(rng, 16));
  assert.throws(() => importOnnx(model([node('Conv', ['x', 'W'], 'c'), node('Relu', ['c'], 'r'), node('Reshape', ['r', 'W'], 's'), node('Conv', ['s', 'W'], 'y')], [w], 4, 4)),
    (e: unknown) => e instanceof UnsupportedOnnxError && e.ops.join() === 'Conv,Reshape' && /Conv, Reshape/.test(e.message));
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'z'), node('Gelu', ['z'], 'y')], [w], 4, 4, 20)),
    (e: unknown) => e instanceof UnsupportedOnnxError && /erf/.test(e.message));
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'z'), node('Relu', ['z'], 'a'), node('Tanh', ['a'], 'y')], [w], 4, 4)),
    (e: unknown) => e instanceof UnsupportedOnnxError && e.ops.join() === 'Tanh');
  assert.throws(() => importOnnx(model([node('MatMul', ['x', 'W'], 'z'), node('Mul', ['z', 'W'], 'y')], [w], 4, 4)), UnsupportedOnnxError);
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'z'), node('Relu', ['x'], 'y')], [w], 4, 4)), ParseError); // a branch
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'V'], 'y')], [w], 4, 4)), /not an initializer/);
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'z')], [w], 4, 4)), /not at the graph output/);
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'y')], [{ name: 'W', dims: [4, 1e6], dataType: 1, rawData: new Uint8Array(64) }], 4, 4)), /raw_data has 64 bytes/);
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'y')], [{ name: 'W', dims: [2 ** 40, 2 ** 40], dataType: 1 }], 4, 4)), /more than/);
  assert.throws(() => importOnnx(model([node('Gemm', ['x', 'W'], 'y', [], )].map((n) => ({ ...n, domain: 'com.microsoft' })), [w], 4, 4)),
    (e: unknown) => e instanceof UnsupportedOnnxError && e.ops[0] === 'com.microsoft::Gemm');
});

test('ONNX import fuzz: random bytes, mutated exports and random op chains give a model or a typed error', () => {
  const base = exportOnnx(mlp([3, 5, 4, 2], { activation: 'gelu', outputActivation: 'softmax', seed: 1 }));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { tally('onnx'); onlyTypedErrors(() => importOnnx(b)); }), { numRuns: 3000, seed: 1 });
  fc.assert(fc.property(mutated(base), (b) => { tally('onnx'); onlyTypedErrors(() => importOnnx(b)); }), { numRuns: 3000, seed: 2 });
  // Structurally valid protobuf with random ops, wiring, attributes and initializer shapes.
  const ops = fc.constantFrom('Gemm', 'MatMul', 'Add', 'Relu', 'Mul', 'Greater', 'Cast', 'Gelu', 'Softmax', 'Identity', 'Conv', 'Tanh', 'Elu');
  const names = fc.constantFrom('x', 'y', 'W', 'b', 'zero', 'v0', 'v1', 'v2', '');
  const arbNode = fc.record({ opType: ops, input: fc.array(names, { maxLength: 3 }), output: fc.array(names, { maxLength: 2 }),
    attribute: fc.array(fc.record({ name: fc.constantFrom('transB', 'alpha', 'axis', 'to', 'approximate'), type: fc.nat(8), i: fc.integer({ min: -3, max: 12 }), f: fc.float() }), { maxLength: 2 }) });
  const arbInit = fc.record({ name: names, dims: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 3 }), dataType: fc.constantFrom(0, 1, 7, 11), floatData: fc.array(fc.float(), { maxLength: 40 }) });
  fc.assert(fc.property(fc.array(arbNode, { maxLength: 6 }), fc.array(arbInit, { maxLength: 4 }), (nodes, inits) => {
    tally('onnx');
    const T = modelProtoType();
    const bytes = T.encode(T.fromObject({ irVersion: 8, opsetImport: [{ version: 17 }], graph: { node: nodes, initializer: inits, input: [{ name: 'x' }], output: [{ name: 'y' }] } })).finish();
    onlyTypedErrors(() => importOnnx(bytes));
  }), { numRuns: 2000, seed: 3 });
  report('onnx');
});
