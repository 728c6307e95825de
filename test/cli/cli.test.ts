// The nabla command end to end, in child processes: the default run, CSV with class names, IDX
// folders, eval/predict/info, the see-backprop commands, and every bad input ending with exit
// code 2 and one readable line on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { idxBytes } from '../helpers/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
// tsx resolved from here, since the children run in temporary folders.
const TSX = import.meta.resolve('tsx');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-'));

function nabla(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: opts.cwd ?? tmp, encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Exit code 2 and exactly one line on stderr that matches `pattern`. */
function assertUsageError(r: ReturnType<typeof nabla>, pattern: RegExp) {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace without --verbose');
}

const IRIS = readFileSync(join(ROOT, 'data/iris.csv'), 'utf8');

test('default run: `nabla train` learns the embedded digits set', () => {
  const r = nabla(['train', '--json', '--out', 'default.nabla']);
  assert.equal(r.code, 0, r.stderr);
  const s = lastJson(r.stdout);
  for (const k of ['epochs', 'train_loss', 'val_loss', 'val_accuracy', 'seconds', 'samples_per_second', 'model']) assert.ok(k in s, `missing ${k}`);
  assert.ok((s.val_accuracy as number) > 0.93, `val_accuracy ${s.val_accuracy}`);
  assert.ok(existsSync(join(tmp, 'default.nabla')));
  assert.match(r.stderr, /epoch 20\/20/, 'a progress line per epoch when piped');
  // eval on the set it was trained on scores the validation part training held out, not the training rows.
  const e = nabla(['eval', '--model', 'default.nabla', '--data', 'digits', '--json']);
  assert.equal(e.code, 0, e.stderr);
  const ev = lastJson(e.stdout);
  assert.ok((ev.rows as number) < 400, `rows ${ev.rows}`);
  assert.equal(ev.accuracy, s.val_accuracy);
  const info = nabla(['info', '--model', 'default.nabla']);
  assert.equal(info.code, 0);
  assert.match(info.stdout, /parameters/);
  assert.match(info.stdout, /val_accuracy/);
});

test('CSV with class names: train, eval, predict with probabilities', () => {
  writeFileSync(join(tmp, 'iris.csv'), IRIS);
  const r = nabla(['train', '--data', 'iris.csv', '--label', 'species', '--layers', '16', '--epochs', '60', '--lr', '0.01', '--json', '--out', 'iris.nabla']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((lastJson(r.stdout).val_accuracy as number) >= 0.9);
  const e = nabla(['eval', '--model', 'iris.nabla', '--data', 'iris.csv', '--json']);
  assert.equal(e.code, 0, e.stderr);
  assert.ok((lastJson(e.stdout).accuracy as number) >= 0.9);
  // Predict on rows without the label column.
  const rows = IRIS.trim().split(/\r?\n/);
  const header = rows[0].split(',');
  const li = header.indexOf('species');
  const drop = (line: string) => line.split(',').filter((_, i) => i !== li).join(',');
  writeFileSync(join(tmp, 'new.csv'), [drop(rows[0]), drop(rows[1]), drop(rows[140])].join('\n') + '\n');
  const p = nabla(['predict', '--model', 'iris.nabla', '--input', 'new.csv', '--output', 'pred.csv']);
  assert.equal(p.code, 0, p.stderr);
  const out = readFileSync(join(tmp, 'pred.csv'), 'utf8').trim().split('\n');
  assert.equal(out.length, 3);
  assert.match(out[0], /^prediction,p_/);
  const [cls1, ...p1] = out[1].split(',');
  assert.equal(cls1, rows[1].split(',')[li]);
  assert.ok(Math.abs(p1.map(Number).reduce((a, b) => a + b, 0) - 1) < 1e-4, 'probabilities sum to 1');
});

test('IDX folder (the committed Fashion-MNIST sample) trains and reports test accuracy', () => {
  const dir = join(ROOT, 'test/fixtures/fashion-mnist');
  const r = nabla(['train', '--data', dir, '--layers', '64', '--epochs', '10', '--json', '--out', 'fm.nabla']);
  assert.equal(r.code, 0, r.stderr);
  const s = lastJson(r.stdout);
  // 800 training images: well above chance (10%), though short of the full set's 88%.
  assert.ok((s.test_accuracy as number) > 0.7, `test_accuracy ${s.test_accuracy}`);
  const e = nabla(['eval', '--model', 'fm.nabla', '--data', dir, '--json']);
  assert.equal(e.code, 0, e.stderr);
  assert.equal(lastJson(e.stdout).rows, 200);
});

test('see backprop: graph, explain, profile', () => {
  const g = nabla(['graph', '--layers', '2,3,1', '--activation', 'sigmoid', '--format', 'dot']);
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /^digraph/);
  const m = nabla(['graph', '--layers', '2,3,1', '--format', 'mermaid']);
  assert.match(m.stdout, /flowchart|graph/);
  const svg = nabla(['graph', '--layers', '2,3,1', '--format', 'svg']);
  assert.equal(svg.code, 0, svg.stderr);
  assert.match(svg.stdout, /<svg[\s\S]*<\/svg>/);
  const ex = nabla(['explain']);
  assert.equal(ex.code, 0, ex.stderr);
  assert.match(ex.stdout, /∂L/);
  // Cross-entropy takes a class index as the target, for any number of outputs.
  const ce = nabla(['explain', '--layers', '2,3,3', '--activation', 'relu', '--loss', 'ce', '--target', '2']);
  assert.equal(ce.code, 0, ce.stderr);
  assert.match(ce.stdout, /∂L\/∂W/);
  const sc = nabla(['explain', '--scalar', 'sum-product']);
  assert.match(sc.stdout, /-3|−3/);
  const pr = nabla(['profile', '--layers', '20,16,4', '--batch-size', '8', '--json']);
  assert.equal(pr.code, 0, pr.stderr);
  assert.ok(JSON.parse(pr.stdout).layers.length === 2);
});

test('--help for every command', () => {
  for (const cmd of ['train', 'eval', 'predict', 'info', 'graph', 'explain', 'profile', 'playground', 'export', 'import']) {
    const r = nabla([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: nabla ${cmd}`));
  }
  // Each command's help shows the defaults it really uses.
  assert.match(nabla(['profile', '--help']).stdout, /784,256,128,10/);
  assert.match(nabla(['graph', '--help']).stdout, /2,3,1/);
});

test('optimizer flags come from the library: an option the optimizer lacks is refused, defaults are its own', () => {
  assertUsageError(nabla(['train', '--optimizer', 'adam', '--momentum', '0.9']), /^nabla: --momentum is not an option of adam; it has lr, betas, eps, weightDecay, amsgrad$/);
  assertUsageError(nabla(['train', '--optimizer', 'sgd', '--amsgrad']), /--amsgrad is not an option of sgd; it has lr, momentum, dampening, nesterov, weightDecay/);
  assertUsageError(nabla(['train', '--optimizer', 'lbfgs']), /--optimizer lbfgs: use one of sgd, adam, adamw, rmsprop, adagrad/);
  const help = nabla(['train', '--help']).stdout.replace(/\s+/g, ' ');
  assert.match(help, /--lr <x> learning rate \(default: sgd 0\.01, adam 0\.001, adamw 0\.001, rmsprop 0\.01, adagrad 0\.01\)/);
  assert.match(help, /--betas <a,b> .*adam 0\.9,0\.999/);
  // RMSprop's lr is PyTorch's 0.01 when --lr is not given, and the given options reach the optimizer.
  writeFileSync(join(tmp, 'iris.csv'), IRIS);
  const r = nabla(['train', '--data', 'iris.csv', '--optimizer', 'rmsprop', '--alpha', '0.9', '--centered', '--epochs', '1', '--json', '--quiet', '--out', 'rms.nabla']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(lastJson(r.stdout).lr, 0.01);
});

test('bad input: unknown column, ragged and non-numeric rows name file, line and column', () => {
  writeFileSync(join(tmp, 'iris.csv'), IRIS);
  assertUsageError(nabla(['train', '--data', 'iris.csv', '--label', 'colour']), /colour/);
  writeFileSync(join(tmp, 'ragged.csv'), 'a,b,label\n1,2,x\n3,4\n');
  assertUsageError(nabla(['train', '--data', 'ragged.csv']), /ragged\.csv:3/);
  writeFileSync(join(tmp, 'text.csv'), 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,oops,y\n1,1,x\n2,2,y\n');
  assertUsageError(nabla(['train', '--data', 'text.csv']), /text\.csv:5.*b/);
});

test('bad input: truncated and wrong-magic IDX files', () => {
  const dir = join(tmp, 'bad-idx');
  mkdirSync(dir, { recursive: true });
  const imgs = idxBytes([10, 28, 28], new Uint8Array(10 * 784));
  const labels = idxBytes([10], new Uint8Array(10));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), imgs.subarray(0, 5000));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
  assertUsageError(nabla(['train', '--data', dir]), /train-images-idx3-ubyte.*(truncated|expected|bytes)/i);
  const bad = idxBytes([10, 28, 28], new Uint8Array(10 * 784), { zero: 8 }); // the second byte must be zero
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), bad);
  assertUsageError(nabla(['train', '--data', dir]), /magic/i);
});

test('bad input: unknown flag, bad number, missing data, unknown data name', () => {
  assertUsageError(nabla(['train', '--epochz', '3']), /unknown option/);
  assertUsageError(nabla(['train', '--epochs', 'many']), /--epochs/);
  assertUsageError(nabla(['train', '--data', 'nope.csv']), /nope\.csv/);
  assertUsageError(nabla(['train', '--data', 'fashion-mnist'], { env: { NABLA_DATA: join(tmp, 'empty') } }), /apt-get install dataset-fashion-mnist/);
  assertUsageError(nabla(['frobnicate']), /unknown command/);
});

test('bad input: a model that does not fit the data names both widths', () => {
  writeFileSync(join(tmp, 'iris.csv'), IRIS);
  const r = nabla(['train', '--epochs', '1', '--quiet', '--out', 'digits.nabla']);
  assert.equal(r.code, 0, r.stderr);
  assertUsageError(nabla(['eval', '--model', 'digits.nabla', '--data', 'iris.csv']), /p0.*missing/);
  // An IDX folder is checked by width: the digits model takes 64 features, images have 784.
  const dir = join(tmp, 'width-idx');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes([3, 28, 28], new Uint8Array(3 * 784)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([3], [0, 1, 2]));
  assertUsageError(nabla(['eval', '--model', 'digits.nabla', '--data', dir]), /64.*784/);
  writeFileSync(join(tmp, 'garbage.nabla'), 'not a model at all');
  assertUsageError(nabla(['info', '--model', 'garbage.nabla']), /garbage\.nabla/);
});

test('bad input: an unwritable output path fails before training; an existing model is never replaced by a failed run', () => {
  assertUsageError(nabla(['train', '--out', join(tmp, 'no-such-dir', 'm.nabla')]), /does not exist/);
  const ro = join(tmp, 'readonly');
  mkdirSync(ro, { recursive: true });
  chmodSync(ro, 0o555);
  if (process.getuid?.() !== 0) assertUsageError(nabla(['train', '--out', join(ro, 'm.nabla')]), /not writable/);
  // A good model, then a run that fails on its data: the file stays byte-identical.
  const good = nabla(['train', '--epochs', '1', '--quiet', '--out', 'keep.nabla']);
  assert.equal(good.code, 0, good.stderr);
  const before = readFileSync(join(tmp, 'keep.nabla'));
  writeFileSync(join(tmp, 'ragged.csv'), 'a,b,label\n1,2,x\n3,4\n');
  assertUsageError(nabla(['train', '--data', 'ragged.csv', '--out', 'keep.nabla']), /ragged/);
  assert.deepEqual(readFileSync(join(tmp, 'keep.nabla')), before);
});

test('bad input refused before training, nothing written: one class, an empty split, an empty or folder --out', () => {
  const dir = join(tmp, 'refused');
  mkdirSync(join(dir, 'a-folder'), { recursive: true });
  writeFileSync(join(dir, 'one.csv'), 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n');
  writeFileSync(join(dir, 'four.csv'), 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n4,4,y\n');
  const before = readdirSync(dir).sort();
  const run = (args: string[]) => nabla(['train', '--epochs', '1', '--quiet', ...args], { cwd: dir });
  assertUsageError(run(['--data', 'one.csv']), /^nabla: only one class 'x' in column 'label': nothing to classify$/);
  // Two rows per class: a 20% stratified validation split takes none of them.
  assertUsageError(run(['--data', 'four.csv']), /--val-split 0\.2: the validation split is empty \(4 rows in all\)/);
  assertUsageError(run(['--out', '']), /--out "": an empty file name/);
  assertUsageError(run(['--out', 'a-folder']), /--out a-folder: is a folder, not a file/);
  assertUsageError(run(['--out', join('no-such-dir', 'm.nabla')]), /--out no-such-dir\/m\.nabla: folder .*no-such-dir does not exist/);
  assertUsageError(nabla(['export', '--model', 'x.nabla', '--out', 'a-folder'], { cwd: dir }), /--out a-folder: is a folder/);
  assertUsageError(nabla(['import', '--onnx', 'x.onnx', '--out', ''], { cwd: dir }), /--out "": an empty file name/);
  assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');
  assert.deepEqual(readdirSync(join(dir, 'a-folder')), []);
  // The same small file trains once the split is left out.
  const ok = run(['--data', 'four.csv', '--val-split', '0', '--out', 'ok.nabla']);
  assert.equal(ok.code, 0, ok.stderr);
});

test('--verbose adds the stack trace', () => {
  const r = nabla(['train', '--data', 'nope.csv', '--verbose']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\n\s+at /);
});

test('export to ONNX and import back: the same predictions', async () => {
  const r = nabla(['train', '--epochs', '2', '--quiet', '--out', 'forx.nabla']);
  assert.equal(r.code, 0, r.stderr);
  const e = nabla(['export', '--model', 'forx.nabla', '--format', 'onnx', '--out', 'forx.onnx']);
  assert.equal(e.code, 0, e.stderr);
  assert.ok(readFileSync(join(tmp, 'forx.onnx')).length > 1000);
  const i = nabla(['import', '--onnx', 'forx.onnx', '--out', 'back.nabla']);
  assert.equal(i.code, 0, i.stderr);
  const { loadModel } = await import('../../src/io/atomic-files.js');
  const { randn } = await import('../../src/index.js');
  const a = loadModel(join(tmp, 'forx.nabla')).model, b = loadModel(join(tmp, 'back.nabla')).model;
  const x = randn([5, 64], { seed: 3 });
  assert.deepEqual(b.forward(x).toArray(), a.forward(x).toArray());
  assertUsageError(nabla(['export', '--model', 'forx.nabla', '--format', 'pmml', '--out', 'x']), /only onnx/);
  writeFileSync(join(tmp, 'bad.onnx'), 'garbage');
  assertUsageError(nabla(['import', '--onnx', 'bad.onnx', '--out', 'x.nabla']), /bad\.onnx/);
});

test('train --plot writes the history and, for 2-D data, the decision boundary as SVG', () => {
  const r = nabla(['train', '--data', 'moons', '--layers', '16,16', '--epochs', '30', '--lr', '0.01', '--plot', 'moons.svg', '--json', '--out', 'moons.nabla']);
  assert.equal(r.code, 0, r.stderr);
  const s = lastJson(r.stdout);
  assert.ok((s.val_accuracy as number) > 0.9, `val_accuracy ${s.val_accuracy}`);
  for (const f of ['moons.svg', 'moons-boundary.svg']) {
    const svg = readFileSync(join(tmp, f), 'utf8');
    assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/);
  }
  assert.match(readFileSync(join(tmp, 'moons-boundary.svg'), 'utf8'), /<rect/);
});

test('bad input: a loss that does not fit the labels', () => {
  assertUsageError(nabla(['train', '--data', 'sine', '--loss', 'ce']), /needs class labels/);
  assertUsageError(nabla(['train', '--loss', 'mse']), /does not fit classes/);
  assertUsageError(nabla(['train', '--loss', 'bce']), /exactly 2 classes/);
  assertUsageError(nabla(['train', '--loss', 'hinge']), /unknown loss 'hinge'/);
  const r = nabla(['train', '--data', 'moons', '--loss', 'bce', '--epochs', '20', '--lr', '0.01', '--json', '--quiet', '--out', 'bce.nabla']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((lastJson(r.stdout).val_accuracy as number) > 0.85);
});

test('without the native addon nabla falls back to WASM and says so once', () => {
  const r = nabla(['train', '--epochs', '2', '--json', '--out', 'fallback.nabla'], { env: { NABLA_NATIVE_ADDON: join(tmp, 'missing.node') } });
  assert.equal(r.code, 0, r.stderr);
  const notes = r.stderr.split('\n').filter((l) => /native backend unavailable/.test(l));
  assert.equal(notes.length, 1, r.stderr);
  assert.match(notes[0], /using wasm/);
  assert.ok((lastJson(r.stdout).val_accuracy as number) > 0.8);
});
