// No leaks (TensorFlow.js's most common complaint): 200,000 training steps of a small MLP on every
// available backend keep resident memory flat after warm-up, and the WASM backend's linear memory
// does not grow at all. Each backend runs in its own child with --expose-gc so that RSS is measured
// after full collections, two children at a time (2 cores). NABLA_LEAK_STEPS overrides the count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableBackends } from '../../src/index.js';
import { runLeakChild, type LeakResult } from './leak-run.js';

const STEPS = Number(process.env.NABLA_LEAK_STEPS ?? 200_000);
const WARM = Math.min(20_000, Math.floor(STEPS / 10));
const MAX_GROWTH = 4 * 1024 * 1024;

test(`no leaks: ${STEPS} training steps per backend keep RSS and WASM memory flat`, { timeout: 600_000 }, async () => {
  const backends = availableBackends();
  const results: LeakResult[] = [];
  for (let i = 0; i < backends.length; i += 2) results.push(...await Promise.all(backends.slice(i, i + 2).map((b) => runLeakChild(b, { steps: STEPS, warm: WARM }))));
  const mib = (b: number) => (b / 2 ** 20).toFixed(2);
  for (const r of results) {
    console.log(`LEAK ${r.backend}: ${r.steps} steps in ${r.seconds.toFixed(1)} s, RSS after warm-up ${mib(r.rssWarm)} MiB, max growth ${mib(r.rssMax - r.rssWarm)} MiB, `
      + `live heap+buffers growth ${mib(r.liveEnd - r.liveWarm)} MiB, WASM memory ${r.wasmWarm} → ${r.wasmEnd} bytes`);
  }
  for (const r of results) {
    const growth = r.rssMax - r.rssWarm;
    assert.ok(r.liveEnd - r.liveWarm < 1024 * 1024, `${r.backend}: live JS memory grew ${mib(r.liveEnd - r.liveWarm)} MiB`);
    assert.ok(growth < MAX_GROWTH, `${r.backend}: RSS grew ${(growth / 2 ** 20).toFixed(2)} MiB after warm-up`);
    assert.equal(r.wasmEnd, r.wasmWarm, `${r.backend}: WASM linear memory grew`);
  }
});
