import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ConfigError, ParseError } from '../../src/errors.js';
import { parseIdx, parseIdxDataset, parseIdxImages, parseIdxLabels } from '../../src/data/index.js';
import { idxBytes as idx } from '../helpers/files.js';
import { findFashionMnist, loadFashionMnist, loadIdxDir, loadIdxFiles } from '../../src/data/read-files.js';


const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => (i * 23) % 256);
const images = idx([3, 2, 2], pixels);
const labels = idx([3], [2, 0, 1]);

test('IDX round trip: images scaled to [0,1] and flattened, labels as class indices', () => {
  const x = parseIdxImages(images);
  assert.deepEqual(x.shape, [3, 4]);
  assert.equal(x.dtype, 'float32');
  x.data.forEach((v, i) => assert.ok(Math.abs(v - pixels[i] / 255) < 1e-7));
  const y = parseIdxLabels(labels);
  assert.deepEqual(Array.from(y.data), [2, 0, 1]);
  const ds = parseIdxDataset(images, labels, { name: 'tiny' });
  assert.deepEqual(ds.classNames, ['0', '1', '2']);
  assert.deepEqual(ds.featureNames, ['r0c0', 'r0c1', 'r1c0', 'r1c1']);
  assert.equal(ds.name, 'tiny');
});

test('IDX: wrong magic, wrong rank, unsupported type', () => {
  const bad = images.slice(); bad[0] = 0x12;
  assert.throws(() => parseIdx(bad, 'bad.idx'), (e: unknown) => e instanceof ParseError && /bad\.idx: not an IDX file/.test(e.message));
  assert.throws(() => parseIdxImages(labels, 'labels.idx'), /0x00000801 has 1 dimensions, expected 0x00000803/);
  assert.throws(() => parseIdxLabels(images, 'images.idx'), /expected 0x00000801/);
  const float = images.slice(); float[2] = 0x0d;
  assert.throws(() => parseIdx(float), /value type 0x0d/);
  assert.throws(() => parseIdx(new Uint8Array(0)), ParseError);
});

test('IDX: truncated header, truncated data and trailing bytes', () => {
  assert.throws(() => parseIdxImages(images.subarray(0, 10), 't.idx'), /t\.idx: truncated header/);
  assert.throws(() => parseIdxImages(images.subarray(0, images.length - 1), 't.idx'), /truncated: header says 3x2x2 = 12 values but only 11 bytes/);
  const longer = new Uint8Array(images.length + 3); longer.set(images);
  assert.throws(() => parseIdxImages(longer), /3 unexpected bytes/);
});

test('IDX: a forged huge header fails before allocating', () => {
  const forged = idx([0xffffffff, 0xffffffff, 0xffffffff], [1, 2, 3]);
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => parseIdxImages(forged, 'forged.idx'), (e: unknown) => e instanceof ParseError && /truncated/.test(e.message));
  assert.throws(() => parseIdxLabels(idx([2 ** 32 - 1], [1]), 'forged.idx'), /truncated/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20);
});

test('IDX: gzip bytes are refused by the browser-safe parser with a hint', () => {
  assert.throws(() => parseIdxImages(gzipSync(images), 'x.gz'), /gzip-compressed; decompress it first/);
});

test('IDX: labels and images must agree in count', () => {
  assert.throws(() => parseIdxDataset(images, idx([2], [0, 1]), { labelsSource: 'l.idx' }), /l\.idx: 2 labels for 3 images/);
});

test('node loaders: gzip and plain files, standard names in a folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
  try {
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(labels));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    const a = loadIdxFiles(join(dir, 'train-images-idx3-ubyte.gz'), join(dir, 'train-labels-idx1-ubyte.gz'));
    const b = loadIdxDir(dir, 'test');
    assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
    assert.deepEqual(Array.from(loadIdxDir(dir, 'train').y.data), [2, 0, 1]);
    assert.equal(findFashionMnist(dir), dir);
    // A corrupt gzip stream and a missing file are ParseErrors naming the file.
    writeFileSync(join(dir, 'bad.gz'), Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    assert.throws(() => loadIdxFiles(join(dir, 'bad.gz'), join(dir, 'x')), (e: unknown) => e instanceof ParseError && e.source === join(dir, 'bad.gz'));
    assert.throws(() => loadIdxFiles(join(dir, 'nope'), join(dir, 'x')), /nope: cannot read \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findFashionMnist says how to get the data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-empty-'));
  try {
    assert.throws(() => findFashionMnist(dir), (e: unknown) => e instanceof ConfigError && /apt-get install dataset-fashion-mnist/.test(e.message) && /t10k-images-idx3-ubyte\.gz/.test(e.message));
    assert.throws(() => loadIdxDir(dir, 'train'), /train-images-idx3-ubyte/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The committed sample (test/fixtures/fashion-mnist): the first 800 training and 200 test images of
// the real data set. The full-size checks (10,000 x 784, balanced classes) are in `npm run accuracy`.
const FIXTURE = fileURLToPath(new URL('../fixtures/fashion-mnist', import.meta.url));

test('real Fashion-MNIST sample: shapes, labels as counted by the fixture README, class names, pixels in [0, 1]', () => {
  const counts = (ds: { y: { data: ArrayLike<number> } }) => {
    const c = new Array<number>(10).fill(0);
    for (const v of Array.from(ds.y.data)) c[v]++;
    return c;
  };
  const testSplit = loadFashionMnist('test', FIXTURE);
  assert.deepEqual(testSplit.x.shape, [200, 784]);
  assert.deepEqual(testSplit.y.shape, [200]);
  assert.equal(testSplit.classNames?.length, 10);
  assert.equal(testSplit.classNames?.[9], 'Ankle boot');
  assert.deepEqual(Array.from(testSplit.y.data.subarray(0, 5)), [9, 2, 1, 1, 6]);
  assert.deepEqual(counts(testSplit), [20, 27, 27, 17, 21, 16, 16, 20, 18, 18]);
  let lo = Infinity, hi = -Infinity;
  for (const v of testSplit.x.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  const train = loadFashionMnist('train', FIXTURE);
  assert.deepEqual(train.x.shape, [800, 784]);
  assert.deepEqual(counts(train), [82, 84, 70, 73, 81, 79, 80, 89, 85, 77]);
  // The first training image's pixel sum (76,247 / 255), as counted from the raw bytes.
  let sum = 0;
  for (let i = 0; i < 784; i++) sum += train.x.data[i];
  assert.ok(Math.abs(sum * 255 - 76247) < 1e-2, `pixel sum ${sum * 255}`);
});
