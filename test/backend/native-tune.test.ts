// The native GEMM autotune: it picks a register tile, blocking and thread setting the addon
// accepts, caches the choice on disk (atomically, keyed by machine and ABI), reuses it, and falls
// back silently when the cache directory is unusable. No timing is asserted: only that what it
// applies is valid and what it stores comes back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, machineKey, tuneNative } from '../../src/backend/native/tune.js';
import { addon, requireAddon, skip } from './native-helpers.js';

/** Runs fn, then puts the addon's instruction set, GEMM config and threads back. */
function preserving(fn: () => void): void {
  const isa = addon.isa(), cfg = addon.gemmConfig(), threads = addon.threads(), minMacs = addon.threadMinMacs();
  try {
    fn();
  } finally {
    addon.setIsa(isa);
    addon.setGemmConfig(cfg.tile, cfg.kcBytes, cfg.mcBytes, cfg.nc, cfg.aInPlace);
    addon.setThreads(threads, minMacs);
  }
}

describe('native GEMM autotune', { skip }, () => {
  test('measures once, applies a valid choice, caches it and reuses it', () => {
    requireAddon();
    const dir = mkdtempSync(join(tmpdir(), 'nabla-tune-'));
    try {
      preserving(() => {
        const key = machineKey(addon);
        const first = tuneNative(addon, key, { cacheDir: join(dir, 'nabla') });
        assert.equal(first.cached, false);
        const t = first.tuning;
        assert.equal(addon.isa(), t.isa);
        assert.ok(addon.gemmTiles().includes(t.gemm.tile), `${t.gemm.tile} is one of ${addon.gemmTiles()}`);
        assert.deepEqual(addon.gemmConfig(), t.gemm);
        assert.ok(t.threads >= 1 && t.threads <= Math.max(1, addon.hardwareThreads));
        assert.equal(addon.threads(), t.threads);
        assert.equal(addon.threadMinMacs(), t.threadMinMacs);
        // Stored under the key, with no temp file left behind.
        assert.deepEqual(readdirSync(join(dir, 'nabla')), ['native-tune.json']);
        const stored = JSON.parse(readFileSync(join(dir, 'nabla', 'native-tune.json'), 'utf8'));
        const keys = Object.keys(stored);
        assert.equal(keys.length, 1);
        assert.ok(keys[0].startsWith(key) && /abi \d+/.test(keys[0]), keys[0]);
        // Another process (here: the same one, with the addon moved off the choice) reads it back.
        addon.setThreads(1, 1e9);
        const second = tuneNative(addon, key, { cacheDir: join(dir, 'nabla') });
        assert.equal(second.cached, true);
        assert.deepEqual(second.tuning, t);
        assert.equal(addon.threads(), t.threads);
        // A pinned thread count wins over the cached one.
        assert.equal(tuneNative(addon, key, { cacheDir: join(dir, 'nabla'), pinThreads: 1 }).tuning.threads, 1);
        assert.equal(addon.threads(), 1);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unusable or corrupt cache falls back to measuring, silently', () => {
    requireAddon();
    const dir = mkdtempSync(join(tmpdir(), 'nabla-tune-'));
    try {
      preserving(() => {
        const key = machineKey(addon);
        // A cache "directory" below a regular file can be neither read nor created.
        writeFileSync(join(dir, 'file'), 'x');
        const r = tuneNative(addon, key, { cacheDir: join(dir, 'file', 'nabla'), pinIsa: true });
        assert.equal(r.cached, false);
        assert.equal(r.tuning.isa, addon.isa());
        // Corrupt JSON: measured again and overwritten with a valid entry.
        writeFileSync(join(dir, 'native-tune.json'), '{ not json');
        assert.equal(tuneNative(addon, key, { cacheDir: dir, pinIsa: true }).cached, false);
        assert.equal(tuneNative(addon, key, { cacheDir: dir, pinIsa: true }).cached, true);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the cache directory follows XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), join('/x/cache', 'nabla'));
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }), join('/home/u', '.cache', 'nabla'));
  });
});
