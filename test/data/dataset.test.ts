import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ShapeError } from '../../src/errors.js';
import { describe, makeDataset, numClasses, numFeatures, numOutputs, numSamples, sine, subset, xor } from '../../src/data/index.js';

test('makeDataset checks sizes, names and labels', () => {
  const ds = makeDataset({ x: new Float32Array(6), y: Float32Array.from([0, 2, 1]), n: 3, d: 2, task: 'classification' });
  assert.deepEqual(ds.x.shape, [3, 2]);
  assert.deepEqual(ds.featureNames, ['x0', 'x1']);
  assert.equal(numClasses(ds), 3);
  assert.throws(() => makeDataset({ x: new Float32Array(5), y: new Float32Array(3), n: 3, d: 2, task: 'classification' }), ShapeError);
  assert.throws(() => makeDataset({ x: new Float32Array(6), y: Float32Array.from([0, 1.5, 1]), n: 3, d: 2, task: 'classification' }), ConfigError);
  assert.throws(() => makeDataset({ x: new Float32Array(6), y: Float32Array.from([0, 1, 2]), n: 3, d: 2, task: 'classification', classNames: ['a', 'b'] }), /not a class index in 0..1/);
  assert.throws(() => makeDataset({ x: new Float32Array(6), y: new Float32Array(3), n: 3, d: 2, task: 'classification', featureNames: ['a'] }), ShapeError);
});

test('subset copies the chosen rows and keeps names', () => {
  const ds = xor();
  const s = subset(ds, [3, 0]);
  assert.deepEqual(s.x.toArray(), [[1, 1], [0, 0]]);
  assert.deepEqual(Array.from(s.y.data), [0, 0]);
  assert.deepEqual(s.classNames, ['0', '1']);
  s.x.data[0] = 42;
  assert.equal(ds.x.data[6], 1, 'rows are copies');
  assert.throws(() => subset(ds, [4]), /outside 0..3/);
  const r = subset(sine({ n: 5, seed: 1 }), [4, 4]);
  assert.deepEqual(r.y.shape, [2, 1]);
  assert.equal(numOutputs(r), 1);
  assert.throws(() => numClasses(r), /regression/);
});

test('describe and counts', () => {
  const ds = xor();
  assert.equal(numSamples(ds), 4);
  assert.equal(numFeatures(ds), 2);
  assert.equal(describe(ds), 'xor: 4 rows x 2 features, 2 classes (0, 1)');
  assert.equal(describe(sine({ n: 3 })), 'sine: 3 rows x 1 features, regression, 1 target');
});
