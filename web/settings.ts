// Everything the user can set, as one plain object: the controls write it, the URL carries it, and
// training reads it. Parsing a URL never throws: a missing or bad value keeps its default, and the
// names of the refused keys are returned so that the page can say which parts of a link it ignored.
import { ops } from '../src/index.js';
import { FEATURES, type FeatureName } from './features.js';

export const CLASSIFICATION_SETS = ['circles', 'xor', 'gauss', 'spirals', 'moons'] as const;
export const REGRESSION_SETS = ['plane', 'multigauss'] as const;
export const DATASETS = [...CLASSIFICATION_SETS, ...REGRESSION_SETS] as const;
export type DatasetName = (typeof DATASETS)[number];
export type Problem = 'classification' | 'regression';

/**
 * The activations the page offers, from the op registry: every hidden-layer activation that explain
 * can show (a hidden layer's g and g′ must both be drawable: elementwise, with a gradient), and the
 * identity as 'linear'.
 */
export const ACTIVATIONS: readonly string[] = ops.activations()
  .filter((a) => (a.activation.hidden || a.name === 'identity') && a.differentiable && a.activation.elementwise && !a.activation.notShown)
  .map((a) => (a.name === 'identity' ? 'linear' : a.name));
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];
export const REGULARIZATIONS = ['none', 'l1', 'l2'] as const;
export type Regularization = (typeof REGULARIZATIONS)[number];

/** Most hidden layers and units per layer the diagram can draw legibly. */
export const MAX_LAYERS = 6;
export const MAX_UNITS = 8;

/** The lessons' names (web/lessons.ts holds their presets); '' is free play. */
export const LESSON_NAMES = ['', 'xor-linear', 'xor-mlp', 'feature-map', 'pattern-ab', 'regularisation'] as const;

export interface Settings {
  /** The lesson whose preset was loaded last ('' for none). */
  lesson: (typeof LESSON_NAMES)[number];
  dataset: DatasetName;
  /** Noise level, 0..50 (percent of the data set's own scale), as TensorFlow Playground counts it. */
  noise: number;
  /** Percentage of rows used for training, 10..90. */
  trainRatio: number;
  /** Input features, in FEATURES order. */
  features: FeatureName[];
  /** Hidden layer widths; [] is a linear model. */
  hidden: number[];
  activation: string;
  optimizer: OptimizerChoice;
  lr: number;
  batchSize: number;
  regularization: Regularization;
  /** λ: J = L + λ/2·Σ‖W‖²_F (L2) or J = L + λ·Σ|W| (L1). */
  regRate: number;
  seed: number;
  showTest: boolean;
  discretize: boolean;
  /** Large type for a projector. */
  projector: boolean;
  /** The training row traced in the backprop view. */
  example: number;
}

export const DEFAULTS: Readonly<Settings> = Object.freeze({
  lesson: '',
  dataset: 'circles',
  noise: 0,
  trainRatio: 50,
  features: ['x1', 'x2'],
  hidden: [4, 2],
  activation: 'tanh',
  optimizer: 'sgd',
  lr: 0.03,
  batchSize: 10,
  regularization: 'none',
  regRate: 0,
  seed: 1,
  showTest: false,
  discretize: false,
  projector: false,
  example: 0,
} satisfies Settings);

export function problemOf(dataset: DatasetName): Problem {
  return (REGRESSION_SETS as readonly string[]).includes(dataset) ? 'regression' : 'classification';
}

/** The λ that enters J: 0 when regularisation is off. */
export function lambdaOf(s: Settings): number {
  return s.regularization === 'none' ? 0 : s.regRate;
}

export class SettingsError extends Error {}

type Codec<K extends keyof Settings> = {
  parse(text: string): Settings[K] | undefined;
  format(v: Settings[K]): string;
};

const oneOf = <T extends string>(list: readonly T[]) => ({
  parse: (t: string) => ((list as readonly string[]).includes(t) ? (t as T) : undefined),
  format: (v: T) => v,
});
const number = (ok: (v: number) => boolean) => ({
  parse: (t: string) => {
    const v = t.trim() === '' ? NaN : Number(t);
    return Number.isFinite(v) && ok(v) ? v : undefined;
  },
  format: (v: number) => String(v),
});
const flag = { parse: (t: string) => (t === '1' ? true : t === '0' ? false : undefined), format: (v: boolean) => (v ? '1' : '0') };
const int = (lo: number, hi: number) => number((v) => Number.isInteger(v) && v >= lo && v <= hi);

/** Each setting's URL key and rules (the same rules the controls are held to). */
const CODECS: { [K in keyof Settings]: Codec<K> } = {
  lesson: oneOf(LESSON_NAMES),
  dataset: oneOf(DATASETS),
  noise: int(0, 50),
  trainRatio: int(10, 90),
  features: {
    parse: (t) => {
      const names = t === '' ? [] : t.split(',');
      if (names.length === 0 || names.some((n) => !(n in FEATURES))) return undefined;
      return (Object.keys(FEATURES) as FeatureName[]).filter((f) => names.includes(f));
    },
    format: (v) => v.join(','),
  },
  hidden: {
    parse: (t) => {
      if (t === '') return [];
      const sizes = t.split(',').map(Number);
      return sizes.length <= MAX_LAYERS && sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= MAX_UNITS) ? sizes : undefined;
    },
    format: (v) => v.join(','),
  },
  activation: oneOf(ACTIVATIONS),
  optimizer: oneOf(OPTIMIZERS),
  lr: number((v) => v > 0 && v <= 10),
  batchSize: int(1, 100),
  regularization: oneOf(REGULARIZATIONS),
  regRate: number((v) => v >= 0 && v <= 10),
  seed: int(0, 2 ** 31 - 1),
  showTest: flag,
  discretize: flag,
  projector: flag,
  example: int(0, 100_000),
};

export const SETTING_KEYS = Object.keys(CODECS) as (keyof Settings)[];

/** Check one value against its rule; throws a SettingsError naming the control. */
export function checked<K extends keyof Settings>(key: K, text: string): Settings[K] {
  const v = (CODECS[key] as Codec<K>).parse(text);
  if (v === undefined) throw new SettingsError(`${key}: '${text}' is not allowed`);
  return v;
}

/** The settings as a query string, every key present, so that a link pins the whole setup. */
export function toQuery(s: Settings): string {
  const q = new URLSearchParams();
  for (const k of SETTING_KEYS) q.set(k, (CODECS[k] as Codec<typeof k>).format(s[k] as never));
  return q.toString();
}

/** Settings from a query string; absent keys take the defaults, bad ones are listed in `refused`. */
export function fromQuery(search: string): { settings: Settings; refused: string[] } {
  const q = new URLSearchParams(search);
  const settings: Settings = { ...DEFAULTS, features: [...DEFAULTS.features], hidden: [...DEFAULTS.hidden] };
  const refused: string[] = [];
  for (const k of SETTING_KEYS) {
    const text = q.get(k);
    if (text === null) continue;
    const v = (CODECS[k] as Codec<typeof k>).parse(text);
    if (v === undefined) refused.push(k);
    else (settings as unknown as Record<string, unknown>)[k] = v;
  }
  return { settings, refused };
}
