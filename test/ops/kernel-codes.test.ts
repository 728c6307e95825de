// The compiled backends switch on the op registry's kernel codes. Their switches are C++ and
// AssemblyScript, so this test reads them as text and fails when they and the registry disagree:
// a code with no case, a case with no registry op, or an enum constant with another number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kernelCodes, type KernelTable } from '../../src/ops/index.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

/** U_LEAKY_RELU → leakyrelu: enum spellings compared with registry names, case and '_' ignored. */
const key = (s: string) => s.replace(/_/g, '').toLowerCase();

function enumOf(header: string, name: string, prefix: string): Map<string, number> {
  const m = new RegExp(`enum ${name}\\s*\\{([^}]*)\\}`).exec(header);
  assert.ok(m, `native/kernels.h has enum ${name}`);
  const out = new Map<string, number>();
  for (const part of m[1].split(',')) {
    const e = /^\s*(\w+)\s*=\s*(\d+)\s*$/.exec(part);
    assert.ok(e, `enum ${name}: '${part.trim()}' gives its value explicitly`);
    if (!e[1].endsWith('_COUNT')) out.set(key(e[1].slice(prefix.length)), Number(e[2]));
    else out.set('#count', Number(e[2]));
  }
  return out;
}

test('native/kernels.h enums are the registry codes of the native kernels, nothing more', () => {
  const h = read('native/kernels.h');
  const tables: [KernelTable, string, string][] = [['unary', 'UnaryCode', 'U_'], ['unaryGrad', 'UnaryGradCode', 'G_'], ['binary', 'BinaryCode', 'B_']];
  for (const [table, name, prefix] of tables) {
    const inC = enumOf(h, name, prefix);
    const count = inC.get('#count')!;
    inC.delete('#count');
    const want = new Map(Object.entries(kernelCodes(table, 'native')).map(([k, v]) => [key(k), v]));
    assert.deepEqual(new Map([...inC].sort()), new Map([...want].sort()), `${name} vs the registry's native ${table} kernels`);
    assert.ok([...want.values()].every((v) => v < count), `${name}: ${prefix}COUNT (${count}) is above every code`);
  }
});

test('native/kernels_impl.inc has a case for every enum constant', () => {
  const src = read('native/kernels_impl.inc');
  for (const [table, prefix] of [['unary', 'U_'], ['unaryGrad', 'G_'], ['binary', 'B_']] as const) {
    const cases = new Set([...src.matchAll(new RegExp(`case (${prefix}\\w+):`, 'g'))].map((m) => key(m[1].slice(prefix.length))));
    for (const name of Object.keys(kernelCodes(table, 'native'))) assert.ok(cases.has(key(name)), `no C++ case for ${table} '${name}'`);
  }
});

/** The numbers a function of elementwise.as handles: its `case N:` labels and `op == N` tests. */
function asCodes(src: string, fn: string): number[] {
  const start = src.search(new RegExp(`function ${fn}\\(`));
  assert.ok(start >= 0, `elementwise.as has ${fn}`);
  const next = src.slice(start + 1).search(/\n(?:@inline )?(?:export )?function /);
  const body = src.slice(start, next < 0 ? undefined : start + 1 + next);
  return [...body.matchAll(/case (\d+):|op == (\d+)/g)].map((m) => Number(m[1] ?? m[2])).sort((a, b) => a - b);
}

test('the WASM kernels (elementwise.as) handle exactly the registry codes compiled for wasm', () => {
  const src = read('src/backend/wasm/assembly/elementwise.as');
  const codes = (t: KernelTable) => Object.values(kernelCodes(t, 'wasm')).sort((a, b) => a - b);
  assert.deepEqual([...new Set([...asCodes(src, 'unaryV'), ...asCodes(src, 'unary')])].sort((a, b) => a - b), codes('unary'));
  assert.deepEqual(asCodes(src, 'derivV'), codes('unaryGrad'));
  assert.deepEqual([...new Set([...asCodes(src, 'binaryV'), ...asCodes(src, 'binary')])].sort((a, b) => a - b), codes('binary'));
});
