// The bench's other modes run end to end, in a child process each, in their --quick form: the
// cost-growth sweep (--sweep), the browser page in headless Chromium (--browser), and PyTorch's
// configuration probe behind `torch 1 thread` / `torch best` (where /usr/bin/python3 has torch).
// Times nothing: the figures' values are not checked, only that they are there and well formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GEMMS, MLP, QUICK_TIMING, SMALL } from '../../bench/workloads/spec.js';
import { linearFit } from '../../bench/sweep.js';
import { runTorch, torchAvailable } from '../../bench/peers/torch.js';
import type { PeerRun } from '../../bench/peers/run.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const QUICK_IDS = [...GEMMS.filter((g) => !g.big).map((g) => g.id), MLP.id, SMALL.id];

// The JSON line, read field by field below.
function bench(args: string[], timeout: number): Record<string, any> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout });
  assert.equal(r.status, 0, `bench ${args.join(' ')} exited with ${r.status}${r.error ? ` (${r.error.message})` : ''}:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return { ...JSON.parse(lines[lines.length - 1]), stdout: r.stdout };
}

test('linearFit: exact on a line, R² below 1 off it', () => {
  const f = linearFit([1, 2, 3, 4], [3, 5, 7, 9]);
  assert.ok(Math.abs(f.a - 1) < 1e-12 && Math.abs(f.b - 2) < 1e-12 && Math.abs(f.r2 - 1) < 1e-12);
  const g = linearFit([1, 2, 3, 4], [1, 3, 2, 4]);
  assert.ok(g.r2 > 0 && g.r2 < 1, `R² ${g.r2}`);
});

test('npm run bench -- --sweep --quick prints the fits and a JSON line', { timeout: 60_000 }, () => {
  const out = bench(['--sweep', '--quick'], 45_000);
  assert.match(out.stdout, /linear in layers: .*R² = /);
  assert.match(out.stdout, /log-log slope/);
  assert.match(out.stdout, /backward \/ forward: median/);
  assert.equal(out.sweep, true);
  const systems = Object.keys(out.results);
  assert.equal(systems.length, 1, 'the fastest backend only by default');
  const r = out.results[systems[0]];
  assert.equal(r.depth.length, 2);
  assert.equal(r.width.length, 2);
  for (const t of [...r.depth, ...r.width]) {
    for (const k of ['stepMs', 'forwardMs', 'backwardMs', 'updateMs']) assert.ok(Number.isFinite(t[k]) && t[k] > 0, `${k} = ${t[k]}`);
  }
  assert.deepEqual(r.depth.map((t: { sizes: number[] }) => t.sizes), [[784, 256, 10], [784, 256, 256, 10]]);
  assert.ok(Number.isFinite(r.fit.depthLinearR2) && Number.isFinite(r.fit.widthLogLogSlope));
});

const noBrowser = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found: install Debian's chromium to run the browser bench` : false;

test('npm run bench -- --browser --quick runs nabla wasm in a cross-origin-isolated Chromium page', { skip: noBrowser, timeout: 120_000 }, () => {
  const out = bench(['--browser', '--quick'], 100_000);
  assert.match(out.stdout, /GEMM NN 128x784/, 'the table is printed');
  assert.equal(out.browser, true);
  assert.match(out.env.runtime, /^Chromium \d+\.\d+/, 'env.runtime names the browser and its version');
  assert.equal(out.env.crossOriginIsolated, true, 'COOP + COEP make the page cross-origin isolated');
  assert.deepEqual(Object.keys(out.figures), ['nabla wasm'], `skipped: ${out.skipped.join('; ')}`);
  for (const id of QUICK_IDS) {
    const v = out.figures['nabla wasm'][id];
    assert.ok(Number.isFinite(v) && v > 0, `nabla wasm ${id} = ${v}`);
  }
  assert.deepEqual(out.ratios, {}, 'no peers, no ratios');
  assert.deepEqual(out.skipped, [], 'no page errors, no refused requests');
});

const noTorch = torchAvailable() ? false : '/usr/bin/python3 has no torch';

test("PyTorch's probe picks 'torch 1 thread' and 'torch best' and names its BLAS", { skip: noTorch, timeout: 120_000 }, () => {
  const out: PeerRun = { systems: {}, skipped: [], warnings: [], configs: {} };
  const t = runTorch({ timing: QUICK_TIMING, gemm: GEMMS, mlp: MLP, small: SMALL, dataDir: null }, out, true);
  assert.deepEqual(out.skipped, []);
  assert.deepEqual(Object.keys(out.systems).sort(), ['torch 1 thread', 'torch best']);
  for (const s of Object.values(out.systems)) for (const id of QUICK_IDS) assert.ok(s.figures[id] > 0, `${id}`);
  assert.match(t.configs['torch 1 thread'], /^OPENBLAS_NUM_THREADS=1, torch\.set_num_threads\(1\)/);
  assert.match(t.configs['torch best'], /^OPENBLAS_NUM_THREADS=\d+, torch\.set_num_threads\(\d+\)/);
  assert.ok(t.probe.length >= 1 && t.probe.every((p) => p.samplesPerSecond > 0));
  // The best is the fastest probed configuration, unless its full run was slower than torch 1 thread's.
  const best = Math.max(...t.probe.map((p) => p.samplesPerSecond));
  const picked = t.probe.some((p) => p.samplesPerSecond === best && t.configs['torch best'].startsWith(`OPENBLAS_NUM_THREADS=${p.blasThreads}, torch.set_num_threads(${p.torchThreads})`));
  const gaveWay = t.configs['torch best'].startsWith(t.configs['torch 1 thread']) && /ran the MLP slower in the full run/.test(t.configs['torch best']);
  assert.ok(picked || gaveWay, t.configs['torch best']);
  assert.ok(out.systems['torch best'].figures[MLP.id] >= out.systems['torch 1 thread'].figures[MLP.id], 'best is never slower than 1 thread on the MLP');
  assert.ok(t.blas && t.blas.kind.length > 0 && t.blas.libraries.length > 0, `BLAS: ${JSON.stringify(t.blas)}`);
  assert.equal(t.blas!.reference, t.blas!.kind === 'reference BLAS');
});
