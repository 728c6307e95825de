// The playground in a real browser: Debian's chromium driven by playwright-core, the page served
// by the real server. At a phone, a projector and a desktop size: no horizontal overflow, the
// backend shown, the lecture-named graph as DOM text; at the projector size the controls, the
// decision boundary and the loss chart fit on one screen. Then: training lowers the loss, the
// backward walk shows the lines `nabla explain` prints (rerun here in Node on the page's own
// weights), and every control survives a round trip through the URL. Skipped (with a message)
// where chromium is absent, except in CI, where .ci/run installs it and a missing browser must fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { startPlayground } from '../../src/playground/index.js';
import { explain, tensor } from '../../src/index.js';
// Also brings the page's `window.nabla` declaration into scope for the page.evaluate callbacks.
import type { PlaygroundState, TracedExample } from '../../web/hooks.js';

const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const skip = !haveBrowser && !process.env.CI ? `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser test` : false;
const VIEWPORTS = [[390, 844], [1024, 768], [1920, 1080]] as const;
const LECTURE_NAMES = ['x', 'W⁽¹⁾', 'b⁽¹⁾', 'z⁽¹⁾', 'h⁽¹⁾', 'W⁽²⁾', 'z⁽²⁾', 'h⁽²⁾', 'z⁽³⁾', 'ŷ', 't', 'L'];

// Always rebuilt: esbuild takes about a second, and a stale bundle would test old code.
async function buildBundle(outDir: string): Promise<void> {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { buildWeb } = (await import('../../scripts/build-web.mjs')) as { buildWeb: (o: { outDir: string; minify: boolean }) => Promise<string> };
  await buildWeb({ outDir, minify: true });
}

/** Numbers may differ in the last printed digit between backends; everything else must be identical. */
function sameDerivation(page: string, node: string): void {
  const num = /-?\d+(?:\.\d+)?(?:e-?\d+)?/g;
  const words = (s: string) => s.replace(num, '#').replace(/\s+/g, ' ').trim();
  assert.equal(words(page), words(node), 'the page prints the same formulas as explain');
  const a = page.match(num)!.map(Number), b = node.match(num)!.map(Number);
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 2e-3 * Math.max(1, Math.abs(b[i])), `number ${i}: page ${v}, explain ${b[i]}`));
}

test('web/ type-checks (the root tsconfig does not include it)', { timeout: 60_000 }, () => {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'web/tsconfig.json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('playground in chromium: layout, lecture graph, explain lines, training, URL state', { skip, timeout: 240_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const work = mkdtempSync(join(tmpdir(), 'nabla-playground-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const webRoot = join(work, 'web');
  await buildBundle(webRoot);
  const pg = await startPlayground({ root: webRoot });
  t.after(() => pg.close());
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    // launch() gives chromium a fresh temporary profile of its own, removed on close.
    timeout: 20_000,
  });
  t.after(() => browser.close());
  const shots = process.env.NABLA_SCREENSHOT_DIR;
  if (shots) mkdirSync(shots, { recursive: true });
  const problems: string[] = [];

  async function open(width: number, height: number, query = ''): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    const at = `${width}x${height}`;
    page.on('pageerror', (e) => problems.push(`${at} page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${at} console ${m.type()}: ${m.text()}`); });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${at} HTTP ${r.status()} for ${r.url()}`); });
    // Any request leaving the server (a CDN, a font) is a bug: the page must work offline.
    // Same-origin blob: URLs (the WASM GEMM worker the bundle makes from its own code) are local too.
    page.on('request', (r) => { if (!r.url().startsWith(pg.url) && !r.url().startsWith(`blob:${pg.url}`)) problems.push(`${at} external request: ${r.url()}`); });
    await page.goto(pg.url + query);
    await page.waitForFunction(() => window.nabla?.state().ready === true && document.querySelector('#graph g.node') !== null, null, { timeout: 15_000 });
    return page;
  }
  const state = (page: Page): Promise<PlaygroundState> => page.evaluate(() => window.nabla!.state());
  const graphText = (page: Page) => page.locator('#graph svg text.name').allTextContents();

  await t.test('three sizes: no overflow, backend, lecture names, buttons', async () => {
    for (const [w, h] of VIEWPORTS) {
      const page = await open(w, h);
      const [scrollW, innerW] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scrollW <= innerW, `${w}x${h}: the page is ${scrollW}px wide in a ${innerW}px window`);
      assert.equal(await page.locator('#backend').textContent(), 'backend: wasm');
      assert.equal((await state(page)).backend, 'wasm');
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP make the page cross-origin isolated');
      const names = await graphText(page);
      for (const n of LECTURE_NAMES) assert.ok(names.includes(n), `${w}x${h}: no node '${n}' in ${names.join(' ')}`);
      assert.ok(!names.includes('J'), 'no J without a penalty');
      const all = (await page.locator('#graph svg').textContent()) ?? '';
      assert.doesNotMatch(all, /gather|reshape|neg\b|log_softmax/, 'implementation nodes stay inside L');
      assert.equal(await page.getByRole('button', { name: 'Forward', exact: true }).count(), 1);
      assert.equal(await page.getByRole('button', { name: 'Whole backward pass', exact: true }).count(), 1);
      // The graph fits its panel: the SVG's box lies inside the panel's.
      const [g, s] = [await page.locator('#graph').boundingBox(), await page.locator('#graph svg').boundingBox()];
      assert.ok(g && s && s.width <= g.width + 1 && s.height <= g.height + 1, `${w}x${h}: the graph overflows its panel`);
      if (w === 1024) {
        for (const sel of ['#controls', '#boundary', '#loss-chart']) {
          const b = await page.locator(sel).boundingBox();
          assert.ok(b && b.y >= 0 && b.y + b.height <= h && b.x >= 0 && b.x + b.width <= w, `${sel} is not on the first 1024x768 screen: ${JSON.stringify(b)}`);
        }
      }
      if (shots) await page.screenshot({ path: join(shots, `playground-${w}x${h}.png`) });
      if (w === 1920) {
        // Zoom and pan change the view box; Fit brings the whole graph back.
        const box = () => page.getAttribute('#graph svg', 'viewBox');
        const fitted = await box();
        await page.click('#zoom-in');
        const zoomed = (await box())!.split(' ').map(Number);
        assert.ok(zoomed[2] < Number(fitted!.split(' ')[2]), 'zoom in shows less of the graph');
        const g = (await page.locator('#graph').boundingBox())!;
        await page.mouse.move(g.x + g.width / 2, g.y + g.height / 2);
        await page.mouse.down();
        await page.mouse.move(g.x + g.width / 2 - 80, g.y + g.height / 2, { steps: 4 });
        await page.mouse.up();
        assert.ok((await box())!.split(' ').map(Number)[0] > zoomed[0], 'dragging left pans right');
        await page.click('#zoom-fit');
        assert.equal(await box(), fitted);
        // A lesson from the notes: the feature map ψ(x) = (x₁, x₂, x₁x₂) with a linear model.
        await page.selectOption('#lesson', 'feature-map');
        await page.waitForFunction(() => window.nabla!.state().settings.lesson === 'feature-map');
        const s = (await state(page)).settings;
        assert.deepEqual([s.dataset, s.features, s.hidden], ['xor', ['x1', 'x2', 'x1x2'], []]);
        assert.match((await page.locator('#lesson-note').textContent()) ?? '', /x₁x₂/);
        assert.match(page.url(), /lesson=feature-map/);
        const names = await graphText(page);
        assert.ok(names.includes('z⁽¹⁾') && !names.includes('h⁽¹⁾'), `a linear model has no hidden h: ${names.join(' ')}`);
        // Pattern A/B does not live in the plane: its own panel trains both models on the 32 strips.
        await page.selectOption('#lesson', 'pattern-ab');
        await page.waitForFunction(() => document.getElementById('pattern-result')?.dataset.mlp !== undefined, null, { timeout: 20_000 });
        const result = page.locator('#pattern-result');
        assert.equal(await result.getAttribute('data-mlp'), '32', 'the MLP classifies every shift');
        assert.ok(Number(await result.getAttribute('data-linear')) < 32, 'no linear model classifies every shift');
        assert.match((await result.textContent()) ?? '', /A 0\.25, B 0\.25/);
      }
      await page.close();
    }
  });

  await t.test('training lowers the loss; the backward walk shows what explain prints', async () => {
    const page = await open(1024, 768, '?dataset=circles&features=x1,x2,x1sq,x2sq&hidden=4&lr=0.1&activation=tanh');
    const before = await state(page);
    const boundaryBefore = await page.evaluate(() => window.nabla!.boundaryChecksum());
    assert.equal(before.epoch, 0);
    assert.equal(before.error, '');
    await page.click('#start');
    await page.waitForFunction(() => window.nabla!.state().epoch >= 25, null, { timeout: 20_000 });
    await page.click('#start'); // pause
    const after = await state(page);
    assert.equal(after.running, false);
    assert.ok(after.loss < 0.6 * before.loss, `train loss should fall: ${before.loss} -> ${after.loss}`);
    assert.notEqual(await page.evaluate(() => window.nabla!.boundaryChecksum()), boundaryBefore, 'the decision boundary did not change');
    assert.equal(await page.locator('#epoch').textContent(), String(after.epoch));

    // The walk: L first, then back through the layers, one new highlighted node per step.
    await page.click('#backward-rewind');
    const expected = ['L', 'z⁽²⁾', 'W⁽²⁾', 'b⁽²⁾', 'h⁽¹⁾', 'z⁽¹⁾', 'W⁽¹⁾', 'b⁽¹⁾'];
    assert.equal((await state(page)).backward.total, expected.length);
    for (const [i, label] of expected.entries()) {
      await page.click('#backward-step');
      const b = (await state(page)).backward;
      assert.equal(b.step, i + 1);
      assert.equal(b.currentLabel, label);
      const hot = page.locator('#graph g.node.current');
      assert.equal(await hot.count(), 1);
      assert.equal(await hot.getAttribute('id'), b.current);
      assert.equal(await hot.locator('.grad-line:not(.hidden)').count(), 1, 'the current node shows its gradient');
      if (label !== 'L') assert.match(b.derivation, new RegExp(`^∂L/∂${label} = `, 'm'), `${label}: the gradient line beside the node`);
    }
    // The same network and example through explain() in Node: the page's text is explain's.
    const ex = (await page.evaluate(() => window.nabla!.example())) as TracedExample;
    const net = {
      layers: ex.layers.map((l, i) => ({
        weight: tensor(Float32Array.from(l.weight), { shape: l.shape }), bias: tensor(Float32Array.from(l.bias)),
        activation: i < ex.layers.length - 1 ? ex.activation : 'linear',
      })),
    };
    const text = explain(net, ex.x, ex.target, { loss: ex.loss });
    sameDerivation(ex.text, text);
    const shown = (await state(page)).backward.derivation.split('\n').find((l) => l.startsWith('∂L/∂b⁽¹⁾'))!;
    const fromExplain = text.split('\n').find((l) => l.trim().startsWith('∂L/∂b⁽¹⁾'))!;
    sameDerivation(shown, fromExplain.trim());

    // A penalty adds J, its edges from every W, and ∂J/∂W = ∂L/∂W + λW.
    await page.selectOption('#regularization', 'l2');
    await page.selectOption('#regRate', '0.01');
    await page.waitForFunction(() => document.querySelector('#graph g#node-J') !== null);
    assert.ok((await graphText(page)).includes('J'));
    await page.click('#backward-all');
    await page.locator('#graph g#node-W1').click();
    assert.match((await state(page)).backward.derivation, /^∂J\/∂W⁽¹⁾ = ∂L\/∂W⁽¹⁾ \+ λW⁽¹⁾ = /m);
    await page.close();
  });

  await t.test('every control round-trips through the URL without a reload', async () => {
    const page = await open(1920, 1080);
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    await page.selectOption('#problem', 'regression');
    await page.selectOption('#dataset', 'multigauss');
    await page.selectOption('#activation', 'relu');
    assert.match(page.url(), /activation=relu/, 'the URL follows each control at once');
    await page.selectOption('#lr', '0.01');
    await page.selectOption('#optimizer', 'adam');
    await page.selectOption('#regularization', 'l1');
    await page.selectOption('#regRate', '0.003');
    for (const [id, v] of [['noise', '25'], ['trainRatio', '70'], ['batchSize', '7']]) {
      await page.$eval(`#${id}`, (e, value) => { (e as HTMLInputElement).value = value; }, v);
      await page.dispatchEvent(`#${id}`, 'change');
    }
    await page.fill('#seed', '5');
    await page.dispatchEvent('#seed', 'change');
    await page.click('#feature-x1x2');
    await page.click('#feature-sinx1');
    await page.click('#add-layer');
    await page.click('#units-1-add');
    await page.click('#units-3-remove');
    await page.check('#showTest');
    await page.check('#discretize');
    await page.click('#projector');
    await page.fill('#example', '3');
    await page.dispatchEvent('#example', 'change');
    const s = (await state(page)).settings;
    assert.equal((await page.evaluate(() => (window as unknown as { marker?: number }).marker)), 42, 'no reload');
    assert.deepEqual({ ...s }, {
      lesson: '', dataset: 'multigauss', noise: 25, trainRatio: 70, features: ['x1', 'x2', 'x1x2', 'sinx1'], hidden: [5, 2, 1],
      activation: 'relu', optimizer: 'adam', lr: 0.01, batchSize: 7, regularization: 'l1', regRate: 0.003, seed: 5,
      showTest: true, discretize: true, projector: true, example: 3,
    });
    const url = page.url();
    assert.match(url, /dataset=multigauss/);
    assert.match(url, /hidden=5%2C2%2C1/);

    const again = await open(390, 844, url.slice(pg.url.length));
    assert.deepEqual((await state(again)).settings, s, 'opening the link restores every setting');
    for (const [id, v] of [['dataset', 'multigauss'], ['problem', 'regression'], ['activation', 'relu'], ['lr', '0.01'], ['optimizer', 'adam'],
      ['regularization', 'l1'], ['regRate', '0.003'], ['noise', '25'], ['trainRatio', '70'], ['batchSize', '7'], ['seed', '5'], ['example', '3']]) {
      assert.equal(await again.locator(`#${id}`).inputValue(), v, `#${id} restored`);
    }
    assert.equal(await again.isChecked('#showTest'), true);
    assert.equal(await again.isChecked('#discretize'), true);
    assert.equal(await again.getAttribute('#projector', 'aria-pressed'), 'true');
    assert.equal(await again.getAttribute('#feature-x1x2', 'aria-pressed'), 'true');
    assert.equal(await again.getAttribute('#feature-x1sq', 'aria-pressed'), 'false');
    assert.equal(await again.locator('#network canvas.neuron').count(), 5 + 2 + 1 + 1);
    // Regression: the squared error's ŷ gets its own gradient step; L1 adds J.
    const names = await graphText(again);
    for (const n of ['ŷ', 'L', 'J', 'z⁽⁴⁾']) assert.ok(names.includes(n), `regression graph lacks ${n}`);
    const [scrollW, innerW] = await again.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scrollW <= innerW, `projector type on a phone overflows: ${scrollW} > ${innerW}`);
    if (shots) await again.screenshot({ path: join(shots, 'playground-390x844-projector.png'), fullPage: true });
    await again.close();
    await page.close();
  });

  assert.deepEqual(problems, []);
});
