// Elementwise kernels over f32 arrays in linear memory. The host pads every region to 64 bytes, so
// loops run in whole f32x4 vectors (up to 3 extra lanes read and written inside the padding).
// Op numbers are the op registry's kernel codes (src/ops/); test/ops/kernel-codes.test.ts checks them.
import { expV, logV, log1pV, expm1V, sigmoidV, tanhV } from './math';

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_C: f32 = 0.044715;

@inline function one(): v128 { return f32x4.splat(1); }
@inline function zero(): v128 { return f32x4.splat(0); }

// GELU (tanh form): 0.5·x·(1 + tanh u) = x·σ(2u), which avoids the cancellation of 1 + tanh u.
@inline function geluU2(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  const u = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(x, f32x4.mul(f32x4.splat(GELU_C), x3)));
  return f32x4.add(u, u);
}

@inline function unaryV(op: i32, x: v128, p: v128): v128 {
  switch (op) {
    case 0: return f32x4.neg(x);
    case 1: return expV(x);
    case 2: return logV(x);
    case 3: return f32x4.sqrt(x);
    case 4: return f32x4.abs(x);
    case 5: { // sign: ±1, and x itself for ±0 and NaN
      const inner = v128.bitselect(f32x4.splat(-1), x, f32x4.lt(x, zero()));
      return v128.bitselect(one(), inner, f32x4.gt(x, zero()));
    }
    case 6: return f32x4.mul(x, x);
    case 7: return f32x4.div(one(), x);
    case 10: return tanhV(x);
    case 11: return sigmoidV(x);
    case 12: return v128.and(x, f32x4.gt(x, zero()));
    case 13: { // softplus = max(x, 0) + log1p(e^{−|x|})
      const pos = v128.and(x, f32x4.gt(x, zero()));
      return f32x4.add(pos, log1pV(expV(f32x4.neg(f32x4.abs(x)))));
    }
    case 14: return v128.and(one(), f32x4.gt(x, zero()));
    case 15: return v128.bitselect(x, f32x4.mul(p, x), f32x4.gt(x, zero()));
    case 16: return v128.bitselect(x, f32x4.mul(p, expm1V(x)), f32x4.gt(x, zero()));
    case 17: return f32x4.mul(x, sigmoidV(geluU2(x)));
    default: return f32x4.splat(NaN);
  }
}

export function unary(op: i32, n: i32, x: usize, out: usize, param: f32): void {
  if (op == 8 || op == 9) { // sin, cos: rare in MLPs, so the exact f64 library routines
    for (let i = 0; i < n; i++) {
      const v = <f64>load<f32>(x + (<usize>i << 2));
      store<f32>(out + (<usize>i << 2), <f32>(op == 8 ? Math.sin(v) : Math.cos(v)));
    }
    return;
  }
  const p = f32x4.splat(param);
  const end = x + (<usize>n << 2);
  for (; x < end; x += 16, out += 16) v128.store(out, unaryV(op, v128.load(x), p));
}

// f'(v) for the fused backward kernels (v is x, or y for sigmoid and tanh).
@inline function derivV(op: i32, v: v128, p: v128): v128 {
  switch (op) {
    case 0: return v128.and(one(), f32x4.gt(v, zero()));
    case 1: return f32x4.mul(v, f32x4.sub(one(), v));
    case 2: return f32x4.sub(one(), f32x4.mul(v, v));
    case 3: return v128.bitselect(one(), p, f32x4.gt(v, zero()));
    case 4: return v128.bitselect(one(), f32x4.mul(p, expV(v)), f32x4.gt(v, zero()));
    case 5: { // d/dx x·σ(2u) with 1 + tanh u = 2σ(2u) and 1 − tanh² u = 4σ(2u)σ(−2u)
      const u2 = geluU2(v);
      const s = sigmoidV(u2);
      const s1 = sigmoidV(f32x4.neg(u2));
      const du = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI),
        f32x4.add(one(), f32x4.mul(f32x4.splat(3 * GELU_C), f32x4.mul(v, v))));
      return f32x4.add(s, f32x4.mul(f32x4.mul(f32x4.mul(f32x4.add(v, v), s), s1), du));
    }
    case 6: return sigmoidV(v);
    default: return f32x4.splat(NaN);
  }
}

export function unaryGrad(op: i32, n: i32, v: usize, g: usize, out: usize, param: f32): void {
  const p = f32x4.splat(param);
  const end = v + (<usize>n << 2);
  for (; v < end; v += 16, g += 16, out += 16) {
    v128.store(out, f32x4.mul(v128.load(g), derivV(op, v128.load(v), p)));
  }
}

@inline function binaryV(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    case 5: return f32x4.max(a, b);
    case 6: return f32x4.min(a, b);
    case 7: return v128.and(one(), f32x4.eq(a, b));
    case 8: return v128.and(one(), f32x4.ne(a, b));
    case 9: return v128.and(one(), f32x4.lt(a, b));
    case 10: return v128.and(one(), f32x4.le(a, b));
    case 11: return v128.and(one(), f32x4.gt(a, b));
    case 12: return v128.and(one(), f32x4.ge(a, b));
    default: return f32x4.splat(NaN);
  }
}

export function binary(op: i32, n: i32, a: usize, b: usize, out: usize): void {
  if (op == 4) { // pow: the f64 library routine, so that its many special cases match Math.pow
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, <f32>Math.pow(<f64>load<f32>(a + o), <f64>load<f32>(b + o)));
    }
    return;
  }
  const end = a + (<usize>n << 2);
  for (; a < end; a += 16, b += 16, out += 16) v128.store(out, binaryV(op, v128.load(a), v128.load(b)));
}

export function affine(n: i32, x: usize, s: f32, t: f32, out: usize): void {
  const vs = f32x4.splat(s), vt = f32x4.splat(t);
  const end = x + (<usize>n << 2);
  for (; x < end; x += 16, out += 16) v128.store(out, f32x4.add(f32x4.mul(v128.load(x), vs), vt));
}

export function select(n: i32, cond: usize, a: usize, b: usize, out: usize): void {
  const end = cond + (<usize>n << 2);
  for (; cond < end; cond += 16, a += 16, b += 16, out += 16) {
    const m = f32x4.ne(v128.load(cond), zero()); // NaN ≠ 0 picks a, as `cond !== 0` does
    v128.store(out, v128.bitselect(v128.load(a), v128.load(b), m));
  }
}

export function axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const va = f32x4.splat(alpha);
  const end = x + (<usize>n << 2);
  for (; x < end; x += 16, y += 16) v128.store(y, f32x4.add(v128.load(y), f32x4.mul(va, v128.load(x))));
}

/** Σ x·y with products and sums in f64 (two f64x2 lanes per f32x4 half). Tail lanes are masked. */
export function dot(n: i32, x: usize, y: usize): f64 {
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(x + o), b = v128.load(y + o);
    acc0 = f64x2.add(acc0, f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)));
    const ah = i32x4.shuffle(a, a, 2, 3, 0, 1), bh = i32x4.shuffle(b, b, 2, 3, 0, 1);
    acc1 = f64x2.add(acc1, f64x2.mul(f64x2.promote_low_f32x4(ah), f64x2.promote_low_f32x4(bh)));
  }
  const s = f64x2.add(acc0, acc1);
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) r += <f64>load<f32>(x + (<usize>i << 2)) * <f64>load<f32>(y + (<usize>i << 2));
  return r;
}

/**
 * One Adam(W) update in place over w, m, v (see the JS reference's adamStep): the arithmetic in f64
 * and each stored value rounded to f32 where the reference stores it, so the result is the
 * reference's bit for bit.
 */
export function adamStep(
  n: i32, w: usize, g: usize, m: usize, v: usize,
  stepSize: f64, beta1: f64, beta2: f64, eps: f64, bc2Sqrt: f64, coupledDecay: f64, shrink: f64,
): void {
  const a1 = 1 - beta1, a2 = 1 - beta2;
  const doShrink = shrink != 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let wi = <f64>load<f32>(w + o);
    if (doShrink) wi = <f64><f32>(wi * shrink);
    const gi = <f64>load<f32>(g + o) + coupledDecay * wi;
    const mi = <f64><f32>(beta1 * <f64>load<f32>(m + o) + a1 * gi);
    const vi = <f64><f32>(beta2 * <f64>load<f32>(v + o) + a2 * gi * gi);
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    store<f32>(w + o, <f32>(wi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps)));
  }
}

/**
 * One SGD step with momentum in place over w and buf (see the JS reference's sgdMomentumStep):
 * the arithmetic in f64 and each stored value rounded to f32 where the reference stores it, the
 * update reading buf as stored, so the result is the reference's bit for bit.
 */
export function sgdMomentumStep(
  n: i32, w: usize, g: usize, buf: usize,
  lr: f64, momentum: f64, dampening: f64, weightDecay: f64, nesterov: bool, first: bool,
): void {
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = <f64>load<f32>(w + o);
    const d = <f64>load<f32>(g + o) + weightDecay * wi;
    const b = <f64><f32>(first ? d : momentum * <f64>load<f32>(buf + o) + keep * d);
    store<f32>(buf + o, <f32>b);
    store<f32>(w + o, <f32>(wi - lr * (nesterov ? d + momentum * b : b)));
  }
}
