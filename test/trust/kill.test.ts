// A killed training run never leaves a corrupt checkpoint: a child trains with a checkpoint every
// epoch (4 batches) and resumes from it; it is SIGKILLed at random moments many times, and after
// every kill the checkpoint on disk must load (and the resumed run must make progress).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/io/atomic-files.js';
import { Rng } from '../../src/random.js';

const KILLS = Number(process.env.NABLA_KILLS ?? 20);

function runAndKill(path: string, afterStartMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/trust/kill-child.ts', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterStartMs));
    child.on('error', reject);
    child.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended by itself (${code}): ${err.slice(-2000)}`))));
  });
}

test(`SIGKILL at random moments ${KILLS} times: the checkpoint left on disk always loads`, { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-kill-'));
  const path = join(dir, 'ckpt.nabla');
  const rng = new Rng(99);
  let loaded = 0, lastEpoch = 0;
  try {
    for (let k = 0; k < KILLS; k++) {
      await runAndKill(path, 50 + rng.int(700));
      if (!existsSync(path)) continue; // killed before the first checkpoint
      const file = loadModel(path); // throws ParseError if the file were partial or damaged
      const epoch = (file.training as { epoch: number }).epoch;
      assert.ok(epoch >= lastEpoch, `checkpoint went back from epoch ${lastEpoch} to ${epoch}`);
      lastEpoch = epoch;
      loaded++;
    }
    const leftovers = readdirSync(dir).filter((f) => f.endsWith('.tmp')).length;
    console.log(`KILL: ${KILLS} kills, ${loaded} checkpoints loaded after a kill, resumed up to epoch ${lastEpoch}, ${leftovers} orphaned temp files`);
    assert.ok(loaded >= KILLS / 2, `only ${loaded} of ${KILLS} kills happened after a checkpoint existed`);
    // Each write attempt first removes temp files of killed writers; only the last kill's can remain.
    assert.ok(leftovers <= 1, `${leftovers} orphaned temp files`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
