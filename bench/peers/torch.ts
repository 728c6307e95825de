// PyTorch as a peer, twice: `torch 1 thread` (OpenBLAS pinned to one thread, torch intra-op 1) and
// `torch best`, the fastest configuration of this machine. A user tunes PyTorch with environment
// variables that OpenBLAS reads once, when it loads, so each candidate OpenBLAS core type is probed
// in its own short process (torch_bench.py probe), which switches the thread counts at run time and
// times the MLP training step in each; the winners then run every workload (torch_bench.py run).
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerConfig } from '../workloads/spec.js';
import type { PeerRun, PeerSystem } from './run.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PYTHON = '/usr/bin/python3';
const TIMEOUT_MS = 10 * 60 * 1000;

/** What torch_bench.py finds mapped into its process. */
export interface BlasInfo {
  kind: string;
  libraries: string[];
  torchBlasInfo: string | null;
  /** Netlib's reference BLAS: ~30x slower than OpenBLAS, so PyTorch's figures are not its best. */
  reference: boolean;
  config?: string;
  core?: string;
  threads?: number;
}

/** One configuration of PyTorch: environment for OpenBLAS, plus torch.set_num_threads. */
export interface TorchConfig {
  /** OPENBLAS_CORETYPE, or null for unset (OpenBLAS detects the CPU). */
  coretype: string | null;
  blasThreads: number;
  torchThreads: number;
}

export interface ProbeResult extends TorchConfig {
  /** The OpenBLAS kernel set this coretype selects (openblas_get_corename), when it is OpenBLAS. */
  core: string | null;
  samplesPerSecond: number;
}

export interface TorchRun {
  blas: BlasInfo | null;
  probe: ProbeResult[];
  /** System name -> its configuration in words (for the notes and the JSON line). */
  configs: Record<string, string>;
}

export function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function cpuHasAvx512(): boolean {
  try {
    return /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

function envFor(coretype: string | null): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_NUM_THREADS;
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  return env;
}

/**
 * The OpenBLAS kernel set each OPENBLAS_CORETYPE selects on this CPU, read without torch (fast):
 * candidates that select the same kernels are probed once. Null where the BLAS is not OpenBLAS.
 */
function coreNames(candidates: Array<string | null>): Map<string | null, string | null> {
  const script = [
    'import ctypes, ctypes.util',
    "lib = ctypes.CDLL(ctypes.util.find_library('blas') or 'libblas.so.3')",
    'f = getattr(lib, "openblas_get_corename", None)',
    'if f is None: print("")',
    'else:',
    '    f.restype = ctypes.c_char_p',
    '    print(f().decode())',
  ].join('\n');
  const out = new Map<string | null, string | null>();
  for (const c of candidates) {
    const r = spawnSync(PYTHON, ['-c', script], { env: envFor(c), encoding: 'utf8', timeout: 30_000 });
    out.set(c, r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null);
  }
  return out;
}

function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

function python(mode: 'probe' | 'run', config: object, env: NodeJS.ProcessEnv): { ok: true; stdout: string } | { ok: false; why: string } {
  const r = spawnSync(PYTHON, [join(HERE, 'torch_bench.py'), mode, JSON.stringify(config)], {
    env, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status === 0) return { ok: true, stdout: r.stdout };
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
  return { ok: false, why };
}

export function describeConfig(c: TorchConfig, core: string | null): string {
  const ct = c.coretype ? `OPENBLAS_CORETYPE=${c.coretype}` : 'OPENBLAS_CORETYPE unset';
  return `OPENBLAS_NUM_THREADS=${c.blasThreads}, torch.set_num_threads(${c.torchThreads}), ${ct}${core ? ` (OpenBLAS core ${core})` : ''}`;
}

const same = (a: TorchConfig, b: TorchConfig): boolean =>
  a.coretype === b.coretype && a.blasThreads === b.blasThreads && a.torchThreads === b.torchThreads;

const log = (msg: string): void => { process.stderr.write(`bench: ${msg}\n`); };

/** Probes the configurations, then runs `torch 1 thread` and `torch best` on every workload into `out`. */
export function runTorch(config: PeerConfig, out: PeerRun, quick: boolean): TorchRun {
  const cores = Math.max(1, cpus().length);
  // Unset first: what OpenBLAS detects. SkylakeX only on a CPU with AVX-512 (elsewhere it would fault).
  const candidates: Array<string | null> = quick ? [null] : [null, 'Haswell', ...(cpuHasAvx512() ? ['SkylakeX'] : []), 'Zen'];
  const names = coreNames(candidates);
  const isOpenBlas = [...names.values()].some((n) => n !== null);
  const seen = new Set<string>();
  const toProbe = candidates.filter((c) => {
    const n = names.get(c) ?? null;
    if (!isOpenBlas) return c === null; // not OpenBLAS: OPENBLAS_CORETYPE means nothing
    if (n === null || seen.has(n)) return false;
    seen.add(n);
    return true;
  });
  const combos = cores === 1 ? [[1, 1]] : [[1, 1], [cores, 1], [1, cores], [cores, cores]];
  const probe: ProbeResult[] = [];
  let blas: BlasInfo | null = null;
  for (const coretype of toProbe) {
    log(`probing PyTorch with OPENBLAS_CORETYPE ${coretype ?? 'unset'} (${names.get(coretype) ?? 'not OpenBLAS'})`);
    const r = python('probe', { ...config, probe: { coretype, combos, seconds: quick ? 0.02 : 0.25, rounds: quick ? 1 : 3 } }, envFor(coretype));
    if (!r.ok) {
      out.skipped.push(`PyTorch probe with OPENBLAS_CORETYPE=${coretype ?? 'unset'}: failed (${r.why})`);
      continue;
    }
    const res = lastJson<{ probe: { results: Array<{ blasThreads: number; torchThreads: number; samplesPerSecond: number }> }; blas: BlasInfo }>(r.stdout);
    if (coretype === null || blas === null) blas = res.blas;
    for (const p of res.probe.results) probe.push({ coretype, core: res.blas.core ?? null, ...p });
  }
  const configs: Record<string, string> = {};
  if (probe.length === 0) {
    out.skipped.push('PyTorch: every probe failed');
    return { blas, probe, configs };
  }
  const byRate = (a: ProbeResult, b: ProbeResult): number => b.samplesPerSecond - a.samplesPerSecond;
  const one = [...probe].filter((p) => p.blasThreads === 1 && p.torchThreads === 1).sort(byRate)[0] ?? probe[0];
  const best = [...probe].sort(byRate)[0];

  const runs: Array<[string, ProbeResult]> = [['torch 1 thread', one], ['torch best', best]];
  for (const [name, c] of runs) {
    if (name === 'torch best' && same(c, one) && out.systems['torch 1 thread']) {
      // The fastest configuration is the single-threaded one: the same process would be run twice.
      out.systems[name] = structuredClone(out.systems['torch 1 thread']);
      configs[name] = `${describeConfig(c, c.core)} (the same configuration as torch 1 thread: figures copied from it)`;
      continue;
    }
    log(`running PyTorch as '${name}': ${describeConfig(c, c.core)}`);
    const torch: TorchConfig & { name: string } = { name, coretype: c.coretype, blasThreads: c.blasThreads, torchThreads: c.torchThreads };
    const r = python('run', { ...config, torch }, envFor(c.coretype));
    if (!r.ok) {
      out.skipped.push(`PyTorch as '${name}': failed (${r.why})`);
      continue;
    }
    const res = lastJson<{ systems: Record<string, PeerSystem>; blas: BlasInfo }>(r.stdout);
    Object.assign(out.systems, res.systems);
    configs[name] = describeConfig(c, c.core);
  }
  // The probe is short and the machine may be noisy: should the full run of the probe's winner come
  // out slower on the MLP than the single-threaded configuration, `torch best` is the latter.
  const t1 = out.systems['torch 1 thread'], tb = out.systems['torch best'];
  if (t1 && tb && configs['torch best'] && !configs['torch best'].includes('figures copied') && tb.figures[config.mlp.id] < t1.figures[config.mlp.id]) {
    out.systems['torch best'] = structuredClone(t1);
    configs['torch best'] = `${configs['torch 1 thread']} (the probe's pick, ${configs['torch best']}, ran the MLP slower in the full run: ` +
      `${Math.round(tb.figures[config.mlp.id])} against ${Math.round(t1.figures[config.mlp.id])} samples/s; figures copied from torch 1 thread)`;
  }
  return { blas, probe, configs };
}

/** One line naming the BLAS; loud when it is the reference BLAS. */
export function blasLine(blas: BlasInfo | null): { line: string; warning: string | null } {
  if (!blas) return { line: 'PyTorch BLAS: unknown (no probe ran)', warning: null };
  const libs = blas.libraries.join(', ') || 'none mapped';
  if (blas.reference) {
    return {
      line: `PyTorch BLAS: reference BLAS (${libs})`,
      warning: `PyTorch calls Netlib's REFERENCE BLAS (${libs}), about 30x slower than OpenBLAS: its figures are NOT PyTorch at its best ` +
        "and every ratio against it flatters nabla. On Debian/Ubuntu: apt-get install libopenblas0-pthread (update-alternatives then points libblas.so.3 at it).",
    };
  }
  return { line: `PyTorch BLAS: ${blas.config ?? blas.kind} (${libs}; torch BLAS_INFO=${blas.torchBlasInfo ?? '?'})`, warning: null };
}
