// One activation, one place: adding or changing an activation must not mean editing a list in
// every layer. For each activation of the op registry, count the files under src/, web/ and
// native/ whose code names it (comments aside; any case; '_' separates words, so U_GELU names
// gelu), and fail past MAX_FILES. Left out, with the reason: src/scalar/, the independent scalar
// engine the tests use as an oracle (it must not share definitions with what it checks), and the
// names in EXEMPT, which code uses for other reasons than defining or listing them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { activations } from '../../src/ops/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FOLDERS = ['src', 'web', 'native'];
const MAX_FILES = 6;
const EXEMPT: Record<string, string> = {
  identity: 'everyday maths (and the ONNX Identity op)',
  sigmoid: 'everyday maths: the logistic loss, the kernels of σ itself',
  tanh: 'everyday maths: Math.tanh inside other kernels',
  softmax: 'everyday maths: cross-entropy, the softmax kernels of every backend',
  logSoftmax: 'everyday maths: cross-entropy',
  relu: 'the default activation and the notes\' worked examples (explain, profile) use it by name',
};
const TEXT = /\.(ts|as|cc|h|inc|html|css|mjs|js)$/;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The tracked files (git), or every file when this is not a git checkout (an unpacked tarball). */
function files(): string[] {
  let list: string[];
  try {
    list = execFileSync('git', ['ls-files', ...FOLDERS], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  } catch {
    list = FOLDERS.flatMap((f) => walk(join(ROOT, f), [])).map((p) => p.slice(ROOT.length + 1));
  }
  return list.filter((f) => TEXT.test(f) && !f.includes('.generated.') && !f.startsWith('src/scalar/') && existsSync(join(ROOT, f)));
}

/** Source without its comments (// and block comments, HTML comments). Strings stay: a name in a string is a use. */
function code(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function filesNaming(name: string, sources: Map<string, string>): string[] {
  const re = new RegExp(`(?<![A-Za-z0-9])${name}(?![A-Za-z0-9])`, 'i');
  return [...sources].filter(([, text]) => re.test(text)).map(([f]) => f).sort();
}

test(`no activation is named in more than ${MAX_FILES} files under ${FOLDERS.join('/, ')}/`, () => {
  const sources = new Map(files().map((f) => [f, code(readFileSync(join(ROOT, f), 'utf8'))]));
  assert.ok(sources.size > 50, `found the sources (${sources.size} files)`);
  // The counter finds names where they are (not a vacuous pass): gelu in its entry and its C++ enum.
  assert.ok(['src/ops/activations.ts', 'native/kernels.h'].every((f) => filesNaming('gelu', sources).includes(f)));
  const counted = activations().filter((a) => !(a.name in EXEMPT));
  assert.ok(counted.length >= 6, counted.map((a) => a.name).join());
  const over = counted.map((a) => [a.name, filesNaming(a.name, sources)] as const).filter(([, fs]) => fs.length > MAX_FILES);
  assert.deepEqual(over, [], over.map(([n, fs]) => `${n} is named in ${fs.length} files: ${fs.join(', ')}`).join('\n'));
});
