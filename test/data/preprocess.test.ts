import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ShapeError } from '../../src/errors.js';
import { tensor } from '../../src/tensor/creation.js';
import {
  MinMaxScaler, Standardizer, classCounts, makeDataset, oneHot, sine, scalerFromJSON, split, splitIndices, trainTestSplit,
} from '../../src/data/index.js';
import { loadEmbedded } from '../../src/data/read-files.js';

const loadRegression = () => sine({ n: 10, seed: 0 });

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

test('Standardizer: statistics come from the training rows only', () => {
  const train = tensor([[1, 10], [3, 10], [5, 10]]);
  const test = tensor([[100, 0]]);
  const s = new Standardizer().fit(train);
  close(s.mean, [3, 10]);
  close(s.std, [Math.sqrt(8 / 3), 0]);
  const z = s.transform(train);
  close(z.data, [-Math.sqrt(1.5), 0, 0, 0, Math.sqrt(1.5), 0]);
  // The test row is scaled with the training statistics and does not move them.
  close(s.transform(test).data, [97 / Math.sqrt(8 / 3), -10]);
  close(s.mean, [3, 10]);
  close(s.inverseTransform(z).data, train.data);
  const back = Standardizer.fromJSON(JSON.parse(JSON.stringify(s)));
  close(back.transform(test).data, s.transform(test).data);
  assert.throws(() => s.transform(tensor([[1, 2, 3]])), ShapeError);
  assert.throws(() => new Standardizer().transform(train), /call fit\(\)/);
  assert.throws(() => Standardizer.fromJSON({ kind: 'standardizer', mean: [1], std: ['x'] }), ConfigError);
});

test('Standardizer keeps float64 inputs in float64', () => {
  const x = tensor([[1], [2]], { dtype: 'float64' });
  assert.equal(new Standardizer().fitTransform(x).dtype, 'float64');
});

test('MinMaxScaler: [0,1] or a given range, constant columns, JSON round trip', () => {
  const train = tensor([[0, 5], [10, 5], [5, 5]]);
  const m = new MinMaxScaler().fit(train);
  close(m.transform(train).data, [0, 0, 1, 0, 0.5, 0]);
  close(m.transform(tensor([[20, 6]])).data, [2, 1]);
  close(m.inverseTransform(m.transform(train)).data, train.data);
  const r = new MinMaxScaler([-1, 1]).fit(train);
  close(r.transform(train).data, [-1, -1, 1, -1, 0, -1]);
  const back = scalerFromJSON(JSON.parse(JSON.stringify(r)));
  assert.ok(back instanceof MinMaxScaler);
  close(back.transform(train).data, r.transform(train).data);
  assert.throws(() => new MinMaxScaler([1, 1]), ConfigError);
  assert.throws(() => scalerFromJSON({ kind: 'robust' }), /unknown scaler kind/);
});

test('stratified split keeps class proportions in every part; seeds repeat', () => {
  const iris = loadEmbedded('iris');
  const { train, validation, test } = split(iris, { validation: 0.2, test: 0.2, stratify: true, seed: 7 });
  assert.deepEqual(classCounts(train), [30, 30, 30]);
  assert.deepEqual(classCounts(validation), [10, 10, 10]);
  assert.deepEqual(classCounts(test), [10, 10, 10]);
  const again = split(iris, { validation: 0.2, test: 0.2, stratify: true, seed: 7 });
  assert.deepEqual(Array.from(again.test.x.data), Array.from(test.x.data));
  // Unbalanced classes: 90 / 30 rows keep a 3:1 ratio in both parts.
  const y = Float32Array.from({ length: 120 }, (_, i) => (i % 4 === 3 ? 1 : 0));
  const ds = makeDataset({ x: Float32Array.from({ length: 120 }, (_, i) => i), y, n: 120, d: 1, task: 'classification' });
  const parts = trainTestSplit(ds, { testSize: 0.25, stratify: true, seed: 2 });
  assert.deepEqual(classCounts(parts.test), [23, 8]); // round(90 / 4), round(30 / 4)
  assert.deepEqual(classCounts(parts.train), [67, 22]);
  assert.throws(() => trainTestSplit(loadRegression(), { stratify: true }), /classification/);
});

test('split: every row lands in exactly one part; shuffle false keeps order', () => {
  const parts = splitIndices(103, [0, 0.1, 0.2], { seed: 5 });
  const all = [...parts[0], ...parts[1], ...parts[2]].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 103 }, (_, i) => i));
  assert.deepEqual([parts[1].length, parts[2].length], [10, 21]);
  const ordered = splitIndices(10, [0, 0.3], { shuffle: false });
  assert.deepEqual(Array.from(ordered[0]), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(ordered[1]), [7, 8, 9]);
  assert.throws(() => splitIndices(10, [0, 0.6, 0.5]), /no training rows/);
});

test('oneHot: labels to rows, refusing labels outside 0..k-1', () => {
  const t = oneHot(tensor([2, 0, 1]));
  assert.deepEqual(t.shape, [3, 3]);
  assert.deepEqual(t.toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(oneHot([1], 4).toArray(), [[0, 1, 0, 0]]);
  assert.throws(() => oneHot([3], 3), ShapeError);
  assert.throws(() => oneHot([0.5]), ShapeError);
});

test('splitIndices handles 200,000 rows (no spread into push)', () => {
  const [train, test] = splitIndices(200_000, [0, 0.2], { seed: 1 });
  assert.equal(train.length, 160_000);
  assert.equal(test.length, 40_000);
});
