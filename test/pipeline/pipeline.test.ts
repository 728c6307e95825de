// Pipeline: the same answers from CSV text, records and encoded rows; the preprocessing is applied
// exactly once; one-logit classifiers give [1 - p, p]; bytes round-trip; bad meta is refused on load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/data/csv.js';
import { Standardizer } from '../../src/data/preprocess.js';
import { ConfigError, ParseError, ShapeError } from '../../src/errors.js';
import { mlp } from '../../src/nn/index.js';
import { Pipeline, type PipelineMeta } from '../../src/pipeline/index.js';
import { Rng } from '../../src/random.js';
import { softmax } from '../../src/tensor/ops/softmax.js';
import { sigmoid } from '../../src/tensor/ops/elementwise.js';
import { tensor } from '../../src/tensor/index.js';

/** A CSV with the label in the middle and features on very different scales. */
function csv(rows: number, seed: number, labelled = true): string {
  const rng = new Rng(seed);
  const lines = [labelled ? 'size,kind,weight' : 'size,weight'];
  for (let i = 0; i < rows; i++) {
    const size = 100 + 50 * rng.random(), weight = rng.random() / 100;
    const kind = size > 125 ? (weight > 0.005 ? 'big-heavy' : 'big') : 'small';
    lines.push(labelled ? `${size.toFixed(3)},${kind},${weight.toFixed(5)}` : `${size.toFixed(3)},${weight.toFixed(5)}`);
  }
  return `${lines.join('\n')}\n`;
}

function trained(loss = 'crossEntropy'): { p: Pipeline; text: string } {
  const text = csv(40, 1);
  const { dataset, schema } = parseCsv(text, { label: 'kind' });
  const scaler = new Standardizer().fit(dataset.x);
  const k = loss === 'bceWithLogits' ? 1 : dataset.classNames!.length;
  const model = mlp([2, 6, k], { activation: 'tanh', seed: 3 });
  const meta: PipelineMeta = { task: 'classification', loss, featureNames: dataset.featureNames, classNames: dataset.classNames, schema, scaler: scaler.toJSON() };
  return { p: new Pipeline(model, meta), text };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${i}: ${a[i]} vs ${b[i]}`);
};

test('Pipeline.predict: CSV text, records and encoded rows give the same standardised answer', () => {
  const { p, text } = trained();
  const fresh = csv(9, 7, false);
  const viaCsv = p.predict(fresh);
  // By hand: the label column is not an input, columns are standardised with the training statistics.
  const rows = fresh.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const { mean, std } = p.scaler as Standardizer;
  const z = rows.flatMap((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  const expected = softmax(p.model.forward(tensor(z, { shape: [rows.length, 2] })));
  close(viaCsv.probabilities!.data, expected.data);
  assert.deepEqual(viaCsv.classNames, ['big', 'big-heavy', 'small']);
  const records = rows.map(([size, weight]) => ({ weight, size, note: 'ignored' }));
  close(p.predict(records).probabilities!.data, expected.data);
  close(p.predict(rows).probabilities!.data, expected.data);
  close(p.predictProba(tensor(rows)).data, expected.data);
  const lines = viaCsv.toCsv().trim().split('\n');
  assert.equal(lines[0], 'prediction,p_big,p_big-heavy,p_small');
  assert.equal(lines.length, rows.length + 1);
  for (let i = 0; i < rows.length; i++) assert.equal(lines[i + 1].split(',')[0], viaCsv.labels![i]);
  // Training rows carry the label: evaluate scores them with the training loss.
  const r = p.evaluate(text);
  assert.equal(r.rows, 40);
  assert.ok(r.loss > 0 && r.accuracy! >= 0 && r.accuracy! <= 1);
});

test('Pipeline: a one-logit (BCE) classifier gives [1 - p, p]; bytes round-trip', () => {
  const { p } = trained('bceWithLogits');
  const two = csv(30, 2).split('\n').filter((l) => !l.includes('big-heavy')).join('\n');
  const { dataset, schema } = parseCsv(two, { label: 'kind' });
  const bin = new Pipeline(p.model, { ...p.toMeta(), classNames: dataset.classNames, schema });
  const x = tensor([[110, 0.001], [149, 0.009]]);
  const probs = bin.predictProba(x);
  const logit = sigmoid(bin.model.forward(bin.transform(x)));
  assert.deepEqual(probs.shape, [2, 2]);
  close(probs.data, [1 - logit.data[0], logit.data[0], 1 - logit.data[1], logit.data[1]]);
  const back = Pipeline.fromBytes(bin.toBytes(), 'mem');
  assert.deepEqual(back.toMeta(), bin.toMeta());
  close(back.predictProba(x).data, probs.data, 0);
});

test('Pipeline without a CSV schema reads columns by name, else by position (all but the label)', () => {
  const model = mlp([2, 3], { seed: 1 });
  const p = new Pipeline(model, { task: 'classification', loss: 'crossEntropy', featureNames: ['a', 'b'], classNames: ['x', 'y', 'z'] });
  const expected = softmax(model.forward(tensor([[1, 2], [3, 4]])));
  close(p.predictProba('b,a\n2,1\n4,3\n').data, expected.data);
  close(p.predictProba('p,q,label\n1,2,x\n3,4,z\n').data, expected.data);
  assert.equal(p.evaluate('p,q,label\n1,2,x\n3,4,z\n').rows, 2);
  assert.throws(() => p.predict('p,q,r\n1,2,3\n'), (e: unknown) => e instanceof ParseError && /expects 2 feature columns but the file has 3/.test(e.message));
  assert.throws(() => p.evaluate('a,b\n1,2\n'), (e: unknown) => e instanceof ParseError && /no label column 'label'/.test(e.message));
  assert.throws(() => p.predict([[1, 2, 3]]), ShapeError);
});

test('Pipeline meta is checked on load: a bare model file or a mismatched one is refused with a reason', () => {
  const model = mlp([2, 3], { seed: 1 });
  const bare = new Pipeline(model, { task: 'regression', loss: 'mse', featureNames: ['a', 'b'] }).toBytes();
  assert.equal(Pipeline.fromBytes(bare).outputs, 'values');
  const meta = (m: object) => () => new Pipeline(model, m as PipelineMeta);
  assert.throws(meta({ loss: 'mse' }), (e: unknown) => e instanceof ConfigError && /not a pipeline/.test(e.message));
  assert.throws(meta({ task: 'regression', loss: 'mse', featureNames: ['a'], scaler: { kind: 'standardizer', mean: [0, 0], std: [1, 1] } }), /fitted on 2 columns/);
  assert.throws(meta({ task: 'classification', loss: 'crossEntropy', featureNames: ['a', 'b'], classNames: ['only'] }), /at least 2 classes/);
  assert.throws(meta({ task: 'regression', loss: 'mse', featureNames: ['a', 'b'], outputs: 'probabilities' }), /do not fit a regression/);
});
