// Writes the small Fashion-MNIST fixture the tests use (test/fixtures/fashion-mnist/): the first
// TRAIN images of the official train split and the first TEST of the test split, byte for byte
// (same IDX headers with the counts changed), gzipped. Run once by hand with the full data set:
//   node scripts/make-fashion-mnist-fixture.mjs /path/to/fashion-mnist [TRAIN] [TEST]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [src, trainArg = '800', testArg = '200'] = process.argv.slice(2);
if (!src) {
  console.error('usage: node scripts/make-fashion-mnist-fixture.mjs FASHION_MNIST_DIR [TRAIN] [TEST]');
  process.exit(2);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'fashion-mnist');
mkdirSync(out, { recursive: true });

/** The first `count` items of an IDX file: the header with dimension 0 set to count, then the body's start. */
function head(bytes, count) {
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let itemSize = 1;
  for (let i = 1; i < rank; i++) itemSize *= view.getUint32(4 + 4 * i, false);
  const headerLen = 4 + 4 * rank;
  const copy = bytes.slice(0, headerLen + count * itemSize);
  new DataView(copy.buffer).setUint32(4, count, false);
  return copy;
}

for (const [split, count] of [['train', Number(trainArg)], ['t10k', Number(testArg)]]) {
  for (const kind of ['images-idx3', 'labels-idx1']) {
    const name = `${split}-${kind}-ubyte.gz`;
    const bytes = gunzipSync(readFileSync(join(src, name)));
    writeFileSync(join(out, name), gzipSync(head(bytes, count), { level: constants.Z_BEST_COMPRESSION }));
  }
}
console.log(`wrote ${out}`);
