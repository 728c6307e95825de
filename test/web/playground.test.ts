// The playground in a real browser: Debian's chromium driven by playwright-core. Loads the page
// from the real server, trains spirals, checks that the loss fell and the boundary changed, walks
// the backward pass, and saves a screenshot. Skipped (with a message) where chromium is absent,
// except in CI, where .ci/run installs it and a missing browser must fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startPlayground } from '../../src/playground/index.js';
// Also brings the page's `window.nabla` declaration into scope for the page.evaluate callbacks.
import type { PlaygroundState } from '../../web/hooks.js';

const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const skip = !haveBrowser && !process.env.CI ? `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser test` : false;

// Always rebuilt: esbuild takes about a second, and a stale bundle would test old code.
async function buildBundle(outDir: string): Promise<void> {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { buildWeb } = (await import('../../scripts/build-web.mjs')) as { buildWeb: (o: { outDir: string; minify: boolean }) => Promise<string> };
  await buildWeb({ outDir, minify: true });
}

test('web/ type-checks (the root tsconfig does not include it)', { timeout: 60_000 }, () => {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'web/tsconfig.json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('playground trains spirals and steps through backprop in chromium', { skip, timeout: 60_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const work = mkdtempSync(join(tmpdir(), 'nabla-playground-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const webRoot = join(work, 'web');
  await buildBundle(webRoot);
  const pg = await startPlayground({ root: webRoot });
  t.after(() => pg.close());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // launch() gives chromium a fresh temporary profile of its own, removed on close.
    timeout: 20_000,
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
  // Any request leaving the server (a CDN, a font) is a bug: the page must work offline.
  page.on('request', (r) => { if (!r.url().startsWith(pg.url)) problems.push(`external request: ${r.url()}`); });

  const state = (): Promise<PlaygroundState> => page.evaluate(() => window.nabla!.state());
  await page.goto(pg.url);
  await page.waitForFunction(() => window.nabla?.state().ready === true, null, { timeout: 10_000 });

  await page.selectOption('#dataset', 'spirals');
  await page.selectOption('#activation', 'relu');
  await page.fill('#hidden', '16,16');
  await page.dispatchEvent('#hidden', 'change');
  await page.waitForFunction(() => window.nabla!.state().dataset === 'spirals');
  const before = await state();
  assert.equal(before.epoch, 0);
  assert.equal(before.error, '');

  await page.click('#start');
  await page.waitForFunction(() => window.nabla!.state().epoch >= 60, null, { timeout: 30_000 });
  await page.click('#start'); // pause
  const after = await state();
  assert.equal(after.running, false);
  assert.ok(after.loss < 0.5 * before.loss, `train loss should fall: ${before.loss} -> ${after.loss}`);
  assert.notEqual(after.boundaryChecksum, before.boundaryChecksum, 'the decision boundary canvas did not change');
  assert.equal(await page.locator('#epoch').textContent(), String(after.epoch));

  // The backward walk: each step highlights a new node and shows its gradient.
  await page.evaluate(() => window.nabla!.traced());
  const b0 = (await state()).backward;
  assert.equal(b0.step, 0);
  assert.ok(b0.total >= 10, `expected a graph of the whole network, got ${b0.total} gradient nodes`);
  const seen: string[] = [];
  for (let i = 1; i <= 4; i++) {
    await page.click('#backward-step');
    const b = (await state()).backward;
    assert.equal(b.step, i);
    assert.ok(b.current && !seen.includes(b.current), `step ${i} should highlight a new node, got ${b.current}`);
    seen.push(b.current);
    assert.ok(b.currentGrad && b.currentGrad.length > 0, `node ${b.currentLabel} shows no gradient`);
    const highlighted = page.locator('#graph g.node.current');
    assert.equal(await highlighted.count(), 1);
    assert.equal(await highlighted.getAttribute('id'), b.current);
    assert.equal(await highlighted.locator('.grad-line:not(.hidden)').count(), 1, 'the current node shows its gradient line');
    assert.match((await page.locator('#backward-caption').textContent()) ?? '', new RegExp(`Step ${i}/`));
  }
  assert.equal((await state()).backward.currentLabel === 'L', false, 'after four steps we are past the loss');

  const shot = join(process.env.NABLA_SCREENSHOT_DIR ?? work, 'playground.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(existsSync(shot));
  assert.deepEqual(problems, []);
});
