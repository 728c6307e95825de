// The workloads, defined once: nabla runs them in-process and the peers (bench/peers/*) receive
// the same definitions as JSON, so every system measures the same shapes, steps and data.

/** One GEMM: C[m×n] = op(A)·op(B) with op(X) = Xᵀ where trans is set. */
export interface GemmSpec {
  id: string;
  label: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  /** Big enough that a slow system (the JS reference) gets a single timed run. */
  big: boolean;
}

export interface TrainSpec {
  id: string;
  label: string;
  sizes: number[];
  activation: 'relu' | 'tanh';
  loss: 'crossEntropy' | 'mse';
  batch: number;
  lr: number;
  /** Steps per timed repetition (fewer, extrapolated, when they would exceed trainSeconds). */
  steps: number;
}

/** How long to measure: each GEMM repetition times enough calls to last about `sampleSeconds`. */
export interface TimingSpec {
  reps: number;
  sampleSeconds: number;
  /** A training repetition runs the spec's steps, or as many as fit in this time if fewer. */
  trainSeconds: number;
  /** Upper bound on training steps per repetition, below the specs' own (quick mode). */
  maxSteps: number;
  /** Untimed calls before measuring (at least; more until the engine has had sampleSeconds/2). */
  warmup: number;
  /** Skip the `big` GEMMs altogether (quick mode). */
  skipBig: boolean;
}

/** Everything a peer needs, passed to it as one JSON argument. */
export interface PeerConfig {
  timing: TimingSpec;
  gemm: GemmSpec[];
  mlp: TrainSpec;
  small: TrainSpec;
  /** Folder with Fashion-MNIST's train-*-idx*-ubyte.gz, or null for synthetic data. */
  dataDir: string | null;
}

// The MLP's first layer X[128×784]·W[784×256] and its two backprop products in their real
// shapes: dW = Xᵀ·dY (TN, 784×128 · 128×256) and dX = dY·Wᵀ (NT, 128×256 · 256×784).
// All three are 2·128·784·256 ≈ 51.4 MFLOP.
export const GEMMS: GemmSpec[] = [
  { id: 'gemm_nn_128x784x256', label: 'GEMM NN 128x784 · 784x256', transA: false, transB: false, m: 128, n: 256, k: 784, big: false },
  { id: 'gemm_tn_128x784x256', label: 'GEMM TN Xᵀ·dY 784x128 · 128x256', transA: true, transB: false, m: 784, n: 256, k: 128, big: false },
  { id: 'gemm_nt_128x784x256', label: 'GEMM NT dY·Wᵀ 128x256 · 256x784', transA: false, transB: true, m: 128, n: 784, k: 256, big: false },
  { id: 'gemm_nn_1024', label: 'GEMM NN 1024³', transA: false, transB: false, m: 1024, n: 1024, k: 1024, big: true },
];

export const MLP: TrainSpec = {
  id: 'mlp_samples_per_s',
  label: 'MLP 784-256-128-10 train, samples/s',
  sizes: [784, 256, 128, 10],
  activation: 'relu',
  loss: 'crossEntropy',
  batch: 128,
  lr: 0.1,
  steps: 100, // 12,800 samples
};

export const SMALL: TrainSpec = {
  id: 'small_steps_per_s',
  label: 'Small 2-16-16-1 tanh train, steps/s',
  sizes: [2, 16, 16, 1],
  activation: 'tanh',
  loss: 'mse',
  batch: 32,
  lr: 0.1,
  steps: 1000,
};

/** Units per workload id, for the table and the JSON line. */
export function unitOf(id: string): string {
  if (id.startsWith('gemm_')) return 'GFLOP/s';
  return id === MLP.id ? 'samples/s' : 'steps/s';
}

export const WORKLOAD_IDS: string[] = [...GEMMS.map((g) => g.id), MLP.id, SMALL.id];

export const FULL_TIMING: TimingSpec = { reps: 5, sampleSeconds: 0.5, trainSeconds: 2, maxSteps: Number.MAX_SAFE_INTEGER, warmup: 3, skipBig: false };
// One repetition of a few steps: enough to exercise every code path, not to measure anything.
export const QUICK_TIMING: TimingSpec = { reps: 1, sampleSeconds: 0.01, trainSeconds: 0.01, maxSteps: 3, warmup: 1, skipBig: true };
