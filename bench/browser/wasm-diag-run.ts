// Where the WASM backend's time goes, in Node and in headless Chromium side by side (wasm-diag.ts).
// Run: node --import tsx bench/browser/wasm-diag-run.ts [--browser-only] [--node-only] [--quick]
//        [--steps]           (MLP steps/s single-threaded and with the worker, interleaved, 3 rounds)
//        [--profile [--1t]]  (a CPU profile of MLP steps in the page: the top functions by self time)
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, CHROMIUM, CHROMIUM_ARGS, serve } from './run.js';
import { diagnose, formatDiag, mlpSteps } from './wasm-diag.js';
import { loadWasmBackend } from '../../src/backend/wasm/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const HERE = dirname(fileURLToPath(import.meta.url));

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function topSelf(p: Profile, count = 30): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i])!;
    const dt = p.timeDeltas[i] ?? 0;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([k, us]) => `${(100 * us / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}

if (!args.includes('--browser-only') && !args.includes('--profile')) {
  const be = loadWasmBackend()!;
  const up = await be.startThreads();
  console.log(`Node ${process.version}, worker ${up ? 'up' : 'not up'}, load ${loadavg()[0].toFixed(2)}`);
  if (!args.includes('--steps')) for (const l of formatDiag(diagnose(be, quick))) console.log(`  ${l}`);
  if (args.includes('--steps')) {
    for (let r = 0; r < 3; r++)
      for (const t of [false, true]) console.log(`  MLP ${t ? '2t' : '1t'} ${(mlpSteps(be, 1500, t) * 128).toFixed(0)} samples/s`);
  }
  be.stopThreads();
}
if (!args.includes('--node-only')) {
  const work = mkdtempSync(join(tmpdir(), 'nabla-wasm-diag-'));
  const { chromium } = await import('playwright-core');
  let server: Server | null = null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    await buildPage(work, join(HERE, 'wasm-diag-page.ts'), false);
    const served = await serve(work, null, null);
    server = served.server;
    const page = await browser.newPage();
    page.on('console', (m) => console.error(`page: ${m.text()}`));
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(served.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const runtime = `Chromium ${browser.version()}`;
    if (args.includes('--profile')) {
      const threads = !args.includes('--1t');
      await page.evaluate((t) => window.wasmDiag.steps(1500, t), threads); // warm up
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      const sps = await page.evaluate((t) => window.wasmDiag.steps(3000, t), threads);
      const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: Profile };
      console.log(`${runtime}, MLP ${threads ? '2t' : '1t'}: ${sps.toFixed(1)} steps/s (${(sps * 128).toFixed(0)} samples/s), load ${loadavg()[0].toFixed(2)}`);
      for (const l of topSelf(profile)) console.log(`  ${l}`);
    } else {
      console.log(`${runtime}, crossOriginIsolated ${await page.evaluate(() => crossOriginIsolated)}, load ${loadavg()[0].toFixed(2)}`);
      if (!args.includes('--steps')) for (const l of formatDiag(await page.evaluate((q) => window.wasmDiag.diagnose(q), quick))) console.log(`  ${l}`);
      if (args.includes('--steps')) {
        for (let r = 0; r < 3; r++)
          for (const t of [false, true]) {
            const sps = await page.evaluate((t) => window.wasmDiag.steps(1500, t), t);
            console.log(`  MLP ${t ? '2t' : '1t'} ${(sps * 128).toFixed(0)} samples/s`);
          }
      }
    }
  } finally {
    await browser.close();
    server?.closeAllConnections();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}
