// Shared by the JavaScript peers (jax.mjs, tfjs.mjs), each run by bench/main.ts in its own child
// process: read the config (one JSON argument), load the peer from the scratch folder
// ($NABLA_BENCH_PEERS), time the workloads exactly as bench/workloads/timing.ts does, and print
// one JSON line: { systems: { name: { version, figures, notes } } }.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

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

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

const SLOW_CALL_SECONDS = 1;
const now = () => performance.now() / 1000;

/** Same procedure as bench/workloads/timing.ts, for calls that may be async. */
export async function measure(call, { maxCalls = Infinity, sampleSeconds = config.timing.sampleSeconds } = {}) {
  const timing = config.timing;
  const t0 = now();
  await call();
  const first = now() - t0;
  if (first > SLOW_CALL_SECONDS) {
    const t1 = now();
    await call();
    return { seconds: now() - t1, calls: 1, reps: 1 };
  }
  let warm = 1;
  while (warm < timing.warmup || (now() - t0 < sampleSeconds / 2 && warm < maxCalls)) {
    await call();
    warm++;
  }
  const perCall = (now() - t0) / warm;
  const calls = Math.max(1, Math.min(maxCalls, Math.ceil(sampleSeconds / perCall)));
  const samples = [];
  for (let r = 0; r < timing.reps; r++) {
    const t = now();
    for (let i = 0; i < calls; i++) await call();
    samples.push((now() - t) / calls);
  }
  return { seconds: median(samples), calls, reps: timing.reps };
}

/** Measurement options for a training workload: its fixed steps, or fewer within trainSeconds. */
export function trainLimits(spec) {
  return { maxCalls: Math.min(spec.steps, config.timing.maxSteps), sampleSeconds: config.timing.trainSeconds };
}

export function describe(m, what) {
  return m.reps === 1 && m.calls === 1 ? `1 ${what}` : `${m.reps}x${m.calls} ${what}s`;
}

/** The GEMM shapes to run (the big ones are skipped in quick mode). */
export function gemmSpecs() {
  return config.gemm.filter((g) => !(g.big && config.timing.skipBig));
}

export function gflops(g, m) {
  return (2 * g.m * g.n * g.k) / m.seconds / 1e9;
}

function pseudoRandom(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296;
  }
  return out;
}

/** IDX file body after its header (magic 0x0000_08_<rank>, big-endian dims). */
function idxBody(path) {
  const bytes = gunzipSync(readFileSync(path));
  const rank = bytes[3];
  return bytes.subarray(4 + 4 * rank);
}

/** Fashion-MNIST's train split as x [n, 784] in [0, 1] and one-hot y [n, 10]; random data if no dataDir. */
export function loadImages(classes = 10) {
  let x, labels, n;
  const d = 784;
  if (config.dataDir) {
    const px = idxBody(join(config.dataDir, 'train-images-idx3-ubyte.gz'));
    labels = idxBody(join(config.dataDir, 'train-labels-idx1-ubyte.gz'));
    n = labels.length;
    x = new Float32Array(px.length);
    for (let i = 0; i < px.length; i++) x[i] = px[i] / 255;
  } else {
    n = 8192;
    x = pseudoRandom(n * d, 3);
    labels = pseudoRandom(n, 7).map((v) => Math.floor(v * 10));
  }
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + labels[i]] = 1;
  return { x, y, n, d, classes };
}

/** The small network's batch: x uniform in [-1, 1]², y = x₀·x₁, as bench/workloads/data.ts. */
export function smallBatch(batch) {
  const x = pseudoRandom(batch * 2, 11).map((v) => 2 * v - 1);
  const y = new Float32Array(batch);
  for (let i = 0; i < batch; i++) y[i] = x[2 * i] * x[2 * i + 1];
  return { x, y };
}

/** Initial weights: uniform ±√(6/fan_in) (He) for ReLU, ±√(6/(fan_in+fan_out)) (Xavier) for tanh. */
export function initWeights(spec) {
  const layers = [];
  for (let i = 0; i + 1 < spec.sizes.length; i++) {
    const fi = spec.sizes[i], fo = spec.sizes[i + 1];
    const lim = Math.sqrt(6 / (spec.activation === 'relu' ? fi : fi + fo));
    layers.push({ w: pseudoRandom(fi * fo, 100 + i).map((v) => (2 * v - 1) * lim), b: new Float32Array(fo), fi, fo });
  }
  return layers;
}

/** Print the result as the last line of stdout. */
export function emit(systems) {
  process.stdout.write(`\n${JSON.stringify({ systems })}\n`);
}
