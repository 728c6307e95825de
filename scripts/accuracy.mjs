// `npm run accuracy`: the full-size Fashion-MNIST runs (test/full/), which need the real data set
// and a few minutes, so they are not part of `npm test`. The data is found in $NABLA_DATA,
// $NABLA_DATA/fashion-mnist or Debian's /usr/share/datasets/fashion-mnist; if it is in none of
// them, this says how to get it and exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const candidates = [
  ...(process.env.NABLA_DATA ? [process.env.NABLA_DATA, join(process.env.NABLA_DATA, 'fashion-mnist')] : []),
  '/usr/share/datasets/fashion-mnist',
];
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const has = (dir) => FILES.every((f) => existsSync(join(dir, `${f}.gz`)) || existsSync(join(dir, f)));
const dir = candidates.find(has);
if (!dir) {
  console.error(`npm run accuracy: Fashion-MNIST not found (looked in ${candidates.join(', ')}). `
    + 'Install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or download '
    + `${FILES.map((f) => `${f}.gz`).join(', ')} from github.com/zalandoresearch/fashion-mnist `
    + 'into a folder and run `NABLA_DATA=/that/folder npm run accuracy`.');
  process.exit(2);
}
console.log(`npm run accuracy: Fashion-MNIST from ${dir}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', 'test/full/fashion-mnist.ts'], {
  stdio: 'inherit', env: { ...process.env, NABLA_DATA: dir },
});
process.exit(r.status ?? 1);
