// The playground server serves its own files and nothing else: traversal in
// every spelling is refused, symlinks out of the root are refused, responses carry a CSP, and
// it binds to the loopback interface unless told otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { startPlayground, type Playground } from '../../src/playground/index.js';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw request: node:http sends the path exactly as given (no URL normalisation, unlike fetch). */
function get(pg: Playground, path: string, opts: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: pg.port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${pg.port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

// A web root inside a temporary tree whose parent holds a secret and a package.json, like the repo.
const tree = mkdtempSync(join(tmpdir(), 'nabla-server-'));
const root = join(tree, 'web');
const SECRET = 'do-not-serve-me';
let pg: Playground;

before(async () => {
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'app.js'), 'export {};');
  writeFileSync(join(root, 'style.css'), 'body{}');
  writeFileSync(join(root, 'sub', 'ok.json'), '{}');
  writeFileSync(join(root, 'notes.txt'), 'not a page asset');
  writeFileSync(join(tree, 'package.json'), SECRET);
  writeFileSync(join(tree, 'secret.js'), SECRET);
  symlinkSync(join(tree, 'secret.js'), join(root, 'link-out.js'));
  symlinkSync(tree, join(root, 'dir-out'));
  pg = await startPlayground({ root });
});

after(async () => {
  await pg.close();
  rmSync(tree, { recursive: true, force: true });
});

test('binds 127.0.0.1 on a free port by default', () => {
  assert.equal(pg.host, '127.0.0.1');
  assert.equal(pg.server.address() && typeof pg.server.address() === 'object' ? (pg.server.address() as { address: string }).address : '', '127.0.0.1');
  assert.ok(pg.port > 0);
  assert.equal(pg.url, `http://127.0.0.1:${pg.port}/`);
});

test('serves the page with content types, CSP, nosniff and cross-origin isolation', async () => {
  const cases: [string, string][] = [['/', 'text/html'], ['/index.html', 'text/html'], ['/app.js', 'text/javascript'], ['/style.css', 'text/css'], ['/sub/ok.json', 'application/json'], ['/app.js?v=1', 'text/javascript']];
  for (const [path, type] of cases) {
    const r = await get(pg, path);
    assert.equal(r.status, 200, path);
    assert.ok(String(r.headers['content-type']).startsWith(type), `${path}: ${r.headers['content-type']}`);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    // Scripts from this origin only; WebAssembly may be compiled ('wasm-unsafe-eval'), JavaScript eval may not.
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, 'no inline or eval scripts');
    assert.doesNotMatch(csp.replace("'wasm-unsafe-eval'", ''), /unsafe-inline|unsafe-eval/);
    // The threaded WASM GEMM's worker is a blob made by the bundle; other origins stay refused.
    assert.match(csp, /worker-src 'self' blob:(;|$)/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', `${path}: COOP`);
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', `${path}: COEP`);
    assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin', `${path}: CORP`);
  }
  const head = await get(pg, '/app.js', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('refuses path traversal in every spelling', async () => {
  const attempts = [
    '/../package.json', '/%2e%2e/package.json', '/%2E%2E/package.json', '/..%2fpackage.json', '/..%2Fpackage.json',
    '/.%2e/package.json', '/sub/../../package.json', '/sub/%2e%2e/%2e%2e/package.json', '/..%5cpackage.json',
    '/%252e%252e/package.json', '/./index.html', '//etc/passwd', '/%2fetc%2fpasswd', '/etc/passwd', '/..', '/%00index.html',
    '/%E0%A4%A', // malformed percent-encoding
  ];
  for (const path of attempts) {
    const r = await get(pg, path);
    assert.ok([400, 403, 404].includes(r.status), `${path} gave ${r.status}`);
    assert.ok(!r.body.includes(SECRET), `${path} leaked a file from outside the root`);
    assert.ok(r.headers['content-security-policy'], `${path}: refusals carry the CSP too`);
  }
});

test('refuses absolute-form targets and symlinks leading out of the root', async () => {
  for (const path of ['http://127.0.0.1/../package.json', `file://${join(tree, 'package.json')}`, '*', '/link-out.js', '/dir-out/package.json', '/dir-out/secret.js']) {
    const r = await get(pg, path);
    assert.ok([400, 403, 404].includes(r.status), `${path} gave ${r.status}`);
    assert.ok(!r.body.includes(SECRET), `${path} leaked a file from outside the root`);
  }
});

test('serves only page assets, only with GET and HEAD, only to loopback host names', async () => {
  assert.equal((await get(pg, '/notes.txt')).status, 404);
  assert.equal((await get(pg, '/sub')).status, 404);
  assert.equal((await get(pg, '/missing.js')).status, 404);
  assert.equal((await get(pg, '/index.html', { method: 'POST' })).status, 405);
  // DNS rebinding: another site's name resolving to 127.0.0.1 must not read the page.
  assert.equal((await get(pg, '/', { host: 'evil.example' })).status, 403);
  assert.equal((await get(pg, '/', { host: `localhost:${pg.port}` })).status, 200);
});

test('a chosen port is used; a missing page and a bad port are clear errors', async () => {
  const probe = await startPlayground({ root });
  const port = probe.port;
  await probe.close();
  const again = await startPlayground({ root, port });
  assert.equal(again.port, port);
  await again.close();
  await assert.rejects(startPlayground({ root: join(tree, 'nowhere') }), /no page at .*npm run build/);
  await assert.rejects(startPlayground({ root, port: 70000 }), /port must be an integer/);
  // ConfigErrors, so that `nabla playground` exits 2 (bad input), not 1 (a bug).
  await assert.rejects(startPlayground({ root: join(tree, 'nowhere') }), ConfigError);
  await assert.rejects(startPlayground({ root, port: 70000 }), ConfigError);
  await assert.rejects(startPlayground({ root, port: 1.5 }), ConfigError);
});
