// Node's side of the JavaScript peers (jax.mjs, tfjs.mjs), each run by bench/main.ts in its own
// child process: read the config (one JSON argument), load the peer from the scratch folder
// ($NABLA_BENCH_PEERS) and the training data, and print one JSON line:
// { systems: { name: { version, figures, notes } } }. The workloads themselves are in
// jax-workloads.mjs and tfjs-workloads.mjs, which the browser page runs too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { oneHotImages, syntheticImages } from './workloads.mjs';

export const config = JSON.parse(process.argv[2] ?? '{}');

const peersDir = process.env.NABLA_BENCH_PEERS;
if (!peersDir) throw new Error('NABLA_BENCH_PEERS is not set (run through `npm run bench -- --peers`)');
const requireFromPeers = createRequire(join(peersDir, 'package.json'));

/** A peer package from the scratch folder (CommonJS entry: ESM resolution cannot be re-rooted). */
export function requirePeer(name) {
  return requireFromPeers(name);
}

export function peerVersion(name) {
  return JSON.parse(readFileSync(join(peersDir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** IDX file body after its header (magic 0x0000_08_<rank>, big-endian dims). */
function idxBody(path) {
  const bytes = gunzipSync(readFileSync(path));
  const rank = bytes[3];
  return bytes.subarray(4 + 4 * rank);
}

/** Fashion-MNIST's train split as x [n, 784] in [0, 1] and one-hot y [n, 10]; random data if no dataDir. */
export function loadImages() {
  if (!config.dataDir) return syntheticImages();
  const px = idxBody(join(config.dataDir, 'train-images-idx3-ubyte.gz'));
  const labels = idxBody(join(config.dataDir, 'train-labels-idx1-ubyte.gz'));
  const x = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) x[i] = px[i] / 255;
  return oneHotImages(x, labels, 784);
}

/** Print the result as the last line of stdout. */
export function emit(systems) {
  process.stdout.write(`\n${JSON.stringify({ systems })}\n`);
}
