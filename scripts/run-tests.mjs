// Runs every *.test.ts under test/ (or the paths given) with Node's test runner through tsx.
// Node 20's --test has no glob support, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.length ? args.flatMap((a) => (statSync(a).isDirectory() ? find(a, []) : [a])) : find('test', []);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The native GEMM autotune (src/backend/native/tune.ts) stays off unless asked for: tests then run
// the same built-in kernels everywhere, and a loaded test machine never writes its timings into the
// user's cache. test/backend/native-tune.test.ts exercises the autotune itself.
const env = { NABLA_NATIVE_TUNE: '0', ...process.env };
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
