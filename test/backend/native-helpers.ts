// Shared set-up of the native-vs-JS cross-checks: the addon (or why it is missing), the skip
// reason for node:test, and a loop over every instruction set this CPU runs.
import assert from 'node:assert/strict';
import { loadNativeAddon } from '../../src/backend/native/index.js';

export { rng } from './wasm-helpers.js';

export const loaded = loadNativeAddon();
const required = process.env.NABLA_REQUIRE_NATIVE === '1';
/** node:test's skip option: a reason when the addon is not built, unless NABLA_REQUIRE_NATIVE=1. */
export const skip: string | false = loaded.addon || required ? false : `native addon unavailable: ${loaded.reason}`;
export const addon = loaded.addon!;
const ISAS = ['avx512', 'avx2', 'generic'];

/** Fails loudly when the addon is required but absent. */
export function requireAddon(): void {
  if (!loaded.addon) assert.fail(`NABLA_REQUIRE_NATIVE=1 but the native addon did not load: ${loaded.reason}`);
}

/** Runs fn once per instruction set this machine supports, restoring the original one after. */
export function forEachIsa(fn: (isa: string) => void): void {
  const original = addon.isa();
  try {
    for (const isa of ISAS) if (addon.setIsa(isa)) fn(isa);
  } finally {
    addon.setIsa(original);
  }
}
