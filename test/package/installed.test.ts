// nabla as users get it: the packed tarball installed into an empty app (see ./packed-app.ts).
// There, with no init call, the native backend loads on linux-x64 (other platforms fall back to
// WASM with one note), a prediction matches this checkout's, the CLI runs, and every ```ts block of
// the README type-checks and runs as written, each as its own file importing 'nabla' (doc-tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mlp, tensor } from '../../src/index.js';
import { packAndInstall, ROOT, type PackedApp } from './packed-app.js';

const TSX = import.meta.resolve('tsx');
const PLATFORM = `${process.platform}-${process.arch}`;
const SHIPS_NATIVE = PLATFORM === 'linux-x64';
let app: PackedApp;

before(() => { app = packAndInstall(); });
after(() => { if (app) rmSync(dirname(app.dir), { recursive: true, force: true }); });

function run(cmd: string, args: string[], timeout = 120_000) {
  const r = spawnSync(cmd, args, { cwd: app.dir, encoding: 'utf8', timeout, env: { ...process.env, NABLA_BACKEND: '', NABLA_NATIVE_ADDON: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the tarball: the prebuilt addon, no source maps, no sources, and the size the README states', () => {
  const paths = app.pack.files.map((f) => f.path);
  if (SHIPS_NATIVE) assert.ok(paths.includes('prebuilds/linux-x64/nabla.node'), 'prebuilds/linux-x64/nabla.node is in the package');
  assert.deepEqual(paths.filter((p) => p.endsWith('.map')), [], 'no source maps');
  assert.deepEqual(paths.filter((p) => /^(src|test|native|scripts|web)\//.test(p)), [], 'built files only');
  for (const p of paths.filter((f) => /\.(m?js)$/.test(f))) {
    assert.doesNotMatch(readFileSync(join(app.dir, 'node_modules/nabla', p), 'utf8'), /sourceMappingURL=/, `${p} links no source map`);
  }
  const mb = (b: number) => b / 1e6;
  console.log(`PACKAGE ${app.pack.filename}: ${mb(app.pack.size).toFixed(2)} MB packed, ${mb(app.pack.unpackedSize).toFixed(2)} MB unpacked, ${paths.length} files`);
  const stated = /The package is ([\d.]+) MB \(([\d.]+) MB installed/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  assert.ok(stated, 'the README states the package size as "The package is X MB (Y MB installed"');
  assert.ok(Math.abs(mb(app.pack.size) / Number(stated[1]) - 1) < 0.2, `README says ${stated[1]} MB packed, npm pack gives ${mb(app.pack.size).toFixed(2)}`);
  assert.ok(Math.abs(mb(app.pack.unpackedSize) / Number(stated[2]) - 1) < 0.2, `README says ${stated[2]} MB installed, npm pack gives ${mb(app.pack.unpackedSize).toFixed(2)}`);
});

test('installed app: the native backend with no init call, the same prediction as this checkout, the CLI', () => {
  writeFileSync(join(app.dir, 'predict.mjs'), `import { backendName, mlp, tensor } from 'nabla';
const model = mlp([3, 8, 2], { seed: 7 });
const y = model.forward(tensor([[0.5, -1, 2], [1, 0, -0.25]]));
console.log(JSON.stringify({ backend: backendName(), y: y.toArray() }));\n`);
  const r = run(process.execPath, ['predict.mjs']);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { backend: string; y: number[][] };
  if (SHIPS_NATIVE) {
    assert.equal(got.backend, 'native');
    assert.equal(r.stderr, '', 'no note on stderr');
  } else {
    assert.equal(got.backend, 'wasm');
    assert.equal(r.stderr.trim().split('\n').length, 1, `one note: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`no prebuilt addon for ${PLATFORM}`));
  }
  const expected = mlp([3, 8, 2], { seed: 7 }).forward(tensor([[0.5, -1, 2], [1, 0, -0.25]])).toArray() as number[][];
  got.y.flat().forEach((v, i) => assert.ok(Math.abs(v - expected.flat()[i]) < 1e-5, `output ${i}: ${v} vs ${expected.flat()[i]}`));

  const bin = join(app.dir, 'node_modules/.bin/nabla');
  const version = run(bin, ['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  const train = run(bin, ['train', '--epochs', '2', '--quiet', '--out', 'digits.nabla']);
  assert.equal(train.code, 0, train.stderr);
  assert.match(train.stdout, /validation accuracy \d+\.\d+%/);
  if (SHIPS_NATIVE) assert.equal(train.stderr, '');
});

test('README: every ```ts block type-checks and runs on its own in the installed app', () => {
  const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.ok(blocks.length >= 5, `found ${blocks.length} ts blocks`);
  const files = blocks.map((code, i) => {
    const name = `readme-${i + 1}.ts`;
    writeFileSync(join(app.dir, name), code);
    return name;
  });
  // Strict, as a user's new TypeScript project would be; types from the installed package.
  writeFileSync(join(app.dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true,
      types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')],
    },
    files,
  }));
  const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], 240_000);
  assert.equal(tsc.code, 0, `README blocks do not type-check:\n${tsc.stdout}${tsc.stderr}`);
  for (const [i, name] of files.entries()) {
    const r = run(process.execPath, ['--import', TSX, name]);
    assert.equal(r.code, 0, `README block ${i + 1} failed:\n${blocks[i]}\n${r.stderr}`);
    if (SHIPS_NATIVE) assert.equal(r.stderr, '', `README block ${i + 1} wrote to stderr`);
    assert.doesNotMatch(r.stdout, /\[object Object\]|Tensor \{/, `README block ${i + 1} printed an object, not values`);
  }
});
