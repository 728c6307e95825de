// Backend selection's errors: a loader that throws is reported with its reason, and an unknown
// NABLA_BACKEND names the variable. (Each test file runs in its own process, so the loaders
// registered here stay here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
