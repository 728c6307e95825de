// The native addon loader's NABLA_NATIVE_ADDON override: a relative path is taken from the working
// directory (not from the loader's folder, nor as a package name). Run in child processes, which
// load the addon afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const INDEX = fileURLToPath(new URL('../../src/backend/native/index.ts', import.meta.url));
const BUILD = fileURLToPath(new URL(`../../prebuilds/${process.platform}-${process.arch}/`, import.meta.url));
const built = existsSync(`${BUILD}nabla.node`);

function load(override: string, cwd: string): { addon: boolean; reason?: string } {
  const script = `const { loadNativeAddon } = await import(${JSON.stringify(INDEX)});
const r = loadNativeAddon();
console.log(JSON.stringify({ addon: r.addon !== null, reason: r.reason }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd, env: { ...process.env, NABLA_NATIVE_ADDON: override }, encoding: 'utf8', timeout: 30_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('NABLA_NATIVE_ADDON: a relative path is resolved against the working directory', { skip: built ? false : 'native addon not built' }, () => {
  assert.deepEqual(load('./nabla.node', BUILD), { addon: true });
  assert.deepEqual(load('nabla.node', BUILD), { addon: true });
  const missing = load('missing.node', BUILD);
  assert.equal(missing.addon, false);
  assert.match(missing.reason!, /^NABLA_NATIVE_ADDON=missing\.node: .*prebuilds\/[\w-]+\/missing\.node not found$/);
});
