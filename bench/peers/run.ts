// The optional peers: installed on request into a scratch folder outside the package (never a
// dependency of nabla), each run in its own child process that prints one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerConfig } from '../workloads/spec.js';
import { blasLine, PYTHON, runTorch, torchAvailable, type TorchRun } from './torch.js';

export interface PeerSystem {
  version: string;
  figures: Record<string, number>;
  notes: Record<string, string>;
}

export interface PeerRun {
  systems: Record<string, PeerSystem>;
  /** Why a peer did not run (not installed, crashed ...), one line each. */
  skipped: string[];
  /** Things that make a peer's figures misleading (PyTorch on the reference BLAS), one line each. */
  warnings: string[];
  /** System name -> how it was configured, where that matters (PyTorch's threads and OpenBLAS kernels). */
  configs: Record<string, string>;
  /** PyTorch's BLAS and the configurations probed for `torch best`. */
  torch?: TorchRun;
}

/** Pinned so that figures stay comparable from run to run. */
export const PEER_PACKAGES: Record<string, string> = {
  '@jax-js/jax': '0.1.25',
  '@tensorflow/tfjs': '4.22.0',
  '@tensorflow/tfjs-backend-wasm': '4.22.0',
};

const HERE = dirname(fileURLToPath(import.meta.url));
const PEER_TIMEOUT_MS = 15 * 60 * 1000;

export function peersDir(): string {
  return process.env.NABLA_BENCH_PEERS || join(homedir(), '.cache', 'nabla-bench-peers');
}

export function installedVersion(dir: string, pkg: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * npm install the pinned peers into `dir` unless they are there already. Progress goes to stderr
 * so that stdout ends with the bench's JSON line. None of them needs an install script.
 */
export function installPeers(dir: string): void {
  const missing = Object.entries(PEER_PACKAGES).filter(([pkg, v]) => installedVersion(dir, pkg) !== v);
  if (missing.length === 0) return;
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(manifest, `${JSON.stringify({ name: 'nabla-bench-peers', private: true, description: 'Peers for nabla\'s npm run bench -- --peers; safe to delete.' }, null, 2)}\n`);
  }
  const specs = missing.map(([pkg, v]) => `${pkg}@${v}`);
  process.stderr.write(`bench: installing ${specs.join(' ')} into ${dir}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', ...specs], { stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) process.stderr.write(`bench: npm install into ${dir} failed (exit ${r.status}); running the peers that are present\n`);
}

/** The last line of a child's stdout, parsed. */
function lastJsonLine(stdout: string): { systems: Record<string, PeerSystem> } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as { systems: Record<string, PeerSystem> };
}

function runChild(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, out: PeerRun): void {
  process.stderr.write(`bench: running ${label}\n`);
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: PEER_TIMEOUT_MS, maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    out.skipped.push(`${label}: failed (${why})`);
    return;
  }
  try {
    Object.assign(out.systems, lastJsonLine(r.stdout).systems);
  } catch (e) {
    out.skipped.push(`${label}: no JSON result (${(e as Error).message})`);
  }
}

/** Every peer that can run here, each in its own process, on the same config. */
export function runPeers(config: PeerConfig, dir: string, quick = false): PeerRun {
  const out: PeerRun = { systems: {}, skipped: [], warnings: [], configs: {} };
  const arg = JSON.stringify(config);
  const env = { ...process.env, NABLA_BENCH_PEERS: dir };
  const js: Array<[string, string, string]> = [
    ['jax-js', 'jax.mjs', '@jax-js/jax'],
    ['TensorFlow.js', 'tfjs.mjs', '@tensorflow/tfjs'],
  ];
  for (const [label, script, pkg] of js) {
    if (installedVersion(dir, pkg) === null) {
      out.skipped.push(`${label}: not installed in ${dir} (npm run bench -- --peers installs it)`);
      continue;
    }
    runChild(label, process.execPath, [join(HERE, script), arg], env, out);
  }
  if (torchAvailable()) {
    out.torch = runTorch(config, out, quick);
    Object.assign(out.configs, out.torch.configs);
    const { warning } = blasLine(out.torch.blas);
    if (warning) out.warnings.push(warning);
  } else {
    out.skipped.push(`PyTorch: \`${PYTHON} -c 'import torch'\` fails; on Debian/Ubuntu: sudo apt-get install python3-torch`);
  }
  return out;
}
