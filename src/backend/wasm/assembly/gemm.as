// f32 GEMM: C = alpha·op(A)·op(B) + beta·C, row-major, Goto/BLIS structure.
// op(A) and op(B) are packed into zero-padded panels so that the one register-tiled micro-kernel
// serves all four transpose variants; tails are handled by the padding plus a masked store.
// Plain f32x4 mul + add: relaxed-simd FMA is behind a flag in Node 20.

// Micro-tile: MR rows × NR columns, two f32x4 accumulators per row. 4×8 (8 accumulators) rather
// than 6×8, which needs all 16 vector registers (12 accumulators, two B vectors, the broadcast A
// value, a product temporary) while V8 keeps one as scratch, so it most likely spills in the k loop
// (not checked in V8's disassembly; the speed-up is measured). Measured on a
// Zen 5 (same process, GFLOP/s, 6×8 → 4×8, a loaded machine): the MLP's four products 1.2–1.9× faster in Node 20, and
// the MLP training step ~1.2× faster in Chromium 156. The rows above 4 stay behind MR guards
// (folded away at compile time) for an engine with more registers.
const MR: i32 = 4;
const NR: i32 = 8;
// Cache blocks: a KC×NR B micro-panel stays in L1, an MC×KC A block in L2.
export const KC: i32 = 384;
export const MC: i32 = 96;
export const NC: i32 = 2048;

/** Bytes the two packing buffers need; the host reserves them after its copies. */
export function packABytes(): i32 { return MC * KC * 4; }
export function packBBytes(): i32 { return KC * NC * 4; }
export function tileBytes(): i32 { return MR * NR * 4; }

// op(A)[i, p] for the block starting at a: plain is row-major with stride lda, trans reads A[p, i].
@inline function packA(a: usize, lda: i32, trans: bool, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        let v: f32 = 0;
        if (r < rows) {
          const i = i0 + r;
          v = trans ? load<f32>(a + (<usize>(p * lda + i) << 2)) : load<f32>(a + (<usize>(i * lda + p) << 2));
        }
        store<f32>(dst, v);
        dst += 4;
      }
    }
  }
}

@inline function packB(b: usize, ldb: i32, trans: bool, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    if (!trans && cols == NR) {
      // Contiguous rows of B: two vector copies per k step.
      let src = b + (<usize>j0 << 2);
      const stride = <usize>ldb << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += stride;
        dst += NR * 4;
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      for (let c = 0; c < NR; c++) {
        let v: f32 = 0;
        if (c < cols) {
          const j = j0 + c;
          v = trans ? load<f32>(b + (<usize>(j * ldb + p) << 2)) : load<f32>(b + (<usize>(p * ldb + j) << 2));
        }
        store<f32>(dst, v);
        dst += 4;
      }
    }
  }
}

@inline function madd(a: v128, b: v128, c: v128): v128 { return f32x4.add(c, f32x4.mul(a, b)); }

// Scratch for partial tiles (MR×NR floats), placed by the host.
let tileScratch: usize = 0;
export function setTileScratch(p: usize): void { tileScratch = p; }

// out = alpha·acc + beta·out for one row of 8, or just alpha·acc when beta == 0 (NaN in C ignored).
@inline function storeRow(c: usize, lo: v128, hi: v128, va: v128, vb: v128, useBeta: bool): void {
  lo = f32x4.mul(lo, va);
  hi = f32x4.mul(hi, va);
  if (useBeta) {
    lo = f32x4.add(lo, f32x4.mul(v128.load(c), vb));
    hi = f32x4.add(hi, f32x4.mul(v128.load(c, 16), vb));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

function microKernel(
  ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32, alpha: f32, beta: f32,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    if (MR > 4) {
      a = v128.load32_splat(ap, 16);
      c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    }
    if (MR > 5) {
      a = v128.load32_splat(ap, 20);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
    ap += MR * 4;
    bp += NR * 4;
  }
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  const useBeta = beta != 0;
  const full = rows == MR && cols == NR;
  // Partial tiles go through scratch so the vector stores never touch memory outside C.
  const dst = full ? c : tileScratch;
  const ld = full ? <usize>ldc << 2 : <usize>NR << 2;
  const fb = full && useBeta;
  storeRow(dst, c00, c01, va, vb, fb);
  storeRow(dst + ld, c10, c11, va, vb, fb);
  storeRow(dst + 2 * ld, c20, c21, va, vb, fb);
  storeRow(dst + 3 * ld, c30, c31, va, vb, fb);
  if (MR > 4) storeRow(dst + 4 * ld, c40, c41, va, vb, fb);
  if (MR > 5) storeRow(dst + 5 * ld, c50, c51, va, vb, fb);
  if (full) return;
  for (let r = 0; r < rows; r++) {
    const crow = c + (<usize>(r * ldc) << 2);
    const trow = tileScratch + (<usize>(r * NR) << 2);
    for (let j = 0; j < cols; j++) {
      const t = load<f32>(trow + (<usize>j << 2));
      const q = crow + (<usize>j << 2);
      store<f32>(q, useBeta ? t + beta * load<f32>(q) : t);
    }
  }
}

// C = beta·C over m×n (used when k == 0 or alpha == 0, where no product is formed).
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    for (let j = 0; j < n; j++) {
      const q = row + (<usize>j << 2);
      store<f32>(q, beta == 0 ? 0 : beta * load<f32>(q));
    }
  }
}

export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  packedA: usize, packedB: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) { scaleC(m, n, beta, c, ldc); return; }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    // Split k into equal blocks so that no block is a thin remainder.
    const kBlock = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
    for (let pc = 0; pc < k; pc += kBlock) {
      const kc = min(kBlock, k - pc);
      // Later k blocks accumulate onto what the first one wrote.
      const bet: f32 = pc == 0 ? beta : 1;
      const bSrc = transB ? b + (<usize>(jc * ldb + pc) << 2) : b + (<usize>(pc * ldb + jc) << 2);
      packB(bSrc, ldb, transB, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const aSrc = transA ? a + (<usize>(pc * lda + ic) << 2) : a + (<usize>(ic * lda + pc) << 2);
        packA(aSrc, lda, transA, mc, kc, packedA);
        for (let j0 = 0; j0 < nc; j0 += NR) {
          const bp = packedB + (<usize>(j0 * kc) << 2);
          const cols = min(NR, nc - j0);
          for (let i0 = 0; i0 < mc; i0 += MR) {
            const ap = packedA + (<usize>(i0 * kc) << 2);
            const cp = c + (<usize>((ic + i0) * ldc + jc + j0) << 2);
            microKernel(ap, bp, kc, cp, ldc, min(MR, mc - i0), cols, alpha, bet);
          }
        }
      }
    }
  }
}
