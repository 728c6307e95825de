// The initialisers are reachable from the package entry as `initializers` (tfjs's name), and `init`
// there stays the backend's init({ backend }): the two once shared a name, and the backend's hid them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as nabla from '../../src/index.js';

test('initializers and init are both reachable from the entry, each the right thing', async () => {
  const w = nabla.zeros([64, 32]);
  nabla.initializers.xavierUniform(w, { seed: 3 });
  // Glorot uniform: every value within ±√(6 / (fanIn + fanOut)), and not all zero.
  const bound = Math.sqrt(6 / (64 + 32));
  const v = Array.from(w.data);
  assert.ok(v.every((x) => Math.abs(x) <= bound), 'within the Glorot bound');
  assert.ok(v.some((x) => x !== 0), 'initialised');
  const backend = await nabla.init({ backend: 'js' });
  assert.equal(backend.name, 'js');
  assert.equal(nabla.backendName(), 'js');
});
