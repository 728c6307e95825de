// The full-size Fashion-MNIST checks, run by `npm run accuracy` (not by `npm test`, which must pass
// on a fresh clone with nothing beside it): the README's ≥ 88% claim trained through the CLI, the
// real splits' shapes, and eight epochs of fit() on 10,000 images with flat memory. The data folder
// comes from $NABLA_DATA or Debian's /usr/share/datasets/fashion-mnist (scripts/accuracy.mjs finds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { availableBackends } from '../../src/index.js';
import { findFashionMnist, loadFashionMnist } from '../../src/data/read-files.js';
import { runLeakChild, type LeakResult } from '../trust/leak-run.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA = findFashionMnist();

test('Fashion-MNIST splits: 60,000 and 10,000 images of 784 pixels, the test split balanced', () => {
  const testSplit = loadFashionMnist('test', DATA);
  assert.deepEqual(testSplit.x.shape, [10000, 784]);
  assert.equal(testSplit.classNames?.[9], 'Ankle boot');
  const counts = new Array<number>(10).fill(0);
  for (const v of testSplit.y.data) counts[v]++;
  assert.deepEqual(counts, new Array<number>(10).fill(1000));
  assert.deepEqual(loadFashionMnist('train', DATA).x.shape, [60000, 784]);
});

test('the README command reaches ≥ 88% test accuracy (784-256-128-10, Adam, 15 epochs)', { timeout: 3_600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-accuracy-'));
  try {
    const args = ['train', '--data', 'fashion-mnist', '--layers', '256,128', '--epochs', '15', '--batch-size', '64',
      '--optimizer', 'adam', '--lr', '0.0005', '--val-split', '0.1', '--json', '--out', join(dir, 'fm.nabla')];
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NABLA_DATA: DATA }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    assert.equal(r.status, 0);
    const s = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    console.log(`ACCURACY fashion-mnist: test ${(s.test_accuracy * 100).toFixed(1)}%, validation ${(s.val_accuracy * 100).toFixed(1)}%, `
      + `${s.seconds.toFixed(1)} s, ${Math.round(s.samples_per_second)} samples/s`);
    assert.ok(s.test_accuracy >= 0.88, `test accuracy ${s.test_accuracy}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no leaks: eight epochs of Fashion-MNIST (784-256-128-10, 10,000 images) through fit keep RSS flat', { timeout: 3_600_000 }, async () => {
  // The JS reference backend needs minutes for this workload; the fast backends are the ones used for it.
  const backends = availableBackends().filter((b) => b !== 'js');
  const results: LeakResult[] = [];
  for (const b of backends) results.push(await runLeakChild(b, { epochs: 8, warm: 2, dataDir: DATA }));
  const mib = (b: number) => (b / 2 ** 20).toFixed(2);
  for (const r of results) {
    // Old-space growth spikes RSS between epochs and gives it back; a leak raises the floor. So the
    // lowest RSS over the last half of the epochs (MiB above the post-warm-up value) is asserted.
    const late = r.samples.slice(Math.floor(r.samples.length / 2));
    const floor = Math.min(...late, (r.rssEnd - r.rssWarm) / 2 ** 20);
    console.log(`LEAK fashion-mnist ${r.backend}: ${r.steps} steps in ${r.seconds.toFixed(1)} s, RSS after 2 epochs ${mib(r.rssWarm)} MiB, per-epoch growth [${r.samples.join(', ')}] MiB, floor of the last half ${floor.toFixed(2)} MiB, live growth ${mib(r.liveEnd - r.liveWarm)} MiB, WASM memory ${r.wasmWarm} → ${r.wasmEnd} bytes`);
    // Live memory is the leak signal here; RSS can take one step of ~12 MiB when V8 grows its old
    // generation (seen once in three runs, flat before and after), so its bound is looser.
    assert.ok(floor < 16, `${r.backend}: RSS floor rose ${floor.toFixed(2)} MiB after warm-up`);
    assert.ok(r.liveEnd - r.liveWarm < 1024 * 1024, `${r.backend}: live JS memory grew ${mib(r.liveEnd - r.liveWarm)} MiB`);
    assert.equal(r.wasmEnd, r.wasmWarm, `${r.backend}: WASM linear memory grew`);
  }
});
