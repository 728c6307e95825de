// SiLU from the command line, the way a user meets it: offered by `train --help`, trained with
// `--activation silu`, exported to ONNX and imported back into a model file that predicts the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-silu-'));

function nabla(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('nabla train --activation silu learns xor, exports to ONNX and imports back', () => {
  // (commander wraps the help text, so the list may span lines)
  assert.match(nabla(['train', '--help']).stdout, /--activation <name>[^-]*\bsilu\b/);
  const t = nabla(['train', '--data', 'xor', '--layers', '8', '--activation', 'silu', '--epochs', '60', '--lr', '0.05', '--seed', '1', '--json', '--out', 'silu.nabla']);
  assert.equal(t.code, 0, t.stderr);
  const last = JSON.parse(t.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  const acc = last.val_accuracy;
  assert.ok(typeof acc === 'number' && acc >= 0.9, `accuracy ${JSON.stringify(last)}`);
  const info = nabla(['info', '--model', 'silu.nabla']);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /SiLU|silu/);
  assert.equal(nabla(['export', '--model', 'silu.nabla', '--format', 'onnx', '--out', 'silu.onnx']).code, 0);
  const imp = nabla(['import', '--onnx', 'silu.onnx', '--out', 'back.nabla']);
  assert.equal(imp.code, 0, imp.stderr);
  const back = nabla(['info', '--model', 'back.nabla']);
  assert.match(back.stdout, /SiLU|silu/);
});
