// f32x4 transcendental functions (Cephes-style range reduction + minimax polynomials), accurate to a
// few ulp, with IEEE behaviour at the edges (NaN propagates, ±inf and under/overflow saturate).

@inline function splat(v: f32): v128 { return f32x4.splat(v); }
@inline function mul(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
@inline function add(a: v128, b: v128): v128 { return f32x4.add(a, b); }
@inline function sub(a: v128, b: v128): v128 { return f32x4.sub(a, b); }

/** e^x. x = n·ln2 + r with |r| ≤ ln2/2; 2^n is applied in two halves so that n up to ±216 stays exact. */
@inline export function expV(x: v128): v128 {
  // Beyond these bounds the result is inf / 0 anyway; clamping keeps n inside i32 shifts. min/max keep NaN.
  x = f32x4.max(f32x4.min(x, splat(100)), splat(-150));
  const fx = f32x4.nearest(mul(x, splat(1.44269504088896341)));
  let r = sub(x, mul(fx, splat(0.693359375)));
  r = sub(r, mul(fx, splat(-2.12194440e-4)));
  const z = mul(r, r);
  let y = splat(1.9875691500e-4);
  y = add(mul(y, r), splat(1.3981999507e-3));
  y = add(mul(y, r), splat(8.3334519073e-3));
  y = add(mul(y, r), splat(4.1665795894e-2));
  y = add(mul(y, r), splat(1.6666665459e-1));
  y = add(mul(y, r), splat(5.0000001201e-1));
  y = add(add(mul(y, z), r), splat(1));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const h = i32x4.shr_s(n, 1);
  const s1 = i32x4.shl(i32x4.add(h, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(n, h), i32x4.splat(127)), 23);
  return mul(mul(y, s1), s2);
}

/** Natural log; negative → NaN, 0 → −inf, inf → inf; subnormals are rescaled first. */
@inline export function logV(x: v128): v128 {
  const tiny = f32x4.lt(x, splat(1.17549435e-38));
  const xs = v128.bitselect(mul(x, splat(33554432)), x, tiny); // ×2^25
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = v128.bitselect(i32x4.sub(e, i32x4.splat(25)), e, tiny);
  let m = v128.or(v128.and(xs, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000)); // in [0.5, 1)
  const small = f32x4.lt(m, splat(0.707106781186547524));
  let fe = f32x4.convert_i32x4_s(e);
  fe = v128.bitselect(sub(fe, splat(1)), fe, small);
  m = sub(v128.bitselect(add(m, m), m, small), splat(1));
  const z = mul(m, m);
  let y = splat(7.0376836292e-2);
  y = add(mul(y, m), splat(-1.1514610310e-1));
  y = add(mul(y, m), splat(1.1676998740e-1));
  y = add(mul(y, m), splat(-1.2420140846e-1));
  y = add(mul(y, m), splat(1.4249322787e-1));
  y = add(mul(y, m), splat(-1.6668057665e-1));
  y = add(mul(y, m), splat(2.0000714765e-1));
  y = add(mul(y, m), splat(-2.4999993993e-1));
  y = add(mul(y, m), splat(3.3333331174e-1));
  y = mul(mul(y, m), z);
  y = add(y, mul(fe, splat(-2.12194440e-4)));
  y = sub(y, mul(z, splat(0.5)));
  let r = add(add(m, y), mul(fe, splat(0.693359375)));
  // Edges: x < 0 or NaN → NaN, 0 → −inf, +inf → +inf.
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(x, splat(0)));
  r = v128.bitselect(splat(Infinity), r, f32x4.eq(x, splat(Infinity)));
  return v128.bitselect(splat(NaN), r, v128.not(f32x4.ge(x, splat(0))));
}

/** log(1 + y) accurate for tiny y: log(u)·y/(u − 1) cancels the rounding of u = 1 + y (Goldberg). */
@inline export function log1pV(y: v128): v128 {
  const u = add(y, splat(1));
  const d = sub(u, splat(1));
  const r = mul(logV(u), f32x4.div(y, d));
  return v128.bitselect(y, r, f32x4.eq(d, splat(0)));
}

/** e^x − 1, by its Taylor series near 0 where exp(x) − 1 would cancel. */
@inline export function expm1V(x: v128): v128 {
  let t = splat(1.0 / 362880);
  t = add(mul(t, x), splat(1.0 / 40320));
  t = add(mul(t, x), splat(1.0 / 5040));
  t = add(mul(t, x), splat(1.0 / 720));
  t = add(mul(t, x), splat(1.0 / 120));
  t = add(mul(t, x), splat(1.0 / 24));
  t = add(mul(t, x), splat(1.0 / 6));
  t = add(mul(t, x), splat(0.5));
  t = mul(add(mul(t, x), splat(1)), x);
  const near = f32x4.lt(f32x4.abs(x), splat(0.5));
  return v128.bitselect(t, sub(expV(x), splat(1)), near);
}

/** σ(x) = 1/(1 + e^{−x}); e^{−x} overflowing to inf gives the right limit 0. */
@inline export function sigmoidV(x: v128): v128 {
  return f32x4.div(splat(1), add(splat(1), expV(f32x4.neg(x))));
}

/** tanh: odd polynomial for |x| < 0.625 (no cancellation), else 1 − 2/(e^{2|x|} + 1) with x's sign. */
@inline export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = mul(x, x);
  let p = splat(-5.70498872745e-3);
  p = add(mul(p, z), splat(2.06390887954e-2));
  p = add(mul(p, z), splat(-5.37397155531e-2));
  p = add(mul(p, z), splat(1.33314422036e-1));
  p = add(mul(p, z), splat(-3.33332819422e-1));
  const small = add(mul(mul(p, z), x), x);
  const big = sub(splat(1), f32x4.div(splat(2), add(expV(add(ax, ax)), splat(1))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, splat(0.625)));
}
