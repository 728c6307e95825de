// Run-time tuning of the native GEMM for the CPU it runs on. The package ships one prebuilt addon,
// so nothing can be tuned at build time: on first use this measures, at the sizes of an MLP
// training step, every SIMD instruction set the CPU runs × every register tile × three cache
// blockings × op(A) read in place or packed, then how many threads pay and from which size up. The
// choice is cached on disk, keyed by CPU model, instruction sets, core count and addon ABI, so later
// processes start tuned at no cost.
//
// Environment: NABLA_NATIVE_TUNE=0 skips tuning (built-in defaults), =refresh measures again.
// NABLA_NATIVE_ISA / NABLA_NATIVE_THREADS, when set, pin what they name (tuning keeps them).
// The cache lives in $XDG_CACHE_HOME/nabla (or ~/.cache/nabla); if it cannot be read or written,
// tuning still applies to this process, silently.
import type { GemmConfig, NativeAddon } from './addon.js';
import { NATIVE_ABI_VERSION } from './addon.js';

/** Bumped when what is measured or how it is chosen changes, so stale choices are measured again. */
const TUNE_VERSION = 4;

/** What the autotune chose for one machine. */
export interface NativeTuning {
  isa: string;
  gemm: GemmConfig;
  threads: number;
  threadMinMacs: number;
}

export interface TuneOptions {
  /** Directory of the cache file; null: no cache (measure, do not store). */
  cacheDir: string | null;
  /** Keep this instruction set (NABLA_NATIVE_ISA). */
  pinIsa?: boolean;
  /** Use exactly this many threads (NABLA_NATIVE_THREADS); the threshold is still measured. */
  pinThreads?: number;
  /** Ignore a cached choice and measure again. */
  refresh?: boolean;
}

type Shape = readonly [m: number, n: number, k: number, transA: boolean, transB: boolean];

// The GEMMs of a 784-256-128-10 training step at batch 128: forward X·W, the weight gradient
// Xᵀ·dY, the input gradient dY·Wᵀ, and a smaller layer.
const STEP_SHAPES: readonly Shape[] = [
  [128, 256, 784, false, false], [784, 256, 128, true, false], [128, 784, 256, false, true], [128, 128, 256, false, false],
];
// Increasing sizes for the thread threshold (m·n·k from 0.5 M to 26 M multiply-adds).
const THREAD_LADDER: readonly Shape[] = [
  [128, 64, 64, false, false], [128, 128, 128, false, false], [128, 128, 256, false, false],
  [128, 256, 256, false, false], [128, 256, 784, false, false],
];
// kc from the bytes of the kc×NR micro-panel of B: 32 KiB keeps it in any L1; the larger ones
// halve the passes over C when k is several hundred (which pays where L1 is 48 KiB or L2 is fast).
const BLOCKINGS = [
  { kcBytes: 32768, mcBytes: 512 * 1024, nc: 4096 },
  { kcBytes: 65536, mcBytes: 512 * 1024, nc: 4096 },
  { kcBytes: 131072, mcBytes: 512 * 1024, nc: 4096 },
];

/** native/nabla_addon.cc's g_threadMinMacs before tuning. */
const DEFAULT_THREAD_MIN_MACS = 4e6;

interface Operands { a: Float32Array; b: Float32Array; c: Float32Array; shape: Shape }

function operands(shape: Shape): Operands {
  const [m, n, k] = shape;
  // Any finite values do: the kernels' speed does not depend on them.
  const a = new Float32Array(m * k), b = new Float32Array(k * n);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  for (let i = 0; i < b.length; i++) b[i] = ((i * 104729) % 1000) / 1000 - 0.5;
  return { a, b, c: new Float32Array(m * n), shape };
}

/** The fastest of `reps` runs in ms: the minimum is what the kernel costs when nothing interferes. */
function fastest(addon: NativeAddon, op: Operands, reps: number): number {
  const [m, n, k, ta, tb] = op.shape;
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    addon.gemm(ta, tb, m, n, k, 1, op.a, 0, ta ? m : k, op.b, 0, tb ? k : n, 0, op.c, 0, n);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Measures every ISA × tile × blocking single-threaded on the training shapes; the fastest total wins. */
function tuneKernels(addon: NativeAddon, isas: string[]): { isa: string; gemm: GemmConfig } {
  const ops = STEP_SHAPES.map(operands);
  const candidates: { isa: string; gemm: GemmConfig }[] = [];
  for (const isa of isas) {
    if (!addon.setIsa(isa)) continue;
    for (const tile of addon.gemmTiles()) for (const bl of BLOCKINGS) for (const aInPlace of [true, false]) candidates.push({ isa, gemm: { tile, ...bl, aInPlace } });
  }
  const totals = candidates.map(() => Infinity);
  const measure = (i: number) => {
    const cand = candidates[i];
    addon.setIsa(cand.isa);
    setConfig(addon, cand.gemm);
    let total = 0;
    for (const op of ops) {
      fastest(addon, op, 1);  // packing buffers and caches warm
      total += fastest(addon, op, 3);
    }
    totals[i] = Math.min(totals[i], total);
  };
  const ranked = () => candidates.map((_, i) => i).sort((x, y) => totals[x] - totals[y]);
  candidates.forEach((_, i) => measure(i));
  // The leaders again, twice, keeping each one's best: a burst of load from another process then
  // spoils one measurement of a candidate, not the choice.
  for (let round = 0; round < 2; round++) for (const i of ranked().slice(0, 4)) measure(i);
  return candidates[ranked()[0]];
}

/**
 * How many threads pay, and from which size: each ladder size runs with 1 and with t threads,
 * interleaved (fastest of several). t threads are kept unless they are slower than one at the
 * largest size (the work is claimed, not shared out, so on a busy machine they cost little); the
 * threshold is the smallest size from which t threads win by 10 % at that size and every larger
 * one, else the addon's default (nothing could be measured to win: another process had the cores).
 */
function tuneThreads(addon: NativeAddon, maxThreads: number, pinned: number | undefined): { threads: number; threadMinMacs: number } {
  const ops = THREAD_LADDER.map(operands);
  const macs = (op: Operands) => op.shape[0] * op.shape[1] * op.shape[2];
  const options = pinned !== undefined ? [pinned] : [2, 4, 8].filter((t) => t <= maxThreads);
  let best = { threads: pinned ?? 1, threadMinMacs: DEFAULT_THREAD_MIN_MACS, time: Infinity };
  for (const t of options) {
    if (t < 2) continue;
    const wins: boolean[] = [];
    let one = Infinity, many = Infinity;
    for (const op of ops) {
      one = Infinity;
      many = Infinity;
      for (let r = 0; r < 5; r++) {
        addon.setThreads(1, 0);
        one = Math.min(one, fastest(addon, op, 2));
        addon.setThreads(t, 0);
        many = Math.min(many, fastest(addon, op, 2));
      }
      wins.push(many < one * 0.9);
    }
    // `one` and `many` now hold the largest size's times.
    if (many > one * 1.05 || many >= best.time) continue;
    let from = wins.length;
    while (from > 0 && wins[from - 1]) from--;
    best = { threads: t, threadMinMacs: from < wins.length ? macs(ops[from]) : DEFAULT_THREAD_MIN_MACS, time: many };
  }
  return { threads: best.threads, threadMinMacs: best.threadMinMacs };
}

function setConfig(addon: NativeAddon, g: GemmConfig): boolean {
  return addon.setGemmConfig(g.tile, g.kcBytes, g.mcBytes, g.nc, g.aInPlace);
}

function apply(addon: NativeAddon, t: NativeTuning, pinIsa: boolean): void {
  if (!pinIsa) addon.setIsa(t.isa);
  if (addon.isa() === t.isa) setConfig(addon, t.gemm);
  addon.setThreads(t.threads, t.threadMinMacs);
}

function valid(t: unknown): t is NativeTuning {
  const x = t as NativeTuning;
  return typeof x?.isa === 'string' && typeof x.gemm?.tile === 'string' && typeof x.gemm.aInPlace === 'boolean' && [x.gemm.kcBytes, x.gemm.mcBytes, x.gemm.nc, x.threads].every(Number.isInteger) &&
    Number.isFinite(x.threadMinMacs);
}

/**
 * Applies the cached tuning for this machine, or measures one (about 0.1–0.5 s) and caches it.
 * Returns what was applied and whether it came from the cache. Never throws for cache trouble.
 */
export function tuneNative(addon: NativeAddon, key: string, opts: TuneOptions): { tuning: NativeTuning; cached: boolean } {
  const proc = (globalThis as { process?: NodeJS.Process }).process!;
  const fs = proc.getBuiltinModule('node:fs');
  const path = proc.getBuiltinModule('node:path');
  const file = opts.cacheDir ? path.join(opts.cacheDir, 'native-tune.json') : null;
  const fullKey = `${key}|abi ${NATIVE_ABI_VERSION}|tune ${TUNE_VERSION}`;
  let store: Record<string, NativeTuning> = {};
  if (file) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object') store = parsed as Record<string, NativeTuning>;
    } catch { /* no cache yet, or unreadable: measure */ }
  }
  const hit = store[fullKey];
  if (!opts.refresh && valid(hit)) {
    const t = opts.pinThreads !== undefined ? { ...hit, threads: opts.pinThreads } : hit;
    apply(addon, t, opts.pinIsa ?? false);
    return { tuning: t, cached: true };
  }
  const isaBefore = addon.isa();
  // The portable build is measured only where it is all there is: it is never the fastest.
  const simd = ['avx512', 'avx2'].filter((i) => addon.setIsa(i));
  addon.setIsa(isaBefore);
  const isas = opts.pinIsa ? [isaBefore] : simd.length ? simd : ['generic'];
  const threadsBefore = addon.threads();
  let tuning: NativeTuning;
  try {
    addon.setThreads(1);  // the kernels are compared on one core; threads are measured after
    const kernels = tuneKernels(addon, isas);
    addon.setIsa(kernels.isa);
    setConfig(addon, kernels.gemm);
    const threads = tuneThreads(addon, Math.min(8, addon.hardwareThreads || 1), opts.pinThreads);
    tuning = { isa: kernels.isa, gemm: kernels.gemm, ...threads };
  } catch (e) {
    addon.setIsa(isaBefore);
    addon.setThreads(threadsBefore);
    throw e;
  }
  apply(addon, tuning, opts.pinIsa ?? false);
  if (file && opts.cacheDir) {
    try {
      // Atomic: write a private temp file, then rename over the cache (concurrent first uses race harmlessly).
      fs.mkdirSync(opts.cacheDir, { recursive: true });
      const tmp = `${file}.${proc.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ ...store, [fullKey]: tuning }, null, 1));
      fs.renameSync(tmp, file);
    } catch { /* read-only or missing home: this process is tuned anyway */ }
  }
  return { tuning, cached: false };
}

/** The cache key for this machine: CPU model, the instruction sets the addon can run, core count. */
export function machineKey(addon: NativeAddon): string {
  const proc = (globalThis as { process?: NodeJS.Process }).process!;
  const os = proc.getBuiltinModule('node:os');
  const before = addon.isa();
  const isas = ['avx512', 'avx2', 'generic'].filter((i) => addon.setIsa(i));
  addon.setIsa(before);
  const model = os.cpus()[0]?.model?.trim() ?? 'unknown cpu';
  return `${proc.platform}-${proc.arch}|${model}|${isas.join(',')}|${addon.hardwareThreads} threads`;
}

/** $XDG_CACHE_HOME/nabla, else ~/.cache/nabla; null when neither can be named. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string | null {
  const proc = (globalThis as { process?: NodeJS.Process }).process!;
  const path = proc.getBuiltinModule('node:path');
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'nabla');
  const home = env.HOME || proc.getBuiltinModule('node:os').homedir();
  return home ? path.join(home, '.cache', 'nabla') : null;
}
