// npm run bench [-- --peers] [-- --quick]: nabla's GEMM and training throughput on every backend
// that loads here, and with --peers the same workloads on jax-js, TensorFlow.js and PyTorch in the
// same run, with ratios. Prints tables, then one JSON line with every figure (the last line).
// --browser runs them in headless Chromium instead (bench/browser/), --sweep the cost-growth sweep
// (bench/sweep.ts), --data-path the data-path benchmark (bench/data-path.ts).
// Never run as a test (timings are not assertions); test/bench/ runs the smoke modes.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BackendName } from '../src/backend/backend.js';
import { availableBackends } from '../src/backend/select.js';
import { findDataDir, loadImages } from './workloads/data.js';
import { runNabla, type SystemResult } from './workloads/nabla.js';
import { FULL_TIMING, GEMMS, MLP, QUICK_TIMING, SMALL, WORKLOAD_IDS, unitOf, type PeerConfig, type TimingSpec } from './workloads/spec.js';
import { installPeers, peersDir, runPeers, type PeerRun } from './peers/run.js';
import { blasLine, describeConfig } from './peers/torch.js';
import { fmtNum, log, pairRatios, printFigures, printNotes, printRatios, ratio } from './report.js';

const USAGE = `usage: npm run bench -- [--quick] [--peers] [--backends js,wasm,native] [--reps N]
       npm run bench -- --browser [--peers] [--quick] [--reps N]
       npm run bench -- --sweep [--backends native] [--quick]
       npm run bench -- --data-path [--reps N]
  --quick     1 repetition, 3 training steps, no 1024³ GEMM: checks that everything runs
  --peers     install jax-js and TensorFlow.js into $NABLA_BENCH_PEERS (default ~/.cache/nabla-bench-peers)
              if needed, and run them and PyTorch (if /usr/bin/python3 has torch) on the same workloads:
              PyTorch twice, as 'torch 1 thread' and as 'torch best' (the fastest of a short probe over
              OpenBLAS core types and OpenBLAS / torch thread counts)
  --backends  nabla backends to run (default: every one that loads)
  --reps N    timed repetitions per figure (default ${FULL_TIMING.reps}; the median is reported)
  --browser   the MLP, small-network and GEMM workloads in headless Chromium (/usr/bin/chromium), in one
              cross-origin-isolated page served from this machine: nabla's WASM build, and with --peers
              jax-js (wasm, webgl, webgpu) and TensorFlow.js (wasm, webgl) in the same page
  --only      with --browser: only these systems, e.g. --only 'nabla wasm,jax-js wasm' (a quicker A/B)
  --sweep     training step time against depth (1-8 hidden layers of 256) and width (64-1024): the
              linear fit over depth (R²), the log-log slope over width, and backward / forward time
  --data-path only the data-path benchmark: Fashion-MNIST trained in memory, streamed from CSV and
              from Parquet (needs $NABLA_DATA or Debian's dataset-fashion-mnist; default 3 reps)`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    peers: { type: 'boolean', default: false },
    backends: { type: 'string' },
    reps: { type: 'string' },
    help: { type: 'boolean', default: false },
    'data-path': { type: 'boolean', default: false },
    browser: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args['data-path']) {
  // A separate benchmark: CSV / Parquet / in-memory training throughput (bench/data-path.ts).
  await (await import('./data-path.js')).runDataPath(args.reps ? Number(args.reps) : 3);
  process.exit(0);
}

/**
 * Loads the faster backends' modules (select.ts knows their loaders). Returns why any cannot run: a module that
 * fails to import, or a native addon that is missing, stale or fails to load (its module imports
 * fine, and its loader then just returns null: without this the table and the JSON line would
 * leave it out with no reason, which only went to stderr).
 */
async function registerBackends(): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, load] of [
    ['wasm', () => import('../src/backend/wasm/index.js')],
    ['native', () => import('../src/backend/native/index.js')],
  ] as const) {
    try { await load(); } catch (e) { problems.push(`${name}: ${(e as Error).message.split('\n')[0]}`); }
  }
  if (!problems.some((p) => p.startsWith('native:'))) {
    const { loadNativeAddon } = await import('../src/backend/native/index.js');
    const { reason } = loadNativeAddon();
    if (reason) problems.push(`native: ${reason}`);
  }
  return problems;
}

/**
 * GEMM threads of the native addon, when it is loaded (it may use more than one core). `restore`
 * puts back the thread count and the size threshold from which threads are used, as they were
 * (the addon may have tuned the threshold for this CPU).
 */
async function nativeThreads(): Promise<{ get(): number; set(n: number): void; restore(): void } | null> {
  try {
    const { loadNativeAddon } = await import('../src/backend/native/index.js');
    const { addon } = loadNativeAddon();
    if (!addon) return null;
    const withMin = addon as { threadMinMacs?: () => number };
    const threads = addon.threads(), minMacs = withMin.threadMinMacs?.();
    return {
      get: () => addon.threads(),
      set: (n) => addon.setThreads(n),
      restore: () => (minMacs === undefined ? addon.setThreads(threads) : addon.setThreads(threads, minMacs)),
    };
  } catch {
    return null;
  }
}

function timingFromArgs(): TimingSpec {
  const timing: TimingSpec = { ...(args.quick ? QUICK_TIMING : FULL_TIMING) };
  if (args.reps !== undefined) {
    const reps = Number(args.reps);
    if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${args.reps}`);
    timing.reps = reps;
  }
  return timing;
}

async function selectBackends(): Promise<{ backends: BackendName[]; loadProblems: string[] }> {
  const loadProblems = await registerBackends();
  const available = availableBackends();
  const wanted = args.backends ? (args.backends.split(',').map((s) => s.trim()) as BackendName[]) : available;
  for (const b of wanted) if (!available.includes(b)) throw new Error(`backend '${b}' is not available here (available: ${available.join(', ')})`);
  // Run the reference first, then the faster backends (the table reads left to right).
  return { backends: (['js', 'wasm', 'native'] as BackendName[]).filter((b) => wanted.includes(b)), loadProblems };
}

interface Target { what: string; ratio: string; id: string; target: number; value: number; met: boolean }

/** The performance targets this bench checks in Node, from ratios measured in one run (absent pairs are left out). */
function checkTargets(ratios: Record<string, Record<string, number>>): Target[] {
  const wanted: Array<Omit<Target, 'value' | 'met'>> = [
    { what: 'best native MLP training / torch best', ratio: 'nabla best native / torch best', id: MLP.id, target: 1.15 },
    ...GEMMS.filter((g) => !g.big).map((g) => ({ what: `native 1t ${g.id} / OpenBLAS 1 thread (torch 1 thread)`, ratio: 'nabla native 1t / torch 1 thread', id: g.id, target: 1.0 })),
    { what: 'WASM MLP training / jax-js wasm (Node)', ratio: 'nabla wasm / jax-js wasm', id: MLP.id, target: 1.6 },
    { what: 'best native small 2-16-16-1 / torch 1 thread', ratio: 'nabla best native / torch 1 thread', id: SMALL.id, target: 5 },
  ];
  const out: Target[] = [];
  for (const t of wanted) {
    // With one native thread count there is no "best native" pair: use the native system that ran.
    const pair = ratios[t.ratio] ?? (t.ratio.startsWith('nabla best native / ')
      ? Object.entries(ratios).find(([k]) => /^nabla native \d+t \//.test(k) && k.endsWith(t.ratio.slice('nabla best native'.length)))?.[1]
      : undefined);
    const value = pair?.[t.id];
    if (value !== undefined) out.push({ ...t, value, met: value >= t.target });
  }
  return out;
}

function printTargets(targets: Target[]): void {
  if (!targets.length) return;
  console.log('\ntargets (ratios from this run)');
  for (const t of targets) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.what}: ${t.value.toFixed(2)}x (target >= ${t.target}x)`);
}

async function nodeBench(): Promise<void> {
  const timing = timingFromArgs();
  const { backends, loadProblems } = await selectBackends();
  const dataDir = findDataDir();
  const images = loadImages(dataDir);
  const gemms = GEMMS.filter((g) => !(g.big && timing.skipBig));
  const config: PeerConfig = { timing, gemm: GEMMS, mlp: MLP, small: SMALL, dataDir };

  const systems: Record<string, SystemResult & { version?: string }> = {};
  const threads = await nativeThreads();
  for (const b of backends) {
    log(`nabla ${b}`);
    const name = b === 'native' && threads ? `nabla native ${threads.get()}t` : `nabla ${b}`;
    systems[name] = runNabla(b, gemms, MLP, SMALL, timing, images);
    // `torch 1 thread` runs on one thread: show native on one thread as well when it defaults to more,
    // and on two when it defaults to one, so that "best native" is the better of 1t and 2t.
    if (b === 'native' && threads && !args.quick) {
      const n = threads.get();
      const other = n > 1 ? 1 : cpus().length > 1 ? 2 : 0;
      if (other) {
        threads.set(other);
        log(`nabla native, ${other} thread(s)`);
        systems[`nabla native ${other}t`] = runNabla(b, gemms, MLP, SMALL, timing, images);
        threads.restore();
      }
    }
  }

  const skipped: string[] = [...loadProblems];
  let peers: PeerRun | null = null;
  if (args.peers) {
    const dir = peersDir();
    installPeers(dir);
    peers = runPeers(config, dir, args.quick);
    Object.assign(systems, peers.systems);
    skipped.push(...peers.skipped);
  }
  const peerNames = Object.keys(peers?.systems ?? {});

  // Ratios nabla / peer for every pair (> 1 means nabla is faster).
  const ratios = pairRatios(systems, peerNames);
  // "best native": per workload, the faster of the native thread counts that ran (1t, 2t ...).
  const natives = Object.keys(systems).filter((s) => /^nabla native \d+t$/.test(s));
  const bestNative: Record<string, string> = {};
  for (const id of WORKLOAD_IDS) {
    const withFigure = natives.filter((n) => systems[n].figures[id] !== undefined);
    if (withFigure.length) bestNative[id] = withFigure.reduce((a, b) => (systems[b].figures[id] > systems[a].figures[id] ? b : a));
  }
  if (natives.length > 1) {
    const best = { figures: Object.fromEntries(Object.entries(bestNative).map(([id, n]) => [id, systems[n].figures[id]])), notes: {} };
    for (const p of peerNames) ratios[`nabla best native / ${p}`] = ratio(best, systems[p]);
  }
  const targets = args.peers ? checkTargets(ratios) : [];

  console.log(`\nnabla bench${args.quick ? ' (--quick: smoke run, figures mean nothing)' : ''}: median of ${timing.reps} repetition(s); ` +
    `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg()[0].toFixed(2)}, Node ${process.versions.node}`);
  console.log(`MLP data: ${dataDir ? `Fashion-MNIST train split from ${dataDir}` : 'random pixels (Fashion-MNIST not found; set NABLA_BENCH_DATA)'}; ` +
    `MLP ${Math.min(MLP.steps, timing.maxSteps)} steps of batch ${MLP.batch} per repetition, small network ${Math.min(SMALL.steps, timing.maxSteps)} steps, fewer (extrapolated) where that takes > ${timing.trainSeconds} s\n`);
  printFigures(systems);
  printRatios(ratios, Object.keys(ratios).filter((r) => !r.startsWith('nabla js ')));
  printNotes(systems, peers?.configs);
  if (natives.length > 1) {
    console.log(`  best native (the faster native thread count per workload): ${WORKLOAD_IDS.filter((id) => bestNative[id]).map((id) => `${id} ${bestNative[id]}`).join('; ')}`);
  }
  if (peers?.torch) {
    console.log(`\n${blasLine(peers.torch.blas).line}`);
    for (const [name, c] of Object.entries(peers.configs)) console.log(`  ${name}: ${c}`);
    if (peers.torch.probe.length) {
      console.log('  configurations probed (MLP training step, random pixels, median of short samples):');
      for (const p of peers.torch.probe) console.log(`    ${describeConfig(p, p.core)}: ${fmtNum(p.samplesPerSecond)} samples/s`);
    }
  }
  printTargets(targets);
  if (!args.peers) console.log('\npeers: not run (npm run bench -- --peers installs and runs jax-js, TensorFlow.js, and PyTorch if present)');
  for (const s of skipped) console.log(`skipped: ${s}`);
  for (const w of peers?.warnings ?? []) {
    console.log(`\nWARNING: ${w}`);
    log(`WARNING: ${w}`);
  }

  const names = Object.keys(systems);
  const figures = Object.fromEntries(names.map((n) => [n, systems[n].figures]));
  const notes = Object.fromEntries(names.map((n) => [n, systems[n].notes]));
  const versions = Object.fromEntries(names.filter((n) => systems[n].version).map((n) => [n, systems[n].version]));
  console.log(JSON.stringify({
    bench: 'nabla', quick: args.quick, peers: args.peers,
    env: { runtime: `Node ${process.versions.node}`, node: process.versions.node, cpu: cpus()[0]?.model ?? null, cores: cpus().length, load1: loadavg()[0] },
    data: dataDir, timing, units: Object.fromEntries(WORKLOAD_IDS.map((id) => [id, unitOf(id)])),
    figures, ratios, notes, versions, skipped,
    bestNative, configs: peers?.configs ?? {}, warnings: peers?.warnings ?? [], targets,
    torch: peers?.torch ? { blas: peers.torch.blas, probe: peers.torch.probe } : null,
  }));
}

async function browserBench(): Promise<void> {
  const { runBrowser } = await import('./browser/run.js');
  const timing = timingFromArgs();
  const dataDir = findDataDir();
  const config: PeerConfig = { timing, gemm: GEMMS, mlp: MLP, small: SMALL, dataDir };
  let dir: string | null = null;
  if (args.peers) {
    dir = peersDir();
    installPeers(dir);
  }
  const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const run = await runBrowser({ config, peers: args.peers, peersDir: dir, only, log });
  const systems: Record<string, SystemResult & { version?: string }> = {};
  for (const [n, s] of Object.entries(run.systems)) systems[n] = { figures: s.figures, notes: s.notes, version: run.versions[n] };
  const configs = Object.fromEntries(Object.entries(run.systems).filter(([, s]) => s.config).map(([n, s]) => [n, s.config!]));
  const peerNames = Object.keys(systems).filter((n) => !n.startsWith('nabla '));
  const ratios = pairRatios(systems, peerNames);
  // The fastest peer per workload, and nabla WASM against it (the browser target is >= 1.5x on the MLP).
  const fastestPeer: Record<string, string> = {};
  for (const id of WORKLOAD_IDS) {
    const withFigure = peerNames.filter((p) => systems[p].figures[id] !== undefined);
    if (withFigure.length) fastestPeer[id] = withFigure.reduce((a, b) => (systems[b].figures[id] > systems[a].figures[id] ? b : a));
  }
  if (systems['nabla wasm'] && peerNames.length) {
    const fastest = { figures: Object.fromEntries(Object.entries(fastestPeer).map(([id, p]) => [id, systems[p].figures[id]])), notes: {} };
    ratios['nabla wasm / fastest peer'] = ratio(systems['nabla wasm'], fastest);
  }
  const mlpRatio = ratios['nabla wasm / fastest peer']?.[MLP.id];
  const targets: Target[] = mlpRatio === undefined ? [] : [{
    what: `Chromium: WASM MLP training / fastest peer (${fastestPeer[MLP.id]})`, ratio: 'nabla wasm / fastest peer', id: MLP.id, target: 1.5, value: mlpRatio, met: mlpRatio >= 1.5,
  }];

  const e = run.env;
  console.log(`\nnabla browser bench${args.quick ? ' (--quick: smoke run, figures mean nothing)' : ''}: median of ${timing.reps} repetition(s); ${run.runtime}; ` +
    `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg()[0].toFixed(2)}`);
  console.log(`page: crossOriginIsolated ${e.crossOriginIsolated} (COOP same-origin + COEP require-corp), navigator.hardwareConcurrency ${e.hardwareConcurrency}; ` +
    `WebGL: ${e.webgl}; WebGPU: ${e.webgpu}`);
  console.log(`MLP data: ${dataDir ? `Fashion-MNIST train split from ${dataDir}, served to the page` : 'random pixels (Fashion-MNIST not found; set NABLA_BENCH_DATA)'}; ` +
    `MLP ${Math.min(MLP.steps, timing.maxSteps)} steps of batch ${MLP.batch} per repetition, small network ${Math.min(SMALL.steps, timing.maxSteps)} steps\n`);
  printFigures(systems);
  printRatios(ratios, Object.keys(ratios));
  printNotes(systems, configs);
  if (Object.keys(fastestPeer).length) console.log(`  fastest peer per workload: ${WORKLOAD_IDS.filter((id) => fastestPeer[id]).map((id) => `${id} ${fastestPeer[id]}`).join('; ')}`);
  printTargets(targets);
  if (!args.peers) console.log('\npeers: not run (npm run bench -- --browser --peers runs jax-js and TensorFlow.js in the same page)');
  for (const s of run.skipped) console.log(`skipped: ${s}`);

  const names = Object.keys(systems);
  console.log(JSON.stringify({
    bench: 'nabla', browser: true, quick: args.quick, peers: args.peers,
    env: {
      runtime: run.runtime, userAgent: e.userAgent, crossOriginIsolated: e.crossOriginIsolated, hardwareConcurrency: e.hardwareConcurrency,
      webgl: e.webgl, webgpu: e.webgpu, node: process.versions.node, cpu: cpus()[0]?.model ?? null, cores: cpus().length, load1: loadavg()[0],
    },
    data: dataDir, timing, units: Object.fromEntries(WORKLOAD_IDS.map((id) => [id, unitOf(id)])),
    figures: Object.fromEntries(names.map((n) => [n, systems[n].figures])), ratios,
    notes: Object.fromEntries(names.map((n) => [n, systems[n].notes])), versions: run.versions, skipped: run.skipped,
    configs, fastestPeer, targets,
  }));
}

async function sweepBench(): Promise<void> {
  const { runSweep } = await import('./sweep.js');
  const { backends, loadProblems } = await selectBackends();
  // Default: the fastest backend only (the sweep is about shape, not about comparing backends).
  await runSweep(args.backends ? backends : backends.slice(-1), { quick: args.quick, reps: args.reps ? Number(args.reps) : undefined, problems: loadProblems });
}

const mode = args.browser ? browserBench : args.sweep ? sweepBench : nodeBench;
mode().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
