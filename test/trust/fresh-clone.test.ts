// A user's clone has nothing beside it: no test and no library file may read the project's own
// reference folder next to the checkout (data and notes that exist only on the developers' machines).
// Tests ship their data (test/fixtures/) or generate it; full-size runs live in `npm run accuracy`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
// Spelled in pieces so that this file does not match itself.
const SHARED = 'shared';
const FORBIDDEN = [
  new RegExp(`\\.\\./${SHARED}\\b`),  // a relative path up and into it
  new RegExp(`/work/${SHARED}\\b`),                           // the absolute path on our machines
  new RegExp(`['"\`]\\.\\.['"\`]\\s*,\\s*['"\`]${SHARED}['"\`]`), // join(x, '..', that name)
];

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|mts|js|mjs|cjs|json)$/.test(name)) out.push(p);
  }
  return out;
}

test('no file under src/ or test/ reads the folder beside the checkout', () => {
  const all = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'test'))];
  assert.ok(all.length > 50, `found only ${all.length} files`);
  const hits: string[] = [];
  for (const f of all) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (FORBIDDEN.some((re) => re.test(line))) hits.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});

test('the check itself catches each spelling', () => {
  for (const line of [`new URL('../../../${SHARED}/data', import.meta.url)`, `'/work/${SHARED}/data'`, `join(ROOT, '..', '${SHARED}')`]) {
    assert.ok(FORBIDDEN.some((re) => re.test(line)), line);
  }
  assert.ok(!FORBIDDEN.some((re) => re.test('the shared scratch memory')));
});

test('README, help texts and output say "the lecture notes", never the folder they sit in on our machines', () => {
  // Help texts and CLI output are string literals under src/ (commander's descriptions, explain's
  // titles and notes); 'seeds' there as an identifier (autograd's seed gradients) is fine.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.doesNotMatch(readme, new RegExp(`\\bseeds\\b|\\.\\./${SHARED}`, 'i'));
  const hits: string[] = [];
  for (const f of files(join(ROOT, 'src'))) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (/\b[Tt]he seeds\b|\bseeds'|['"`][^'"`]*\bseeds\b[^'"`]*['"`]/.test(line)) hits.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});
