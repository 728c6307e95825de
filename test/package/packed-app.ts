// The package as a user gets it: `npm pack` of the already-built tree (--ignore-scripts, so that no
// rebuild races other tests), installed into an empty temporary app with npm ci --offline. The app's
// lockfile is written from ours (the runtime dependencies and theirs, exactly as resolved), so the
// install needs only npm's cache, which `npm ci` in this checkout filled: no network, no registry
// metadata, and no install script runs (npm 11 runs none of a dependency's anyway).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface PackedApp {
  /** The app folder; `import 'nabla'` there resolves to the installed tarball. */
  dir: string;
  /** npm pack's report: file name, packed size, unpacked size, the files it holds. */
  pack: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] };
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${(r.stderr || r.stdout || String(r.error)).slice(-2000)}`);
  return r.stdout;
}

type LockEntry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/** The lockfile entries of our runtime dependencies and everything they need, at the paths npm gave them. */
function runtimeClosure(deps: string[]): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  // Node's lookup: the nearest node_modules/NAME from the requiring package's folder up to the root.
  const find = (from: string, name: string): string => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const p = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (lock.packages[p]) return p;
      if (!dir) throw new Error(`package-lock.json has no ${name} (needed by ${from || 'nabla'})`);
    }
  };
  const out: Record<string, LockEntry> = {};
  const todo = deps.map((d) => find('', d));
  while (todo.length) {
    const p = todo.pop()!;
    if (out[p]) continue;
    out[p] = lock.packages[p];
    for (const d of Object.keys({ ...out[p].dependencies, ...out[p].optionalDependencies })) todo.push(find(p, d));
  }
  return out;
}

export function packAndInstall(): PackedApp {
  const tmp = mkdtempSync(join(tmpdir(), 'nabla-packed-'));
  const dir = join(tmp, 'app');
  mkdirSync(dir);
  const [pack] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as PackedApp['pack'][];
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const spec = `file:${pack.filename}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { nabla: spec } }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({
    name: 'app', lockfileVersion: 3, requires: true,
    packages: {
      '': { name: 'app', dependencies: { nabla: spec } },
      'node_modules/nabla': { version: pkg.version, resolved: spec, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
      ...runtimeClosure(Object.keys(pkg.dependencies ?? {})),
    },
  }, null, 2));
  npm(['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  return { dir, pack };
}
