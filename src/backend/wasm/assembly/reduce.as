// Reductions and softmax over the middle axis of an [outer, len, inner] view.
// inner == 1 (the last axis, e.g. per-row softmax) is vectorised along the row with scalar tails;
// inner > 1 (e.g. summing a batch for a bias gradient) is vectorised across inner.
import { expV } from './math';

@inline function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }

// Sum / max / min of one contiguous row; max and min propagate NaN like the reference.
function rowReduce(op: i32, len: i32, x: usize): f32 {
  const n4 = len & ~3;
  let acc = f32x4.splat(op == 0 ? 0 : op == 1 ? -Infinity : Infinity);
  for (let j = 0; j < n4; j += 4) {
    const v = v128.load(x + (<usize>j << 2));
    acc = op == 0 ? f32x4.add(acc, v) : op == 1 ? f32x4.max(acc, v) : f32x4.min(acc, v);
  }
  let r: f32;
  const a0 = f32x4.extract_lane(acc, 0), a1 = f32x4.extract_lane(acc, 1);
  const a2 = f32x4.extract_lane(acc, 2), a3 = f32x4.extract_lane(acc, 3);
  if (op == 0) r = (a0 + a1) + (a2 + a3);
  else if (op == 1) r = max(max(a0, a1), max(a2, a3));
  else r = min(min(a0, a1), min(a2, a3));
  for (let j = n4; j < len; j++) {
    const v = at(x, j);
    r = op == 0 ? r + v : op == 1 ? max(r, v) : min(r, v);
  }
  return r;
}

// First index of the extreme value; a NaN wins at once (as NumPy and the reference do).
function argReduce(op: i32, len: i32, inner: i32, x: usize): f32 {
  if (len == 0) return NaN;
  let best = load<f32>(x), pos = 0;
  for (let j = 1; j < len && best == best; j++) {
    const v = at(x, j * inner);
    if (v != v || (op == 3 ? v > best : v < best)) { best = v; pos = j; }
  }
  return <f32>pos;
}

export function reduce(op: i32, outer: i32, len: i32, inner: i32, x: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    const xo = x + (<usize>(o * len * inner) << 2);
    const oo = out + (<usize>(o * inner) << 2);
    if (op >= 3) {
      for (let i = 0; i < inner; i++) store<f32>(oo + (<usize>i << 2), argReduce(op, len, inner, xo + (<usize>i << 2)));
    } else if (inner == 1) {
      store<f32>(oo, rowReduce(op, len, xo));
    } else {
      // Whole vectors across inner; lanes past inner spill into the next block of out, which is
      // written later (o ascending) or lies in the region's padding.
      for (let i = 0; i < inner; i += 4) {
        let acc = f32x4.splat(op == 0 ? 0 : op == 1 ? -Infinity : Infinity);
        for (let j = 0; j < len; j++) {
          const v = v128.load(xo + (<usize>(j * inner + i) << 2));
          acc = op == 0 ? f32x4.add(acc, v) : op == 1 ? f32x4.max(acc, v) : f32x4.min(acc, v);
        }
        v128.store(oo + (<usize>i << 2), acc);
      }
    }
  }
}

// Softmax of one contiguous row: subtract the max so exp never overflows.
function rowSoftmax(len: i32, x: usize, out: usize, log: bool): void {
  let m = rowReduce(1, len, x);
  if (m == -Infinity) m = 0;
  const vm = f32x4.splat(m);
  const n4 = len & ~3;
  let acc = f32x4.splat(0);
  for (let j = 0; j < n4; j += 4) acc = f32x4.add(acc, expV(f32x4.sub(v128.load(x + (<usize>j << 2)), vm)));
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1)
    + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (let j = n4; j < len; j++) s += Math.exp(<f64>(at(x, j) - m));
  if (log) {
    // (x − m) − log s, in that order: x − m is exact near the max, where the result is small.
    const ls = f32x4.splat(<f32>Math.log(s));
    for (let j = 0; j < len; j += 4) {
      v128.store(out + (<usize>j << 2), f32x4.sub(f32x4.sub(v128.load(x + (<usize>j << 2)), vm), ls));
    }
  } else {
    const inv = f32x4.splat(<f32>(1 / s));
    for (let j = 0; j < len; j += 4) {
      v128.store(out + (<usize>j << 2), f32x4.mul(expV(f32x4.sub(v128.load(x + (<usize>j << 2)), vm)), inv));
    }
  }
}

export function softmax(outer: i32, len: i32, inner: i32, x: usize, out: usize, log: bool): void {
  for (let o = 0; o < outer; o++) {
    const base = <usize>(o * len * inner) << 2;
    if (inner == 1) { rowSoftmax(len, x + base, out + base, log); continue; }
    // Strided columns: rare for MLPs, so plain scalar f64 loops.
    for (let i = 0; i < inner; i++) {
      const xp = x + base + (<usize>i << 2), op = out + base + (<usize>i << 2);
      let m: f64 = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, <f64>at(xp, j * inner));
      if (m == -Infinity) m = 0;
      let s: f64 = 0;
      for (let j = 0; j < len; j++) s += Math.exp(<f64>at(xp, j * inner) - m);
      const ls = Math.log(s);
      for (let j = 0; j < len; j++) {
        const d = <f64>at(xp, j * inner) - m;
        store<f32>(op + (<usize>(j * inner) << 2), <f32>(log ? d - ls : Math.exp(d) / s));
      }
    }
  }
}

/**
 * Softmax cross-entropy over [rows, classes] logits with one label per row (floats holding integer
 * indices, validated by the host): returns Σ_rows log Σ e^(z − max) + max − z[label] in f64 and
 * writes grad = scale·(softmax(z) − onehot(label)). Row by row in place order: each row's last
 * vector may spill into the next row's first lanes (or the padding after the last row), which
 * that row then overwrites, so `grad` must not alias `x`.
 */
export function softmaxCrossEntropy(rows: i32, classes: i32, x: usize, labels: usize, grad: usize, scale: f32): f64 {
  let total: f64 = 0;
  const n4 = classes & ~3;
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * classes) << 2;
    const xr = x + base, gr = grad + base;
    let m = rowReduce(1, classes, xr);
    if (m == -Infinity) m = 0;
    const vm = f32x4.splat(m);
    let acc = f32x4.splat(0);
    for (let j = 0; j < n4; j += 4) acc = f32x4.add(acc, expV(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm)));
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1)
      + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (let j = n4; j < classes; j++) s += Math.exp(<f64>(at(xr, j) - m));
    const label = <i32>load<f32>(labels + (<usize>r << 2));
    total += Math.log(s) + <f64>m - <f64>at(xr, label);
    const inv = f32x4.splat(<f32>(<f64>scale / s));
    for (let j = 0; j < classes; j += 4) {
      v128.store(gr + (<usize>j << 2), f32x4.mul(expV(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm)), inv));
    }
    const gl = gr + (<usize>label << 2);
    store<f32>(gl, load<f32>(gl) - scale);
  }
  return total;
}
