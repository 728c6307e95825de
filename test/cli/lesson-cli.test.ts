// `nabla lesson` end to end: the list, one lesson's JSON line and figure in a new folder, bad names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = join(resolve(import.meta.dirname, '../..'), 'src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-lesson-'));
const nabla = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('nabla lesson lists the lessons with their claims', () => {
  const r = nabla(['lesson']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^xor +No linear classifier/m);
  assert.match(r.stdout, /^pattern-ab /m);
});

test('nabla lesson NAME --out NEW/DIR --json: claim, verdict, figure written, JSON last line', () => {
  const r = nabla(['lesson', 'sigmoid-to-step', '--out', 'figs/new', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /claim: σ\(kx\) approaches/);
  assert.match(r.stdout, /holds: yes/);
  const j = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.deepEqual(Object.keys(j), ['lesson', 'claim', 'holds', 'figures', 'svg']);
  assert.equal(j.holds, true);
  assert.equal(j.svg, join(tmp, 'figs/new/sigmoid-to-step.svg'));
  assert.ok(existsSync(j.svg));
  assert.match(readFileSync(j.svg, 'utf8'), /<svg /);
  const bad = nabla(['lesson', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /lesson nope: no such lesson; use one of xor, /);
});

test("train --data pattern-ab with default flags follows the lecture's protocol and separates all 32 patterns", () => {
  const r = nabla(['train', '--data', 'pattern-ab', '--quiet', '--json', '--out', 'pab.nabla']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(s.val_split, 0);
  assert.equal(s.rows, 32);
  assert.equal(s.train_accuracy, 1);
  assert.match(s.protocol, /all 32 translations/);
  assert.match(nabla(['train', '--help']).stdout, /pattern-ab\s+follows\s+the\s+lecture's\s+protocol/);
});

test('nabla graph: lecture names by default, J with --l2, the scalar sum-product example', () => {
  const g = nabla(['graph', '--l2', '0.1']);
  assert.equal(g.code, 0, g.stderr);
  for (const name of ['x', 'W⁽¹⁾', 'b⁽¹⁾', 'z⁽¹⁾', 'h⁽¹⁾', 'ŷ', 'L', 's', 'J']) assert.match(g.stdout, new RegExp(`label="${name}[\\\\"]`), name);
  assert.doesNotMatch(g.stdout, /matmul|reshape|gather/);
  const s = nabla(['graph', '--scalar', 'sum-product', '--values']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /label="q \(\+\)/);
  assert.match(nabla(['graph', '--ops']).stdout, /label="0.weight.*label="sub/s);
});
