// The layer rules of the README's architecture, checked by `npm test` (`npm run layers`).
// A folder may import the folders below it, never the ones above; no runtime import circles.
// Type-only imports are exempt: they vanish at compile time and describe, not depend.
/** Folders of src/, lowest first. Each may import only those before it (and itself). */
const LAYERS = ['ops', 'backend', 'tensor', 'autograd', 'scalar', 'nn', 'optim', 'data', 'train', 'io', 'pipeline', 'onnx', 'viz', 'lessons', 'playground', 'cli'];
const BASE = 'src/(errors|warnings|random)[.]ts$'; // below every layer
const runtime = { dependencyTypesNot: ['type-only'] };

const above = (i) => LAYERS.slice(i + 1);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A runtime import circle: one of its edges must go (type-only imports do not count).',
      from: {},
      to: { circular: true, viaOnly: runtime },
    },
    ...LAYERS.map((layer, i) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `src/${layer}/ sits below ${above(i).join(', ')}: it must not import them (README, Architecture).`,
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${above(i).join('|')})/`, ...runtime },
    })).filter((r) => r.to.path !== '^src/()/'),
    {
      name: 'base-imports-nothing',
      severity: 'error',
      comment: 'errors.ts, warnings.ts and random.ts are used by every layer, so they import none.',
      from: { path: BASE },
      to: { path: '^src/', pathNot: BASE, ...runtime },
    },
    {
      name: 'entries-only-for-cli-and-web',
      severity: 'error',
      comment: "The CLI and the playground use nabla as users do: through 'nabla', 'nabla/node' and 'nabla/onnx'.",
      from: { path: '^(src/cli|web)/' },
      to: { path: '^src/', pathNot: ['^src/(index|node)[.]ts$', '^src/onnx/index[.]ts$', '^src/cli/'], ...runtime },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]generated[.]ts$' },
  },
};
