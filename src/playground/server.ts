// The playground's static file server (Node only). It serves the bundled page in dist/web and
// nothing else: every request path is decoded once, refused if it tries to climb ('..', encoded
// or not), resolved inside the root, and checked again after following symlinks. It binds to
// 127.0.0.1 unless told otherwise, sends a strict Content-Security-Policy, and makes the page
// cross-origin isolated so that WebAssembly threads can share memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { ConfigError } from '../errors.js';
import { warn } from '../warnings.js';

export interface PlaygroundOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1: reachable from this machine only). */
  host?: string;
  /** Directory holding index.html, app.js and style.css (default: the built dist/web). */
  root?: string;
  /** Open the page in the system's browser once listening. */
  open?: boolean;
}

export interface Playground {
  /** http://host:port/ */
  url: string;
  port: number;
  host: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The policy every response carries: scripts, styles and fetches from this origin only, no inline
 * code. 'wasm-unsafe-eval' lets the page compile nabla's WASM kernels (it allows WebAssembly
 * compilation only, not eval of JavaScript). Workers may start from this origin or from a blob: the
 * WASM backend's GEMM worker is a blob the bundle makes from its own code, so that a threaded GEMM
 * needs no second file beside the bundle.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** dist/web next to the compiled server (dist/playground), or from the sources (src/playground) under tsx. */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'web'), join(here, '..', '..', 'dist', 'web')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[1];
}

class Refusal extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** The file a request path names inside root (a real path: no symlinks in it), or a Refusal. Exported for tests. */
export async function resolveRequestPath(root: string, rawUrl: string): Promise<string> {
  // Only origin-form targets ("/path?query"); absolute-form ("http://...") and "*" are refused.
  if (!rawUrl.startsWith('/')) throw new Refusal(400, 'request target must be a path');
  const rawPath = rawUrl.split(/[?#]/, 1)[0];
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new Refusal(400, 'malformed percent-encoding');
  }
  // Checked after decoding so that %2e%2e, %2f and %5c cannot smuggle a climb past the check.
  if (path.includes('\0') || path.includes('\\')) throw new Refusal(400, 'bad character in path');
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) throw new Refusal(403, 'path traversal');
  if (path.startsWith('//') || /^\/[A-Za-z]:/.test(path)) throw new Refusal(403, 'absolute path');
  const rel = path === '/' ? 'index.html' : path.slice(1);
  const file = resolve(root, rel);
  if (!inside(root, file)) throw new Refusal(403, 'outside the web root');
  // A symlink inside the root may point anywhere: check where it really leads.
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    throw new Refusal(404, 'not found');
  }
  if (!inside(root, real)) throw new Refusal(403, 'outside the web root');
  const st = await stat(real);
  if (!st.isFile()) throw new Refusal(404, 'not a file');
  if (!(extname(real).toLowerCase() in CONTENT_TYPES)) throw new Refusal(404, 'not a page asset');
  return real;
}

function inside(root: string, file: string): boolean {
  const r = relative(root, file);
  return r !== '' && !r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r);
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Cross-origin isolation (COOP + COEP): the page gets SharedArrayBuffer, which WASM threads need.
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function hostHeaderOk(req: IncomingMessage, boundToLoopback: boolean): boolean {
  if (!boundToLoopback) return true;
  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 would send its own Host name.
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK.has(host);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`${status} ${message}\n`);
}

async function handle(root: string, boundToLoopback: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
  securityHeaders(res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return refuse(res, 405, 'method not allowed');
  }
  if (!hostHeaderOk(req, boundToLoopback)) return refuse(res, 403, 'unexpected Host header');
  try {
    const file = await resolveRequestPath(root, req.url ?? '');
    const body = await readFile(file);
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[extname(file).toLowerCase()]);
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (e) {
    if (e instanceof Refusal) return refuse(res, e.status, e.message);
    refuse(res, 500, 'internal error');
  }
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]]
    : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => warn('browser-not-opened', `playground: could not open a browser; visit ${url}`));
  child.unref();
}

/** Serve the playground; resolves once listening. `nabla playground` is this plus printing the url. */
export async function startPlayground(opts: PlaygroundOptions = {}): Promise<Playground> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`playground: port must be an integer in 0..65535, got ${port}`);
  const given = resolve(opts.root ?? defaultWebRoot());
  if (!existsSync(join(given, 'index.html'))) {
    throw new ConfigError(`playground: no page at ${given}; build it with 'npm run build' (or node scripts/build-web.mjs)`);
  }
  // Resolved once: requests are checked against where the root really is.
  const root = await realpath(given);
  const loopback = LOOPBACK.has(host);
  if (!loopback) warn('playground-exposed', `playground: listening on ${host}, reachable from other machines`);
  const server = createServer((req, res) => { void handle(root, loopback, req, res); });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => { server.off('error', fail); ok(); });
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}/`;
  if (opts.open) openBrowser(url);
  return {
    url, port: actualPort, host, server,
    close: () => new Promise<void>((ok, fail) => {
      server.closeAllConnections();
      server.close((e) => (e ? fail(e) : ok()));
    }),
  };
}
