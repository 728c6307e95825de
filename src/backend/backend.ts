// The kernel interface (DESIGN decision 3). Kernels run on flat, contiguous typed arrays with
// explicit sizes, offsets and strides; the tensor layer decides shapes and broadcasting.
// Shaped like BLAS so that a JS, WASM, native or GPU backend can implement it directly.

export type FloatArray = Float32Array | Float64Array;

/**
 * A unary kernel: the name of an op in the registry (src/ops/) that has a `kernel`. `param` is
 * the op's parameter (LeakyReLU's slope, ELU's alpha); the registry holds its default.
 */
export type UnaryOp = string;

/**
 * A fused "activation derivative ⊙ incoming gradient" kernel, out = g ⊙ f′(·): the name of a
 * registry op with a `grad` kernel, which says whether it reads the input x or the output y.
 */
export type UnaryGradOp = string;

/** A two-input elementwise kernel: the name of a binary op in the registry. Comparisons write 1 or 0. */
export type BinaryOp = string;

/** Reductions over the middle axis of an [outer, len, inner] view. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/** The codes the compiled reduce kernels switch on (WASM's reduce.as, native's ReduceCode). */
export const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };

/** What gemmFused does to the product before it is stored (see Backend.gemmFused). */
export interface GemmEpilogue {
  bias?: FloatArray;
  preact?: FloatArray;
  act?: UnaryOp;
  actParam?: number;
  grad?: UnaryGradOp;
  gradParam?: number;
  v?: FloatArray;
}

/**
 * The kernels a backend provides. The shared reference implementation lives in ./js-backend.ts;
 * faster ones must agree with it.
 */
export interface Backend {
  readonly name: string;

  /**
   * C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, row-major, op(X) = Xᵀ when trans is set.
   * lda/ldb/ldc are the row strides of A, B, C as stored. beta = 1 accumulates in place; beta = 0
   * ignores C's previous contents (even NaN).
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatArray, aOffset: number, lda: number,
    b: FloatArray, bOffset: number, ldb: number,
    beta: number, c: FloatArray, cOffset: number, ldc: number,
  ): void;

  /** out[i] = op(x[i]) for i < n. out may alias x. */
  unary(op: UnaryOp, n: number, x: FloatArray, out: FloatArray, param?: number): void;

  /** out[i] = g[i] · op'(v[i]) where v is x or y as UnaryGradOp says. out may alias g. */
  unaryGrad(op: UnaryGradOp, n: number, v: FloatArray, g: FloatArray, out: FloatArray, param?: number): void;

  /** out[i] = a[i] op b[i] for i < n (same shape, contiguous). out may alias a or b. */
  binary(op: BinaryOp, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void;

  /**
   * Broadcasting binary op: out has `shape` (contiguous); a and b are read through strides
   * (stride 0 on a broadcast axis). Strides are in elements, one per axis of `shape`.
   */
  binaryStrided(
    op: BinaryOp, shape: readonly number[],
    a: FloatArray, aStrides: readonly number[],
    b: FloatArray, bStrides: readonly number[],
    out: FloatArray,
  ): void;

  /** out[i] = a[i]·s + t: scaling, shifting and scalar ops without a broadcast. */
  affine(n: number, x: FloatArray, s: number, t: number, out: FloatArray): void;

  /** out[i] = cond[i] ≠ 0 ? a[i] : b[i]. */
  select(n: number, cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void;

  /** Reduce x viewed as [outer, len, inner] over its middle axis into out[outer × inner]. */
  reduce(op: ReduceOp, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void;

  /** Copy a strided view of src (shape, strides, offset) into contiguous dst starting at dstOffset. */
  copyStrided(
    shape: readonly number[], src: FloatArray, srcOffset: number, srcStrides: readonly number[],
    dst: FloatArray, dstOffset: number,
  ): void;

  /**
   * x viewed as [outer, len, inner], idx as [outer, idxLen, inner] holding integer positions
   * in [0, len): out[o, j, i] = x[o, idx[o, j, i], i] (torch.gather along the middle axis).
   */
  gather(outer: number, len: number, inner: number, x: FloatArray, idx: FloatArray, idxLen: number, out: FloatArray): void;

  /** The adjoint of gather: out[o, idx[o, j, i], i] += g[o, j, i]. out is not cleared first. */
  scatterAdd(outer: number, len: number, inner: number, g: FloatArray, idx: FloatArray, idxLen: number, out: FloatArray): void;

  /** Numerically stable softmax (log = false) or log-softmax (log = true) over the middle axis. */
  softmax(outer: number, len: number, inner: number, x: FloatArray, out: FloatArray, log: boolean): void;

  /** y += alpha · x (in-place parameter updates and gradient accumulation). */
  axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void;

  /** Σ x[i]·y[i] accumulated in float64. */
  dot(n: number, x: FloatArray, y: FloatArray): number;

  /**
   * One Adam step in place, PyTorch's update computed in float64 per element:
   * w ← w·shrink (decoupled decay); g′ = g + coupledDecay·w; m ← β₁m + (1−β₁)g′; v ← β₂v + (1−β₂)g′²;
   * w ← w − stepSize·m / (√v / bc2Sqrt + eps), with stepSize = lr/(1−β₁ᵗ) and bc2Sqrt = √(1−β₂ᵗ).
   */
  adamStep(
    n: number, w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
    stepSize: number, beta1: number, beta2: number, eps: number, bc2Sqrt: number,
    coupledDecay: number, shrink: number,
  ): void;

  /**
   * Optional fused kernels. A backend without one gets the unfused composition (the JS reference in
   * js-backend.ts is the oracle every fused path must agree with, within float32 rounding).
   *
   * gemmFused: C = epilogue(op(A)·op(B)) (alpha = 1, beta = 0), with, in this order:
   * + bias (n entries, broadcast over rows); store the pre-activation into `preact` (C's layout);
   * act (a registry unary op with a kernel, `actParam` its parameter) — or, instead of act,
   * ⊙ grad′(v) (a registry op with a grad kernel; v in C's layout, read as the op's input or output).
   */
  gemmFused?(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOffset: number, lda: number,
    b: FloatArray, bOffset: number, ldb: number,
    c: FloatArray, cOffset: number, ldc: number,
    epilogue: GemmEpilogue,
  ): void;

  /**
   * Softmax cross-entropy forward and backward in one pass over [rows, classes] logits with one
   * integer label per row (stored as floats, already validated): returns Σ_rows −log softmax(z)[label]
   * accumulated in float64, and writes grad = gradScale · (softmax(z) − onehot(label)).
   */
  softmaxCrossEntropy?(
    rows: number, classes: number, logits: FloatArray, labels: FloatArray, grad: FloatArray, gradScale: number,
  ): number;

  /**
   * Optional: one SGD step with momentum in place, as torch.optim.SGD, in one pass over w, g and buf
   * (float64 per element; each store rounds to the array's precision and later terms read the
   * stored value): d = g + weightDecay·w; buf ← d on the first step, else momentum·buf +
   * (1 − dampening)·d; w ← w − lr·(nesterov ? d + momentum·buf : buf).
   */
  sgdMomentumStep?(
    n: number, w: FloatArray, g: FloatArray, buf: FloatArray,
    lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean,
  ): void;
}

/** The registered backends (select.ts): 'js' always, 'wasm' and 'native' where they load. */
export type BackendName = 'js' | 'wasm' | 'native';
