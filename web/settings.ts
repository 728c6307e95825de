// What the user chose in the control panel, read and checked in one place. Bad input is reported
// next to the form rather than thrown deep inside training.
import { activations } from '../src/ops/index.js';
import { byId } from './dom.js';

export const DATASETS = ['xor', 'spirals', 'moons', 'circles', 'blobs'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** The op registry's hidden-layer activations that have a gradient (the hard threshold cannot train). */
export const ACTIVATIONS: readonly string[] = activations().filter((a) => a.activation.hidden && a.differentiable).map((a) => a.name);

/** Fill the activation menu from the registry, keeping the page's default choice. */
export function fillActivationMenu(): void {
  const select = byId('activation', HTMLSelectElement);
  const chosen = select.dataset.default ?? 'relu';
  select.replaceChildren(...ACTIVATIONS.map((name) => new Option(name, name, name === chosen, name === chosen)));
}
export const OPTIMIZERS = ['adam', 'sgd', 'momentum'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

export interface Settings {
  dataset: DatasetName;
  /** Hidden layer widths; [] is logistic regression. */
  hidden: number[];
  activation: string;
  optimizer: OptimizerChoice;
  lr: number;
  batchSize: number;
  /** λ of the L2 penalty λ/2·Σ‖W‖². */
  l2: number;
  seed: number;
}

export class SettingsError extends Error {}

function num(id: string, what: string, ok: (v: number) => boolean, rule: string): number {
  const v = Number(byId(id, HTMLInputElement).value);
  if (!Number.isFinite(v) || !ok(v)) throw new SettingsError(`${what} must be ${rule}`);
  return v;
}

/** "8, 8" → [8, 8]; "" → []. */
export function parseHidden(text: string): number[] {
  const t = text.trim();
  if (t === '') return [];
  const sizes = t.split(/[\s,]+/).map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 64) || sizes.length > 6) {
    throw new SettingsError('hidden layers must be up to 6 comma-separated widths from 1 to 64, e.g. 8,8');
  }
  return sizes;
}

export function readSettings(): Settings {
  const dataset = byId('dataset', HTMLSelectElement).value as DatasetName;
  if (!DATASETS.includes(dataset)) throw new SettingsError(`unknown data set '${dataset}'`);
  const activation = byId('activation', HTMLSelectElement).value;
  if (!ACTIVATIONS.includes(activation)) throw new SettingsError(`unknown activation '${activation}'`);
  const optimizer = byId('optimizer', HTMLSelectElement).value as OptimizerChoice;
  if (!OPTIMIZERS.includes(optimizer)) throw new SettingsError(`unknown optimizer '${optimizer}'`);
  return {
    dataset,
    hidden: parseHidden(byId('hidden', HTMLInputElement).value),
    activation,
    optimizer,
    lr: num('lr', 'learning rate', (v) => v > 0 && v <= 10, 'a number in (0, 10]'),
    batchSize: num('batch', 'batch size', (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1'),
    l2: num('l2', 'L2 regularisation', (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    seed: num('seed', 'seed', (v) => Number.isInteger(v) && v >= 0, 'a whole number >= 0'),
  };
}
