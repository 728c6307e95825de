// npm run bench -- --browser [--peers]: the workloads in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core), from local files only. The page (page.ts, bundled here with esbuild)
// is served by a tiny HTTP server on 127.0.0.1 that makes it cross-origin isolated (COOP + COEP),
// so that SharedArrayBuffer, and with it WASM threads, are available to nabla and to the peers.
// It serves nothing but the page, Fashion-MNIST's two train files and the pinned peers' dist folders.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PageRequest, PageResult } from './page.js';
import { installedVersion } from '../peers/run.js';
import type { PeerConfig } from '../workloads/spec.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
/** The whole page run takes about 3 minutes with every peer; well past that, something is stuck. */
const PAGE_TIMEOUT_S = 12 * 60;

/** The peers' browser files: each served folder of the scratch install (see PEER_PACKAGES). */
const PEER_DIRS = ['@jax-js/jax/dist', '@tensorflow/tfjs/dist', '@tensorflow/tfjs-backend-wasm/dist'];
const DATA_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/octet-stream',
};

/** Headers every response carries: cross-origin isolation (SharedArrayBuffer, WASM threads) and no caching. */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export interface BrowserOptions {
  config: PeerConfig;
  peers: boolean;
  /** Folder holding node_modules/ of the peers (bench/peers/run.ts installs them there). */
  peersDir: string | null;
  /** Only these systems (names as in the table). */
  only?: string[];
  chromium?: string;
  log(msg: string): void;
}

export interface BrowserRun extends PageResult {
  /** "Chromium 156.0.8078.114 (headless, playwright-core)". */
  runtime: string;
  /** Versions of the peers' packages, by system name. */
  versions: Record<string, string>;
}

const inside = (root: string, file: string): boolean => {
  const r = relative(root, file);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
};

/** The file a request names, or null: page files by name, /data/ two files, /peers/ inside PEER_DIRS. */
async function fileFor(url: string, page: string, dataDir: string | null, peersDir: string | null): Promise<string | null> {
  let path: string;
  try {
    path = decodeURIComponent(url.split(/[?#]/, 1)[0]);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.split('/').some((s) => s === '..' || s === '.')) return null;
  if (path === '/' || path === '/index.html') return join(page, 'index.html');
  if (path === '/page.js') return join(page, 'page.js');
  if (path.startsWith('/data/') && dataDir && DATA_FILES.includes(path.slice(6))) return join(dataDir, path.slice(6));
  if (path.startsWith('/peers/') && peersDir) {
    const rel = path.slice('/peers/'.length);
    const root = PEER_DIRS.find((d) => rel.startsWith(`${d}/`));
    if (!root) return null;
    const base = join(peersDir, 'node_modules', root);
    const file = join(peersDir, 'node_modules', rel);
    if (!inside(base, file) || !existsSync(file)) return null;
    // A symlink must not lead outside the package's dist folder.
    return inside(await realpath(base), await realpath(file)) ? file : null;
  }
  return null;
}

export async function serve(page: string, dataDir: string | null, peersDir: string | null): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    void (async () => {
      const file = req.method === 'GET' ? await fileFor(req.url ?? '/', page, dataDir, peersDir) : null;
      const type = file ? CONTENT_TYPES[extname(file)] : undefined;
      if (!file || !type || !(await stat(file)).isFile()) {
        res.statusCode = 404;
        res.end('not found\n');
        return;
      }
      res.setHeader('Content-Type', type);
      res.end(await readFile(file));
    })().catch(() => {
      res.statusCode = 500;
      res.end('internal error\n');
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` };
}

/**
 * page.ts (or another page script: bench/browser/wasm-diag-page.ts) and nabla's browser build in one
 * ES module (as the playground bundles nabla), plus its HTML.
 */
export async function buildPage(outDir: string, entry = join(HERE, 'page.ts'), minify = true): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: join(outDir, 'page.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser', // a node:* import reaching the page is a build error
    target: ['es2022'],
    minify,
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, 'index.html'),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>nabla bench</title></head>\n' +
    '<body><p>nabla browser benchmark: driven by <code>npm run bench -- --browser</code>.</p>\n' +
    '<script type="module" src="/page.js"></script></body></html>\n');
}

// No --disable-gpu: WebGL then runs on SwiftShader (on the CPU), which the peers' webgl backends can use.
// --enable-unsafe-webgpu asks for WebGPU; the page reports whether an adapter appears.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling'];

const PEER_VERSION_OF: Array<[RegExp, string]> = [[/^jax-js /, '@jax-js/jax'], [/^tfjs /, '@tensorflow/tfjs']];

/** Builds and serves the page, runs it in headless Chromium, and returns what the page measured. */
export async function runBrowser(opts: BrowserOptions): Promise<BrowserRun> {
  const chromiumPath = opts.chromium ?? CHROMIUM;
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: install Debian's chromium (apt-get update && apt-get install -y chromium)`);
  }
  const work = mkdtempSync(join(tmpdir(), 'nabla-bench-browser-'));
  const { chromium } = await import('playwright-core');
  let server: Server | null = null;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    opts.log('bundling the page');
    await buildPage(work);
    const dataDir = opts.config.dataDir;
    const served = await serve(work, dataDir, opts.peers ? opts.peersDir : null);
    server = served.server;
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 30_000 });
    const runtime = `Chromium ${browser.version()} (headless, playwright-core)`;
    opts.log(`${runtime}, page at ${served.url}`);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('progress: ')) opts.log(`page: ${text.slice(10)}`);
      else if (m.type() === 'error') problems.push(`console error: ${text.split('\n')[0]}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message.split('\n')[0]}`));
    // Local files only: any request leaving the server is refused and reported.
    await page.route((url) => !url.href.startsWith(served.url) && !url.href.startsWith('blob:') && !url.href.startsWith('data:'), (route) => {
      problems.push(`external request refused: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(served.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
    const req: PageRequest = { config: opts.config, data: dataDir !== null, peers: opts.peers, only: opts.only };
    // A page that never settles (a GPU backend stuck on a software adapter) ends the run with a reason, not a hang.
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      page.evaluate((r) => window.nablaBench.run(r), req),
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`the page did not finish within ${PAGE_TIMEOUT_S} s (last progress above)`)), PAGE_TIMEOUT_S * 1000);
      }),
    ]).finally(() => clearTimeout(timer));
    const versions: Record<string, string> = {};
    for (const name of Object.keys(result.systems)) {
      const pkg = PEER_VERSION_OF.find(([re]) => re.test(name))?.[1];
      const v = pkg && opts.peersDir ? installedVersion(opts.peersDir, pkg) : null;
      if (v) versions[name] = v;
      else if (result.systems[name].version) versions[name] = result.systems[name].version!;
    }
    for (const p of problems) result.skipped.push(`page: ${p}`);
    return { ...result, runtime, versions };
  } finally {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

