// The peers' side of the workloads, shared by Node (jax.mjs, tfjs.mjs, each in its own child
// process) and the browser page (bench/browser/page.ts): no Node API here. Timing follows
// bench/workloads/timing.ts exactly; the synthetic data repeats bench/workloads/synthetic.ts.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

const SLOW_CALL_SECONDS = 1;
const now = () => performance.now() / 1000;

/** Same procedure as bench/workloads/timing.ts, for calls that may be async. */
export async function measure(call, timing, { maxCalls = Infinity, sampleSeconds = timing.sampleSeconds } = {}) {
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
export function trainLimits(spec, timing) {
  return { maxCalls: Math.min(spec.steps, timing.maxSteps), sampleSeconds: timing.trainSeconds };
}

export function describe(m, what) {
  return m.reps === 1 && m.calls === 1 ? `1 ${what}` : `${m.reps}x${m.calls} ${what}s`;
}

/** The GEMM shapes to run (the big ones are skipped in quick mode). */
export function gemmSpecs(config) {
  return config.gemm.filter((g) => !(g.big && config.timing.skipBig));
}

export function gflops(g, m) {
  return (2 * g.m * g.n * g.k) / m.seconds / 1e9;
}

export function pseudoRandom(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296;
  }
  return out;
}

/** Pixels and labels as the peers take them: x [n, d] in [0, 1], one-hot y [n, classes]. */
export function oneHotImages(x, labels, d, classes = 10) {
  const n = labels.length;
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + labels[i]] = 1;
  return { x, y, n, d, classes };
}

/** Random pixels and labels of Fashion-MNIST's shape (when the data set is absent). */
export function syntheticImages() {
  const n = 8192, d = 784;
  return oneHotImages(pseudoRandom(n * d, 3), pseudoRandom(n, 7).map((v) => Math.floor(v * 10)), d);
}

/** The small network's batch: x uniform in [-1, 1]², y = x₀·x₁ (nabla's side of the bench uses it too). */
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
