// Initialisers: fill a weight tensor in place from a seeded generator (DESIGN decision 6).
// Weights use the notes' layout W: [in, out], so fanIn = shape[0] and fanOut = shape[1].
import { ConfigError } from '../errors.js';
import { rngFrom, type Rng } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';

export type InitName =
  | 'xavierUniform' | 'xavierNormal' | 'heUniform' | 'heNormal'
  | 'uniform' | 'normal' | 'zeros' | 'ones' | 'default';

export interface InitializerOptions {
  seed?: number;
  rng?: Rng;
  /** Scale for Xavier (default 1) and He (default √2, the ReLU gain). */
  gain?: number;
  /** Bounds for 'uniform' (default ±0.05) and mean/std for 'normal' (default 0, 0.05). */
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  /** Fan-in used by 'default' for 1-d tensors (biases), which have no fan of their own. */
  fanIn?: number;
}

/** [fanIn, fanOut] of a weight of shape [in, out]; a vector counts as [n, n]... of itself. */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[0] * receptive, shape[1] * receptive];
}

function fillUniform(t: Tensor, lo: number, hi: number, r: Rng): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = r.uniform(lo, hi);
  return t;
}

function fillNormal(t: Tensor, mean: number, std: number, r: Rng): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = r.normal(mean, std);
  return t;
}

/** Glorot & Bengio: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, opts: InitializerOptions = {}): Tensor {
  const [fi, fo] = fans(t.shape);
  const a = (opts.gain ?? 1) * Math.sqrt(6 / (fi + fo));
  return fillUniform(t, -a, a, rngFrom(opts));
}

/** Glorot normal: N(0, gain²·2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, opts: InitializerOptions = {}): Tensor {
  const [fi, fo] = fans(t.shape);
  return fillNormal(t, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fi + fo)), rngFrom(opts));
}

/** He / Kaiming uniform (fan-in mode): U(−b, b) with b = gain·√(3 / fanIn), gain √2 for ReLU. */
export function heUniform(t: Tensor, opts: InitializerOptions = {}): Tensor {
  const [fi] = fans(t.shape);
  const b = (opts.gain ?? Math.SQRT2) * Math.sqrt(3 / fi);
  return fillUniform(t, -b, b, rngFrom(opts));
}

/** He / Kaiming normal: N(0, gain² / fanIn). */
export function heNormal(t: Tensor, opts: InitializerOptions = {}): Tensor {
  const [fi] = fans(t.shape);
  return fillNormal(t, 0, (opts.gain ?? Math.SQRT2) / Math.sqrt(fi), rngFrom(opts));
}

export function uniform(t: Tensor, opts: InitializerOptions = {}): Tensor {
  return fillUniform(t, opts.low ?? -0.05, opts.high ?? 0.05, rngFrom(opts));
}

export function normal(t: Tensor, opts: InitializerOptions = {}): Tensor {
  return fillNormal(t, opts.mean ?? 0, opts.std ?? 0.05, rngFrom(opts));
}

export function zeros(t: Tensor): Tensor {
  t.data.fill(0);
  return t;
}

export function ones(t: Tensor): Tensor {
  t.data.fill(1);
  return t;
}

/** PyTorch's nn.Linear default: U(−1/√fanIn, 1/√fanIn) for weight and bias alike. */
export function torchDefault(t: Tensor, opts: InitializerOptions = {}): Tensor {
  const fi = opts.fanIn ?? fans(t.shape)[0];
  const b = 1 / Math.sqrt(fi);
  return fillUniform(t, -b, b, rngFrom(opts));
}

const TABLE: Record<InitName, (t: Tensor, opts: InitializerOptions) => Tensor> = {
  xavierUniform, xavierNormal, heUniform, heNormal, uniform, normal,
  zeros: (t) => zeros(t), ones: (t) => ones(t), default: torchDefault,
};

/** Aliases users of other libraries type (glorot = xavier, kaiming = he). */
const ALIASES: Record<string, InitName> = {
  glorotUniform: 'xavierUniform', glorotNormal: 'xavierNormal', kaimingUniform: 'heUniform', kaimingNormal: 'heNormal',
  glorot_uniform: 'xavierUniform', glorot_normal: 'xavierNormal', he_uniform: 'heUniform', he_normal: 'heNormal',
  xavier_uniform: 'xavierUniform', xavier_normal: 'xavierNormal', kaiming_uniform: 'heUniform', kaiming_normal: 'heNormal',
};

export function resolveInit(name: string): InitName {
  if (name in TABLE) return name as InitName;
  const a = ALIASES[name];
  if (a) return a;
  throw new ConfigError(`unknown initialiser '${name}': use one of ${Object.keys(TABLE).join(', ')}`);
}

/** Fill `t` with the named initialiser. */
export function initTensor(t: Tensor, name: string, opts: InitializerOptions = {}): Tensor {
  return TABLE[resolveInit(name)](t, opts);
}
