// One seeded generator (DESIGN decision 6): same seed, same numbers, on every platform.
// xoshiro128** for uniforms; Box–Muller for normals.

export class Rng {
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;
  private spare: number | null = null;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    // splitmix32 expands one integer seed into four non-zero state words.
    let x = (seed >>> 0) ^ 0x9e3779b9;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t; this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5, lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) { const v = this.spare; this.spare = null; return mean + std * v; }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Fisher–Yates shuffle of 0..n-1. */
  permutation(n: number): Int32Array {
    return this.permutationInto(new Int32Array(n));
  }

  /** permutation(p.length) written into p (no allocation; the same draws as permutation). */
  permutationInto(p: Int32Array): Int32Array {
    for (let i = 0; i < p.length; i++) p[i] = i;
    for (let i = p.length - 1; i > 0; i--) { const j = this.int(i + 1); const t = p[i]; p[i] = p[j]; p[j] = t; }
    return p;
  }

  /** The full state, to checkpoint and resume a run exactly. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare ?? NaN];
  }
  setState(state: readonly number[]): void {
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0);
    this.spare = state.length > 4 && !Number.isNaN(state[4]) ? state[4] : null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The generator used when no `seed` or `rng` is given; `manualSeed` resets it (as torch.manual_seed). */
export const globalRng = new Rng(0);
export function manualSeed(seed: number): void {
  globalRng.reseed(seed);
}

/** Options that accept either a seed or a generator. */
export function rngFrom(opts?: { seed?: number; rng?: Rng }): Rng {
  if (opts?.rng) return opts.rng;
  if (opts?.seed !== undefined) return new Rng(opts.seed);
  return globalRng;
}
