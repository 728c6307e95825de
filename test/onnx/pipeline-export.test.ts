// The acceptance check for exported pipelines: models trained by the CLI, exported with
// `nabla export --softmax`, run in ONNX Runtime Web on the raw CSV feature columns (file order,
// label removed, NaN for a missing cell) give `nabla predict`'s numbers to 1e-5; export → import
// round-trips the pipeline; a PyTorch export imported by the CLI works with info, predict and eval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Rng } from '../../src/random.js';
import { tensor } from '../../src/tensor/index.js';
import { modelProtoType } from '../../src/onnx/onnx-schema.js';
import { runOnnx } from './ort-helpers.js';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-onnx-pipeline-'));

function nabla(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[]): string {
  const r = nabla(args);
  assert.equal(r.code, 0, `nabla ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Rows with features on very different scales and the label column in the middle. */
function writeCsv(name: string, rows: number, seed: number, label: (a: number, b: number, c: number) => string, missing = 0): string {
  const rng = new Rng(seed);
  const lines = ['alcohol,target,proline,hue'];
  for (let i = 0; i < rows; i++) {
    const a = 11 + 4 * rng.random(), b = 300 + 1400 * rng.random(), c = 0.5 + rng.random();
    const cells = [a.toFixed(2), label(a, b, c), b.toFixed(0), c.toFixed(3)];
    if (i < missing) cells[i % 2 === 0 ? 0 : 2] = '';
    lines.push(cells.join(','));
  }
  writeFileSync(join(tmp, name), `${lines.join('\n')}\n`);
  return name;
}

/** The raw feature columns (file order, label removed) as float32, NaN for an empty cell. */
function rawFeatures(name: string): { x: Float32Array; n: number } {
  const rows = readFileSync(join(tmp, name), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const x = Float32Array.from(rows.flatMap((r) => [r[0], r[2], r[3]].map((c) => (c === '' ? NaN : Number(c)))));
  return { x, n: rows.length };
}

function predicted(name: string, model: string): { header: string[]; values: number[][] } {
  const lines = ok(['predict', '--model', model, '--input', name]).trim().split('\n');
  return { header: lines[0].split(','), values: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

async function onnxOf(model: string, extra: string[], input: string) {
  ok(['export', '--model', model, '--out', `${model}.onnx`, ...extra]);
  const bytes = readFileSync(join(tmp, `${model}.onnx`));
  const { x, n } = rawFeatures(input);
  const out = await runOnnx(bytes, x, [n, 3]);
  const T = modelProtoType();
  const meta = Object.fromEntries((T.toObject(T.decode(bytes)) as { metadataProps: { key: string; value: string }[] }).metadataProps.map((p) => [p.key, p.value]));
  return { out, meta };
}

function assertClose(onnx: Float32Array, expected: number[][], cols: (row: number[]) => number[], what: string) {
  let worst = 0;
  expected.forEach((row, i) => cols(row).forEach((v, j) => { worst = Math.max(worst, Math.abs(onnx[i * cols(row).length + j] - v)); }));
  assert.ok(worst <= 1e-5, `${what}: max |ONNX - nabla predict| = ${worst}`);
}

test('exported classifiers (cross-entropy with imputation, BCE) give nabla predict\'s probabilities in ONNX Runtime', async () => {
  const wine = (a: number, b: number, c: number) => (b > 1000 ? 'barolo' : a + 3 * c > 15.5 ? 'grignolino' : 'barbera');
  const train3 = writeCsv('wine.csv', 180, 1, wine, 6);
  const new3 = writeCsv('wine-new.csv', 40, 2, wine, 4);
  ok(['train', '--data', train3, '--missing', 'impute', '--layers', '8', '--epochs', '15', '--lr', '0.01', '--quiet', '--out', 'wine.nabla']);
  const p3 = predicted(new3, 'wine.nabla');
  assert.deepEqual(p3.header, ['prediction', 'p_barbera', 'p_barolo', 'p_grignolino']);
  const { out, meta } = await onnxOf('wine.nabla', ['--softmax'], new3);
  assert.deepEqual(out.dims, [40, 3]);
  assertClose(out.data, p3.values, (r) => r.slice(1), 'cross-entropy');
  assert.deepEqual(JSON.parse(meta.class_names), ['barbera', 'barolo', 'grignolino']);
  assert.deepEqual(JSON.parse(meta.feature_names), ['alcohol', 'proline', 'hue']);
  assert.equal(meta.outputs, 'probabilities');

  const binary = (a: number, b: number) => (b > 900 ? 'red' : 'white');
  const train2 = writeCsv('bin.csv', 150, 3, binary);
  const new2 = writeCsv('bin-new.csv', 30, 4, binary);
  ok(['train', '--data', train2, '--loss', 'bce', '--layers', '6', '--epochs', '15', '--lr', '0.01', '--quiet', '--out', 'bin.nabla']);
  const p2 = predicted(new2, 'bin.nabla');
  assert.deepEqual(p2.header, ['prediction', 'p_red', 'p_white']);
  const b = await onnxOf('bin.nabla', ['--softmax'], new2);
  assert.deepEqual(b.out.dims, [30, 2]);
  assertClose(b.out.data, p2.values, (r) => r.slice(1), 'BCE');
  // Not a constant: the two classes are both predicted.
  assert.ok(new Set(p2.values.map((r) => r[1] > 0.5)).size === 2);
});

test('an exported regression pipeline gives nabla predict\'s values in ONNX Runtime; --softmax is refused for it', async () => {
  const value = (a: number, b: number, c: number) => (0.3 * (a - 13) + (b - 1000) / 700 - c).toFixed(4);
  const train = writeCsv('reg.csv', 160, 5, value);
  const fresh = writeCsv('reg-new.csv', 25, 6, value);
  ok(['train', '--data', train, '--layers', '8', '--epochs', '10', '--quiet', '--out', 'reg.nabla']);
  const p = predicted(fresh, 'reg.nabla');
  assert.deepEqual(p.header, ['predicted_target']);
  const { out, meta } = await onnxOf('reg.nabla', [], fresh);
  assertClose(out.data, p.values, (r) => r, 'regression');
  assert.equal(meta.task, 'regression');
  const r = nabla(['export', '--model', 'reg.nabla', '--out', 'x.onnx', '--softmax']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /regression.*probabilities/);
});

test('exportOnnx(pipeline) → importOnnx gives the same pipeline: names, imputation and scaling come back; categorical columns are refused', async () => {
  const { parseCsv } = await import('../../src/data/csv.js');
  const { MinMaxScaler, Standardizer } = await import('../../src/data/preprocess.js');
  const { mlp } = await import('../../src/nn/index.js');
  const { Pipeline } = await import('../../src/pipeline/index.js');
  const { exportOnnx, importOnnx } = await import('../../src/onnx/index.js');
  const { ConfigError } = await import('../../src/errors.js');
  const text = 'a,b,c,label\n1,200,0.5,x\n2,,0.25,y\n3,260,NA,z\n4,300,0.75,x\n';
  const { dataset, schema } = parseCsv(text, { missing: 'impute' });
  for (const scaler of [new Standardizer().fit(dataset.x), new MinMaxScaler([-1, 1]).fit(dataset.x)]) {
    const p = new Pipeline(mlp([3, 5, 3], { seed: 2 }), { task: 'classification', loss: 'crossEntropy', featureNames: dataset.featureNames, classNames: dataset.classNames, schema, scaler: scaler.toJSON() });
    const back = importOnnx(exportOnnx(p, { probabilities: true }), 'p.onnx');
    assert.deepEqual(back.pipeline.featureNames, ['a', 'b', 'c']);
    assert.deepEqual(back.pipeline.classNames, ['x', 'y', 'z']);
    assert.equal(back.pipeline.outputs, 'probabilities');
    const fresh = 'c,a,b\n0.3,2.5,\n,1.5,280\n';
    const want = p.predictProba(fresh).data, got = back.pipeline.predictProba(fresh).data;
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(want[i] - got[i]) <= 1e-6, `${i}: ${want[i]} vs ${got[i]}`);
    // The imported model alone computes the whole graph: NaN filled, scaled, softmax.
    const whole = back.model.forward(tensor([[2.5, NaN, 0.3], [1.5, 280, NaN]])).data;
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(want[i] - whole[i]) <= 1e-6);
  }
  // A one-logit (BCE) classifier exported with probabilities ends in [1 - p, p]; it imports back whole.
  const two = parseCsv('a,b,c,label\n1,200,0.5,x\n2,210,0.25,y\n3,260,0.1,x\n');
  const bce = new Pipeline(mlp([3, 4, 1], { seed: 5 }), { task: 'classification', loss: 'bceWithLogits', featureNames: two.dataset.featureNames, classNames: two.dataset.classNames, schema: two.schema, scaler: new Standardizer().fit(two.dataset.x).toJSON() });
  const bceBack = importOnnx(exportOnnx(bce, { probabilities: true }), 'bce.onnx');
  const rows = [[2.5, 230, 0.3], [1.5, 280, 0.2]];
  const wantBce = bce.predictProba(rows).data;
  const gotWhole = bceBack.model.forward(tensor(rows)), gotPipe = bceBack.pipeline.predictProba(rows).data;
  assert.deepEqual(gotWhole.shape, [2, 2]);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(wantBce[i] - gotWhole.data[i]) <= 1e-6 && Math.abs(wantBce[i] - gotPipe[i]) <= 1e-6, `${i}`);
  const cat = parseCsv('colour,size,label\nred,1,x\nblue,2,y\nred,3,x\n');
  const pc = new Pipeline(mlp([3, 2], { seed: 1 }), { task: 'classification', loss: 'crossEntropy', featureNames: cat.dataset.featureNames, classNames: cat.dataset.classNames, schema: cat.schema });
  assert.throws(() => exportOnnx(pc), (e: unknown) => e instanceof ConfigError && /column 'colour' is categorical \(red, blue\)/.test((e as Error).message));
});

test('a PyTorch export imported by the CLI is a pipeline that info, predict and eval use', () => {
  const fixtures = resolve(import.meta.dirname, '../fixtures/onnx');
  const f = (JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as { models: Record<string, { input: number[]; output: number[]; inputShape: number[] }> }).models['gelu-tanh-softmax'];
  const out = ok(['import', '--onnx', join(fixtures, 'gelu-tanh-softmax.onnx'), '--classes', 'ant,bee,cat', '--out', 'torch.nabla']);
  assert.match(out, /a classification pipeline, 5 input features, outputs probabilities, classes ant, bee, cat/);
  assert.match(ok(['info', '--model', 'torch.nabla']), /pipeline: classification, 5 input features \(not scaled\), outputs probabilities/);
  const [n, d] = f.inputShape;
  const rows = Array.from({ length: n }, (_, i) => f.input.slice(i * d, (i + 1) * d));
  // Columns by position (no names in a PyTorch file); the label column, when there, is 'label'.
  writeFileSync(join(tmp, 'torch-in.csv'), `${['f0', 'f1', 'f2', 'f3', 'f4'].join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const pred = predicted('torch-in.csv', 'torch.nabla');
  assert.deepEqual(pred.header, ['prediction', 'p_ant', 'p_bee', 'p_cat']);
  assertClose(Float32Array.from(f.output), pred.values, (r) => r.slice(1), 'PyTorch vs nabla predict');
  const labels = rows.map((_, i) => ['ant', 'bee', 'cat'][[0, 1, 2].reduce((b, j) => (f.output[i * 3 + j] > f.output[i * 3 + b] ? j : b), 0)]);
  writeFileSync(join(tmp, 'torch-labelled.csv'), `f0,f1,label,f2,f3,f4\n${rows.map((r, i) => [r[0], r[1], labels[i], ...r.slice(2)].join(',')).join('\n')}\n`);
  // A refusal is one line and exit 2.
  const refused = nabla(['import', '--onnx', join(fixtures, 'dropout-training-mode.onnx'), '--out', 'never.nabla']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr.trim(), /^nabla: ONNX import: unsupported operator Dropout \(Dropout in training mode[^\n]*$/);
  const e = JSON.parse(ok(['eval', '--model', 'torch.nabla', '--data', 'torch-labelled.csv', '--json']).trim().split('\n').at(-1)!) as { rows: number; accuracy: number; loss: number };
  assert.equal(e.rows, n);
  assert.equal(e.accuracy, 1);
  const nll = -rows.reduce((s, _, i) => s + Math.log(f.output[i * 3 + ['ant', 'bee', 'cat'].indexOf(labels[i])]), 0) / n;
  assert.ok(Math.abs(e.loss - nll) < 1e-5, `eval loss ${e.loss} vs cross-entropy of PyTorch's probabilities ${nll}`);
});
