// `npm run build` (also run by `npm install` through `prepare`): compile TypeScript to dist/, then
// run each optional build step that exists (WASM kernels, native addon, browser playground).
// A step that fails says so once and leaves the others working: nabla falls back to slower backends.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

function run(cmd, args, required) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    if (required) process.exit(r.status ?? 1);
    console.warn(`nabla build: optional step '${args.join(' ')}' failed; continuing without it`);
  }
}

// The WASM kernels are generated before tsc because the TypeScript loader embeds them.
if (existsSync('scripts/build-wasm.mjs')) run(process.execPath, ['scripts/build-wasm.mjs'], true);
// dist/ starts empty, so that files of renamed or deleted sources (and maps of older builds) never ship.
rmSync('dist', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], true);
for (const step of ['scripts/build-native.mjs', 'scripts/build-web.mjs']) {
  if (existsSync(step)) run(process.execPath, [step], false);
}
