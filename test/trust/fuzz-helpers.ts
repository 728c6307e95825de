// Shared pieces for fuzz tests: the "only typed errors" check, byte mutations of a valid file,
// and a counter that prints how many inputs each fuzz test tried (quoted in SECURITY.md).
import fc from 'fast-check';
import { NablaError } from '../../src/errors.js';

/** Run fn; a NablaError is an accepted outcome, anything else (TypeError, RangeError ...) fails. */
export function onlyTypedErrors(fn: () => unknown): 'ok' | 'refused' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof NablaError) return 'refused';
    throw e;
  }
}

/** Mutations of `base`: bit flips, byte overwrites, truncation, insertion, duplicated slices. */
type Mutation = (b: Uint8Array) => Uint8Array;

export function mutated(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = base.length;
  const flip: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(n - 1), bit: fc.nat(7) }).map(({ at, bit }) => (b: Uint8Array) => { b[at] ^= 1 << bit; return b; });
  const set: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(n - 1), v: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x08) }).map(({ at, v }) => (b: Uint8Array) => { b[at] = v; return b; });
  const cut: fc.Arbitrary<Mutation> = fc.nat(n).map((k) => (b: Uint8Array) => b.slice(0, k));
  const insert: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(n), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) })
    .map(({ at, bytes }) => (b: Uint8Array) => Uint8Array.from([...b.subarray(0, at), ...bytes, ...b.subarray(at)]));
  const dup: fc.Arbitrary<Mutation> = fc.record({ from: fc.nat(n), len: fc.nat(64), at: fc.nat(n) })
    .map(({ from, len, at }) => (b: Uint8Array) => Uint8Array.from([...b.subarray(0, at), ...b.subarray(from, from + len), ...b.subarray(at)]));
  return fc.array(fc.oneof(flip, set, cut, insert, dup), { minLength: 1, maxLength: 4 })
    .map((ops) => ops.reduce<Uint8Array>((b, op) => (b.length ? op(b) : b), Uint8Array.from(base)));
}

const counts = new Map<string, number>();

/** Count one fuzzed input under `name`. */
export function tally(name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/** Print the count for `name` (a line the README / SECURITY.md figures are taken from). */
export function report(name: string): number {
  const n = counts.get(name) ?? 0;
  console.log(`FUZZ ${name}: ${n} inputs`);
  return n;
}
