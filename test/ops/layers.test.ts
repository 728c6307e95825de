// The layer check that `npm test` runs (npm run layers) really refuses what the README forbids: on
// a small tree with one of each mistake, dependency-cruiser with nabla's rules must name them all,
// and must let type-only imports and downward imports through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const CRUISER = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

test('the layer rules refuse a back-edge (lessons/ included), a circle and a deep import, and allow type-only and downward imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-layers-'));
  const files: Record<string, string> = {
    'src/tensor/uses-nn.ts': "import { model } from '../nn/model.js';\nexport const t = model;\n",
    'src/tensor/types-only.ts': "import type { Model } from '../nn/model.js';\nexport type T = Model;\n",
    'src/nn/model.ts': "import { base } from '../tensor/base.js';\nexport const model = base;\nexport type Model = number;\n",
    'src/tensor/base.ts': 'export const base = 1;\n',
    'src/autograd/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
    'src/autograd/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    'src/lessons/demo.ts': "import { model } from '../nn/model.js';\nexport const demo = model;\n",
    'src/viz/uses-lessons.ts': "import { demo } from '../lessons/demo.js';\nexport const v = demo;\n",
    'src/index.ts': "export { model } from './nn/model.js';\n",
    'web/page.ts': "import { model } from '../src/nn/model.js';\nimport { model as m2 } from '../src/index.js';\nexport const p = [model, m2];\n",
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  const r = spawnSync(process.execPath, [CRUISER, 'src', 'web', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const out = r.stdout + r.stderr;
  assert.notEqual(r.status, 0, out);
  assert.match(out, /layer-tensor: src\/tensor\/uses-nn\.ts → src\/nn\/model\.ts/);
  assert.match(out, /layer-viz: src\/viz\/uses-lessons\.ts → src\/lessons\/demo\.ts/);
  assert.match(out, /no-circular: src\/autograd\/a\.ts/);
  assert.match(out, /entries-only-for-cli-and-web: web\/page\.ts → src\/nn\/model\.ts/);
  assert.doesNotMatch(out, /types-only|web\/page\.ts → src\/index\.ts|src\/nn\/model\.ts → src\/tensor|src\/lessons\/demo\.ts → src\/nn/);
});
