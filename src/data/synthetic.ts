// Synthetic data sets, each generated from a seed (or a given Rng): same seed, same rows.
// Classification sets give every class the same number of rows (round-robin), in class order
// shuffled so that minibatches see all classes.
import { ConfigError } from '../errors.js';
import { rngFrom, type Rng } from '../random.js';
import { makeDataset, type Dataset } from './dataset.js';

export interface SyntheticOptions {
  /** Number of rows. */
  n?: number;
  /** Standard deviation of the gaussian noise. */
  noise?: number;
  seed?: number;
  rng?: Rng;
}

function count(n: number | undefined, fallback: number, what: string): number {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${what}: n must be a positive integer, got ${v}`);
  return v;
}

function noiseOf(noise: number | undefined, fallback: number, what: string): number {
  const v = noise ?? fallback;
  if (!(v >= 0) || !Number.isFinite(v)) throw new ConfigError(`${what}: noise must be a finite number >= 0, got ${v}`);
  return v;
}

/** Fill a 2-d classification set: `point(i, cls)` gives the i-th row of class cls, rows shuffled. */
function classification2d(
  name: string, n: number, k: number, rng: Rng, classNames: string[], point: (cls: number, j: number, perClass: number) => [number, number],
): Dataset {
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  const perm = rng.permutation(n);
  const seen = new Array<number>(k).fill(0);
  const perClass = (cls: number): number => Math.floor(n / k) + (cls < n % k ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const cls = i % k, j = seen[cls]++;
    const [a, b] = point(cls, j, perClass(cls));
    const r = perm[i];
    x[2 * r] = a; x[2 * r + 1] = b; y[r] = cls;
  }
  return makeDataset({ x, y, n, d: 2, task: 'classification', classNames, featureNames: ['x1', 'x2'], name });
}

/**
 * XOR. Without `n`: the notes' four points (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0. With `n`: noisy
 * clouds around those four corners (noise default 0.1), n/4 rows each.
 */
export function xor(opts: SyntheticOptions = {}): Dataset {
  const corners: [number, number][] = [[0, 0], [0, 1], [1, 0], [1, 1]];
  if (opts.n === undefined) {
    return makeDataset({
      x: Float32Array.from(corners.flat()), y: Float32Array.from([0, 1, 1, 0]), n: 4, d: 2,
      task: 'classification', classNames: ['0', '1'], featureNames: ['x1', 'x2'], name: 'xor',
    });
  }
  const n = count(opts.n, 4, 'xor'), noise = noiseOf(opts.noise, 0.1, 'xor'), rng = rngFrom(opts);
  // Cycle through the corners so every corner gets its share; the class is the corner's XOR.
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  const perm = rng.permutation(n);
  for (let i = 0; i < n; i++) {
    const [a, b] = corners[i % 4];
    const r = perm[i];
    x[2 * r] = a + rng.normal(0, noise); x[2 * r + 1] = b + rng.normal(0, noise); y[r] = a ^ b;
  }
  return makeDataset({ x, y, n, d: 2, task: 'classification', classNames: ['0', '1'], featureNames: ['x1', 'x2'], name: 'xor' });
}

/** Interleaved spirals, one arm per class (default 2 classes, 1.5 turns, noise 0.1 on radius 1). */
export function spirals(opts: SyntheticOptions & { classes?: number; turns?: number } = {}): Dataset {
  const n = count(opts.n, 200, 'spirals'), noise = noiseOf(opts.noise, 0.1, 'spirals'), rng = rngFrom(opts);
  const k = count(opts.classes, 2, 'spirals'), turns = opts.turns ?? 1.5;
  return classification2d('spirals', n, k, rng, names(k), (cls, j, m) => {
    const r = (j + 1) / m; // radius grows along the arm
    const t = 2 * Math.PI * (turns * r + cls / k);
    return [r * Math.cos(t) + rng.normal(0, noise), r * Math.sin(t) + rng.normal(0, noise)];
  });
}

/** Two interleaving half circles (scikit-learn's make_moons), noise default 0.1. */
export function moons(opts: SyntheticOptions = {}): Dataset {
  const n = count(opts.n, 200, 'moons'), noise = noiseOf(opts.noise, 0.1, 'moons'), rng = rngFrom(opts);
  return classification2d('moons', n, 2, rng, ['0', '1'], (cls, j, m) => {
    const t = m === 1 ? 0 : (Math.PI * j) / (m - 1);
    const [a, b] = cls === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [a + rng.normal(0, noise), b + rng.normal(0, noise)];
  });
}

/** A small circle (class 1, radius `factor`) inside a large one (class 0, radius 1), noise default 0.05. */
export function circles(opts: SyntheticOptions & { factor?: number } = {}): Dataset {
  const n = count(opts.n, 200, 'circles'), noise = noiseOf(opts.noise, 0.05, 'circles'), rng = rngFrom(opts);
  const factor = opts.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new ConfigError(`circles: factor must be in (0, 1), got ${factor}`);
  return classification2d('circles', n, 2, rng, ['outer', 'inner'], (cls, j, m) => {
    const t = (2 * Math.PI * j) / m, r = cls === 0 ? 1 : factor;
    return [r * Math.cos(t) + rng.normal(0, noise), r * Math.sin(t) + rng.normal(0, noise)];
  });
}

/**
 * k gaussian blobs in `dim` dimensions (scikit-learn's make_blobs): centres uniform in
 * [-box, box] (box default 10) unless given, each blob with standard deviation `std` (default 1).
 */
export function blobs(opts: SyntheticOptions & { centers?: number | number[][]; dim?: number; std?: number; box?: number } = {}): Dataset {
  const n = count(opts.n, 300, 'blobs'), rng = rngFrom(opts);
  const std = noiseOf(opts.std ?? opts.noise, 1, 'blobs');
  let centres: number[][];
  if (Array.isArray(opts.centers)) {
    centres = opts.centers;
    const d0 = centres[0]?.length ?? 0;
    if (centres.length === 0 || d0 === 0 || centres.some((c) => c.length !== d0 || c.some((v) => !Number.isFinite(v)))) {
      throw new ConfigError('blobs: centers must be a non-empty list of finite points of one dimension');
    }
  } else {
    const k = count(opts.centers, 3, 'blobs'), dim = count(opts.dim, 2, 'blobs'), box = opts.box ?? 10;
    centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => rng.uniform(-box, box)));
  }
  const k = centres.length, d = centres[0].length;
  const x = new Float32Array(n * d), y = new Float32Array(n);
  const perm = rng.permutation(n);
  for (let i = 0; i < n; i++) {
    const cls = i % k, r = perm[i];
    for (let j = 0; j < d; j++) x[r * d + j] = centres[cls][j] + rng.normal(0, std);
    y[r] = cls;
  }
  return makeDataset({ x, y, n, d, task: 'classification', classNames: names(k), featureNames: Array.from({ length: d }, (_, j) => `x${j + 1}`), name: 'blobs' });
}

/** Regression: y = sin(x) + noise (default 0.1) for x uniform on [-pi, pi]. */
export function sine(opts: SyntheticOptions = {}): Dataset {
  return curve('sine', opts, 100, 0.1, [-Math.PI, Math.PI], Math.sin);
}

/**
 * Regression: y = c0 + c1 x + c2 x^2 + ... + noise for x uniform on `range` (default [-1, 1]).
 * The default is the notes' polynomial regression example in spirit: a cubic with noise 0.1.
 */
export function polynomial(opts: SyntheticOptions & { coefficients?: number[]; range?: [number, number] } = {}): Dataset {
  const c = opts.coefficients ?? [0.5, -1, -2, 3];
  if (c.length === 0 || c.some((v) => !Number.isFinite(v))) throw new ConfigError('polynomial: coefficients must be finite numbers');
  // Horner's rule, highest power first.
  return curve('polynomial', opts, 50, 0.1, opts.range ?? [-1, 1], (x) => c.reduceRight((acc, ci) => acc * x + ci, 0));
}

function curve(name: string, opts: SyntheticOptions, n0: number, noise0: number, range: [number, number], f: (x: number) => number): Dataset {
  const n = count(opts.n, n0, name), noise = noiseOf(opts.noise, noise0, name), rng = rngFrom(opts);
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new ConfigError(`${name}: range must be [low, high] with low < high`);
  const x = new Float32Array(n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform(lo, hi);
    y[i] = f(x[i]) + rng.normal(0, noise);
  }
  return makeDataset({ x, y, n, d: 1, k: 1, task: 'regression', featureNames: ['x'], name });
}

function names(k: number): string[] {
  return Array.from({ length: k }, (_, i) => String(i));
}

export interface PatternABOptions {
  /** '1d': a ring of 16 pixels, 16 cyclic shifts (default). '2d': a 4x4 torus, 4x4 cyclic shifts. */
  layout?: '1d' | '2d';
  /** Black pixels of pattern A / B as indices 0..15 (row-major for '2d'). */
  a?: number[];
  b?: number[];
}

/**
 * The notes' translation task ("a more troubling example"): 16-pixel images, white = 0, black = 1,
 * patterns A and B in every translation with wrap-around; 16 rows of class A then 16 of class B.
 * Each pixel is covered equally often by the 16 translations, so both classes average
 * (#black / 16) = 0.25 everywhere: no linear classifier can separate them, a hidden layer can.
 *
 * Layout: the notes' figures show strips and say "16-dimensional vectors", as in Minsky & Papert's
 * and Hinton's version, so the default is a 1-D ring; '2d' is the same argument on a 4x4 torus.
 * Defaults: A = black at 0,1,2,4 (1-D: ###.#, 2-D: an L); B = its mirror image (1-D: #.###,
 * 2-D: a J) — same pixel count, not a translation of A.
 */
export function patternAB(opts: PatternABOptions = {}): Dataset {
  const layout = opts.layout ?? '1d';
  if (layout !== '1d' && layout !== '2d') throw new ConfigError(`patternAB: layout must be '1d' or '2d', got ${String(layout)}`);
  const a = opts.a ?? [0, 1, 2, 4];
  const b = opts.b ?? (layout === '1d' ? [0, 2, 3, 4] : [0, 1, 2, 6]);
  for (const p of [...a, ...b]) {
    if (!Number.isInteger(p) || p < 0 || p > 15) throw new ConfigError(`patternAB: pixel ${p} is outside 0..15`);
  }
  // Shift s moves pixel p: on the ring by s, on the torus by s / 4 rows and s % 4 columns.
  const shift = (p: number, s: number): number => (layout === '1d'
    ? (p + s) % 16
    : ((Math.floor(p / 4) + Math.floor(s / 4)) % 4) * 4 + ((p % 4) + (s % 4)) % 4);
  const x = new Float32Array(32 * 16), y = new Float32Array(32);
  const keys = [new Set<string>(), new Set<string>()];
  [a, b].forEach((pattern, cls) => {
    for (let s = 0; s < 16; s++) {
      const row = cls * 16 + s;
      for (const p of pattern) x[row * 16 + shift(p, s)] = 1;
      y[row] = cls;
      keys[cls].add(x.subarray(row * 16, row * 16 + 16).join(''));
    }
  });
  for (const k of keys[0]) {
    if (keys[1].has(k)) throw new ConfigError('patternAB: patterns A and B are translations of each other, so no classifier can tell them apart');
  }
  const featureNames = Array.from({ length: 16 }, (_, i) => (layout === '1d' ? `p${i}` : `r${Math.floor(i / 4)}c${i % 4}`));
  return makeDataset({ x, y, n: 32, d: 16, task: 'classification', classNames: ['A', 'B'], featureNames, name: `patternAB-${layout}` });
}
