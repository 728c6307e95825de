// Bundle the browser playground (web/) into dist/web with esbuild: app.js (one ES module with
// nabla and elkjs inside, nothing fetched at run time); index.html, style.css and favicon.svg copied.
// Run by scripts/build.mjs after tsc; also callable alone or imported (buildWeb()) by tests.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Build into outDir (default dist/web); returns the output directory. */
export async function buildWeb({ outDir = join(repo, 'dist', 'web'), minify = true } = {}) {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(repo, 'web', 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    // 'browser' makes any accidental node:* import in the page's dependency tree a build error.
    platform: 'browser',
    target: ['es2022'],
    minify,
    // A map beside app.js for debugging a clone's build, but no link to it: the package ships no maps
    // (they would point at web/ and node_modules/ sources it does not ship).
    sourcemap: 'external',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await Promise.all(['index.html', 'style.css', 'favicon.svg'].map((f) => copyFile(join(repo, 'web', f), join(outDir, f))));
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await buildWeb();
  console.log(`nabla build: playground bundled into ${out}`);
}
