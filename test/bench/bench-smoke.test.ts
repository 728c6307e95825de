// The bench runs end to end: `bench/main.ts --quick` (1 repetition, 3 training steps, no peers)
// in a child process ends with one JSON line holding a figure for every workload on every
// backend. Times nothing: the figures' values are not checked, only that they are there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GEMMS, MLP, SMALL } from '../../bench/workloads/spec.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface BenchJson {
  bench: string;
  quick: boolean;
  peers: boolean;
  units: Record<string, string>;
  figures: Record<string, Record<string, number>>;
  notes: Record<string, Record<string, string>>;
  ratios: Record<string, Record<string, number>>;
  skipped: string[];
}

test('npm run bench -- --quick prints a table and ends with a JSON line of every figure', { timeout: 60_000 }, () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', '--quick'], {
    cwd: ROOT, encoding: 'utf8', timeout: 45_000,
  });
  assert.equal(r.status, 0, `bench exited with ${r.status}${r.error ? ` (${r.error.message})` : ''}:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.match(r.stdout, /GEMM NN 128x784/, 'the table is printed');
  const out = JSON.parse(lines[lines.length - 1]) as BenchJson;

  assert.equal(out.bench, 'nabla');
  assert.equal(out.quick, true);
  assert.equal(out.peers, false);
  assert.deepEqual(out.ratios, {}, 'no peers, no ratios');
  // Quick mode skips the 1024³ GEMM; every other workload has a positive figure on every backend.
  const ids = [...GEMMS.filter((g) => !g.big).map((g) => g.id), MLP.id, SMALL.id];
  const systems = Object.keys(out.figures);
  assert.ok(systems.includes('nabla js'), `the JS reference always runs (got ${systems.join(', ')})`);
  for (const s of systems) {
    assert.match(s, /^nabla /);
    for (const id of ids) {
      const v = out.figures[s][id];
      assert.ok(Number.isFinite(v) && v > 0, `${s} ${id} = ${v}`);
      assert.equal(typeof out.notes[s][id], 'string');
    }
  }
  for (const id of ids) assert.ok(out.units[id], `unit of ${id}`);
});
