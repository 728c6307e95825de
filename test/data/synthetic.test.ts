import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import {
  blobs, circles, classCounts, moons, numClasses, patternAB, polynomial, sine, spirals, xor, type Dataset,
} from '../../src/data/index.js';

const same = (a: Dataset, b: Dataset): void => {
  assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
  assert.deepEqual(Array.from(a.y.data), Array.from(b.y.data));
};

test('xor: the four points of the notes, or balanced noisy clouds', () => {
  const ds = xor();
  assert.deepEqual(ds.x.toArray(), [[0, 0], [0, 1], [1, 0], [1, 1]]);
  assert.deepEqual(Array.from(ds.y.data), [0, 1, 1, 0]);
  const clouds = xor({ n: 200, noise: 0.1, seed: 3 });
  assert.deepEqual(clouds.x.shape, [200, 2]);
  assert.deepEqual(classCounts(clouds), [100, 100]);
  same(clouds, xor({ n: 200, noise: 0.1, seed: 3 }));
  // Each point stays near a corner whose XOR is its label.
  for (let i = 0; i < 200; i++) {
    const a = Math.round(clouds.x.data[2 * i]), b = Math.round(clouds.x.data[2 * i + 1]);
    assert.equal(a ^ b, clouds.y.data[i]);
  }
});

test('2-d classification sets: shapes, balanced classes, determinism per seed', () => {
  const makers: [string, (seed: number) => Dataset, number][] = [
    ['spirals', (seed) => spirals({ n: 300, classes: 3, seed }), 3],
    ['moons', (seed) => moons({ n: 101, seed }), 2],
    ['circles', (seed) => circles({ n: 100, seed }), 2],
    ['blobs', (seed) => blobs({ n: 90, centers: 3, seed }), 3],
  ];
  for (const [name, make, k] of makers) {
    const a = make(1), b = make(1), c = make(2);
    assert.equal(a.x.shape[1], 2, name);
    assert.equal(a.task, 'classification');
    assert.equal(numClasses(a), k, name);
    const counts = classCounts(a);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${name}: ${counts}`);
    same(a, b);
    assert.notDeepEqual(Array.from(a.x.data), Array.from(c.x.data), `${name}: another seed gives other data`);
  }
});

test('circles: inner class at radius factor, outer at 1', () => {
  const ds = circles({ n: 200, noise: 0, factor: 0.3, seed: 0 });
  for (let i = 0; i < 200; i++) {
    const r = Math.hypot(ds.x.data[2 * i], ds.x.data[2 * i + 1]);
    assert.ok(Math.abs(r - (ds.y.data[i] === 1 ? 0.3 : 1)) < 1e-6);
  }
});

test('blobs: given centres in any dimension', () => {
  const ds = blobs({ n: 40, centers: [[0, 0, 0], [10, 10, 10]], std: 0.5, seed: 4 });
  assert.deepEqual(ds.x.shape, [40, 3]);
  for (let i = 0; i < 40; i++) assert.equal(ds.x.data[3 * i] > 5 ? 1 : 0, ds.y.data[i]);
  assert.throws(() => blobs({ centers: [[0], [1, 2]] }), ConfigError);
});

test('sine and polynomial: regression sets on their ranges', () => {
  const s = sine({ n: 64, noise: 0, seed: 9 });
  assert.equal(s.task, 'regression');
  assert.deepEqual(s.x.shape, [64, 1]);
  assert.deepEqual(s.y.shape, [64, 1]);
  for (let i = 0; i < 64; i++) {
    assert.ok(Math.abs(s.x.data[i]) <= Math.PI + 1e-6);
    assert.ok(Math.abs(s.y.data[i] - Math.sin(s.x.data[i])) < 1e-6);
  }
  same(sine({ n: 64, seed: 9 }), sine({ n: 64, seed: 9 }));
  const p = polynomial({ n: 30, noise: 0, coefficients: [1, 0, 2], range: [0, 2], seed: 1 });
  for (let i = 0; i < 30; i++) {
    const x = p.x.data[i];
    assert.ok(x >= 0 && x <= 2);
    assert.ok(Math.abs(p.y.data[i] - (1 + 2 * x * x)) < 1e-4);
  }
  assert.throws(() => sine({ n: 0 }), ConfigError);
  assert.throws(() => sine({ noise: -1 }), ConfigError);
});

test('patternAB: 16 translations of each pattern, both averaging 0.25 everywhere', () => {
  for (const layout of ['1d', '2d'] as const) {
    const ds = patternAB({ layout });
    assert.deepEqual(ds.x.shape, [32, 16]);
    assert.deepEqual(ds.classNames, ['A', 'B']);
    assert.deepEqual(classCounts(ds), [16, 16]);
    for (const cls of [0, 1]) {
      const rows = new Set<string>();
      for (let r = cls * 16; r < cls * 16 + 16; r++) {
        const row = Array.from(ds.x.data.subarray(r * 16, r * 16 + 16));
        assert.equal(row.reduce((a, b) => a + b, 0), 4, 'four black pixels');
        rows.add(row.join(''));
      }
      assert.equal(rows.size, 16, `${layout}: all translations are distinct`);
      for (let j = 0; j < 16; j++) {
        let sum = 0;
        for (let r = cls * 16; r < cls * 16 + 16; r++) sum += ds.x.data[r * 16 + j];
        assert.equal(sum / 16, 0.25, `${layout} class ${cls} pixel ${j}`);
      }
    }
  }
  // 1-D: row s of class A is the pattern shifted by s with wrap-around.
  const ds = patternAB();
  assert.equal(Array.from(ds.x.data.subarray(0, 16)).join(''), '1110100000000000');
  assert.equal(Array.from(ds.x.data.subarray(15 * 16, 16 * 16)).join(''), '1101000000000001');
  assert.equal(Array.from(ds.x.data.subarray(16 * 16, 17 * 16)).join(''), '1011100000000000');
  assert.throws(() => patternAB({ a: [0, 1], b: [5, 6] }), /translations of each other/);
  assert.throws(() => patternAB({ a: [16] }), ConfigError);
});
