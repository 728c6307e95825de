// Backend selection's errors: a loader that throws is reported with its reason, and an unknown
// NABLA_BACKEND names the variable. (Each test file runs in its own process, so the loaders
// registered here stay here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConfigError } from '../../src/errors.js';
import { getBackend, registerBackend, setBackend } from '../../src/backend/select.js';

test('select: a loader that throws is unavailable, and setBackend says why', () => {
  registerBackend('native', () => { throw new Error('addon exploded\nstack line'); });
  assert.throws(() => setBackend('native'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /backend 'native' is not available on this machine \(its loader threw: addon exploded; available: /);
    assert.doesNotMatch(e.message, /stack line/);
    return true;
  });
  registerBackend('native', () => null);
  assert.throws(() => setBackend('native'), /not available on this machine \(available: /);
});

test('select: an unknown or unavailable NABLA_BACKEND names the variable', () => {
  const saved = process.env.NABLA_BACKEND;
  try {
    process.env.NABLA_BACKEND = 'bogus';
    assert.throws(() => getBackend(), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^NABLA_BACKEND=bogus: unknown backend; use one of .*js/);
      return true;
    });
    registerBackend('native', () => null);
    process.env.NABLA_BACKEND = 'native';
    assert.throws(() => getBackend(), /NABLA_BACKEND=native: backend 'native' is not available/);
    process.env.NABLA_BACKEND = 'js';
    assert.equal(getBackend().name, 'js');
  } finally {
    if (saved === undefined) delete process.env.NABLA_BACKEND;
    else process.env.NABLA_BACKEND = saved;
  }
});

test('init() chooses explicitly, awaits the WASM compile, and refuses what cannot load', async () => {
  const { init, backendName, availableBackends } = await import('../../src/backend/select.js');
  assert.equal((await init({ backend: 'wasm' })).name, 'wasm');
  assert.equal(backendName(), 'wasm');
  assert.equal((await init({ backend: 'js' })).name, 'js');
  await assert.rejects(init({ backend: 'bogus' as 'js' }), (e: unknown) => e instanceof ConfigError && /unknown backend 'bogus'/.test(e.message));
  registerBackend('native', () => null);
  await assert.rejects(init({ backend: 'native' }), /not available on this machine/);
  // Auto: the best that loads, which (native being unavailable here) is wasm.
  assert.equal((await init()).name, availableBackends()[0]);
  assert.equal(backendName(), 'wasm');
});

test('no import side effects: a module that imports only tensors gets the best backend; warnings go to onWarning, never stderr', () => {
  const root = new URL('../../src/', import.meta.url);
  const script = `const { onWarning } = await import(${JSON.stringify(new URL('warnings.ts', root).href)});
const seen = [];
onWarning((w) => seen.push(w));
const { tensor } = await import(${JSON.stringify(new URL('tensor/index.ts', root).href)});
const { backendName } = await import(${JSON.stringify(new URL('backend/select.ts', root).href)});
tensor([1, 2]).add(tensor([3, 4]));
console.log(JSON.stringify({ backend: backendName(), seen }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, NABLA_BACKEND: '', NABLA_NATIVE_ADDON: '/nonexistent/nabla-native.node' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'the library wrote nothing to stderr');
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(out.backend, 'wasm', 'picked on first use without importing the backends for their side effects');
  assert.equal(out.seen.length, 1);
  assert.equal(out.seen[0].code, 'backend-fallback');
  assert.match(out.seen[0].message, /native backend unavailable .*not found.*; using wasm or js/);
});
