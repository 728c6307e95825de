// `nabla explain` end to end: the matrix form's JSON recomputed independently, the text form's
// weight and objective lines, --help's defaults, and a saved classifier explained with
// cross-entropy on real rows of its data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BatchRecord } from '../../src/viz/index.js';
import { assertRecomputes } from '../helpers/matrix-backprop.js';

const MAIN = join(resolve(import.meta.dirname, '../..'), 'src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-explain-'));

function nabla(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastLine = (s: string) => s.trim().split('\n').at(-1)!;

test('explain --batch --l2 --json: one JSON line that recomputes with plain loops', () => {
  const r = nabla(['explain', '--layers', '3,4,2', '--activation', 'tanh', '--batch', '3', '--l2', '0.2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const rec = JSON.parse(lastLine(r.stdout)) as BatchRecord;
  for (const k of ['X', 'T', 'weights', 'biases', 'activation', 'loss', 'l2', 'L', 'J', 'grads']) assert.ok(k in rec, `missing ${k}`);
  assert.equal(rec.X.length, 3);
  assert.equal(rec.X[0].length, 3);
  assert.equal(rec.T[0].length, 2);
  assert.equal(rec.activation, 'tanh');
  assert.equal(rec.l2, 0.2);
  assertRecomputes(rec);
});

test('explain text: W⁽ˡ⁾ lines with values, the objective line with λ, the convention in the header', () => {
  const r = nabla(['explain', '--layers', '3,4,2', '--batch', '2', '--l2', '0.5', '--convention', 'column']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}W⁽¹⁾ = \[\[[-\d.]+, [-\d.]+, [-\d.]+\], /m, 'W⁽¹⁾ as [out, in]: rows of 3');
  assert.match(r.stdout, /^ {2}W⁽²⁾ = \[\[/m);
  assert.match(r.stdout, /J += L \+ λ\/2·Σₗ‖W⁽ˡ⁾‖²_F = [-\d.]+ \+ 0\.5\/2·/);
  assert.match(r.stdout, /Convention: column vectors/);
  // The one-example form prints the weights too.
  const one = nabla(['explain']);
  assert.match(one.stdout, /^ {2}W⁽¹⁾ = \[\[0\.5, -0\.3, 0\.8\], \[0\.2, 0\.4, -0\.6\]\]/m);
  assert.match(nabla(['explain', '--convention', 'diagonal']).stderr, /--convention diagonal: use row or column/);
});

test('explain --help shows the defaults that apply', () => {
  const h = nabla(['explain', '--help']).stdout;
  for (const re of [/--layers[\s\S]*?default: "2,3,1"/, /--activation[\s\S]*?default: "relu"/, /--convention[\s\S]*default: "row"/, /--loss[\s\S]*default: "half-mse"/, /--l2[\s\S]*default: "0"/]) assert.match(h, re);
});

test('explain --model on a classifier: cross-entropy on real rows with real classes', () => {
  const t = nabla(['train', '--data', 'iris', '--layers', '8', '--epochs', '3', '--quiet', '--out', 'iris.nabla']);
  assert.equal(t.code, 0, t.stderr);
  const r = nabla(['explain', '--model', 'iris.nabla', '--batch', '3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rec = JSON.parse(lastLine(r.stdout)) as BatchRecord;
  assert.equal(rec.loss, 'ce');
  assert.deepEqual(rec.sizes, [4, 8, 3]);
  // Rows spread over the (class-sorted) file: three different classes.
  assert.deepEqual(rec.T.map((row) => row.indexOf(1)).sort(), [0, 1, 2]);
  assertRecomputes(rec);
  const text = nabla(['explain', '--model', 'iris.nabla']).stdout;
  assert.match(text, /Data: row 1 of iris \(scaled as in training\); classes 0 \(setosa\)/);
  assert.match(text, /softmax/);
});
